// One watched run, as POST /preflight makes one: the request validated as the route validates it,
// runPreflight, the report through the response schema's allow-list and into the store. Then what
// changed since the connection's previous watched run, and the notifications about it.
import type { Metrics } from '../http/metrics.js';
import { type EngineDependencies, PreflightRefused, runPreflight } from '../preflight/engine.js';
import { validatePreflightRequest } from '../preflight/request.js';
import type { PreflightReport } from '../preflight/types.js';
import { type ReportStore, StoreTimeoutError, type WatchedRun } from '../store/types.js';
import { type WatchedConnection, watchedRequest } from './file.js';
import type { WatchMetrics } from './metrics.js';
import { type Delivery, type WatchNotification, notificationsOf } from './notify.js';
import type { CheckOutcome, WatchLog } from './scheduler.js';

export interface WatchRunDependencies {
  engine: EngineDependencies;
  store: ReportStore;
  /** The report as served: POST /preflight's response schema, its allow-list. */
  serialize(report: PreflightReport): string;
  metrics: Metrics;
  watchMetrics: WatchMetrics;
  /** The webhook; without one, notifications go to the log only. */
  send?(notification: WatchNotification, signal?: AbortSignal): Promise<Delivery>;
  publicUrl?: string;
  log: WatchLog;
}

/** The store's label of a watched run, where an API run has its key's: the connection's label. */
export const watchRunLabel = (label: string) => `watch:${label}`;

const errorOf = (error: unknown) => ({ type: (error as Error).name, message: (error as Error).message });

export function watchedRun(deps: WatchRunDependencies) {
  const { store, log } = deps;

  /** A stored report's statuses in the metrics: a run another replica made, or one from before a restart. */
  async function observe(connection: WatchedConnection, run: WatchedRun): Promise<void> {
    try {
      const found = await store.get(run.id);
      if (found) deps.watchMetrics.record(connection.label, found.report);
    } catch (error) {
      log.warn({ connection: connection.label, err: errorOf(error) }, 'watch: could not read the latest run for the metrics');
    }
  }

  async function check(connection: WatchedConnection, previous: WatchedRun | undefined, signal: AbortSignal): Promise<CheckOutcome> {
    const { label } = connection;
    let externalId;
    try {
      externalId = await connection.externalId();
    } catch (error) {
      // Our own words (a path and a reason), never the file's text.
      log.error({ connection: label, err: errorOf(error) }, `watch: no external ID from the ${connection.externalIdSource}; the run is skipped this interval`);
      return {};
    }
    const validation = validatePreflightRequest(watchedRequest(connection, externalId));
    if (!validation.ok) {
      log.error({ connection: label, issues: validation.issues }, `watch: the connection is not valid (the external ID in the ${connection.externalIdSource}?); the run is skipped this interval`);
      return {};
    }
    let report: PreflightReport;
    deps.metrics.runsInFlight.inc();
    try {
      report = await runPreflight(validation.request, deps.engine, { signal, requestId: watchRunLabel(label) });
    } catch (error) {
      if (!(error instanceof PreflightRefused)) throw error;
      log.error({ connection: label, issues: error.issues }, 'watch: the service refused the run');
      return {};
    } finally {
      deps.metrics.runsInFlight.dec();
    }
    // Stopped by a shutdown: what it has is not what the connection is.
    if (signal.aborted) return { stopped: true };
    const served = deps.serialize(report);
    const current = JSON.parse(served) as PreflightReport;
    deps.watchMetrics.record(label, current);
    log.info({ connection: label, runId: current.id, status: current.status }, 'watch: checked');

    let stored = false;
    const stopTimer = deps.metrics.reportWrites.startTimer();
    try {
      await store.save(served, { apiKeyLabel: watchRunLabel(label) });
      stopTimer({ outcome: 'ok' });
      stored = true;
    } catch (error) {
      stopTimer({ outcome: error instanceof StoreTimeoutError ? 'timeout' : 'failed' });
      log.error({ connection: label, runId: current.id, err: errorOf(error) }, 'watch: could not store the report; the next run is compared with the last one stored');
    }

    let before: PreflightReport | undefined;
    if (previous) {
      try {
        before = (await store.get(previous.id))?.report;
        if (!before) log.warn({ connection: label, previousRunId: previous.id }, 'watch: the previous run is no longer stored (past the retention?): nothing to compare with');
      } catch (error) {
        log.error({ connection: label, err: errorOf(error) }, 'watch: could not read the previous run: nothing to compare with this time');
      }
    }
    const notifications = before ? notificationsOf(label, before, current, { publicUrl: deps.publicUrl }) : [];
    return {
      ...(stored ? { run: { id: current.id, atMs: Date.parse(current.startedAt), status: current.status } } : {}),
      async notify(stopping) {
        for (const notification of notifications) {
          const summary = { connection: label, event: notification.event, runId: current.id, capabilities: notification.capabilities.map((c) => `${c.id}: ${c.from} -> ${c.to}`) };
          if (!deps.send) {
            log.warn(summary, `watch: ${label} ${notification.event === 'worse' ? 'got worse' : 'recovered'} (no PREFLIGHT_WATCH_WEBHOOK to tell)`);
            continue;
          }
          const delivery = await deps.send(notification, stopping);
          if (delivery.delivered) log.info({ ...summary, attempts: delivery.attempts }, 'watch: notified');
          else {
            deps.watchMetrics.notificationFailed(label);
            log.error({ ...summary, attempts: delivery.attempts, problem: delivery.lastProblem }, 'watch: could not notify the webhook');
          }
        }
      },
    };
  }

  return { check, observe };
}
