// Prometheus metrics, one registry per app (tests build many apps). Labels are probe ids,
// outcomes and categories: nothing a caller sends ever becomes a label.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CallSlots } from '../preflight/call-slots.js';
import type { ReportStore, StoreSize } from '../store/types.js';

export interface Metrics {
  registry: Registry;
  runDuration: Histogram<'status'>;
  probeOutcomes: Counter<'probe' | 'outcome' | 'category'>;
  runsInFlight: Gauge;
  rejectedRuns: Counter<'reason'>;
  reportWrites: Histogram<'outcome'>;
}

export function createMetrics(callSlots?: CallSlots, store?: Pick<ReportStore, 'size'>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  if (callSlots) {
    // Calls waiting for a slot mean the service, not AWS, is the bottleneck: scale out or raise the cap.
    new Gauge({ name: 'preflight_aws_calls_in_flight', help: 'AWS calls in flight across all runs', registers: [registry], collect() { this.set(callSlots.inFlight); } });
    new Gauge({ name: 'preflight_aws_calls_waiting', help: 'AWS calls waiting for a slot under PREFLIGHT_MAX_CONCURRENT_CALLS', registers: [registry], collect() { this.set(callSlots.waiting); } });
  }
  if (store) {
    // Read at scrape time, one query for both gauges, within the store's timeout; NaN when the
    // store cannot tell (down, frozen, locked): the scrape answers whatever the store does.
    let reading: Promise<StoreSize | undefined> | undefined;
    const size = () => (reading ??= store.size().catch(() => undefined).finally(() => (reading = undefined)));
    new Gauge({
      name: 'preflight_report_store_reports',
      help: 'Reports held in the report store (expired ones until the retention sweep deletes them)',
      registers: [registry],
      async collect() { this.set((await size())?.reports ?? Number.NaN); },
    });
    new Gauge({
      name: 'preflight_report_store_bytes',
      help: 'Bytes the report store takes: the SQLite file (page_count * page_size), or the PostgreSQL table with its indexes and TOAST (pg_total_relation_size)',
      registers: [registry],
      async collect() { this.set((await size())?.bytes ?? Number.NaN); },
    });
  }
  return {
    registry,
    runDuration: new Histogram({
      name: 'preflight_run_duration_seconds',
      help: 'Wall time of a preflight run, by overall status',
      labelNames: ['status'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 60],
      registers: [registry],
    }),
    probeOutcomes: new Counter({
      name: 'preflight_probe_outcomes_total',
      help: 'Finished probes by probe, outcome and error category',
      labelNames: ['probe', 'outcome', 'category'],
      registers: [registry],
    }),
    runsInFlight: new Gauge({ name: 'preflight_runs_in_flight', help: 'Preflight runs in progress', registers: [registry] }),
    rejectedRuns: new Counter({
      name: 'preflight_runs_rejected_total',
      help: 'Requests refused before a run: unauthorized, invalid, busy, rate-limited',
      labelNames: ['reason'],
      registers: [registry],
    }),
    reportWrites: new Histogram({
      name: 'preflight_report_store_write_seconds',
      help: 'Reports written to the report store, by outcome (ok; failed, or timeout: no answer within PREFLIGHT_REPORT_STORE_TIMEOUT_MS; either is logged, that report is not kept and is answered all the same)',
      labelNames: ['outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5],
      registers: [registry],
    }),
  };
}
