// What a probe is written against: the engine's probe contract (src/preflight/probe.ts, where
// `after` (ordering only), `needs` (must have passed) and `skipWhen` (why to skip) are documented)
// with ids typed from the registry, and the run's facts (src/preflight/facts.ts).
import type { ProbeDefinition } from '../preflight/probe.js';
import type { ProbeId } from './registry.js';

/** A probe of the registry: `after: ['glue-tabels']` fails the type check. */
export type Probe = ProbeDefinition<ProbeId>;

export type { ProbeId };
export type { RunFacts } from '../preflight/facts.js';
export { type ProbeContext, type ProbeDefinition, ProbeCallError, ProbeSkip, isCategory } from '../preflight/probe.js';
