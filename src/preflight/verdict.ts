// From what the probes proved to what each capability can do. Pure: the same evidence always
// gives the same verdict, and an action nobody exercised is never counted as granted.
import type { AwsAction } from '../catalogue/actions.js';
import { type ApplicabilityFact, type CapabilityDefinition, type CapabilityId, capabilityById } from '../catalogue/capabilities.js';
import {
  INVITATION_ARN_PLACEHOLDER,
  MERGED_POLICY_FILE,
  OTHER_ACCOUNT_WORDS,
  type OtherAccountFix,
  POLICY_HASH_PLACEHOLDER,
  type PolicyStatement,
  type ResourceScope,
  catalogResourcePolicy,
  liftableByIdentityPolicy,
  mergeStatements,
  remediationSummary,
  statementsFor,
} from '../catalogue/remediation.js';
import { LAKE_FORMATION_NEED_WORDS } from '../catalogue/query-failures.js';
import { type LakeFormationNeed, NO_SERVICE_IDENTITY, isAnswer, isCertificateError } from './classify.js';
import { type ResolvedConnection, parseS3Uri } from './connection.js';
import type { ActionResult, CapabilityReport, CapabilityStatus, Finding, OverallStatus, ProbeReport, Reason, SkipReason } from './types.js';
import { iamPrincipalOf } from '../catalogue/resources.js';
import {
  type Command,
  acceptResourceShareInvitation,
  getGlueResourcePolicy,
  lakeFormationGrant,
  pendingResourceShareInvitations,
  putGlueResourcePolicy,
  shellLines,
} from '../catalogue/commands.js';
import { ATHENA_PATH_OF, ATHENA_REQUEST_DENIED, QUERY_PATH_CAPABILITIES, athenaFixWords, athenaUnprovenMessage } from '../catalogue/athena-path.js';
import { type RunFacts, clientSideKmsKey, resultsKmsKeys, resolveOutput, sameKmsKey } from './facts.js';
import { type ProbeDefinition, TABLE_DATA_DENIED } from './probe.js';

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

const FAILED_OUTCOMES = new Set(['fail', 'error']);

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
function evidenceFor(evidence: Evidence, id: CapabilityId, action: AwsAction): ActionResult {
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
  if (!evidence.connection.requested.has(definition.id)) return { status: 'skipped', skipReason: 'not-requested', why: 'not requested' };
  if (definition.id !== 'connection' && !probeSucceeded(evidence, 'sts-caller-identity')) {
    return { status: 'skipped', skipReason: 'prerequisite-failed', why: 'the connection failed' };
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

/** A KMS key reference (key id, alias name, ARN) as an ARN in the connection's partition, region and account. */
function kmsKeyArn(reference: string, connection: Pick<ResolvedConnection, 'region' | 'accountId'>): string {
  if (reference.startsWith('arn:')) return reference;
  const partition = connection.region.startsWith('cn-') ? 'aws-cn' : connection.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  const resource = reference.startsWith('alias/') || reference.startsWith('key/') ? reference : `key/${reference}`;
  return `arn:${partition}:kms:${connection.region}:${connection.accountId}:${resource}`;
}

/** A data location as a scope's bucket and prefix. */
function dataScope(location: string): Pick<ResourceScope, 'bucket' | 'prefix'> {
  const { bucket, prefix } = parseS3Uri(location);
  return { bucket, prefix };
}

/** The resources a capability's fix names: the results location and keys, or for table data the data's own. */
export function resourceScope(evidence: Pick<Evidence, 'connection' | 'facts'>, capability?: CapabilityId): ResourceScope {
  const { connection } = evidence;
  const data = capability === 'table-data' ? evidence.facts.tableData : undefined;
  const output = data ?? resolveOutput(evidence);
  // Glue decrypts an encrypted catalog with the caller's rights: a capability reading Glue needs
  // that key; one that only reaches Glue through Athena needs it beside the results' keys.
  const definition = capability ? capabilityById(capability) : undefined;
  const uses = (service: string) =>
    !definition || [...definition.core, ...definition.extended, ...Object.values(definition.relays ?? {}).flat()].some((action) => action?.startsWith(`${service}:`));
  const catalogKey = evidence.facts.catalogKmsKey && uses('glue') ? [evidence.facts.catalogKmsKey] : [];
  const resultsKeys = uses('s3') || uses('kms') ? resultsKmsKeys(evidence) : [];
  // The data's key when the read showed it; else any key of the account (S3 relays the refusal without it).
  const keys = data ? [data.kmsKeyId ?? 'key/*'] : [...resultsKeys, ...catalogKey];
  // Keys only S3 uses for the caller can be narrowed to calls through S3 (kms:ViaService); a key
  // Athena or the preflight uses directly (CSE_KMS, managed results) cannot.
  const direct = data ? undefined : clientSideKmsKey(evidence);
  const viaS3 = keys.filter((key) => !catalogKey.includes(key) && (!direct || !sameKmsKey(key, direct)));
  return {
    region: connection.region,
    accountId: connection.accountId,
    glueCatalogId: connection.catalogOwner,
    ...(connection.catalogName ? { glueCatalogName: connection.catalogName } : {}),
    ...linkTargetsOf(evidence),
    databases: connection.databases,
    workgroup: connection.workgroup,
    dataCatalog: connection.catalog,
    bucket: output?.bucket,
    prefix: output?.prefix,
    s3KmsKeyArns: viaS3.length ? viaS3.map((key) => kmsKeyArn(key, connection)) : undefined,
    kmsKeyArns: keys.length ? keys.map((key) => kmsKeyArn(key, connection)) : undefined,
  };
}

/**
 * Databases the product reads in other accounts' catalogs (those the connection names, else every
 * one listed): resource links' targets, and databases shared through Lake Formation.
 */
function linkTargetsOf({ connection, facts }: Pick<Evidence, 'connection' | 'facts'>): Pick<ResourceScope, 'linkTargets'> {
  const read = (database: string) => !connection.databases.length || connection.databases.includes(database);
  const targets = [
    ...(facts.resourceLinks ?? [])
      .filter((link) => read(link.database))
      .map((link) => ({ accountId: link.target.accountId, database: link.target.database, ...(link.target.table ? { table: link.target.table } : {}) })),
    ...Object.entries(facts.databaseCatalogs ?? {})
      .filter(([database]) => read(database))
      .map(([database, catalogId]) => ({ accountId: catalogId.split(':')[0]!, database })),
  ];
  return targets.length ? { linkTargets: targets } : {};
}

/** What decides a capability's status: its core and extended actions' evidence and its reasons. */
export interface Decision {
  status: CapabilityStatus;
  skipReason?: SkipReason;
  reasons: Reason[];
  /** The words of an early decision (not requested, not applicable, not provable). */
  why?: string;
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

/**
 * What fixes a decided capability: the actions AWS refused, those not exercised, and the policy
 * statements and words that lift them, or who must act where an Allow cannot.
 */
export function remediationFor(
  definition: CapabilityDefinition,
  evidence: Evidence,
  decision: Decision,
): Pick<CapabilityReport, 'missingActions' | 'untestedActions' | 'remediation'> {
  const { connection } = evidence;
  const { status, reasons } = decision;
  const allActions = [...coreActionsOf(definition, evidence), ...definition.extended];
  const resultOf = (action: AwsAction): ActionResult => evidenceFor(evidence, definition.id, action);
  // A path proof that did not prove (refused, or its reading undecided) is as good as untested.
  const unprovenProofs = reasons.filter((r) => definition.pathProofs?.includes(r.action as AwsAction)).map((r) => r.action as AwsAction);
  const untestedActions = [...allActions.filter((action) => resultOf(action).state === 'untested'), ...unprovenProofs];
  if (decision.why !== undefined) {
    return {
      missingActions: [],
      untestedActions: status === 'skipped' ? [] : untestedActions,
      ...(status === 'unknown' ? { remediation: { summary: decision.why, statements: [] } } : {}),
    };
  }

  const missingActions = allActions.filter((action) => {
    const result = resultOf(action);
    // Refused credentials are not a missing permission: no Allow is checked before authentication.
    return result.state === 'failed' && result.error.category === 'permission';
  });
  // Failures found through another action (the S3 write that KMS refused, a query's S3 write).
  for (const reason of reasons) {
    // A path proof refused is no missing permission of the product's: the reason only says what went unproven.
    if (definition.pathProofs?.includes(reason.action as AwsAction)) continue;
    if (reason.category === 'permission' && !missingActions.includes(reason.action as AwsAction)) missingActions.push(reason.action as AwsAction);
  }
  // Another account's catalog refusing for want of its resource policy: its owner must act, and this
  // account's identity policy must allow the same reads (a cross-account call needs both).
  const owners = otherCatalogOwners(evidence, definition.id);
  const refusedByOwner = (r: Reason) => owners.length > 0 && r.action.startsWith('glue:') && r.deniedBy?.policyType === 'resource' && !r.deniedBy.explicit;
  const ownerNames = owners.map((o) => o.accountId).join(', ');
  // Athena's own requests refused by a bucket policy: its owner merges the exception for Athena.
  const athenaPath = athenaPathFix(definition, evidence);
  const blockers = reasons
    .filter((r) => r.deniedBy && !liftableByIdentityPolicy(r.deniedBy) && !refusedByOwner(r))
    .map((r) => ({
      action: r.action,
      policyType: r.deniedBy!.policyType,
      explicit: r.deniedBy!.explicit,
      ...lakeFormationWho(queryLakeFormationNeed(r, evidence.facts)),
      ...(r.code === ATHENA_REQUEST_DENIED && athenaPath ? { who: athenaFixWords({ bucket: athenaPath.bucket, fixable: athenaPath.statements.length > 0 }) } : {}),
    }));
  const ownerBlockers = reasons.filter(refusedByOwner).map((r) => ({
    action: r.action,
    policyType: 'resource' as const,
    explicit: false,
    who: `the owner of ${owners.length > 1 ? 'accounts' : 'account'} ${ownerNames} must allow this principal in that account's Glue Data Catalog resource policy, or share the databases with it through Lake Formation (remediation.otherAccounts); this principal's identity policy must allow the same reads on that account's ARNs (remediation.statements)`,
  }));
  // A feature that does not work needs everything it uses, including what could not be tested
  // because an earlier call failed: granting only the first refusal would just move the failure.
  // Only where the failure is a grant we can write: not after a config error, not behind a deny we cannot lift.
  const grantable = missingActions.length > 0 && blockers.length === 0 && (status === 'unavailable' || status === 'degraded');
  const relayed = grantable ? allActions.flatMap((action) => definition.relays?.[action] ?? []) : [];
  const wanted = grantable ? [...new Set([...missingActions, ...untestedActions, ...relayed])] : missingActions;
  // What no identity policy of the customer's grants: GetCallerIdentity needs no permission at all,
  // and AssumeRole is the service's, fixed by the role's trust policy (so then nothing else is asked).
  const assumeRefused = missingActions.includes('sts:AssumeRole');
  const liftable = assumeRefused ? [] : wanted.filter((action) => !NEVER_GRANTED.has(action) && !blockers.some((b) => b.action === action));
  // A query refused on a table's data needs the data's location, besides what the results need.
  const dataLocation = reasons.some((r) => r.code === TABLE_DATA_DENIED) ? evidence.facts.queriedTable?.location : undefined;
  const statements: PolicyStatement[] = mergeStatements([
    ...(liftable.length ? statementsFor(liftable as AwsAction[], resourceScope(evidence, definition.id)) : []),
    ...(dataLocation && grantable ? statementsFor(['s3:ListBucket', 's3:GetObject'], { ...resourceScope(evidence), ...dataScope(dataLocation) }) : []),
  ]);
  const needsWords = status !== 'ok' && status !== 'skipped';
  const commands = shellLines(lakeFormationGrants(reasons, evidence));
  const summary = () => {
    const words = summaryFor(definition, status, assumeRefused || !liftable.length ? missingActions : liftable, [...blockers, ...ownerBlockers], reasons, evidence.findings, connection.region);
    return commands.length ? `${words} ${commands.join('; ')}` : words;
  };
  const otherAccounts = needsWords ? otherAccountFixes(definition, evidence, reasons, ownerBlockers.length > 0 ? owners : [], wanted) : [];
  return {
    missingActions,
    untestedActions: untestedActions.filter((action) => !missingActions.includes(action)),
    ...(needsWords || missingActions.length
      ? {
          remediation: {
            summary: summary(),
            statements,
            ...(commands.length ? { commands } : {}),
            ...(athenaPath?.statements.length && reasons.some((r) => r.code === ATHENA_REQUEST_DENIED) ? { bucketPolicy: athenaPath } : {}),
            ...(otherAccounts.length ? { otherAccounts } : {}),
          },
        }
      : {}),
  };
}

/** The bucket policy statements that let Athena's own requests through, where the policy refused them. */
function athenaPathFix(definition: CapabilityDefinition, evidence: Evidence): { bucket: string; statements: PolicyStatement[] } | undefined {
  const kind = (ATHENA_PATH_OF as Partial<Record<CapabilityId, 'results' | 'data'>>)[definition.id];
  const path = kind ? evidence.facts.athenaPaths?.[kind] : undefined;
  return path ? { bucket: path.bucket, statements: (path.fix ?? []) as PolicyStatement[] } : undefined;
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

/**
 * Regions an account must enable before any key works there ("Specify which AWS Regions your
 * account can use", AWS Account Management guide): there a valid key is refused as unknown.
 */
const OPT_IN_REGIONS = new Set([
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-west-1', 'eu-central-2', 'eu-south-1', 'eu-south-2', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1',
]);

/** What fixes credentials AWS refused: the key itself, never an Allow (nothing is authorised before authentication). */
function credentialsFix(code: string, region: string): string {
  if (/Expired|TokenRefreshRequired/.test(code)) return `The temporary credentials have expired (${code}): issue new ones (a new session token), or connect with a role instead.`;
  if (/Signature/.test(code)) return `The secret access key does not match the access key id (${code}): enter the secret exactly as issued (no spaces or line breaks), or create a new access key.`;
  const optIn = OPT_IN_REGIONS.has(region) ? ` ${region} is an opt-in region: if the account has not enabled it, every key is refused there; enable it under Account > AWS Regions, or use another region.` : '';
  return `AWS does not know this access key or session token (${code}): enter the access key id exactly as issued, check that the key is active (IAM > Users > Security credentials), or create a new one.${optIn}`;
}

const EMPTY_LISTINGS = ['NO_DATABASES_VISIBLE', 'NO_TABLES_VISIBLE'] as const;
const NEVER_GRANTED = new Set<string>(['sts:AssumeRole', 'sts:GetCallerIdentity']);

/** How to give the service an identity of its own, for role runs (said by the API and the CLI alike). */
export const SERVICE_IDENTITY_FIX =
  "The service has no AWS identity of its own to assume the role with: give it one allowed sts:AssumeRole on customers' roles (an instance, task or pod role, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in its environment), then run the preflight again.";

/**
 * The other accounts whose catalogs this capability reads, each with the resources read there: the
 * selected catalog's owner, and the owners of shared databases and of resource links' targets.
 */
function otherCatalogOwners(evidence: Pick<Evidence, 'connection' | 'facts'>, capability: CapabilityId): Array<{ accountId: string; scope: ResourceScope }> {
  const { connection, facts } = evidence;
  const base = resourceScope(evidence, capability);
  if (connection.catalogOwner !== connection.accountId) return [{ accountId: connection.catalogOwner, scope: { ...base, linkTargets: undefined } }];
  const read = (database: string) => !connection.databases.length || connection.databases.includes(database);
  const byOwner = new Map<string, string[]>();
  const add = (accountId: string, database: string) => {
    if (accountId !== connection.accountId) byOwner.set(accountId, [...new Set([...(byOwner.get(accountId) ?? []), database])]);
  };
  for (const [database, catalogId] of Object.entries(facts.databaseCatalogs ?? {})) if (read(database)) add(catalogId.split(':')[0]!, database);
  for (const link of facts.resourceLinks ?? []) if (read(link.database)) add(link.target.accountId, link.target.database);
  return [...byOwner].map(([accountId, databases]) => ({ accountId, scope: { ...base, glueCatalogId: accountId, glueCatalogName: undefined, databases, linkTargets: undefined } }));
}

/**
 * What other accounts' owners must do for this capability: the catalog's owner, where its resource
 * policy refused (the statement to add to it); the owner of a resource link's target or of a
 * shared database, where Lake Formation refused (the share to grant there, and the grants this
 * account's Lake Formation administrator then makes on what was shared: "Granting permissions on
 * a database or table shared with your account", Lake Formation Developer Guide).
 */
function otherAccountFixes(
  definition: CapabilityDefinition,
  evidence: Evidence,
  reasons: readonly Reason[],
  refusingOwners: ReadonlyArray<{ accountId: string; scope: ResourceScope }>,
  wanted: readonly AwsAction[],
): OtherAccountFix[] {
  const { connection, facts } = evidence;
  const principal = iamPrincipalOf(facts.identity?.arn ?? '<principal-arn>');
  const fixes: OtherAccountFix[] = [];
  const glueActions = [...new Set([...coreActionsOf(definition, evidence), ...definition.extended, ...wanted])].filter((action) => action.startsWith('glue:'));
  const { region } = connection;
  for (const { accountId, scope } of refusingOwners) {
    fixes.push({
      accountId,
      summary: OTHER_ACCOUNT_WORDS.catalogPolicy({ accountId, ownsCatalog: accountId === connection.catalogOwner, principal, region }),
      resourcePolicy: catalogResourcePolicy(glueActions, scope, principal),
      commands: shellLines([
        getGlueResourcePolicy(region),
        putGlueResourcePolicy({ region, policyFile: MERGED_POLICY_FILE, policyHash: POLICY_HASH_PLACEHOLDER }),
        putGlueResourcePolicy({ region, policyFile: MERGED_POLICY_FILE, mustNotExist: true }),
      ]),
    });
  }
  // A refusal in this account's own catalog (Athena's default database) is no other account's to share.
  if (reasons.some((reason) => reason.deniedBy?.policyType === 'lake-formation' && !inCallersOwnCatalog(queryLakeFormationNeed(reason, facts)))) {
    const read = (database: string) => !connection.databases.length || connection.databases.includes(database);
    const targets = [
      ...(facts.resourceLinks ?? [])
        .filter((link) => read(link.database))
        .map((link) => ({ link: link.database, linkTable: link.table, accountId: link.target.accountId, catalogId: link.target.catalogId, database: link.target.database, table: link.target.table })),
      ...Object.entries(facts.databaseCatalogs ?? {})
        .filter(([database]) => read(database))
        .map(([database, catalogId]) => ({ link: undefined, linkTable: undefined, accountId: catalogId.split(':')[0]!, catalogId, database, table: undefined })),
    ].filter((target) => target.accountId !== connection.accountId);
    const consumer = connection.accountId;
    for (const target of targets) {
      // A table link shares one table; a database link or a shared database, all of its tables.
      const tables = { Table: { CatalogId: target.catalogId, DatabaseName: target.database, ...(target.table ? { Name: target.table } : { TableWildcard: {} }) } };
      const database = { Database: { CatalogId: target.catalogId, Name: target.database } };
      const what = target.table ? `${target.database}.${target.table}` : target.database;
      const link = target.linkTable ? `${target.link}.${target.linkTable}` : target.link;
      const linkResource = target.linkTable ? { Table: { DatabaseName: target.link!, Name: target.linkTable } } : { Database: { Name: target.link! } };
      const ownerCommands = [
        ...(target.table ? [] : [lakeFormationGrant({ region, principal: consumer, permissions: ['DESCRIBE'], grantable: ['DESCRIBE'], resource: database })]),
        lakeFormationGrant({ region, principal: consumer, permissions: ['DESCRIBE', 'SELECT'], grantable: ['DESCRIBE', 'SELECT'], resource: tables }),
      ];
      fixes.push({
        accountId: target.accountId,
        summary: OTHER_ACCOUNT_WORDS.lakeFormationShare({ link, what, owner: target.accountId, consumer, ownerCommands: ownerCommands.length, describesLink: Boolean(link) }),
        commands: shellLines([
          ...ownerCommands,
          pendingResourceShareInvitations(region, target.accountId),
          acceptResourceShareInvitation(region, INVITATION_ARN_PLACEHOLDER),
          lakeFormationGrant({ region, principal, permissions: ['DESCRIBE', 'SELECT'], resource: tables }),
          ...(link ? [lakeFormationGrant({ region, principal, permissions: ['DESCRIBE'], resource: linkResource })] : []),
        ]),
      });
    }
  }
  return fixes;
}

/** The Lake Formation grant a failed query named, where this reason is that failure (its action and code). */
function queryLakeFormationNeed(reason: Reason, facts: RunFacts): LakeFormationNeed | undefined {
  const failure = facts.queryFailure;
  if (!failure?.lakeFormation || reason.deniedBy?.policyType !== 'lake-formation') return undefined;
  return reason.action === failure.action && reason.code === failure.code ? failure.lakeFormation : undefined;
}

/** A grant Athena needs in the caller's own root catalog whichever catalog is selected: DESCRIBE on its default database, or creating it. */
function inCallersOwnCatalog(need: LakeFormationNeed | undefined): boolean {
  return need?.permission === 'CREATE_DATABASE' || (need?.permission === 'DESCRIBE' && 'database' in need.on && need.on.database === 'default');
}

/** Who must act for a grant a failed query named, where the usual Lake Formation words (DESCRIBE and SELECT on the tables) do not fit. */
function lakeFormationWho(need: LakeFormationNeed | undefined): { who?: string } {
  if (need?.permission === 'CREATE_DATABASE') return { who: LAKE_FORMATION_NEED_WORDS.createDatabase };
  if (need?.permission === 'DESCRIBE' && 'database' in need.on) {
    return { who: need.on.database === 'default' ? LAKE_FORMATION_NEED_WORDS.describeDefault : LAKE_FORMATION_NEED_WORDS.describe(need.on.database) };
  }
  return {};
}

/**
 * Where Lake Formation refused, the grants to make, as commands (they are not IAM statements). A
 * query's refusal that names its grant gets that grant: DESCRIBE on the default database and
 * CREATE_DATABASE on the catalog are the caller's own account's root catalog's (Athena's default
 * database is there whichever catalog the connection selects), DESCRIBE on another database is
 * the selected catalog's. Any other refusal: DESCRIBE and SELECT on what the product reads.
 */
function lakeFormationGrants(reasons: readonly Reason[], evidence: Evidence): Command[] {
  const refusals = reasons.filter((reason) => reason.deniedBy?.policyType === 'lake-formation');
  if (!refusals.length) return [];
  const { connection, facts } = evidence;
  // A catalog under the root is named in the resource itself (its id is `<account>:<path>`).
  const inCatalog = connection.catalogName ? { CatalogId: connection.catalogId } : {};
  const principal = iamPrincipalOf(facts.identity?.arn ?? '<principal-arn>');
  const grant = (permissions: string[], resource: Parameters<typeof lakeFormationGrant>[0]['resource'], catalogId = connection.catalogOwner) =>
    lakeFormationGrant({ catalogId, principal, permissions, resource });
  const named: Command[] = [];
  let others = false;
  for (const reason of refusals) {
    const need = queryLakeFormationNeed(reason, facts);
    if (need?.permission === 'CREATE_DATABASE') named.push(grant(['CREATE_DATABASE'], { Catalog: {} }, connection.accountId));
    else if (need?.permission === 'DESCRIBE' && 'database' in need.on) {
      const own = inCallersOwnCatalog(need);
      named.push(grant(['DESCRIBE'], { Database: { ...(own ? {} : inCatalog), Name: need.on.database } }, own ? connection.accountId : connection.catalogOwner));
    } else others = true;
  }
  if (!others) return named;
  const table = facts.tables?.find((t) => t.governed);
  if (table) return [...named, grant(['DESCRIBE', 'SELECT'], { Table: { ...inCatalog, DatabaseName: table.database, Name: table.name } })];
  // Nothing governed was even listed: Lake Formation hides the database itself.
  const database = connection.databases[0] ?? '<database>';
  return [...named, grant(['DESCRIBE'], { Database: { ...inCatalog, Name: database } }), grant(['DESCRIBE', 'SELECT'], { Table: { ...inCatalog, DatabaseName: database, TableWildcard: {} } })];
}

function addReason(reasons: Reason[], reason: Reason): void {
  if (!reasons.some((r) => r.probe === reason.probe && r.action === reason.action && r.code === reason.code)) reasons.push(reason);
}


function summaryFor(
  definition: CapabilityDefinition,
  status: CapabilityStatus,
  missingActions: readonly string[],
  blockers: Parameters<typeof remediationSummary>[2],
  reasons: readonly Reason[],
  findings: readonly Finding[],
  region: string,
): string {
  if (missingActions.includes('sts:AssumeRole')) {
    return 'The service could not assume the role: its trust policy must name the service\'s principal and require the external ID you gave, and the external ID must match exactly.';
  }
  if (missingActions.length || blockers.length) {
    return remediationSummary(definition, missingActions, blockers);
  }
  const first = reasons[0];
  if (!first) return definition.impact;
  if (first.category === 'auth') return credentialsFix(first.code, region);
  if (first.code === NO_SERVICE_IDENTITY) return SERVICE_IDENTITY_FIX;
  const emptiness = findings.find((f) => f.code === first.code);
  if (emptiness) return `${emptiness.message} ${emptiness.remediation}`;
  if (status === 'unknown' && isCertificateError(first.code)) return `Could not tell: ${first.message}.`;
  if (status === 'unknown') return `Could not tell (${first.category}: ${first.message}); run the preflight again.`;
  return `${first.action} failed (${first.code}): ${first.message}.`;
}

export function overallStatus(capabilities: readonly CapabilityReport[]): OverallStatus {
  const blocking = capabilities.some(
    (capability) => (capability.id === 'connection' || capability.required) && (capability.status === 'unavailable' || capability.status === 'unknown'),
  );
  if (blocking) return 'failed';
  const requestedNotOk = capabilities.some((capability) => capability.status !== 'ok' && capability.status !== 'skipped');
  return requestedNotOk ? 'degraded' : 'ok';
}
