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
  };
}
