// The one IAM policy evaluator, shared by the engine (bucket policies as Athena meets them) and the
// sandbox. IAM policy evaluation as AWS documents it ("Policy evaluation logic"): an explicit deny in any
// policy wins; organisations' SCPs must allow; then identity and resource-based policies, with
// cross-account requests needing both sides; boundaries and session policies only ever narrow.
import { BlockList, isIP } from 'node:net';
import type { PolicyDocument, PolicyStatement } from './policy.js';

export type PolicyKind = 'identity' | 'resource' | 'scp' | 'rcp' | 'boundary' | 'session' | 'vpc-endpoint';

export type ConditionValue = string | readonly string[] | boolean | undefined;

export interface AuthorizationRequest {
  action: string;
  resource: string;
  principal: { arn: string; accountId: string; /** For a role session, the role's ARN: policies naming the role match its sessions. */ roleArn?: string };
  /** Account owning the resource; defaults to the principal's. */
  resourceAccountId?: string;
  /** Condition keys of the request context (case-insensitive names), e.g. sts:ExternalId, kms:ViaService. */
  context?: Record<string, ConditionValue>;
}

export interface PolicySet {
  identity: readonly PolicyDocument[];
  serviceControlPolicies?: readonly PolicyDocument[];
  resourceControlPolicies?: readonly PolicyDocument[];
  permissionsBoundary?: PolicyDocument;
  sessionPolicies?: readonly PolicyDocument[];
  resourcePolicy?: PolicyDocument;
  /**
   * The policy of the gateway VPC endpoint (S3's) a request came through (none: not through an
   * endpoint, or a request a service makes on the caller's behalf, which no endpoint sees). Like an
   * SCP it only limits: it must allow the request, and its explicit deny wins ("Control access to VPC
   * endpoints using endpoint policies", AWS PrivateLink Guide). Its statements apply to a caller only
   * through "Principal": "*": in a gateway endpoint's policy an account as principal means that
   * account's root user alone, and principals are to be chosen with aws:PrincipalArn (same guide,
   * "Principals for gateway endpoints").
   */
  vpcEndpointPolicies?: readonly PolicyDocument[];
  /**
   * Role trust policies and KMS key policies must themselves allow the call: IAM policies alone
   * never suffice. A statement naming the account (root) delegates the decision to IAM policies.
   */
  resourcePolicyRequired?: boolean;
}

export interface Denial {
  explicit: boolean;
  policyType: PolicyKind;
}

export type Decision = { allowed: true } | { allowed: false; denial: Denial };

const ALLOWED: Decision = { allowed: true };
const denied = (policyType: PolicyKind, explicit: boolean): Decision => ({ allowed: false, denial: { policyType, explicit } });

export function authorize(request: AuthorizationRequest, policies: PolicySet): Decision {
  const resourceAccountId = request.resourceAccountId ?? request.principal.accountId;
  const sameAccount = resourceAccountId === request.principal.accountId;
  const matchesRequest = (statement: PolicyStatement, checkPrincipal: boolean) =>
    statementApplies(statement, request, checkPrincipal);

  const endpointStatementApplies = (statement: PolicyStatement) => namesEveryone(statement) && statementApplies(statement, request, false);

  // 1. Explicit denies, in the order AWS reports them.
  const explicitDenyIn: Array<[PolicyKind, readonly PolicyDocument[], boolean]> = [
    ['scp', policies.serviceControlPolicies ?? [], false],
    ['rcp', policies.resourceControlPolicies ?? [], true],
    ['resource', policies.resourcePolicy ? [policies.resourcePolicy] : [], true],
    ['identity', policies.identity, false],
    ['boundary', policies.permissionsBoundary ? [policies.permissionsBoundary] : [], false],
    ['session', policies.sessionPolicies ?? [], false],
  ];
  for (const [kind, documents, checkPrincipal] of explicitDenyIn) {
    if (documents.some((document) => statementsOf(document).some((s) => s.Effect === 'Deny' && matchesRequest(s, checkPrincipal)))) {
      return denied(kind, true);
    }
    if (kind === 'rcp' && (policies.vpcEndpointPolicies ?? []).some((document) => statementsOf(document).some((s) => s.Effect === 'Deny' && endpointStatementApplies(s)))) {
      return denied('vpc-endpoint', true);
    }
  }

  // 2. Every SCP in the chain must allow (an SCP without an allow is an implicit deny).
  for (const scp of policies.serviceControlPolicies ?? []) {
    if (!allows([scp], matchesRequest, false)) return denied('scp', false);
  }
  for (const rcp of policies.resourceControlPolicies ?? []) {
    if (!allows([rcp], matchesRequest, true)) return denied('rcp', false);
  }
  for (const endpointPolicy of policies.vpcEndpointPolicies ?? []) {
    if (!statementsOf(endpointPolicy).some((s) => s.Effect === 'Allow' && endpointStatementApplies(s))) return denied('vpc-endpoint', false);
  }

  const identityAllows = allows(policies.identity, matchesRequest, false);
  const resourceGrant = policies.resourcePolicy ? resourcePolicyGrant(policies.resourcePolicy, request) : 'none';

  if (policies.resourcePolicyRequired) {
    if (resourceGrant === 'none') return denied('resource', false);
    if (resourceGrant === 'account' || !sameAccount) {
      if (!identityAllows) return denied('identity', false);
      return narrowed(policies, matchesRequest);
    }
    // A grant naming the principal itself needs no identity policy, as with role trust and key policies.
    return resourceGrant === 'role' ? narrowed(policies, matchesRequest) : ALLOWED;
  }

  if (!sameAccount) {
    if (!identityAllows) return denied('identity', false);
    if (resourceGrant === 'none') return denied('resource', false);
    return narrowed(policies, matchesRequest);
  }
  if (resourceGrant === 'principal') return ALLOWED;
  if (resourceGrant === 'role') return narrowed(policies, matchesRequest);
  if (!identityAllows) return denied('identity', false);
  return narrowed(policies, matchesRequest);
}

/** Boundaries and session policies limit what identity policies grant; they never grant. */
function narrowed(policies: PolicySet, matchesRequest: (s: PolicyStatement, p: boolean) => boolean): Decision {
  if (policies.permissionsBoundary && !allows([policies.permissionsBoundary], matchesRequest, false)) return denied('boundary', false);
  if (policies.sessionPolicies?.length && !policies.sessionPolicies.every((p) => allows([p], matchesRequest, false))) {
    return denied('session', false);
  }
  return ALLOWED;
}

function allows(
  documents: readonly PolicyDocument[],
  matchesRequest: (s: PolicyStatement, checkPrincipal: boolean) => boolean,
  checkPrincipal: boolean,
): boolean {
  return documents.some((document) => statementsOf(document).some((s) => s.Effect === 'Allow' && matchesRequest(s, checkPrincipal)));
}

/**
 * How a resource policy grants: to the principal itself, to the role of a role session (which the
 * session's boundary and session policies still limit, unlike a grant to a user or to the session),
 * to its whole account (delegating to IAM), or not at all.
 */
type Grant = 'principal' | 'role' | 'account' | 'none';
const GRANT_RANK: Record<Grant, number> = { none: 0, account: 1, role: 2, principal: 3 };

/** The strongest grant of a resource policy's Allow statements that apply to the request. */
function resourcePolicyGrant(document: PolicyDocument, request: AuthorizationRequest): Grant {
  let grant: Grant = 'none';
  for (const statement of statementsOf(document)) {
    if (statement.Effect !== 'Allow' || !statementApplies(statement, request, false)) continue;
    const match = principalMatch(statement, request);
    if (GRANT_RANK[match] > GRANT_RANK[grant]) grant = match;
  }
  return grant;
}

export function statementsOf(document: PolicyDocument): readonly PolicyStatement[] {
  return Array.isArray(document.Statement) ? document.Statement : [document.Statement as PolicyStatement];
}

function statementApplies(statement: PolicyStatement, request: AuthorizationRequest, checkPrincipal: boolean): boolean {
  if (statement.Action !== undefined && !anyMatch(statement.Action, request.action, true)) return false;
  if (statement.NotAction !== undefined && anyMatch(statement.NotAction, request.action, true)) return false;
  if (statement.Action === undefined && statement.NotAction === undefined) return false;
  // A resource policy statement without Resource applies to the resource it is attached to.
  if (statement.Resource !== undefined && !anyMatch(statement.Resource, request.resource, false)) return false;
  if (statement.NotResource !== undefined && anyMatch(statement.NotResource, request.resource, false)) return false;
  if (checkPrincipal && principalMatch(statement, request) === 'none') return false;
  return conditionsHold(statement.Condition, request);
}

/** Whether a statement's Principal is everyone ("*" or {"AWS": "*"}), the only principal a gateway endpoint's policy gives every caller. */
function namesEveryone(statement: PolicyStatement): boolean {
  if (statement.Principal === '*') return true;
  const aws = statement.Principal?.AWS;
  return aws !== undefined && (typeof aws === 'string' ? [aws] : aws).includes('*');
}

function principalMatch(statement: PolicyStatement, request: AuthorizationRequest): Grant {
  const { principal } = request;
  if (statement.NotPrincipal !== undefined) {
    return principalNamed(statement.NotPrincipal, principal) === 'none' ? 'principal' : 'none';
  }
  if (statement.Principal === undefined) return 'none';
  return principalNamed(statement.Principal, principal);
}

function principalNamed(spec: PolicyStatement['Principal'], principal: AuthorizationRequest['principal']): Grant {
  if (spec === '*') return 'principal';
  const aws = spec?.AWS;
  if (aws === undefined) return 'none';
  let result: Grant = 'none';
  for (const entry of typeof aws === 'string' ? [aws] : aws) {
    if (entry === '*' || entry === principal.arn) return 'principal';
    if (principal.roleArn !== undefined && entry === principal.roleArn) result = 'role';
    else if (result === 'none' && (entry === principal.accountId || entry === `arn:aws:iam::${principal.accountId}:root`)) result = 'account';
  }
  return result;
}

function anyMatch(patterns: string | readonly string[], value: string, ignoreCase: boolean): boolean {
  const list = typeof patterns === 'string' ? [patterns] : patterns;
  return list.some((pattern) => globMatch(pattern, value, ignoreCase));
}

const globCache = new Map<string, RegExp>();

/** IAM wildcards: `*` any run of characters (including none), `?` exactly one. */
export function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  const cacheKey = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = globCache.get(cacheKey);
  if (!regex) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    regex = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    globCache.set(cacheKey, regex);
  }
  return regex.test(value);
}

type Condition = NonNullable<PolicyStatement['Condition']>;

function conditionsHold(condition: Condition | undefined, request: AuthorizationRequest): boolean {
  if (!condition) return true;
  const context = contextOf(request);
  return Object.entries(condition).every(([operator, entries]) =>
    Object.entries(entries).every(([key, expected]) => conditionHolds(operator, context.get(key.toLowerCase()), toList(expected))),
  );
}

function contextOf(request: AuthorizationRequest): Map<string, ConditionValue> {
  const context = new Map<string, ConditionValue>([
    ['aws:principalarn', request.principal.roleArn ?? request.principal.arn],
    ['aws:principalaccount', request.principal.accountId],
    ['aws:resourceaccount', request.resourceAccountId ?? request.principal.accountId],
    ['aws:securetransport', 'true'],
  ]);
  for (const [key, value] of Object.entries(request.context ?? {})) context.set(key.toLowerCase(), value);
  return context;
}

function toList(value: string | boolean | readonly (string | boolean)[]): string[] {
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Negated operators and the operator they negate: true only when no policy value matches ("NOR"). */
const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
};

function conditionHolds(rawOperator: string, actual: ConditionValue, expected: string[]): boolean {
  let operator = rawOperator;
  let setMode: 'any' | 'all' | undefined;
  if (operator.startsWith('ForAnyValue:')) [setMode, operator] = ['any', operator.slice('ForAnyValue:'.length)];
  else if (operator.startsWith('ForAllValues:')) [setMode, operator] = ['all', operator.slice('ForAllValues:'.length)];
  const ifExists = operator.endsWith('IfExists');
  if (ifExists) operator = operator.slice(0, -'IfExists'.length);

  if (operator === 'Null') {
    const isNull = actual === undefined || (Array.isArray(actual) && actual.length === 0);
    return expected.some((value) => (value === 'true') === isNull);
  }
  const negated = Object.hasOwn(NEGATED, operator);
  const test = valueTest(NEGATED[operator] ?? operator);
  const values = actual === undefined ? [] : (Array.isArray(actual) ? actual : [String(actual)]) as string[];
  if (values.length === 0) {
    if (ifExists || setMode === 'all') return true;
    if (setMode === 'any') return false; // No value to match, even for a negated operator.
    // A missing key matches nothing: the condition is false, but true for a negated operator.
    return negated && test !== undefined;
  }
  if (!test) return false; // An operator we do not know never grants and never denies by accident of omission.
  // A value that cannot be compared (not a number, a date, an address) satisfies neither form.
  const matchOne = (value: string) => (negated ? expected.every((e) => test(e, value) === false) : expected.some((e) => test(e, value) === true));
  if (setMode === 'all') return values.every(matchOne);
  if (setMode === 'any') return values.some(matchOne);
  return negated ? values.every(matchOne) : values.some(matchOne);
}

/** Whether a request value matches one policy value; undefined when the two cannot be compared. */
type ValueTest = (expected: string, actual: string) => boolean | undefined;

function valueTest(operator: string): ValueTest | undefined {
  switch (operator) {
    case 'StringEquals':
      return (e, a) => e === a;
    case 'StringEqualsIgnoreCase':
      return (e, a) => e.toLowerCase() === a.toLowerCase();
    case 'StringLike':
      return (e, a) => globMatch(e, a, false);
    // "Each of the six colon-delimited components of the ARN is checked separately" (condition
    // operators, ARN): a wildcard matches within its component, never across a colon.
    case 'ArnEquals':
    case 'ArnLike':
      return arnMatch;
    case 'Bool':
      return (e, a) => e.toLowerCase() === a.toLowerCase();
    case 'BinaryEquals':
      return (e, a) => e === a;
    case 'NumericEquals':
      return numeric((e, a) => a === e);
    case 'NumericLessThan':
      return numeric((e, a) => a < e);
    case 'NumericLessThanEquals':
      return numeric((e, a) => a <= e);
    case 'NumericGreaterThan':
      return numeric((e, a) => a > e);
    case 'NumericGreaterThanEquals':
      return numeric((e, a) => a >= e);
    case 'DateEquals':
      return date((e, a) => a === e);
    case 'DateLessThan':
      return date((e, a) => a < e);
    case 'DateLessThanEquals':
      return date((e, a) => a <= e);
    case 'DateGreaterThan':
      return date((e, a) => a > e);
    case 'DateGreaterThanEquals':
      return date((e, a) => a >= e);
    case 'IpAddress':
      return ipInRange;
    default:
      return undefined;
  }
}

function arnMatch(pattern: string, value: string): boolean | undefined {
  const patternParts = arnComponents(pattern);
  const valueParts = arnComponents(value);
  if (!patternParts || !valueParts) return false;
  return patternParts.every((part, index) => globMatch(part, valueParts[index]!, false));
}

/** arn, partition, service, region, account and resource (which keeps any further colons). */
function arnComponents(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

function numeric(compare: (expected: number, actual: number) => boolean): ValueTest {
  const parse = (text: string) => (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text.trim()) ? Number(text) : undefined);
  return (e, a) => {
    const [expected, actual] = [parse(e), parse(a)];
    return expected === undefined || actual === undefined ? undefined : compare(expected, actual);
  };
}

/**
 * Dates "in one of the W3C implementations of the ISO 8601 date formats or in epoch (UNIX) time"
 * (condition operators, Date), compared as instants whichever form each side uses.
 */
function date(compare: (expected: number, actual: number) => boolean): ValueTest {
  const parse = (text: string) => {
    if (/^\d+$/.test(text)) return Number(text) * 1000;
    if (!/^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/.test(text)) return undefined;
    const time = Date.parse(text);
    return Number.isNaN(time) ? undefined : time;
  };
  return (e, a) => {
    const [expected, actual] = [parse(e), parse(a)];
    return expected === undefined || actual === undefined ? undefined : compare(expected, actual);
  };
}

/** IpAddress: the address is in the policy's CIDR range (a bare address is a /32 or /128). */
function ipInRange(range: string, address: string): boolean | undefined {
  const [base, bits, ...rest] = range.split('/');
  const family = isIP(base ?? '');
  const addressFamily = isIP(address);
  const prefix = bits === undefined ? (family === 6 ? 128 : 32) : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!family || !addressFamily || rest.length > 0 || !(prefix >= 0 && prefix <= (family === 6 ? 128 : 32))) return undefined;
  if (family !== addressFamily) return false; // an IPv4 range holds no IPv6 address, and the reverse
  const list = new BlockList();
  list.addSubnet(base!, prefix, family === 6 ? 'ipv6' : 'ipv4');
  return list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

const POLICY_PHRASE: Record<PolicyKind, string> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  scp: 'service control policy',
  rcp: 'resource control policy',
  boundary: 'permissions boundary',
  session: 'session policy',
  'vpc-endpoint': 'VPC endpoint policy',
};

/** AWS's current access-denied text; "on resource" is left out when the resource is "*". */
export function accessDeniedMessage(principalArn: string, action: string, resource: string, denial: Denial): string {
  const onResource = resource === '*' ? '' : ` on resource: ${resource}`;
  const phrase = POLICY_PHRASE[denial.policyType];
  const why = denial.explicit
    ? `with an explicit deny in ${/^[aeiou]/i.test(phrase) ? 'an' : 'a'} ${phrase}`
    : `because no ${phrase} allows the ${action} action`;
  return `User: ${principalArn} is not authorized to perform: ${action}${onResource} ${why}`;
}

/**
 * The statements of one policy with this effect that apply to a request (its Principal checked, as a
 * resource policy's is): which statement a decision came from, to name it to the reader.
 */
export function applyingStatements(document: PolicyDocument, request: AuthorizationRequest, effect: 'Allow' | 'Deny'): PolicyStatement[] {
  return statementsOf(document).filter((statement) => statement.Effect === effect && statementApplies(statement, request, true));
}
