// What a run proved, as the verdict and the fix read it: the evidence per action and probe, the
// strongest of it for a capability, and the actions that are core for this connection. Shared by
// verdict.ts (the decision) and fix.ts (what lifts it), below both.
import type { AwsAction } from '../catalogue/actions.js';
import type { CapabilityDefinition, CapabilityId } from '../catalogue/capabilities.js';
import type { ResolvedConnection } from './connection.js';
import type { RunFacts } from './facts.js';
import type { ProbeDefinition } from './probe.js';
import type { ActionResult, CapabilityStatus, Finding, ProbeReport, Reason, SkipReason } from './types.js';

export interface Evidence {
  connection: ResolvedConnection;
  facts: RunFacts;
  /** The strongest evidence per action, whichever probe gave it. */
  actions: ReadonlyMap<string, ActionResult>;
  /** The strongest evidence per action of each probe: a capability is judged by its own probes only. */
  actionsByProbe: ReadonlyMap<string, ReadonlyMap<string, ActionResult>>;
  probes: ReadonlyMap<string, ProbeReport>;
  /** Probe that a prerequisite-failed skip traces back to. */
  skipCauses: ReadonlyMap<string, string>;
  findings: readonly Finding[];
  registry: readonly ProbeDefinition[];
}

const STATE_RANK: Record<ActionResult['state'], number> = { untested: 0, granted: 2, error: 3, failed: 4 };
/**
 * How strong a piece of evidence is: failed > error > granted > untested. A refusal relayed by
 * another service concerns other resources (Athena asks Glue about every database), so a direct
 * grant outranks it.
 */
export const evidenceRank = (result: ActionResult): number => ('relayed' in result && result.relayed ? 1 : STATE_RANK[result.state]);

/**
 * The strongest evidence for an action among the probes that inform this capability. Another
 * feature's call of the same action on other resources (the table data's bucket, not the results
 * bucket) says nothing about this one.
 */
export function evidenceFor(evidence: Evidence, id: CapabilityId, action: AwsAction): ActionResult {
  let best: ActionResult | undefined;
  for (const probe of evidence.registry) {
    if (!probe.informs.includes(id)) continue;
    const result = evidence.actionsByProbe.get(probe.id)?.get(action);
    if (result && (!best || evidenceRank(result) > evidenceRank(best))) best = result;
  }
  return best ?? { state: 'untested', why: 'no probe exercised it' };
}

export function coreActionsOf(definition: CapabilityDefinition, { connection, facts }: Pick<Evidence, 'connection' | 'facts'>): readonly AwsAction[] {
  return [
    ...(connection.credentialType === 'role' ? (definition.roleModeCore ?? []) : []),
    ...definition.core,
    ...(connection.catalogName ? (definition.namedCatalogCore ?? []) : []),
    ...(writesWithAcl(facts) ? (definition.aclWriteCore ?? []) : []),
    ...(facts.workgroup?.encryption?.option === 'CSE_KMS' && !facts.workgroup.managedResults ? (definition.clientSideKeyCore ?? []) : []),
  ];
}

/** Athena sends a canned ACL with every result write when the workgroup says so (its AclConfiguration). */
const writesWithAcl = (facts: RunFacts) => facts.workgroup?.acl === 'BUCKET_OWNER_FULL_CONTROL' && !facts.workgroup.managedResults;

/** What decides a capability's status: its core and extended actions' evidence and its reasons. */
export interface Decision {
  status: CapabilityStatus;
  skipReason?: SkipReason;
  reasons: Reason[];
  /** The words of an early decision (not requested, not applicable, not provable). */
  why?: string;
}

/** Adds a reason unless the same probe, action and code is already given. */
export function addReason(reasons: Reason[], reason: Reason): void {
  if (!reasons.some((r) => r.probe === reason.probe && r.action === reason.action && r.code === reason.code)) reasons.push(reason);
}
