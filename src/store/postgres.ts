// The store for several replicas: PostgreSQL (PREFLIGHT_DATABASE_URL), every replica seeing every
// report. `pg` is imported when a store is opened; migrations run at start, one replica at a time
// (an advisory lock), each once (preflight_schema_migrations).
import type { Pool, QueryResultRow } from 'pg';
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
  type SummaryRow,
  WATCH_COLUMNS,
  type WatchLedger,
  type WatchRow,
  parseCursor,
  reportRow,
  summaryOf,
  watchRecordOf,
  within,
} from './types.js';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  retentionDays: number;
  /** The clock retention is measured by (tests move it). */
  now?: () => number;
  /** How long a connection or a statement may take once the store is open; then that write or read is given up (default 1 s). */
  timeoutMs?: number;
}

/** At start, longer: a replica may wait for another's migrations (the advisory lock), and nothing waits on the start but the start. */
const OPEN_TIMEOUT_MS = 30_000;
/** Expired reports are deleted this many at a time, each batch one short statement within the timeout. */
const DELETE_BATCH = 500;

/** Schema changes, in order; a version is applied once, by whichever replica starts first. */
const MIGRATIONS = [
  `CREATE TABLE preflight_reports (
     id TEXT PRIMARY KEY,
     started_at_ms BIGINT NOT NULL,
     stored_at_ms BIGINT NOT NULL,
     status TEXT NOT NULL,
     duration_ms INTEGER NOT NULL,
     api_key_label TEXT,
     fingerprint TEXT NOT NULL,
     account_id TEXT NOT NULL,
     region TEXT NOT NULL,
     credential_type TEXT NOT NULL,
     principal TEXT,
     report JSONB NOT NULL
   );
   CREATE INDEX preflight_reports_by_connection ON preflight_reports (fingerprint, started_at_ms DESC, id DESC);
   CREATE INDEX preflight_reports_by_age ON preflight_reports (stored_at_ms);`,
  // The watch's schedule: a row per watched connection, its lease held by the replica running it.
  `CREATE TABLE preflight_watch (
     label TEXT PRIMARY KEY,
     next_run_at_ms BIGINT NOT NULL,
     lease_holder TEXT,
     lease_until_ms BIGINT,
     last_run_id TEXT,
     last_run_at_ms BIGINT,
     last_status TEXT
   );`,
];

/** Any constant: the key of the advisory lock that serialises migrations across replicas. */
const MIGRATION_LOCK = 7_170_017;

interface Row extends SummaryRow {
  report?: PreflightReport;
}

/** The URL without its password, for messages. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'PREFLIGHT_DATABASE_URL';
  }
}

export async function openPostgresStore(options: PostgresStoreOptions): Promise<ReportStore> {
  const now = options.now ?? Date.now;
  const retentionMs = options.retentionDays * DAY_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  const { default: pg } = await import('pg');
  // Migrations on a connection of their own, without the pool's short bounds.
  const migrator = new pg.Client({ connectionString: options.url, connectionTimeoutMillis: 5000, query_timeout: OPEN_TIMEOUT_MS });
  migrator.on('error', () => {});
  try {
    await migrator.connect();
    try {
      await migrator.query('BEGIN');
      await migrator.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await migrator.query('CREATE TABLE IF NOT EXISTS preflight_schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
      const { rows } = await migrator.query<{ version: number | null }>('SELECT max(version) AS version FROM preflight_schema_migrations');
      const version = rows[0]?.version ?? 0;
      if (version > MIGRATIONS.length) throw new Error(`its schema is version ${version}, newer than this service knows (${MIGRATIONS.length})`);
      for (let next = version; next < MIGRATIONS.length; next++) {
        await migrator.query(MIGRATIONS[next]!);
        await migrator.query('INSERT INTO preflight_schema_migrations (version) VALUES ($1)', [next + 1]);
      }
      await migrator.query('COMMIT');
    } catch (error) {
      await migrator.query('ROLLBACK').catch(() => {});
      throw error;
    }
  } catch (error) {
    throw new StoreError(`cannot use the report database ${displayUrl(options.url)}: ${(error as Error).message}`);
  } finally {
    await within(timeoutMs, 'closing the migration connection', migrator.end()).catch(() => migrator.connection.stream.destroy());
  }

  // A frozen or unreachable server must not hold a run, a scrape or the event loop: waiting for a
  // connection (the pool's four busy, or a new one not answered) and each query are bounded by the
  // timeout; a query given up on closes its connection. Client-side only: statement_timeout would
  // go as a startup parameter, which PgBouncer refuses ("unsupported startup parameter").
  const pool: Pool = new pg.Pool({ connectionString: options.url, max: 4, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const query = <R extends QueryResultRow>(what: string, text: string, values: unknown[]) => within(timeoutMs, what, pool.query<R>(text, values));

  const cutoff = () => now() - retentionMs;

  // Each statement is one row's: a claim is an UPDATE whose condition PostgreSQL checks again on the
  // row once a concurrent claim has committed (READ COMMITTED), so of two replicas claiming at once
  // one updates the row and the other finds it leased.
  const watchLedger: WatchLedger = {
    async enroll(entries) {
      const records = [];
      for (const { label, firstRunAtMs, latestRunAtMs } of entries) {
        const { rows } = await query<WatchRow>(
          'enrolling a watched connection',
          `INSERT INTO preflight_watch (label, next_run_at_ms) VALUES ($1, $2)
           ON CONFLICT (label) DO UPDATE SET next_run_at_ms = LEAST(preflight_watch.next_run_at_ms, $3)
           RETURNING ${WATCH_COLUMNS}`,
          [label, firstRunAtMs, latestRunAtMs],
        );
        records.push(watchRecordOf(rows[0]!));
      }
      return records;
    },
    async claim(label, holder, nowMs, leaseUntilMs) {
      const claimed = await query<WatchRow>(
        'claiming a watched run',
        `UPDATE preflight_watch SET lease_holder = $2, lease_until_ms = $4
         WHERE label = $1 AND next_run_at_ms <= $3 AND (lease_until_ms IS NULL OR lease_until_ms <= $3)
         RETURNING ${WATCH_COLUMNS}`,
        [label, holder, nowMs, leaseUntilMs],
      );
      if (claimed.rows[0]) return { claimed: true, record: watchRecordOf(claimed.rows[0]) };
      const { rows } = await query<WatchRow>('reading a watched connection', `SELECT ${WATCH_COLUMNS} FROM preflight_watch WHERE label = $1`, [label]);
      return { claimed: false, record: rows[0] && watchRecordOf(rows[0]) };
    },
    async complete(label, holder, nextRunAtMs, lastRun) {
      const { rowCount } = await query(
        'completing a watched run',
        `UPDATE preflight_watch SET next_run_at_ms = $3, lease_holder = NULL, lease_until_ms = NULL,
           last_run_id = COALESCE($4, last_run_id), last_run_at_ms = COALESCE($5, last_run_at_ms), last_status = COALESCE($6, last_status)
         WHERE label = $1 AND lease_holder = $2`,
        [label, holder, nextRunAtMs, lastRun?.id ?? null, lastRun?.atMs ?? null, lastRun?.status ?? null],
      );
      return rowCount === 1;
    },
    async release(label, holder) {
      await query('releasing a watched run', 'UPDATE preflight_watch SET lease_holder = NULL, lease_until_ms = NULL WHERE label = $1 AND lease_holder = $2', [label, holder]);
    },
    async list(labels) {
      const { rows } = await query<WatchRow>('reading the watch', `SELECT ${WATCH_COLUMNS} FROM preflight_watch WHERE label = ANY($1)`, [labels]);
      return rows.map(watchRecordOf);
    },
  };

  return {
    watchLedger,
    async save(reportJson, meta) {
      const { values, summary } = reportRow(reportJson, meta, now());
      await query(
        'saving a report',
        `INSERT INTO preflight_reports (${REPORT_COLUMNS.join(', ')}) VALUES (${REPORT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
         ON CONFLICT (id) DO UPDATE SET stored_at_ms = EXCLUDED.stored_at_ms, report = EXCLUDED.report`,
        values,
      );
      return summary;
    },
    async get(id): Promise<StoredReport | undefined> {
      const { rows } = await query<Row>('reading a report', `SELECT ${SUMMARY_COLUMNS}, report FROM preflight_reports WHERE id = $1 AND stored_at_ms >= $2`, [id, cutoff()]);
      const row = rows[0];
      return row && { summary: summaryOf(row), report: row.report! };
    },
    async runs(fingerprint, { limit, cursor }): Promise<RunsPage> {
      let rows: Row[];
      if (cursor) {
        const after = parseCursor(cursor);
        ({ rows } = await query<Row>(
          "listing a connection's runs",
          `SELECT ${SUMMARY_COLUMNS} FROM preflight_reports WHERE fingerprint = $1 AND stored_at_ms >= $2 AND (started_at_ms, id) < ($3, $4) ORDER BY started_at_ms DESC, id DESC LIMIT $5`,
          [fingerprint, cutoff(), after.startedAtMs, after.id, limit + 1],
        ));
      } else {
        ({ rows } = await query<Row>(
          "listing a connection's runs",
          `SELECT ${SUMMARY_COLUMNS} FROM preflight_reports WHERE fingerprint = $1 AND stored_at_ms >= $2 ORDER BY started_at_ms DESC, id DESC LIMIT $3`,
          [fingerprint, cutoff(), limit + 1],
        ));
      }
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { runs: page.map(summaryOf), ...(rows.length > limit && last ? { next: `${last.started_at_ms}.${last.id}` } : {}) };
    },
    async deleteExpired() {
      // In batches: a month of reports expiring at once would outlast the statement timeout.
      const before = cutoff();
      let deleted = 0;
      for (;;) {
        const { rowCount } = await query(
          'deleting expired reports',
          'DELETE FROM preflight_reports WHERE id IN (SELECT id FROM preflight_reports WHERE stored_at_ms < $1 LIMIT $2)',
          [before, DELETE_BATCH],
        );
        deleted += rowCount ?? 0;
        if ((rowCount ?? 0) < DELETE_BATCH) return deleted;
      }
    },
    async size() {
      // The count is an index-only scan of preflight_reports_by_age once vacuumed; the size takes in indexes and TOAST.
      const { rows } = await query<{ reports: string; bytes: string }>(
        'reading its size',
        "SELECT (SELECT count(*) FROM preflight_reports) AS reports, pg_total_relation_size('preflight_reports') AS bytes",
        [],
      );
      return { reports: Number(rows[0]!.reports), bytes: Number(rows[0]!.bytes) };
    },
    async close() {
      // Bounded too: a frozen server would never acknowledge the goodbye, and the shutdown waits on this.
      await within(timeoutMs, 'closing', pool.end()).catch(() => {});
    },
  };
}
