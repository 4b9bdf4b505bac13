// Policy coverage: which capabilities a set of policy documents lets a principal use, with no AWS
// call. Pure: documents and a connection in, an answer out. Each capability's actions become the
// requests the product (and Athena, for a query, on the caller's behalf) makes, with the resources
// AWS checks and the condition keys the requests carry (src/catalogue/coverage.ts), judged by the
// one IAM evaluator (src/iam/evaluate.ts) that the sandbox and the engine use. What the documents
// cannot show (resource policies, Lake Formation, key policies, keys they test that a document does
// not carry) is said per capability: coverage is a claim about these documents, never a preflight.
import { AWS_ACTIONS, type AwsAction, serviceOf } from '../catalogue/actions.js';
import { type CapabilityDefinition, type CapabilityId, CAPABILITIES, capabilityById } from '../catalogue/capabilities.js';
import { APPLIES_WHEN, ATHENA_TAKES, BEYOND_THE_DOCUMENT, NO_SCPS_GIVEN, OVER_GRANTS, type RequestKeys, S3_KMS_CALLS, actionsNeeded, checkedResources } from '../catalogue/coverage.js';
import { type Blocker, type PolicyStatement, type ResourceScope, liftableByIdentityPolicy, mergeStatements, remediationSummary, statementsFor } from '../catalogue/remediation.js';
import { ATHENA_SERVICE_PRINCIPAL, directRequestContext, forwardAccessContext } from '../iam/context.js';
import { type AuthorizationRequest, type ConditionValue, type Decision, type PolicySet, authorize, statementsOf } from '../iam/evaluate.js';
import type { PolicyDocument, PolicyStatement as IamStatement } from '../iam/policy.js';
import { parseS3Uri } from '../preflight/connection.js';
import { selectionScope } from '../setup/generate.js';
import type { CoverageInput } from './request.js';
import type { CapabilityCoverage, Coverage, CoverageAnswer, CoverageDenial, CoverageWarning, NotGranted, Requester, StatementRef } from './types.js';
import { partitionOf } from '../catalogue/resources.js';

export * from './types.js';

/** One request to judge: the action, one resource AWS checks for it, who makes it, the keys it carries. */
interface Check {
  action: AwsAction;
  resource: string;
  by: Requester;
  keys: RequestKeys;
  /** The resources the fix names: the results location, or the tables' data. */
  scope: ResourceScope;
}

/** A statement of one of the documents, with where it is and what it is without its condition. */
interface Located {
  statement: IamStatement;
  ref: StatementRef;
  kind: 'identity' | 'boundary' | 'scp';
  /** The statement alone, its condition dropped: whether it is about a request at all. */
  bare: PolicyDocument;
  /** The statement alone, as an identity policy: whether it allows or denies a request. */
  alone: PolicyDocument;
  /** The keys its condition tests, as written (IAM compares key names case-insensitively). */
  conditionKeys: string[];
}


/** Keys a request to these documents is known to carry or to lack, whatever the documents are. */
const ALWAYS_KNOWN = ['aws:principalaccount', 'aws:resourceaccount', 'aws:securetransport', 'aws:requestedregion', 'aws:viaawsservice', 'aws:calledvia', 'aws:calledviafirst', 'aws:calledvialast'];
/** A request a service makes for the caller carries none of the caller's network keys (src/iam/context.ts). */
const NETWORK_KEYS = ['aws:sourceip', 'aws:sourcevpc', 'aws:sourcevpce', 'aws:vpcsourceip'];

/** The statements of every document, located by pointer. */
function locate(input: CoverageInput): Located[] {
  const documents: Array<[PolicyDocument, string, Located['kind']]> = [
    ...input.policies.map((document, i): [PolicyDocument, string, Located['kind']] => [document, `/policies/${i}`, 'identity']),
    ...(input.permissionsBoundary ? [[input.permissionsBoundary, '/permissionsBoundary', 'boundary'] as [PolicyDocument, string, Located['kind']]] : []),
    ...(input.scps ?? []).map((document, i): [PolicyDocument, string, Located['kind']] => [document, `/scps/${i}`, 'scp']),
  ];
  return documents.flatMap(([document, path, kind]) => {
    const list = Array.isArray(document.Statement);
    return statementsOf(document).map((statement, index) => {
      const { Condition, ...rest } = statement;
      return {
        statement,
        ref: { pointer: list ? `${path}/Statement/${index}` : `${path}/Statement`, ...(statement.Sid ? { sid: statement.Sid } : {}) },
        kind,
        bare: { Statement: [{ ...rest, Effect: 'Allow' }] },
        alone: { Statement: [statement] },
        conditionKeys: [...new Set(Object.values(Condition ?? {}).flatMap((entries) => Object.keys(entries)))],
      };
    });
  });
}

/** The resources each capability's fix and requests name. */
function scopes(input: CoverageInput) {
  const data = input.dataLocation ? parseS3Uri(input.dataLocation) : undefined;
  const key = input.results?.kmsKey;
  const viaS3 = input.results?.encryption === 'SSE_KMS';
  const results: ResourceScope = { ...selectionScope(input), ...(key ? { kmsKeyArns: [key], ...(viaS3 ? { s3KmsKeyArns: [key] } : {}) } : {}) };
  // The tables' data: its own bucket, and no results key (an SSE-KMS object's key is unknown here).
  const tableData: ResourceScope = { ...results, bucket: data?.bucket, prefix: data?.prefix, kmsKeyArns: undefined, s3KmsKeyArns: undefined };
  return { results, tableData, data };
}

/**
 * The keys a result write carries, as Athena sends them from the workgroup's result configuration
 * and the preflight's marker sends them too (src/probes/helpers/athena-results.ts, resultWriteSettings): the canned
 * ACL as x-amz-acl (S3 API Reference, PutObject), the encryption as x-amz-server-side-encryption.
 */
function writeKeys(action: AwsAction, input: CoverageInput): RequestKeys {
  const results = input.results;
  if (!results || (action !== 's3:PutObject' && action !== 's3:PutObjectAcl')) return {};
  const acl: RequestKeys = results.acl ? { 's3:x-amz-acl': 'bucket-owner-full-control' } : {};
  if (action === 's3:PutObjectAcl') return acl;
  const encryption =
    results.encryption === 'SSE_S3'
      ? { 's3:x-amz-server-side-encryption': 'AES256' }
      : results.encryption === 'SSE_KMS'
        ? { 's3:x-amz-server-side-encryption': 'aws:kms', ...(results.kmsKey ? { 's3:x-amz-server-side-encryption-aws-kms-key-id': results.kmsKey } : {}) }
        : {};
  return { ...acl, ...encryption };
}

/** The actions a capability needs in this connection: core (with what the connection adds), then extended. */
function actionsOf(capability: CapabilityDefinition, input: CoverageInput, scope: ResourceScope): { core: AwsAction[]; extended: AwsAction[] } {
  const clientSide = input.results?.encryption === 'CSE_KMS';
  return {
    core: [
      // sts:GetCallerIdentity needs no permission: no policy can refuse it (STS API Reference, GetCallerIdentity).
      ...capability.core.filter((action) => action !== 'sts:GetCallerIdentity'),
      ...(scope.glueCatalogName ? (capability.namedCatalogCore ?? []) : []),
      ...(input.results?.acl ? (capability.aclWriteCore ?? []) : []),
      ...(clientSide ? (capability.clientSideKeyCore ?? []) : []),
    ],
    extended: [...capability.extended],
  };
}

/** Each request judged and its decision, once: for a cross-check with another evaluator. */
export type DecisionObserver = (request: AuthorizationRequest, decision: Decision) => void;

export function policyCoverage(input: CoverageInput, observe?: DecisionObserver): CoverageAnswer {
  const located = locate(input);
  const policySet: PolicySet = {
    identity: input.policies,
    ...(input.permissionsBoundary ? { permissionsBoundary: input.permissionsBoundary } : {}),
    ...(input.scps?.length ? { serviceControlPolicies: input.scps } : {}),
  };
  const partition = partitionOf(input.region);
  // Nobody in particular: whose documents these are is not known (aws:PrincipalArn is not judged).
  const principal = { arn: `arn:${partition}:iam::${input.accountId}:role/policy-under-review`, accountId: input.accountId };
  const base: Record<Requester, Record<string, ConditionValue>> = {
    product: { ...directRequestContext({}), 'aws:RequestedRegion': input.region },
    athena: { ...forwardAccessContext([ATHENA_SERVICE_PRINCIPAL]), 'aws:RequestedRegion': input.region },
    s3: { ...forwardAccessContext(), 'aws:RequestedRegion': input.region },
  };
  const requestOf = (check: Pick<Check, 'action' | 'resource' | 'by' | 'keys'>): AuthorizationRequest => ({
    action: check.action,
    resource: check.resource,
    principal,
    context: { ...base[check.by], ...check.keys },
  });
  const decisions = new Map<string, Decision>();
  const decide = (check: Check): Decision => {
    const key = `${check.action} ${check.resource} ${check.by} ${JSON.stringify(check.keys)}`;
    let decision = decisions.get(key);
    if (!decision) {
      const request = requestOf(check);
      decisions.set(key, (decision = authorize(request, policySet)));
      observe?.(request, decision);
    }
    return decision;
  };
  const { results: resultsScope, tableData: dataScope, data } = scopes(input);
  const scopeOf = (id: CapabilityId) => (id === 'table-data' ? dataScope : resultsScope);
  const s3Key = input.results?.encryption === 'SSE_KMS';

  /** The requests one action of a capability makes: its own (the product's, and Athena's where Athena takes the path), what Athena relays, what S3 asks KMS. */
  const checksOf = (capability: CapabilityDefinition, action: AwsAction): Check[] => {
    const scope = scopeOf(capability.id);
    const checks: Check[] = [];
    const requesters: Requester[] = ATHENA_TAKES.includes(capability.id) ? ['product', 'athena'] : ['product'];
    // forQuery: Athena's Glue lookups for a query, which read `default` too (checkedResources).
    const add = (checked: AwsAction, on: ResourceScope, by: Requester, forQuery: boolean) => {
      for (const { resource, keys } of checkedResources(checked, on, forQuery)) {
        // A grant narrowed to what S3 asks for the caller (kms:ViaService) is for S3's requests.
        const requester = Object.keys(keys).some((k) => k.toLowerCase() === 'kms:viaservice') ? 's3' : by;
        checks.push({ action: checked, resource, by: requester, keys: { ...keys, ...writeKeys(checked, input) }, scope: on });
      }
    };
    for (const by of requesters) {
      add(action, scope, by, false);
      // Under SSE-KMS, S3 asks KMS for the caller when results are written and read.
      const kms = S3_KMS_CALLS[action];
      if (kms && s3Key && capability.id === 'query-results') add(kms, scope, 's3', false);
    }
    const forQuery = capability.id === 'query-execution';
    for (const relayed of capability.relays?.[action] ?? []) {
      add(relayed, scope, 'athena', forQuery);
      const kms = S3_KMS_CALLS[relayed];
      if (kms && s3Key) add(kms, scope, 's3', forQuery);
    }
    // A query reads the tables' data with the caller's rights (Athena User Guide, "Access to Amazon S3").
    if (forQuery && action === 'athena:StartQueryExecution' && data) for (const read of capabilityById('table-data').core) add(read, dataScope, 'athena', true);
    return checks;
  };

  const capabilities = CAPABILITIES.filter((c) => input.capabilities.includes(c.id)).map((capability): CapabilityCoverage => {
    const scope = scopeOf(capability.id);
    const { core, extended } = actionsOf(capability, input, scope);
    const denied: Array<Check & { decision: Extract<Decision, { allowed: false }>; core: boolean }> = [];
    const dependencies = new Map<string, StatementRef>();
    for (const [isCore, actions] of [[true, core], [false, extended]] as const) {
      for (const action of actions) {
        for (const check of checksOf(capability, action)) {
          const decision = decide(check);
          if (!decision.allowed && !denied.some((d) => d.action === check.action && d.resource === check.resource && d.by === check.by)) denied.push({ ...check, decision, core: isCore });
          for (const [key, ref] of unknownConditions(check)) if (!dependencies.has(key)) dependencies.set(key, ref);
        }
      }
    }
    const coverage: Coverage = denied.some((d) => d.core) ? 'not-covered' : denied.length ? 'partly' : 'covered';
    const notGranted = denied.map((d): NotGranted => ({ action: d.action, resource: d.resource, by: d.by, deniedBy: denialOf(d, d.decision) }));
    const missingActions = [...new Set(denied.map((d) => d.action))];
    const rank = (denial: CoverageDenial) => (denial.explicit ? 0 : denial.policyType !== 'identity' ? 1 : 2);
    const deniedBy = notGranted.map((n) => n.deniedBy).sort((a, b) => rank(a) - rank(b))[0];
    return {
      id: capability.id,
      title: capability.title,
      required: input.required.includes(capability.id),
      coverage,
      missingActions,
      notGranted,
      ...(deniedBy ? { deniedBy } : {}),
      ...(denied.length ? { remediation: remediationOf(capability, denied, missingActions) } : {}),
      ...appliesWhen(capability, input),
      dependsOn: dependsOn(capability, input, dependencies),
    };
  });

  /** The keys a statement about this request tests that the request cannot be known to carry or lack. */
  function unknownConditions(check: Check): Array<[string, StatementRef]> {
    const request = requestOf(check);
    const known = new Set([...ALWAYS_KNOWN, ...Object.keys(request.context ?? {}).map((key) => key.toLowerCase()), ...(check.by === 'product' ? [] : NETWORK_KEYS)]);
    const found: Array<[string, StatementRef]> = [];
    for (const entry of located) {
      const unknown = entry.conditionKeys.filter((key) => !known.has(key.toLowerCase()));
      if (unknown.length && authorize(request, { identity: [entry.bare] }).allowed) for (const key of unknown) found.push([key, entry.ref]);
    }
    return found;
  }

  /** Who refused, and where a statement did: the Deny that applies, or the SCP or boundary that allows nothing here. */
  function denialOf(check: Check, decision: Extract<Decision, { allowed: false }>): CoverageDenial {
    const { policyType: type, explicit } = decision.denial;
    const policyType = type === 'scp' || type === 'boundary' ? type : 'identity';
    const request = requestOf(check);
    const ofKind = located.filter((entry) => entry.kind === policyType);
    let statement: StatementRef | undefined;
    if (explicit) {
      statement = ofKind.find((entry) => entry.statement.Effect === 'Deny' && !authorize(request, { identity: [entry.alone] }).allowed)?.ref;
    } else if (policyType === 'scp') {
      const index = (input.scps ?? []).findIndex((scp) => !authorize(request, { identity: [scp] }).allowed);
      if (index >= 0) statement = { pointer: `/scps/${index}` };
    } else if (policyType === 'boundary') {
      statement = { pointer: '/permissionsBoundary' };
    }
    return { policyType, explicit, ...(statement ? { statement } : {}) };
  }

  /** The report's remediation for what is refused: the statements that grant what an Allow can lift, and who must act for the rest. */
  function remediationOf(capability: CapabilityDefinition, denied: ReadonlyArray<Check & { decision: Extract<Decision, { allowed: false }> }>, missingActions: string[]) {
    const blockers: Blocker[] = [];
    const grants = new Map<ResourceScope, Set<AwsAction>>();
    for (const check of denied) {
      const denial = check.decision.denial;
      const policyType = denial.policyType === 'scp' || denial.policyType === 'boundary' ? denial.policyType : 'identity';
      if (liftableByIdentityPolicy({ policyType, explicit: denial.explicit })) grants.set(check.scope, (grants.get(check.scope) ?? new Set()).add(check.action));
      else blockers.push({ action: check.action, policyType, explicit: denial.explicit });
    }
    // An action refused by what an Allow cannot lift is fixed there, not by a statement here.
    const blocked = new Set(blockers.map((b) => b.action));
    const statements = mergeStatements([...grants].flatMap(([scope, actions]) => statementsFor([...actions].filter((a) => !blocked.has(a)), scope)));
    return { summary: remediationSummary(capability, missingActions, blockers), statements };
  }

  return { region: input.region, accountId: input.accountId, capabilities, warnings: overGrants(input, located, policySet, principal, base.product, scopeOf) };
}

/**
 * When a capability applies at all, from its catalogue entry (a fact no policy document shows);
 * said unless the request shows it applies (results encrypted with KMS).
 */
function appliesWhen(capability: CapabilityDefinition, input: CoverageInput): Pick<CapabilityCoverage, 'appliesWhen'> {
  const kmsResults = input.results?.encryption === 'SSE_KMS' || input.results?.encryption === 'CSE_KMS';
  const words = capability.applicability
    ?.filter((rule) => rule.then.status === 'skipped' && !(rule.unless === 'results-kms-key' && kmsResults))
    .map((rule) => APPLIES_WHEN[rule.unless])
    .find(Boolean);
  return words ? { appliesWhen: words } : {};
}

/** What else decides the capability, in words: other policies, the connection's unknowns, keys the documents test. */
function dependsOn(capability: CapabilityDefinition, input: CoverageInput, conditions: ReadonlyMap<string, StatementRef>): string[] {
  const words = [...(BEYOND_THE_DOCUMENT[capability.id] ?? [])];
  const uses = (service: string) => actionsNeeded(capability).some((action) => serviceOf(action) === service);
  if (!input.scps?.length) words.push(NO_SCPS_GIVEN);
  if (uses('glue') && !input.glue?.databases?.length) words.push('No databases were named (glue.databases): judged for every database, which a grant on named databases does not cover.');
  if (uses('athena') && !input.athena?.workgroup) words.push('No workgroup was named (athena.workgroup): judged for every workgroup.');
  if (capability.id === 'table-data' ? !input.dataLocation : uses('s3') && !input.athena?.outputLocation) {
    words.push(capability.id === 'table-data' ? "The tables' data location was not given (dataLocation): judged for every bucket." : 'No output location was given (athena.outputLocation): judged for every bucket, which a grant on named buckets does not cover.');
  }
  if (capability.id === 'query-execution' && !input.dataLocation) words.push("The tables' data location was not given (dataLocation): a query's reads of the data were not judged.");
  if ((capability.id === 'encryption' || capability.id === 'query-results') && !input.results) words.push('How the workgroup writes results was not given (results: encryption, kmsKey, acl): judged without a KMS key or a canned ACL.');
  for (const [key, ref] of conditions) words.push(`Statement ${describeRef(ref)} tests ${key}, which these documents cannot show: judged as a request without it.`);
  return words;
}

export const describeRef = (ref: StatementRef): string => (ref.sid ? `"${ref.sid}" (${ref.pointer})` : ref.pointer);

/** Statements that grant more than the capabilities need: S3 on every bucket, Glue writes, KMS beyond use on every key, actions nothing uses. */
function overGrants(
  input: CoverageInput,
  located: readonly Located[],
  policySet: PolicySet,
  principal: AuthorizationRequest['principal'],
  context: Record<string, ConditionValue>,
  scopeOf: (id: CapabilityId) => ResourceScope,
): CoverageWarning[] {
  const warnings: CoverageWarning[] = [];
  const partition = partitionOf(input.region);
  const requested = CAPABILITIES.filter((c) => input.capabilities.includes(c.id));
  const narrower = (service: string) =>
    mergeStatements(requested.flatMap((c) => statementsFor([...new Set(actionsNeeded(c).filter((a) => serviceOf(a) === service && a !== 'sts:AssumeRole'))], scopeOf(c.id))));
  const known = new Set<string>(AWS_ACTIONS.map((action) => action.toLowerCase()));
  for (const entry of located) {
    if (entry.kind !== 'identity' || entry.statement.Effect !== 'Allow') continue;
    // What this statement grants, as far as the boundary and the SCPs let it.
    const alone: PolicySet = { ...policySet, identity: [entry.alone] };
    for (const over of OVER_GRANTS) {
      const allowed = over
        .probes({ partition, region: input.region, accountId: input.accountId })
        .filter((probe) => probe.resources.every((resource) => authorize({ action: probe.action, resource, principal, context }, alone).allowed))
        .map((probe) => probe.action);
      if (!allowed.length) continue;
      const statements = narrower(over.service);
      const everyBucket = over.service === 's3' && statements.some((s) => s.Resource.some((arn) => /^arn:[\w-]+:s3:::\*/.test(arn)));
      const instead = !statements.length
        ? ' No capability asked for needs it.'
        : everyBucket
          ? ' Name the output location (athena.outputLocation) and the data location (dataLocation) for the narrower statements.'
          : ' The capabilities asked for need only the statements in narrower.';
      warnings.push({ code: over.code, message: `Statement ${describeRef(entry.ref)} ${over.words(allowed)}.${instead}`, statement: entry.ref, ...(statements.length && !everyBucket ? { narrower: statements } : {}) });
    }
    const actions = entry.statement.Action === undefined ? [] : Array.isArray(entry.statement.Action) ? entry.statement.Action : [entry.statement.Action];
    const unused = [...new Set(actions.filter((action) => !/[*?]/.test(action) && !known.has(action.toLowerCase())))];
    if (unused.length) {
      const rest = actions.filter((action) => !unused.includes(action));
      const resources = entry.statement.Resource === undefined ? undefined : Array.isArray(entry.statement.Resource) ? entry.statement.Resource : [entry.statement.Resource];
      warnings.push({
        code: 'ACTIONS_NOT_USED',
        message: `Statement ${describeRef(entry.ref)} allows actions no capability uses (some may not exist at all): ${unused.join(', ')}.${rest.length ? ' Without them it grants what it did for the capabilities (narrower).' : ''}`,
        statement: entry.ref,
        ...(rest.length && resources
          ? { narrower: [{ ...(entry.statement.Sid ? { Sid: entry.statement.Sid } : {}), Effect: 'Allow' as const, Action: rest, Resource: resources, ...(conditionOf(entry.statement) ?? {}) }] }
          : {}),
      });
    }
  }
  return warnings;
}

/** A statement's condition in the report's statement shape (values as strings). */
function conditionOf(statement: IamStatement): Pick<PolicyStatement, 'Condition'> | undefined {
  if (!statement.Condition) return undefined;
  return {
    Condition: Object.fromEntries(
      Object.entries(statement.Condition).map(([operator, entries]) => [operator, Object.fromEntries(Object.entries(entries).map(([key, value]) => [key, Array.isArray(value) ? value.map(String) : String(value)]))]),
    ),
  };
}
