// Athena's own requests, judged against a bucket policy. Athena writes query results and reads table
// data on the caller's behalf (forward access sessions): its requests carry aws:CalledVia
// ["athena.amazonaws.com"] and aws:ViaAWSService true, and not the caller's VPC endpoint or VPC
// ("Control access to Amazon S3 from Athena", Athena User Guide: "You also cannot restrict or allow
// access to Amazon S3 resources based on the aws:SourceVpc or aws:SourceVpce condition keys";
// "Use CalledVia context keys for Athena"; IAM User Guide, global condition keys). A marker our
// own call writes proves our path only: a policy that admits only the company's VPC endpoint lets
// it through and refuses every query. This reads the policy both ways with the one evaluator.
import { ATHENA_SERVICE_PRINCIPAL, forwardAccessContext } from '../iam/context.js';
import { type AuthorizationRequest, type ConditionValue, applyingStatements, authorize } from '../iam/evaluate.js';
import type { PolicyDocument, PolicyStatement } from '../iam/policy.js';
import type { AwsAction } from '../catalogue/actions.js';

export type { PolicyDocument, PolicyStatement };

/** Keys that describe where a request comes from on the network. */
export const NETWORK_KEYS = ['aws:SourceVpce', 'aws:SourceVpc', 'aws:SourceIp', 'aws:VpcSourceIp'] as const;

/** What Athena's requests carry that the caller's do not (the same keys the sandbox gives them). */
const ATHENA_FORWARD_CONTEXT = forwardAccessContext([ATHENA_SERVICE_PRINCIPAL]);
/** The caller's own requests: aws:ViaAWSService is always there, false (IAM User Guide, global condition keys). */
const DIRECT = { 'aws:ViaAWSService': 'false' };

/** One request Athena makes for the caller: the action, its resource, its own condition keys (s3:prefix, s3:x-amz-acl…). */
export interface PathRequest {
  action: AwsAction;
  resource: string;
  context?: Record<string, ConditionValue>;
}

export interface Principal {
  arn: string;
  accountId: string;
  roleArn?: string;
}

export interface DenyingStatement {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** The network keys its condition tests: what Athena's request lacks. */
  conditionKeys: string[];
}

export type PathJudgement =
  | { action: AwsAction; outcome: 'allowed' }
  | { action: AwsAction; outcome: 'denied'; explicit: boolean; statements: DenyingStatement[] }
  | { action: AwsAction; outcome: 'undecided'; why: string };

/**
 * Each request twice: ours (from wherever the service runs, which the policy must have admitted,
 * since our call went through) and Athena's, which carries none of the caller's network keys. For
 * aws:SourceIp the Athena User Guide is explicit: its S3 requests come from a private address of
 * Athena's, not the caller's, so the condition cannot admit them ("Control access to Amazon S3 from
 * Athena"); the IAM User Guide's general remark that forward access sessions keep the requester's
 * address is not taken for Athena, whose own guide says otherwise. Identity policies are not read
 * here: where the bucket is the caller's account's, they are taken to allow (our own call proved it
 * for the same actions), so only the bucket policy can refuse.
 */
export function judgeBucketPolicy(policy: unknown, principal: Principal, bucketAccountId: string, requests: readonly PathRequest[]): PathJudgement[] {
  const unreadable = () => requests.map(({ action }): PathJudgement => ({ action, outcome: 'undecided', why: 'the bucket policy is not in a form the preflight can read' }));
  if (!isPolicy(policy)) return unreadable();
  try {
    return judge(policy, principal, bucketAccountId, requests);
  } catch {
    // A policy S3 accepted but whose elements the evaluator cannot read (an Action that is not a string).
    return unreadable();
  }
}

function judge(policy: PolicyDocument, principal: Principal, bucketAccountId: string, requests: readonly PathRequest[]): PathJudgement[] {
  const ours = networkCandidates(policy);
  return requests.map((request) => {
    const decide = (context: Record<string, ConditionValue>) => authorize(authorizationOf(request, principal, bucketAccountId, context), policySet(policy));
    const ourContexts = ours.filter((network) => decide(network).allowed);
    if (ourContexts.length === 0) {
      return { action: request.action, outcome: 'undecided', why: 'the policy refuses our own request too as the preflight reads it, though S3 accepted it: it tests keys the preflight cannot know' };
    }
    const denial = decide(ATHENA_FORWARD_CONTEXT);
    if (denial.allowed) return { action: request.action, outcome: 'allowed' };
    const { explicit } = denial.denial;
    const authorization = authorizationOf(request, principal, bucketAccountId, ATHENA_FORWARD_CONTEXT);
    // An explicit deny names the Deny statements that apply to Athena; an implicit one, the Allow
    // statements that would have granted but for their conditions (another account's bucket).
    const statements = explicit ? applyingStatements(policy, authorization, 'Deny') : allowsFailingOnConditions(policy, authorization);
    return { action: request.action, outcome: 'denied', explicit, statements: statements.map((statement) => describe(policy, statement)) };
  });
}

/**
 * A deny statement with AWS's documented exception for Athena: it no longer applies to requests
 * made via athena.amazonaws.com ("Use CalledVia context keys for Athena", Athena User Guide). For
 * every other caller the condition adds nothing: ForAllValues holds for a request without
 * aws:CalledVia (IAM User Guide, "Single-valued vs multivalued condition keys").
 */
export function withAthenaException(statement: PolicyStatement): PolicyStatement {
  const condition = { ...(statement.Condition ?? {}) };
  const operator = 'ForAllValues:StringNotEquals';
  const existing = condition[operator]?.['aws:CalledVia'];
  const values = [...new Set([...(existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)]), ATHENA_SERVICE_PRINCIPAL])];
  condition[operator] = { ...(condition[operator] ?? {}), 'aws:CalledVia': values };
  return { ...statement, Condition: condition };
}

/**
 * An allow statement that grants Athena what a network condition keeps from it: the same grant,
 * its condition replaced by "made via athena.amazonaws.com".
 */
export function athenaAllowance(statement: PolicyStatement): PolicyStatement {
  const { Condition: _condition, Sid, ...rest } = statement;
  return { ...(Sid ? { Sid: `${Sid}ViaAthena` } : {}), ...rest, Condition: { 'ForAnyValue:StringEquals': { 'aws:CalledVia': [ATHENA_SERVICE_PRINCIPAL] } } };
}

/**
 * The statements to merge into the bucket policy so that Athena's requests pass, checked with the
 * evaluator: with them, every request judged denied is allowed for Athena, and a request from no
 * known place on the network is decided as before (the exception opens nothing else).
 */
export function athenaFix(policy: PolicyDocument, judgements: readonly PathJudgement[], principal: Principal, bucketAccountId: string, requests: readonly PathRequest[]): PolicyStatement[] | undefined {
  try {
    return checkedFix(policy, judgements, principal, bucketAccountId, requests);
  } catch {
    return undefined;
  }
}

function checkedFix(policy: PolicyDocument, judgements: readonly PathJudgement[], principal: Principal, bucketAccountId: string, requests: readonly PathRequest[]): PolicyStatement[] | undefined {
  const statements = [...toList(policy.Statement)];
  const changed = new Map<number, PolicyStatement>();
  const added: PolicyStatement[] = [];
  for (const judgement of judgements) {
    if (judgement.outcome !== 'denied') continue;
    for (const denying of judgement.statements) {
      if (changed.has(denying.index)) continue;
      const statement = statements[denying.index]!;
      if (denying.effect === 'Deny') changed.set(denying.index, withAthenaException(statement));
      else {
        changed.set(denying.index, statement);
        added.push(athenaAllowance(statement));
      }
    }
  }
  if (changed.size === 0) return undefined;
  const fixed: PolicyDocument = { ...policy, Statement: [...statements.map((statement, index) => changed.get(index) ?? statement), ...added] };
  for (const request of requests) {
    const before = authorize(authorizationOf(request, principal, bucketAccountId, DIRECT), policySet(policy));
    const after = authorize(authorizationOf(request, principal, bucketAccountId, DIRECT), policySet(fixed));
    const athena = authorize(authorizationOf(request, principal, bucketAccountId, ATHENA_FORWARD_CONTEXT), policySet(fixed));
    const judged = judgements.find((j) => j.action === request.action);
    if (before.allowed !== after.allowed || (judged?.outcome === 'denied' && !athena.allowed)) return undefined;
  }
  return [...[...changed].filter(([index]) => statements[index]!.Effect === 'Deny').map(([, statement]) => statement), ...added];
}

function authorizationOf(request: PathRequest, principal: Principal, bucketAccountId: string, network: Record<string, ConditionValue>): AuthorizationRequest {
  return { action: request.action, resource: request.resource, principal, resourceAccountId: bucketAccountId, context: { ...request.context, ...network } };
}

/** The caller's identity policies are taken to allow: the bucket policy alone decides (and, across accounts, must grant). */
const ALLOW_ALL: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const policySet = (policy: PolicyDocument) => ({ identity: [ALLOW_ALL], resourcePolicy: policy });

/**
 * Where our own request may have come from: no network key at all, or each key at one of the values
 * the policy names (an address inside each range it names). Our call went through, so at least one
 * of these is where the service runs, as far as the policy can tell.
 */
function networkCandidates(policy: PolicyDocument): Array<Record<string, ConditionValue>> {
  const values = new Map<string, Set<string>>();
  for (const statement of toList(policy.Statement)) {
    for (const entries of Object.values(statement.Condition ?? {})) {
      for (const [key, expected] of Object.entries(entries)) {
        const name = NETWORK_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
        if (!name) continue;
        const set = values.get(name) ?? new Set<string>();
        for (const value of Array.isArray(expected) ? expected : [expected]) set.add(name.endsWith('Ip') ? addressIn(String(value)) : String(value));
        values.set(name, set);
      }
    }
  }
  let candidates: Array<Record<string, ConditionValue>> = [DIRECT];
  for (const [key, set] of values) {
    candidates = candidates.flatMap((candidate) => [candidate, ...[...set].map((value) => ({ ...candidate, [key]: value }))]);
    if (candidates.length > 256) break;
  }
  return candidates.slice(0, 256);
}

/** The first address of a CIDR range (or the address itself): one the range holds. */
function addressIn(range: string): string {
  const [base = ''] = range.split('/');
  return base;
}

/** Allow statements naming the request's action and resource whose conditions keep Athena out. */
function allowsFailingOnConditions(policy: PolicyDocument, request: AuthorizationRequest): PolicyStatement[] {
  return toList(policy.Statement).filter((statement) => {
    if (statement.Effect !== 'Allow' || !statement.Condition) return false;
    const unconditioned: PolicyDocument = { Statement: [{ ...statement, Condition: undefined }] };
    return applyingStatements(unconditioned, request, 'Allow').length > 0;
  });
}

function describe(policy: PolicyDocument, statement: PolicyStatement): DenyingStatement {
  const index = toList(policy.Statement).indexOf(statement);
  const keys = Object.values(statement.Condition ?? {}).flatMap((entries) => Object.keys(entries));
  const network = keys.filter((key) => NETWORK_KEYS.some((k) => k.toLowerCase() === key.toLowerCase()));
  return { index, ...(statement.Sid ? { sid: statement.Sid } : {}), effect: statement.Effect, conditionKeys: network.length ? network : keys };
}

const toList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Enough of a policy document to evaluate: statements that are objects with an Effect. */
function isPolicy(value: unknown): value is PolicyDocument {
  if (typeof value !== 'object' || value === null) return false;
  const statement = (value as { Statement?: unknown }).Statement;
  const list = Array.isArray(statement) ? statement : [statement];
  return list.length > 0 && list.every((s) => typeof s === 'object' && s !== null && ((s as PolicyStatement).Effect === 'Allow' || (s as PolicyStatement).Effect === 'Deny'));
}
