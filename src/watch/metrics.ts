// The watch in GET /metrics: each watched connection's capabilities by status, when it last ran,
// and notifications that could not be delivered. Labels are the watch file's labels and capability
// ids: the operator's words and the catalogue's, never anything a caller sends. Every replica
// shows the latest run of every connection (its own, or one it read from the ledger), so an alert
// can take the max over replicas.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { PreflightReport } from '../preflight/types.js';
import { CAPABILITY_RANK } from '../store/diff.js';

export interface WatchMetrics {
  /** The statuses of a connection's latest report, and when it ran. */
  record(label: string, report: Pick<PreflightReport, 'startedAt' | 'capabilities'>): void;
  notificationFailed(label: string): void;
}

export function createWatchMetrics(registry: Registry, labels: readonly string[]): WatchMetrics {
  const status = new Gauge({
    name: 'preflight_watch_capability_status',
    help: "A watched connection's capabilities in its latest run: ok=0, degraded=1, unknown=2, unavailable=3 (a skipped capability has no series)",
    labelNames: ['connection', 'capability'],
    registers: [registry],
  });
  const lastRun = new Gauge({
    name: 'preflight_watch_last_run_timestamp_seconds',
    help: "When a watched connection's latest run started (Unix time)",
    labelNames: ['connection'],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'preflight_watch_notification_failures_total',
    help: 'Notifications about a watched connection given up after every retry (the webhook refused them or could not be reached)',
    labelNames: ['connection'],
    registers: [registry],
  });
  // Zero from the start, so that increase() sees the first failure.
  for (const connection of labels) failures.inc({ connection }, 0);
  const shown = new Map<string, Set<string>>();
  return {
    record(connection, report) {
      for (const capability of shown.get(connection) ?? []) status.remove({ connection, capability });
      const now = new Set<string>();
      for (const capability of report.capabilities) {
        const rank = CAPABILITY_RANK[capability.status];
        if (rank === undefined) continue;
        status.set({ connection, capability: capability.id }, rank);
        now.add(capability.id);
      }
      shown.set(connection, now);
      lastRun.set({ connection }, Date.parse(report.startedAt) / 1000);
    },
    notificationFailed(connection) {
      failures.inc({ connection });
    },
  };
}
