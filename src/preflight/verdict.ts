// From what the probes proved to what each capability can do: the one rule for a capability's
// status (decideStatus), and the report's verdict of it with what fixes it (fix.ts). Pure: the same
// evidence always gives the same verdict, and an action nobody exercised is never counted as
// granted. No sentence a customer reads is written here: the catalogue words them.
import type { AwsAction } from '../catalogue/actions.js';
import type { ApplicabilityFact, CapabilityDefinition, CapabilityId } from '../catalogue/capabilities.js';
import { ATHENA_PATH_OF, QUERY_PATH_CAPABILITIES, athenaUnprovenMessage } from '../catalogue/athena-path.js';
import { EARLY_WORDS } from '../catalogue/fixes.js';
import { isAnswer } from './classify.js';
import { type Decision, type Evidence, addReason, coreActionsOf, evidenceFor } from './evidence.js';
import { resultsKmsKeys } from './facts.js';
import { remediationFor } from './fix.js';
import type { ActionResult, CapabilityReport, CapabilityStatus, Finding, OverallStatus, ProbeReport, Reason, SkipReason } from './types.js';

export { type Decision, type Evidence, evidenceRank } from './evidence.js';

const FAILED_OUTCOMES = new Set(['fail', 'error']);

/** Whether each fact a capability's applicability names holds for this account. */
const FACTS: Record<ApplicabilityFact, (evidence: Evidence) => boolean> = {
  'results-kms-key': (evidence) =>
    resultsKmsKeys(evidence).length > 0 ||
    // A key seen at work (S3 relaying a refusal, a marker written under a key) counts, even where no setting named it.
    evidence.registry.some(
      (probe) => probe.informs.includes('encryption') && [...(evidence.actionsByProbe.get(probe.id) ?? [])].some(([action, result]) => action.startsWith('kms:') && result.state !== 'untested'),
    ),
  'listing-visible': (evidence) =>
    !evidence.findings.some((f) => f.code === 'LAKE_FORMATION_EMPTY_LISTING') &&
    // Lake Formation refusing a name it hides (a governed database) hides what lake-formation would judge.
    ![...evidence.probes.values()].some((probe) => probe.error?.deniedBy?.policyType === 'lake-formation' && probe.service === 'glue'),
  'governed-table-sampled': (evidence) => evidence.facts.tables?.some((table) => table.governed) ?? false,
  'query-allowed': (evidence) => evidence.connection.runQuery,
};

type Early = { status: 'skipped'; skipReason: SkipReason; why: string } | { status: 'unknown'; why: string };

/** Where a capability was not asked for, cannot be reached, or does not apply, before any evidence. */
function applicability(definition: CapabilityDefinition, evidence: Evidence): Early | undefined {
  if (!evidence.connection.requested.has(definition.id)) return { status: 'skipped', skipReason: 'not-requested', why: EARLY_WORDS.notRequested };
  if (definition.id !== 'connection' && !probeSucceeded(evidence, 'sts-caller-identity')) {
    return { status: 'skipped', skipReason: 'prerequisite-failed', why: EARLY_WORDS.connectionFailed };
  }
  const rule = definition.applicability?.find((candidate) => !FACTS[candidate.unless](evidence));
  return rule ? { ...rule.then, why: rule.why } : undefined;
}

function probeSucceeded(evidence: Evidence, id: string): boolean {
  return evidence.probes.get(id)?.outcome === 'pass';
}

function reasonFor(action: string, result: ActionResult): Reason | undefined {
  if (result.state !== 'failed' && result.state !== 'error') return undefined;
  const { error } = result;
  return {
    probe: result.probe,
    action,
    code: error.code,
    category: error.category,
    message: error.message,
    ...(error.deniedBy ? { deniedBy: error.deniedBy } : {}),
    ...(error.requestId ? { requestId: error.requestId } : {}),
  };
}

/** The probe whose failure made `probeId` skip, following prerequisite chains to the root. */
function rootCause(evidence: Evidence, probeId: string | undefined): ProbeReport | undefined {
  let current = probeId;
  for (let depth = 0; current && depth < 50; depth++) {
    const report = evidence.probes.get(current);
    if (!report) return undefined;
    if (FAILED_OUTCOMES.has(report.outcome)) return report;
    current = evidence.skipCauses.get(current);
  }
  return undefined;
}

/**
 * The one rule for a capability's status. Before evidence: not requested, connection failed, or
 * its catalogue applicability. Then: a core action refused (or a core probe failing on an action
 * outside the entry) is unavailable; one that could not be told, unknown; one not exercised takes
 * the skip of the probe that would have, or the failure that stopped it; an extended action
 * refused is degraded; else ok. An empty listing is never ok and never a quiet skip.
 */
export function decideStatus(definition: CapabilityDefinition, evidence: Evidence): Decision {
  const early = applicability(definition, evidence);
  if (early) return { status: early.status, ...(early.status === 'skipped' ? { skipReason: early.skipReason } : {}), reasons: [], why: early.why };

  const core = coreActionsOf(definition, evidence);
  const allActions = [...core, ...definition.extended];
  const resultOf = (action: AwsAction): ActionResult => evidenceFor(evidence, definition.id, action);
  const reasons: Reason[] = [];
  for (const action of allActions) {
    const reason = reasonFor(action, resultOf(action));
    if (reason) addReason(reasons, reason);
  }
  // A probe that exercises this capability's core may fail on an action outside the entry (S3
  // relaying KMS's refusal, a query failing on its output location): that failure explains it too.
  // Supporting probes (lifecycle, encryption settings) never decide a verdict.
  for (const probe of evidence.registry) {
    if (!probe.informs.includes(definition.id) || !probe.actions.some((action) => core.includes(action))) continue;
    const error = evidence.probes.get(probe.id)?.error;
    if (error && !allActions.includes(error.action as AwsAction)) addReason(reasons, { probe: probe.id, ...error });
  }

  let status: CapabilityStatus;
  let skipReason: SkipReason | undefined;
  const coreStates = core.map((action) => resultOf(action).state);
  const coreReasons = reasons.filter((r) => core.includes(r.action as AwsAction) || !allActions.includes(r.action as AwsAction));
  if (coreStates.includes('failed') || coreReasons.some((r) => isAnswer(r.category))) {
    status = 'unavailable';
  } else if (coreStates.includes('error') || coreReasons.length > 0) {
    status = 'unknown';
  } else if (coreStates.includes('untested')) {
    // Not exercised: the skip of the probe that would have (a failed prerequisite is that failure).
    const untestedCore = core.filter((action) => resultOf(action).state === 'untested');
    const probeId = untestedCore.map((action) => resultOf(action).probe ?? evidence.registry.find((p) => p.informs.includes(definition.id) && p.actions.includes(action))?.id).find(Boolean);
    const probe = probeId ? evidence.probes.get(probeId) : undefined;
    const cause = probe?.skipReason === 'prerequisite-failed' ? rootCause(evidence, evidence.skipCauses.get(probe.id)) : undefined;
    if (cause?.error) {
      addReason(reasons, { probe: cause.id, ...cause.error });
      status = cause.outcome === 'fail' ? 'unavailable' : 'unknown';
    } else {
      status = 'skipped';
      skipReason = probe?.skipReason ?? 'no-sample';
    }
  } else if (definition.extended.some((action) => resultOf(action).state === 'failed')) {
    status = 'degraded';
  } else {
    status = 'ok';
  }

  // A query that failed on this capability's own path (its results, the table's data, the key)
  // speaks for it: what our calls proved is not what Athena meets, and the report holds one truth.
  const queryRefusal = queryFailureOn(definition, evidence);
  if (queryRefusal && (status === 'ok' || status === 'degraded' || status === 'skipped')) {
    addReason(reasons, queryRefusal);
    status = isAnswer(queryRefusal.category) ? 'unavailable' : 'unknown';
    skipReason = undefined;
  }
  if (status === 'ok' || status === 'degraded') {
    const unproven = unprovenPath(definition, evidence);
    if (unproven) addReason(reasons, unproven);
  }
  const emptiness = emptyListingOf(definition, evidence);
  if (emptiness && ((status === 'skipped' && skipReason === 'no-sample') || (status === 'ok' && emptiness.listedHere))) {
    const probe = evidence.registry.find((p) => p.id === emptiness.finding.probe);
    addReason(reasons, { probe: emptiness.finding.probe ?? 'glue-databases', action: probe?.actions[0] ?? 'glue:GetDatabases', code: emptiness.finding.code, category: 'not-found', message: emptiness.finding.message });
    const nothingVisible = emptiness.finding.code === 'NO_DATABASES_VISIBLE';
    return { status: nothingVisible && evidence.connection.required.has(definition.id) ? 'unavailable' : 'degraded', reasons };
  }
  return { status, ...(skipReason ? { skipReason } : {}), reasons };
}

/**
 * The failed query's reason, where it failed on this capability's path: results (and, with CSE_KMS
 * or SSE-KMS, the key Athena needed a data key from to write them), the table's data, a key.
 */
function queryFailureOn(definition: CapabilityDefinition, evidence: Evidence): Reason | undefined {
  const failure = evidence.facts.queryFailure;
  if (!failure) return undefined;
  const concerned = [...(QUERY_PATH_CAPABILITIES[failure.path] ?? []), ...(failure.path === 'kms' && failure.action === 'kms:GenerateDataKey' ? ['query-results' as const] : [])];
  if (!concerned.includes(definition.id)) return undefined;
  return {
    probe: 'athena-query',
    action: failure.action,
    code: failure.code,
    category: failure.category,
    message: failure.message,
    ...(failure.deniedBy ? { deniedBy: failure.deniedBy } : {}),
    ...(failure.requestId ? { requestId: failure.requestId } : {}),
  };
}

/**
 * Where our own calls proved a capability but the path AWS takes for the caller (Athena's) went
 * unproven: the proof's refusal, or the policy's undecided reading, as a reason that changes no
 * status. A query that went through proves the path by taking it.
 */
function unprovenPath(definition: CapabilityDefinition, evidence: Evidence): Reason | undefined {
  const kind = (ATHENA_PATH_OF as Partial<Record<CapabilityId, 'results' | 'data'>>)[definition.id];
  const path = kind ? evidence.facts.athenaPaths?.[kind] : undefined;
  if (!kind || !path?.unproven || evidence.facts.queryProvedAthenaPath?.[kind]) return undefined;
  const proof = definition.pathProofs?.[0];
  const result = proof ? evidenceFor(evidence, definition.id, proof) : undefined;
  return {
    probe: result?.probe ?? 'unknown',
    action: proof ?? 's3:GetBucketPolicy',
    code: path.unproven.code,
    category: result && (result.state === 'failed' || result.state === 'error') ? result.error.category : 'permission',
    message: athenaUnprovenMessage({ bucket: path.bucket, kind, why: path.unproven.why }),
  };
}

/** An empty listing's finding, and whether this capability is what the listing informs. */
function emptyListingOf(definition: CapabilityDefinition, evidence: Evidence): { finding: Finding; listedHere: boolean } | undefined {
  const finding = EMPTY_LISTINGS.map((code) => evidence.findings.find((f) => f.code === code)).find(Boolean);
  if (!finding) return undefined;
  // No database visible hides everything Glue would answer; no table, what the table listing informs.
  const listedHere = evidence.registry.some(
    (probe) => probe.informs.includes(definition.id) && (finding.code === 'NO_DATABASES_VISIBLE' ? probe.service === 'glue' : probe.id === finding.probe),
  );
  return { finding, listedHere };
}

export function capabilityVerdict(definition: CapabilityDefinition, evidence: Evidence): CapabilityReport {
  const decision = decideStatus(definition, evidence);
  const { status, skipReason, reasons } = decision;
  const { missingActions, untestedActions, remediation } = remediationFor(definition, evidence, decision);
  return {
    id: definition.id,
    title: definition.title,
    required: evidence.connection.required.has(definition.id),
    status,
    ...(skipReason ? { skipReason } : {}),
    ...(status !== 'ok' && status !== 'skipped' ? { impact: definition.impact } : {}),
    missingActions,
    untestedActions,
    reasons,
    ...(remediation ? { remediation } : {}),
  };
}

const EMPTY_LISTINGS = ['NO_DATABASES_VISIBLE', 'NO_TABLES_VISIBLE'] as const;

export function overallStatus(capabilities: readonly CapabilityReport[]): OverallStatus {
  const blocking = capabilities.some(
    (capability) => (capability.id === 'connection' || capability.required) && (capability.status === 'unavailable' || capability.status === 'unknown'),
  );
  if (blocking) return 'failed';
  const requestedNotOk = capabilities.some((capability) => capability.status !== 'ok' && capability.status !== 'skipped');
  return requestedNotOk ? 'degraded' : 'ok';
}
