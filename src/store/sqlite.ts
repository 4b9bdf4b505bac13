// The embedded store: one SQLite file (node:sqlite, built into Node 22.5+; no native build).
// node:sqlite is imported when a store is opened, not when this module is loaded: the module
// graph still loads on a Node without it, as long as the store is off.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PreflightReport } from '../preflight/types.js';
import {
  DAY_MS,
  DEFAULT_STORE_TIMEOUT_MS,
  REPORT_COLUMNS,
  type ReportStore,
  type RunsPage,
  SUMMARY_COLUMNS,
  type StoredReport,
  StoreError,
  StoreTimeoutError,
  type SummaryRow,
  WATCH_COLUMNS,
  type WatchLedger,
  type WatchRow,
  parseCursor,
  reportRow,
  summaryOf,
  watchRecordOf,
} from './types.js';

export interface SqliteStoreOptions {
  /** The database file (created with its directory), or ':memory:'. */
  path: string;
  retentionDays: number;
  /** The clock retention is measured by (tests move it). */
  now?: () => number;
  /** How long a statement may wait for another process's lock once the store is open; then that write or read is given up (default 1 s). */
  timeoutMs?: number;
}

/** At start, the wait for a lock another process holds (a backup, the sqlite3 shell): nothing waits on the start but the start. */
const OPEN_BUSY_TIMEOUT_MS = 5000;
/** Expired reports are deleted this many at a time, the event loop free between batches. */
const DELETE_BATCH = 500;
/** SQLite's primary result codes for "another connection holds the lock" (the extended codes keep them in their low byte). */
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;

const isBusy = (error: unknown) => [SQLITE_BUSY, SQLITE_LOCKED].includes(((error as { errcode?: number }).errcode ?? 0) & 0xff);

/**
 * A statement run without waiting: node:sqlite is synchronous, and its busy timeout would hold the
 * event loop (every request, every health check) for as long as another process holds the lock.
 * The statement fails at once instead, and is tried again after a pause that leaves the loop free,
 * until `timeoutMs` have passed.
 */
async function withoutBlocking<T>(statement: () => T, timeoutMs: number, what: string): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
    try {
      return statement();
    } catch (error) {
      if (!isBusy(error)) throw error;
      const left = deadline - performance.now();
      if (left <= 0) throw new StoreTimeoutError(`the report store did not answer within ${timeoutMs} ms (${what}): another process holds its lock`);
      await sleep(Math.min(pause, left));
    }
  }
}

/** Schema changes, in order; PRAGMA user_version says how many a file has had. */
const MIGRATIONS = [
  `CREATE TABLE reports (
     id TEXT PRIMARY KEY,
     started_at_ms INTEGER NOT NULL,
     stored_at_ms INTEGER NOT NULL,
     status TEXT NOT NULL,
     duration_ms INTEGER NOT NULL,
     api_key_label TEXT,
     fingerprint TEXT NOT NULL,
     account_id TEXT NOT NULL,
     region TEXT NOT NULL,
     credential_type TEXT NOT NULL,
     principal TEXT,
     report TEXT NOT NULL
   );
   CREATE INDEX reports_by_connection ON reports (fingerprint, started_at_ms DESC, id DESC);
   CREATE INDEX reports_by_age ON reports (stored_at_ms);`,
  // The watch's schedule: a row per watched connection (one replica here, but the same claims as PostgreSQL's).
  `CREATE TABLE watch (
     label TEXT PRIMARY KEY,
     next_run_at_ms INTEGER NOT NULL,
     lease_holder TEXT,
     lease_until_ms INTEGER,
     last_run_id TEXT,
     last_run_at_ms INTEGER,
     last_status TEXT
   );`,
];

interface Row extends SummaryRow {
  report?: string;
}

export async function openSqliteStore(options: SqliteStoreOptions): Promise<ReportStore> {
  const now = options.now ?? Date.now;
  const retentionMs = options.retentionDays * DAY_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  let sqlite: typeof import('node:sqlite');
  try {
    sqlite = await import('node:sqlite');
  } catch {
    throw new StoreError(`the report store needs node:sqlite (Node 22.5 or later; this is ${process.version}): upgrade Node`);
  }
  let db: DatabaseSync;
  try {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    db = new sqlite.DatabaseSync(options.path, { timeout: OPEN_BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new StoreError(`cannot open the report store ${options.path}: ${(error as Error).message}`);
  }
  try {
    // WAL: readers do not wait for the writer. A file that is not a database fails here.
    // synchronous=NORMAL: in WAL mode the file cannot be corrupted by a crash; a power loss may
    // lose the last reports, and each write skips an fsync (a 9 KB report: 2.2 → 0.12 ms, 0.1 ms of CPU).
    if (options.path !== ':memory:') db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
    // A file with damaged pages opens, and its header can even be read: look at every page now,
    // rather than answer 500 for each report that lies on one (it reads the file once: docs/api.md, Report history).
    const problems = db.prepare('PRAGMA quick_check(3)').all() as { quick_check: string }[];
    if (problems[0]?.quick_check !== 'ok') throw new Error(`the file is corrupted: ${problems.map((p) => p.quick_check).join('; ')}`);
    const { user_version: version } = db.prepare('PRAGMA user_version').get() as { user_version: number };
    if (version > MIGRATIONS.length) throw new Error(`its schema is version ${version}, newer than this service knows (${MIGRATIONS.length})`);
    for (let next = version; next < MIGRATIONS.length; next++) {
      db.exec('BEGIN IMMEDIATE');
      try {
        db.exec(MIGRATIONS[next]!);
        db.exec(`PRAGMA user_version = ${next + 1}`);
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    }
  } catch (error) {
    db.close();
    throw new StoreError(`cannot use the report store ${options.path} (corrupted, locked or not a preflight store?): ${(error as Error).message}`);
  }
  // From now on no statement waits for a lock: withoutBlocking tries again off the event loop.
  db.exec('PRAGMA busy_timeout = 0');

  const insert = db.prepare(`INSERT OR REPLACE INTO reports (${REPORT_COLUMNS.join(', ')}) VALUES (${REPORT_COLUMNS.map(() => '?').join(', ')})`);
  const byId = db.prepare(`SELECT ${SUMMARY_COLUMNS}, report FROM reports WHERE id = ? AND stored_at_ms >= ?`);
  const firstPage = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM reports WHERE fingerprint = ? AND stored_at_ms >= ? ORDER BY started_at_ms DESC, id DESC LIMIT ?`);
  const laterPage = db.prepare(
    `SELECT ${SUMMARY_COLUMNS} FROM reports WHERE fingerprint = ? AND stored_at_ms >= ? AND (started_at_ms < ? OR (started_at_ms = ? AND id < ?)) ORDER BY started_at_ms DESC, id DESC LIMIT ?`,
  );
  const expire = db.prepare('DELETE FROM reports WHERE rowid IN (SELECT rowid FROM reports WHERE stored_at_ms < ? LIMIT ?)');
  // Counted over the small covering index reports_by_age, never through the reports themselves.
  const sizes = db.prepare('SELECT (SELECT count(*) FROM reports) AS reports, page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()');
  // Expired reports are not answered even before the next sweep deletes them.
  const cutoff = () => now() - retentionMs;

  const enroll = db.prepare(
    `INSERT INTO watch (label, next_run_at_ms) VALUES (?, ?) ON CONFLICT (label) DO UPDATE SET next_run_at_ms = min(next_run_at_ms, ?) RETURNING ${WATCH_COLUMNS}`,
  );
  const claim = db.prepare(
    `UPDATE watch SET lease_holder = ?, lease_until_ms = ? WHERE label = ? AND next_run_at_ms <= ? AND (lease_until_ms IS NULL OR lease_until_ms <= ?) RETURNING ${WATCH_COLUMNS}`,
  );
  const watchRecord = db.prepare(`SELECT ${WATCH_COLUMNS} FROM watch WHERE label = ?`);
  const complete = db.prepare(
    `UPDATE watch SET next_run_at_ms = ?, lease_holder = NULL, lease_until_ms = NULL,
       last_run_id = coalesce(?, last_run_id), last_run_at_ms = coalesce(?, last_run_at_ms), last_status = coalesce(?, last_status)
     WHERE label = ? AND lease_holder = ?`,
  );
  const release = db.prepare('UPDATE watch SET lease_holder = NULL, lease_until_ms = NULL WHERE label = ? AND lease_holder = ?');
  const watchList = db.prepare(`SELECT ${WATCH_COLUMNS} FROM watch WHERE label IN (SELECT value FROM json_each(?))`);
  const watchLedger: WatchLedger = {
    async enroll(entries) {
      const records = [];
      for (const { label, firstRunAtMs, latestRunAtMs } of entries) {
        const row = (await withoutBlocking(() => enroll.get(label, firstRunAtMs, latestRunAtMs), timeoutMs, 'enrolling a watched connection')) as unknown as WatchRow;
        records.push(watchRecordOf(row));
      }
      return records;
    },
    async claim(label, holder, nowMs, leaseUntilMs) {
      const claimed = (await withoutBlocking(() => claim.get(holder, leaseUntilMs, label, nowMs, nowMs), timeoutMs, 'claiming a watched run')) as unknown as WatchRow | undefined;
      if (claimed) return { claimed: true, record: watchRecordOf(claimed) };
      const row = (await withoutBlocking(() => watchRecord.get(label), timeoutMs, 'reading a watched connection')) as unknown as WatchRow | undefined;
      return { claimed: false, record: row && watchRecordOf(row) };
    },
    async complete(label, holder, nextRunAtMs, lastRun) {
      const { changes } = await withoutBlocking(() => complete.run(nextRunAtMs, lastRun?.id ?? null, lastRun?.atMs ?? null, lastRun?.status ?? null, label, holder), timeoutMs, 'completing a watched run');
      return Number(changes) === 1;
    },
    async release(label, holder) {
      await withoutBlocking(() => release.run(label, holder), timeoutMs, 'releasing a watched run');
    },
    async list(labels) {
      const rows = (await withoutBlocking(() => watchList.all(JSON.stringify(labels)), timeoutMs, 'reading the watch')) as unknown as WatchRow[];
      return rows.map(watchRecordOf);
    },
  };

  return {
    watchLedger,
    async save(reportJson, meta) {
      const { values, summary } = reportRow(reportJson, meta, now());
      await withoutBlocking(() => insert.run(...(values as SQLInputValue[])), timeoutMs, 'saving a report');
      return summary;
    },
    async get(id): Promise<StoredReport | undefined> {
      const row = (await withoutBlocking(() => byId.get(id, cutoff()), timeoutMs, 'reading a report')) as Row | undefined;
      return row && { summary: summaryOf(row), report: JSON.parse(row.report!) as PreflightReport };
    },
    async runs(fingerprint, { limit, cursor }): Promise<RunsPage> {
      let rows: Row[];
      if (cursor) {
        const after = parseCursor(cursor);
        rows = (await withoutBlocking(() => laterPage.all(fingerprint, cutoff(), after.startedAtMs, after.startedAtMs, after.id, limit + 1), timeoutMs, "listing a connection's runs")) as unknown as Row[];
      } else {
        rows = (await withoutBlocking(() => firstPage.all(fingerprint, cutoff(), limit + 1), timeoutMs, "listing a connection's runs")) as unknown as Row[];
      }
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { runs: page.map(summaryOf), ...(rows.length > limit && last ? { next: `${last.started_at_ms}.${last.id}` } : {}) };
    },
    async deleteExpired() {
      const before = cutoff();
      let deleted = 0;
      for (;;) {
        const changes = Number((await withoutBlocking(() => expire.run(before, DELETE_BATCH), timeoutMs, 'deleting expired reports')).changes);
        deleted += changes;
        if (changes < DELETE_BATCH) return deleted;
        await sleep(0);
      }
    },
    async size() {
      return (await withoutBlocking(() => sizes.get(), timeoutMs, 'reading its size')) as { reports: number; bytes: number };
    },
    async close() {
      if (db.isOpen) db.close();
    },
  };
}
