// What a probe is written against: the engine's probe contract (src/preflight/probe.ts, where
// `after` (ordering only), `needs` (must have passed) and `skipWhen` (why to skip) are documented)
// with ids typed from the probe index, the run's facts (src/preflight/facts.ts), and the probe's
// part in the catalogue, which `npm run generate` gathers into src/catalogue/probe-index.ts.
import type { AwsAction } from '../catalogue/actions.js';
import type { CapabilityRoles } from '../catalogue/capabilities.js';
import type { ProbeId } from '../catalogue/probe-index.js';
import type { ResourceRule } from '../catalogue/resources.js';
import type { ProbeDefinition } from '../preflight/probe.js';

/** A probe of the registry: `after: ['glue-tabels']` fails the type check. */
export interface Probe extends ProbeDefinition<ProbeId> {
  /**
   * What IAM authorises each action on, by a rule of src/catalogue/resources.ts: every action it
   * calls or gives a role (`{ 'glue:GetTables': 'tables' }`). Remediation policies grant from it.
   */
  resources: { readonly [A in AwsAction]?: ResourceRule };
  /**
   * Its part in the capabilities' verdicts: for each capability, its actions by role. Core: any
   * refused makes the capability unavailable; extended: degraded; the conditional cores
   * (roleModeCore, namedCatalogCore, aclWriteCore, clientSideKeyCore) are core only then;
   * pathProofs prove Athena's own path; checkedWith is what the preflight alone calls to check it.
   */
  roles?: CapabilityRoles;
}

export type { ProbeId };
export type { RunFacts } from '../preflight/facts.js';
export { type ProbeContext, type ProbeDefinition, ProbeCallError, ProbeSkip, isCategory } from '../preflight/probe.js';
