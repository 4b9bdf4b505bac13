// Report history: every report the service answers, kept for support to find again.
// The store is an interface, injected through buildApp's options; server.ts picks the
// implementation from the configuration (SQLite in a file, or nothing kept).
import { createHash } from 'node:crypto';
import type { OverallStatus, PreflightReport } from '../preflight/types.js';

/** The connection a report is about, as the report states it (nothing secret: the key id is masked). */
export type ReportConnection = Pick<PreflightReport['connection'], 'accountId' | 'region' | 'credentialType' | 'roleArn' | 'accessKeyId'>;

/** What is kept of one run besides the report itself. */
export interface RunSummary {
  id: string;
  startedAt: string;
  status: OverallStatus;
  durationMs: number;
  /** The API key that asked for it, as a label (a digest prefix), never the key; absent with authentication off. */
  apiKeyLabel?: string;
  fingerprint: string;
}

export interface StoredReport {
  summary: RunSummary;
  /** The report as served: the JSON the response schema let through. */
  report: PreflightReport;
}

export interface RunsPage {
  runs: RunSummary[];
  /** Pass as `cursor` for the next (older) page; absent on the last one. */
  next?: string;
}

/** How much the store holds: what the size gauges of GET /metrics show. */
export interface StoreSize {
  /** Rows held, expired ones included until the retention sweep deletes them. */
  reports: number;
  /** What the database says it takes; space freed by expiry is reused, not given back. */
  bytes: number;
}

export interface ReportStore {
  /** `reportJson` is the report as served (already through the response schema's allow-list). */
  save(reportJson: string, meta: { apiKeyLabel?: string }): Promise<RunSummary>;
  get(id: string): Promise<StoredReport | undefined>;
  /** A connection's runs, newest first. */
  runs(fingerprint: string, page: { limit: number; cursor?: string }): Promise<RunsPage>;
  /** Deletes the reports older than the retention; answers how many. */
  deleteExpired(): Promise<number>;
  /** Read at each scrape of GET /metrics: a count over the smallest index and the database's own size figure, no scan of the reports. */
  size(): Promise<StoreSize>;
  /** The watch's schedule, shared by every replica of the store (both stores have it; a test's stand-in may not). */
  watchLedger?: WatchLedger;
  close(): Promise<void>;
}

/** A watched connection's place in the schedule, as every replica sees it. */
export interface WatchRecord {
  label: string;
  /** When it is due: the replica that claims it first, at or after this time, runs it. */
  nextRunAtMs: number;
  /** While a replica runs it: until when that replica holds it. A replica that died mid-run holds it no longer than this. */
  leaseUntilMs?: number;
  lastRun?: WatchedRun;
}

/** A watched run as the ledger keeps it: its report's id, start and overall status. */
export interface WatchedRun {
  id: string;
  atMs: number;
  status: OverallStatus;
}

/**
 * The watch's schedule in the report store: one row per watched connection, so that with several
 * replicas on one database each connection runs once per interval, by whichever replica claims
 * it. A claim is a lease: a replica that dies mid-run blocks the next one only until it ends.
 */
export interface WatchLedger {
  /**
   * Each connection's record: a new one due at `firstRunAtMs`; one already there (another replica's,
   * or from before a restart) kept, but due no later than `latestRunAtMs` (an interval shortened in
   * the file takes effect at once).
   */
  enroll(entries: ReadonlyArray<{ label: string; firstRunAtMs: number; latestRunAtMs: number }>): Promise<WatchRecord[]>;
  /** Takes the connection's run if it is due and nobody holds it: one replica gets `claimed: true`. */
  claim(label: string, holder: string, nowMs: number, leaseUntilMs: number): Promise<{ claimed: boolean; record: WatchRecord | undefined }>;
  /** Ends `holder`'s lease: the next run's time and, when it stored a report, this run. False when the lease was no longer its own. */
  complete(label: string, holder: string, nextRunAtMs: number, lastRun?: WatchedRun): Promise<boolean>;
  /** Ends `holder`'s lease with the schedule as it was (a run stopped by a shutdown): another replica runs it as soon as it is due. */
  release(label: string, holder: string): Promise<void>;
  list(labels: readonly string[]): Promise<WatchRecord[]>;
}

/** The columns of a watch record, the same in every store. */
export const WATCH_COLUMNS = 'label, next_run_at_ms, lease_until_ms, last_run_id, last_run_at_ms, last_status';

/** A row of WATCH_COLUMNS; PostgreSQL answers a BIGINT as a string. */
export interface WatchRow {
  label: string;
  next_run_at_ms: number | string;
  lease_until_ms: number | string | null;
  last_run_id: string | null;
  last_run_at_ms: number | string | null;
  last_status: string | null;
}

export function watchRecordOf(row: WatchRow): WatchRecord {
  return {
    label: row.label,
    nextRunAtMs: Number(row.next_run_at_ms),
    ...(row.lease_until_ms === null ? {} : { leaseUntilMs: Number(row.lease_until_ms) }),
    ...(row.last_run_id === null ? {} : { lastRun: { id: row.last_run_id, atMs: Number(row.last_run_at_ms), status: row.last_status as OverallStatus } }),
  };
}

/** Why the store could not be opened or used, said for an operator. */
export class StoreError extends Error {
  override name = 'StoreError';
}

/** The store did not answer within its bound (PREFLIGHT_REPORT_STORE_TIMEOUT_MS): frozen, overloaded or locked. */
export class StoreTimeoutError extends StoreError {
  override name = 'StoreTimeoutError';
}

/** A `cursor` this service never gave (a time beyond what a report can have): the caller's mistake, not the store's. */
export class InvalidCursorError extends StoreError {
  override name = 'InvalidCursorError';
}

/** How long a statement may take by default before the store gives up on it (PREFLIGHT_REPORT_STORE_TIMEOUT_MS). */
export const DEFAULT_STORE_TIMEOUT_MS = 1000;

/**
 * `work`, or a StoreTimeoutError once `timeoutMs` have passed: whatever the database does, the
 * caller (a run waiting to answer, a scrape of GET /metrics) gets an answer in time. The work
 * itself is ended by the store's own means (a query timeout, a busy retry's deadline).
 */
export function within<T>(timeoutMs: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreTimeoutError(`the report store did not answer within ${timeoutMs} ms (${what})`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A page's cursor, `<started_at_ms>.<id>`, as both stores read it; a time no report can have is refused. */
export function parseCursor(cursor: string): { startedAtMs: number; id: string } {
  const match = /^(\d+)\.([A-Za-z0-9-]+)$/.exec(cursor);
  const startedAtMs = Number(match?.[1]);
  // Beyond 2^53 a millisecond time is not a time: PostgreSQL's BIGINT would refuse it, SQLite would round it.
  if (!match || !Number.isSafeInteger(startedAtMs)) throw new InvalidCursorError('not a cursor of this service: pass the `next` of the previous page');
  return { startedAtMs, id: match[2]! };
}

/**
 * The connection's fingerprint: a digest of account, region, credential type and the role ARN or
 * the masked access key id. The same connection gives the same fingerprint from run to run; it
 * stands in URLs (`/connections/{fingerprint}/runs`) and carries nothing secret.
 */
export function connectionFingerprint(connection: ReportConnection): string {
  const principal = connection.credentialType === 'role' ? (connection.roleArn ?? '') : connection.credentialType === 'accessKey' ? (connection.accessKeyId ?? '') : '';
  const parts = [connection.accountId, connection.region, connection.credentialType, principal];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 24);
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The columns a run's summary is read from, the same in every store. */
export const SUMMARY_COLUMNS = 'id, started_at_ms, status, duration_ms, api_key_label, fingerprint';

/**
 * A report's row, the same columns in every store (their CREATE TABLE differ only in types: the
 * migrations, being history, say them each in its own SQL), in the order of reportRow's values.
 */
export const REPORT_COLUMNS = ['id', 'started_at_ms', 'stored_at_ms', 'status', 'duration_ms', 'api_key_label', 'fingerprint', 'account_id', 'region', 'credential_type', 'principal', 'report'] as const;

/** A report to save, as its row's values in REPORT_COLUMNS' order, and the summary it is answered with. */
export function reportRow(reportJson: string, meta: { apiKeyLabel?: string }, storedAtMs: number): { values: unknown[]; summary: RunSummary } {
  const report = JSON.parse(reportJson) as PreflightReport;
  const { connection } = report;
  const fingerprint = connectionFingerprint(connection);
  const principal = connection.credentialType === 'role' ? connection.roleArn : connection.accessKeyId;
  const startedAtMs = Date.parse(report.startedAt);
  const row = {
    id: report.id,
    started_at_ms: startedAtMs,
    stored_at_ms: storedAtMs,
    status: report.status,
    duration_ms: report.durationMs,
    api_key_label: meta.apiKeyLabel ?? null,
    fingerprint,
    account_id: connection.accountId,
    region: connection.region,
    credential_type: connection.credentialType,
    principal: principal ?? null,
    report: reportJson,
  } satisfies Record<(typeof REPORT_COLUMNS)[number], unknown>;
  return { values: REPORT_COLUMNS.map((column) => row[column]), summary: summaryOf(row) };
}

/** A row of SUMMARY_COLUMNS; PostgreSQL answers a BIGINT as a string. */
export interface SummaryRow {
  id: string;
  started_at_ms: number | string;
  status: string;
  duration_ms: number;
  api_key_label: string | null;
  fingerprint: string;
}

export function summaryOf(row: SummaryRow): RunSummary {
  return {
    id: row.id,
    startedAt: new Date(Number(row.started_at_ms)).toISOString(),
    status: row.status as RunSummary['status'],
    durationMs: row.duration_ms,
    ...(row.api_key_label ? { apiKeyLabel: row.api_key_label } : {}),
    fingerprint: row.fingerprint,
  };
}
