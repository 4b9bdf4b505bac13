// The store for several replicas: PostgreSQL (PREFLIGHT_DATABASE_URL), every replica seeing every
// report. `pg` is imported when a store is opened; migrations run at start, one replica at a time
// (an advisory lock), each once (preflight_schema_migrations).
import type { Pool } from 'pg';
import type { PreflightReport } from '../preflight/types.js';
import { DAY_MS, type ReportStore, type RunsPage, SUMMARY_COLUMNS, type StoredReport, StoreError, type SummaryRow, connectionFingerprint, summaryOf } from './types.js';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  retentionDays: number;
  /** The clock retention is measured by (tests move it). */
  now?: () => number;
}

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
  const { default: pg } = await import('pg');
  const pool: Pool = new pg.Pool({ connectionString: options.url, max: 4, connectionTimeoutMillis: 5000 });
  // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query('CREATE TABLE IF NOT EXISTS preflight_schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
      const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM preflight_schema_migrations');
      const version = rows[0]?.version ?? 0;
      if (version > MIGRATIONS.length) throw new Error(`its schema is version ${version}, newer than this service knows (${MIGRATIONS.length})`);
      for (let next = version; next < MIGRATIONS.length; next++) {
        await client.query(MIGRATIONS[next]!);
        await client.query('INSERT INTO preflight_schema_migrations (version) VALUES ($1)', [next + 1]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => {});
    throw new StoreError(`cannot use the report database ${displayUrl(options.url)}: ${(error as Error).message}`);
  }

  const cutoff = () => now() - retentionMs;

  return {
    async save(reportJson, meta) {
      const report = JSON.parse(reportJson) as PreflightReport;
      const { connection } = report;
      const fingerprint = connectionFingerprint(connection);
      const principal = connection.credentialType === 'role' ? connection.roleArn : connection.accessKeyId;
      const startedAtMs = Date.parse(report.startedAt);
      await pool.query(
        `INSERT INTO preflight_reports (id, started_at_ms, stored_at_ms, status, duration_ms, api_key_label, fingerprint, account_id, region, credential_type, principal, report)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (id) DO UPDATE SET stored_at_ms = EXCLUDED.stored_at_ms, report = EXCLUDED.report`,
        [report.id, startedAtMs, now(), report.status, report.durationMs, meta.apiKeyLabel ?? null, fingerprint, connection.accountId, connection.region, connection.credentialType, principal ?? null, reportJson],
      );
      return summaryOf({ id: report.id, started_at_ms: String(startedAtMs), status: report.status, duration_ms: report.durationMs, api_key_label: meta.apiKeyLabel ?? null, fingerprint });
    },
    async get(id): Promise<StoredReport | undefined> {
      const { rows } = await pool.query<Row>(`SELECT ${SUMMARY_COLUMNS}, report FROM preflight_reports WHERE id = $1 AND stored_at_ms >= $2`, [id, cutoff()]);
      const row = rows[0];
      return row && { summary: summaryOf(row), report: row.report! };
    },
    async runs(fingerprint, { limit, cursor }): Promise<RunsPage> {
      let rows: Row[];
      if (cursor) {
        const match = /^(\d+)\.([A-Za-z0-9-]+)$/.exec(cursor);
        if (!match) throw new StoreError('invalid cursor');
        ({ rows } = await pool.query<Row>(
          `SELECT ${SUMMARY_COLUMNS} FROM preflight_reports WHERE fingerprint = $1 AND stored_at_ms >= $2 AND (started_at_ms, id) < ($3, $4) ORDER BY started_at_ms DESC, id DESC LIMIT $5`,
          [fingerprint, cutoff(), match[1], match[2], limit + 1],
        ));
      } else {
        ({ rows } = await pool.query<Row>(`SELECT ${SUMMARY_COLUMNS} FROM preflight_reports WHERE fingerprint = $1 AND stored_at_ms >= $2 ORDER BY started_at_ms DESC, id DESC LIMIT $3`, [fingerprint, cutoff(), limit + 1]));
      }
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { runs: page.map(summaryOf), ...(rows.length > limit && last ? { next: `${last.started_at_ms}.${last.id}` } : {}) };
    },
    async deleteExpired() {
      const result = await pool.query('DELETE FROM preflight_reports WHERE stored_at_ms < $1', [cutoff()]);
      return result.rowCount ?? 0;
    },
    async size() {
      // The count is an index-only scan of preflight_reports_by_age once vacuumed; the size takes in indexes and TOAST.
      const { rows } = await pool.query<{ reports: string; bytes: string }>(
        "SELECT (SELECT count(*) FROM preflight_reports) AS reports, pg_total_relation_size('preflight_reports') AS bytes",
      );
      return { reports: Number(rows[0]!.reports), bytes: Number(rows[0]!.bytes) };
    },
    async close() {
      await pool.end().catch(() => {});
    },
  };
}
