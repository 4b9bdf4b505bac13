// The coverage request (POST /policy/coverage, preflight coverage): policy documents and the
// connection a preflight would check. Its connection fields are POST /preflight's own schemas,
// judged by the preflight's validator, so that both accept and refuse the same values in the same
// words; the policies are judged here, each bad element named by its JSON pointer.
import Type, { type Static } from 'typebox';
import { CAPABILITIES, type CapabilityId } from '../catalogue/capabilities.js';
import { hasUnprintable } from '../catalogue/quote.js';
import type { PolicyDocument, PolicyStatement } from '../iam/policy.js';
import { type ValidationIssue, addKnownFieldNames, reportUnknownField, validatePreflightRequest } from '../preflight/request.js';
import { PreflightRequestSchema, S3_URI_PATTERN } from '../schemas/request.js';
import { KMS_KEY_PATTERN } from '../schemas/setup.js';

const P = PreflightRequestSchema.properties;
const StringOrList = Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 1 })]);
const ConditionValue = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);

const StatementSchema = Type.Object(
  {
    Sid: Type.Optional(Type.String()),
    Effect: Type.Union([Type.Literal('Allow'), Type.Literal('Deny')]),
    Action: Type.Optional(StringOrList),
    NotAction: Type.Optional(StringOrList),
    Resource: Type.Optional(StringOrList),
    NotResource: Type.Optional(StringOrList),
    Condition: Type.Optional(Type.Record(Type.String(), Type.Record(Type.String(), Type.Union([ConditionValue, Type.Array(ConditionValue, { minItems: 1 })])))),
  },
  { additionalProperties: false },
);

/** An IAM policy document as IAM accepts one for an identity, a permissions boundary or an SCP ("IAM JSON policy elements reference"). */
export const PolicyDocumentSchema = Type.Object(
  {
    Version: Type.Optional(Type.Union([Type.Literal('2012-10-17'), Type.Literal('2008-10-17')])),
    Id: Type.Optional(Type.String()),
    Statement: Type.Union([StatementSchema, Type.Array(StatementSchema, { minItems: 1 })]),
  },
  { additionalProperties: false, description: 'An IAM policy document (identity, permissions boundary or service control policy)' },
);

/** How query results are written, as the workgroup's result configuration (or the bucket's default encryption) says. */
const ResultsSchema = Type.Object(
  {
    encryption: Type.Optional(
      Type.Union([Type.Literal('SSE_S3'), Type.Literal('SSE_KMS'), Type.Literal('CSE_KMS')], {
        description: "EncryptionConfiguration.EncryptionOption of the workgroup; SSE_KMS also for a bucket whose default encryption is SSE-KMS",
      }),
    ),
    kmsKey: Type.Optional(Type.String({ pattern: KMS_KEY_PATTERN, description: 'The KMS key (or alias) ARN of SSE_KMS or CSE_KMS' })),
    acl: Type.Optional(Type.Literal('BUCKET_OWNER_FULL_CONTROL', { description: 'AclConfiguration.S3AclOption: Athena sends it as x-amz-acl with every result write' })),
  },
  { additionalProperties: false },
);

export const CoverageRequestSchema = Type.Object(
  {
    region: P.region,
    accountId: P.accountId,
    policies: Type.Array(PolicyDocumentSchema, { minItems: 1, maxItems: 20, description: "The principal's identity policies (inline and managed), as IAM documents" }),
    permissionsBoundary: Type.Optional({ ...PolicyDocumentSchema, description: "The principal's permissions boundary, if it has one" }),
    scps: Type.Optional(Type.Array(PolicyDocumentSchema, { maxItems: 10, description: 'Service control policies that apply to the account, one per level of the organization' })),
    athena: P.athena,
    glue: P.glue,
    capabilities: Type.Optional(Type.Array(P.capabilities.items, { uniqueItems: true, minItems: 1, description: 'What to judge (default: what a preflight checks by default)' })),
    required: Type.Optional(Type.Array(P.required.items, { uniqueItems: true, description: 'Which of them the product cannot work without' })),
    results: Type.Optional(ResultsSchema),
    dataLocation: Type.Optional(Type.String({ pattern: S3_URI_PATTERN, description: "Where the tables' data lies (s3://bucket/prefix/): table-data's reads, and a query's" })),
  },
  { additionalProperties: false, $id: 'CoverageRequest' },
);

export type CoverageRequest = Static<typeof CoverageRequestSchema>;
addKnownFieldNames(CoverageRequestSchema);

/** The request as the evaluator takes it: policies checked and normalised, capabilities and required filled in. */
export interface CoverageInput extends Omit<CoverageRequest, 'capabilities' | 'required' | 'policies' | 'permissionsBoundary' | 'scps'> {
  policies: PolicyDocument[];
  permissionsBoundary?: PolicyDocument;
  scps?: PolicyDocument[];
  capabilities: CapabilityId[];
  required: CapabilityId[];
}

type Report = (path: string, message: string) => void;

const SHARED = ['region', 'accountId', 'capabilities', 'required', 'athena', 'glue'] as const;
const OWN = ['policies', 'permissionsBoundary', 'scps', 'results', 'dataLocation'] as const;
// Stands in for the credentials the preflight's validator requires; never reaches an answer.
const PLACEHOLDER_CREDENTIALS = { type: 'role', roleArn: 'arn:aws:iam::123456789012:role/coverage' };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const matches = (pattern: string, value: unknown) => typeof value === 'string' && new RegExp(pattern).test(value);

// IAM's grammar for the elements, loosely: an action is `*` or service:Name with wildcards; a
// resource `*` or an ARN (wildcards and policy variables allowed); no white space in either.
const ACTION = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/;
const RESOURCE = /^(\*|arn:\S+)$/;
const STATEMENT_FIELDS = new Set(Object.keys(StatementSchema.properties));
/** IAM's condition operators ("IAM JSON policy elements: Condition operators"), with their set and IfExists forms. */
const CONDITION_OPERATOR =
  /^(ForAnyValue:|ForAllValues:)?(String(Not)?Equals(IgnoreCase)?|String(Not)?Like|Numeric(Not)?Equals|Numeric(LessThan|GreaterThan)(Equals)?|Date(Not)?Equals|Date(LessThan|GreaterThan)(Equals)?|Bool|BinaryEquals|(Not)?IpAddress|Arn(Not)?(Equals|Like))(IfExists)?$|^Null$/;

/** One element (Action, Resource…): a string or a non-empty list of strings, each of this shape. */
function checkList(value: unknown, path: string, shape: RegExp, what: string, report: Report): void {
  const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (!items || items.length === 0) return report(path, `must be ${what} or a non-empty list of them`);
  items.forEach((item, index) => {
    const at = typeof value === 'string' ? path : `${path}/${index}`;
    if (typeof item !== 'string') report(at, `must be ${what}`);
    else if (!shape.test(item)) report(at, `must be ${what}`);
  });
}

function checkStatement(statement: unknown, path: string, kind: 'identity' | 'scp', report: Report): void {
  if (!isObject(statement)) return report(path, 'must be a policy statement (an object)');
  for (const key of Object.keys(statement)) {
    if (key === 'Principal' || key === 'NotPrincipal') report(`${path}/${key}`, 'is not allowed here: an identity policy, a boundary or an SCP names no principal (IAM refuses it)');
    else if (!STATEMENT_FIELDS.has(key)) reportUnknownField(path, key, report);
  }
  if (statement.Sid !== undefined && typeof statement.Sid !== 'string') report(`${path}/Sid`, 'must be a string');
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') report(`${path}/Effect`, 'must be "Allow" or "Deny"');
  const either = (a: 'Action' | 'Resource', b: 'NotAction' | 'NotResource', shape: RegExp, what: string, required: boolean) => {
    if (statement[a] !== undefined && statement[b] !== undefined) report(path, `must have ${a} or ${b}, not both`);
    else if (statement[a] !== undefined) checkList(statement[a], `${path}/${a}`, shape, what, report);
    else if (statement[b] !== undefined) checkList(statement[b], `${path}/${b}`, shape, what, report);
    else if (required) report(`${path}/${a}`, `is required (or ${b})`);
  };
  either('Action', 'NotAction', ACTION, 'an action such as glue:GetTables (wildcards allowed)', true);
  // An SCP may leave Resource out; IAM refuses an identity policy or a boundary without it.
  either('Resource', 'NotResource', RESOURCE, 'a resource ARN or *', kind === 'identity');
  const condition = statement.Condition;
  if (condition === undefined) return;
  if (!isObject(condition)) return report(`${path}/Condition`, 'must be an object: operator → condition key → value(s)');
  for (const [operator, entries] of Object.entries(condition)) {
    // Named only when it is an operator IAM knows: IAM refuses any other, and its name is not repeated.
    if (!CONDITION_OPERATOR.test(operator)) {
      report(`${path}/Condition`, 'has an operator IAM does not know (its name is not repeated); operators are such as StringEquals, ArnLike, ForAnyValue:StringLike, BoolIfExists');
      continue;
    }
    const at = `${path}/Condition/${operator}`;
    if (!isObject(entries)) {
      report(at, 'must be an object: condition key → value(s)');
      continue;
    }
    for (const [key, value] of Object.entries(entries)) {
      const values = Array.isArray(value) ? value : [value];
      if (!/^[\w:./$-]{1,128}$/.test(key)) report(at, 'has a condition key that is not one (such as aws:SourceIp)');
      else if (values.length === 0 || !values.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) report(at, 'must map each condition key to a string, number or boolean, or a non-empty list of them');
    }
  }
}

/** One policy document: every malformed element named by its pointer, never by its value. */
function checkPolicy(document: unknown, path: string, kind: 'identity' | 'scp', report: Report): void {
  if (!isObject(document)) return report(path, 'must be an IAM policy document (an object with Statement)');
  for (const key of Object.keys(document)) if (!['Version', 'Id', 'Statement'].includes(key)) reportUnknownField(path, key, report);
  if (document.Version !== undefined && document.Version !== '2012-10-17' && document.Version !== '2008-10-17') report(`${path}/Version`, 'must be "2012-10-17" (or "2008-10-17")');
  if (document.Id !== undefined && typeof document.Id !== 'string') report(`${path}/Id`, 'must be a string');
  const statement = document.Statement;
  if (statement === undefined) return report(`${path}/Statement`, 'is required');
  if (Array.isArray(statement)) {
    if (statement.length === 0) return report(`${path}/Statement`, 'must hold at least one statement');
    statement.forEach((s, index) => checkStatement(s, `${path}/Statement/${index}`, kind, report));
  } else {
    checkStatement(statement, `${path}/Statement`, kind, report);
  }
  unprintable(document, path, report);
}

/**
 * No element of a policy needs a control character or a bidirectional override; each would reach a
 * terminal or a ticket. Named down to the statement's element; below that (a condition's keys, which
 * the caller chose) the element is named, not the key.
 */
function unprintable(value: unknown, path: string, report: Report): boolean {
  if (typeof value === 'string') return hasUnprintable(value) && (report(path, 'must not contain control characters or bidirectional overrides'), true);
  if (Array.isArray(value)) return value.map((item, index) => unprintable(item, `${path}/${index}`, report)).some(Boolean);
  if (!isObject(value)) return false;
  let found = false;
  for (const [key, item] of Object.entries(value)) {
    const named = ['Statement', 'Version', 'Id'].includes(key) || STATEMENT_FIELDS.has(key);
    if (named && key !== 'Condition') found = unprintable(item, `${path}/${key}`, report) || found;
    else if (hasUnprintable(key) || unprintable(item, path, () => undefined)) {
      report(named ? `${path}/${key}` : path, 'must not contain control characters or bidirectional overrides');
      found = true;
    }
  }
  return found;
}

/** A policy as the evaluator reads it: condition values as strings (IAM compares them as text). */
function normalised(document: Record<string, unknown>): PolicyDocument {
  const statement = (s: Record<string, unknown>): PolicyStatement => {
    const condition = s.Condition as Record<string, Record<string, unknown>> | undefined;
    if (!condition) return s as unknown as PolicyStatement;
    const text = (v: unknown) => (typeof v === 'number' ? String(v) : (v as string | boolean));
    return {
      ...(s as unknown as PolicyStatement),
      Condition: Object.fromEntries(Object.entries(condition).map(([op, entries]) => [op, Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, Array.isArray(v) ? v.map(text) : text(v)]))])),
    };
  };
  const statements = document.Statement;
  return { ...(document as unknown as PolicyDocument), Statement: Array.isArray(statements) ? statements.map(statement) : statement(statements as Record<string, unknown>) };
}

/**
 * A body into the evaluator's input, or every issue, each naming its field (a policy's element by
 * its pointer, `/policies/0/Statement/2/Effect`) and what it must be, never the value it had.
 */
export function validateCoverageRequest(body: unknown): { ok: true; input: CoverageInput } | { ok: false; issues: ValidationIssue[] } {
  if (!isObject(body)) return { ok: false, issues: [{ path: '/', message: 'the body must be a JSON object' }] };
  const issues: ValidationIssue[] = [];
  const report: Report = (path, message) => {
    if (!issues.some((issue) => issue.path === path)) issues.push({ path, message });
  };
  const shared: Record<string, unknown> = {};
  for (const key of Object.keys(body)) {
    if ((SHARED as readonly string[]).includes(key)) Object.defineProperty(shared, key, { value: body[key], enumerable: true, writable: true, configurable: true });
    else if (!(OWN as readonly string[]).includes(key)) reportUnknownField('', key, report);
  }
  shared.credentials = PLACEHOLDER_CREDENTIALS;
  const preflight = validatePreflightRequest(shared);
  if (!preflight.ok) for (const issue of preflight.issues) report(issue.path, issue.message);

  const { policies, permissionsBoundary, scps, results, dataLocation } = body;
  if (policies === undefined) report('/policies', 'is required: the identity policy documents to judge');
  else if (!Array.isArray(policies) || policies.length === 0) report('/policies', 'must be a non-empty list of IAM policy documents');
  else if (policies.length > 20) report('/policies', 'must hold at most 20 policy documents');
  else policies.forEach((policy, index) => checkPolicy(policy, `/policies/${index}`, 'identity', report));
  if (permissionsBoundary !== undefined) checkPolicy(permissionsBoundary, '/permissionsBoundary', 'identity', report);
  if (scps !== undefined) {
    if (!Array.isArray(scps)) report('/scps', 'must be a list of IAM policy documents');
    else if (scps.length > 10) report('/scps', 'must hold at most 10 policy documents');
    else scps.forEach((policy, index) => checkPolicy(policy, `/scps/${index}`, 'scp', report));
  }
  if (results !== undefined) {
    if (!isObject(results)) report('/results', 'must be an object');
    else
      for (const [key, value] of Object.entries(results)) {
        if (key === 'encryption') ['SSE_S3', 'SSE_KMS', 'CSE_KMS'].includes(value as string) || report('/results/encryption', 'must be one of SSE_S3, SSE_KMS, CSE_KMS');
        else if (key === 'kmsKey') matches(KMS_KEY_PATTERN, value) || report('/results/kmsKey', 'must be a KMS key ARN (arn:aws:kms:region:account:key/id) or alias ARN (…:alias/name)');
        else if (key === 'acl') value === 'BUCKET_OWNER_FULL_CONTROL' || report('/results/acl', 'must be BUCKET_OWNER_FULL_CONTROL');
        else reportUnknownField('/results', key, report);
      }
  }
  if (dataLocation !== undefined && !matches(S3_URI_PATTERN, dataLocation)) report('/dataLocation', 'must be an S3 URI such as s3://bucket/prefix/ (no spaces, no empty segment //)');
  if (issues.length || !preflight.ok) return { ok: false, issues: issues.slice(0, 20) };

  const request = preflight.request;
  // connection is always judged, as a preflight always checks it.
  const capabilities = [...new Set<CapabilityId>(['connection', ...(request.capabilities ?? CAPABILITIES.filter((c) => c.requestedByDefault).map((c) => c.id))])];
  const { credentials: _credentials, options: _options, ...connection } = request;
  return {
    ok: true,
    input: {
      ...connection,
      policies: (policies as Record<string, unknown>[]).map(normalised),
      ...(permissionsBoundary === undefined ? {} : { permissionsBoundary: normalised(permissionsBoundary as Record<string, unknown>) }),
      ...(scps === undefined ? {} : { scps: (scps as Record<string, unknown>[]).map(normalised) }),
      ...(results === undefined ? {} : { results: results as CoverageRequest['results'] }),
      ...(dataLocation === undefined ? {} : { dataLocation: dataLocation as string }),
      capabilities: [...capabilities],
      required: [...(request.required ?? (['connection', 'metadata'] as const).filter((id) => id === 'connection' || capabilities.includes(id)))],
    },
  };
}
