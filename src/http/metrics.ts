// Prometheus metrics, one registry per app (tests build many apps). Labels are probe ids,
// outcomes and categories: nothing a caller sends ever becomes a label.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CallSlots } from '../preflight/call-slots.js';

export interface Metrics {
  registry: Registry;
  runDuration: Histogram<'status'>;
  probeOutcomes: Counter<'probe' | 'outcome' | 'category'>;
  runsInFlight: Gauge;
  rejectedRuns: Counter<'reason'>;
  reportWrites: Histogram<'outcome'>;
}

export function createMetrics(callSlots?: CallSlots): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  if (callSlots) {
    // Calls waiting for a slot mean the service, not AWS, is the bottleneck: scale out or raise the cap.
    new Gauge({ name: 'preflight_aws_calls_in_flight', help: 'AWS calls in flight across all runs', registers: [registry], collect() { this.set(callSlots.inFlight); } });
    new Gauge({ name: 'preflight_aws_calls_waiting', help: 'AWS calls waiting for a slot under PREFLIGHT_MAX_CONCURRENT_CALLS', registers: [registry], collect() { this.set(callSlots.waiting); } });
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
      help: 'Reports written to the report store, by outcome (ok, failed: logged, and the report answered all the same)',
      labelNames: ['outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5],
      registers: [registry],
    }),
  };
}
