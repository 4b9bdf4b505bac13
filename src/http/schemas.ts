// Route schemas: the source of openapi.yaml, and for responses an allow-list: a field that is not
// declared here is never serialised, so nothing secret can slip into a report by accident.
// The report's shape is written once, here: its TypeScript types are ReportSchema's Static
// (src/preflight/types.ts), and its enums are built from the `as const` lists their types come from.
import Type, { type Static, type TSchema } from 'typebox';
import { CAPABILITY_IDS } from '../catalogue/capabilities.js';
import type { NumberedPolicy, OtherAccountFix as CatalogueOtherAccountFix, PolicyDocument as CataloguePolicyDocument, PolicyStatement, TrustPolicyDocument as CatalogueTrustPolicyDocument } from '../catalogue/remediation.js';
import { type ErrorCategory, POLICY_TYPES } from '../preflight/classify.js';
import { FLAT_FIELDS, PreflightRequestSchema } from '../preflight/request.js';
import { CAPABILITY_STATUSES, FINDING_CODES, OVERALL_STATUSES, PROBE_OUTCOMES, SEVERITIES, SKIP_REASONS } from '../preflight/types.js';

// Strings from a fixed set are `enum`s, and a nullable schema says so with a type list:
// fast-json-stringify writes both directly, where a union (anyOf) makes it run Ajv over every
// branch to pick one: some 150 ms of validator compiling on the first report, and work on each.
const literals = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
const nullable = <T extends TSchema & { type: string }>(schema: T) => Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });

/**
 * classify.ts's ErrorCategory, as a value. Written out again because that file's type is a union
 * of literals, not a list; checked against it below, so neither can gain a category alone.
 */
const ERROR_CATEGORIES = ['auth', 'permission', 'not-found', 'config', 'network', 'throttled', 'timeout', 'service', 'internal'] as const;

const Category = literals(ERROR_CATEGORIES);
const PolicyType = literals(POLICY_TYPES);
const SkipReason = literals(SKIP_REASONS);
const DeniedBy = Type.Object({ policyType: PolicyType, explicit: Type.Boolean() });

const Statement = Type.Object({
  Sid: Type.Optional(Type.String()),
  Effect: literals(['Allow', 'Deny']),
  Action: Type.Array(Type.String()),
  Resource: Type.Array(Type.String()),
  // Operator -> condition key -> value(s): the narrowing (s3:prefix, kms:ViaService) must reach the customer.
  Condition: Type.Optional(Type.Record(Type.String(), Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])))),
});

export const PolicyDocument = Type.Object({ Version: Type.Literal('2012-10-17'), Statement: Type.Array(Statement) });

export const TrustPolicyDocument = Type.Object({
  Version: Type.Literal('2012-10-17'),
  Statement: Type.Array(
    Type.Object({
      Sid: Type.String(),
      Effect: Type.Literal('Allow'),
      Principal: Type.Object({ AWS: Type.String() }),
      Action: Type.Array(Type.String()),
      Condition: Type.Record(Type.String(), Type.Record(Type.String(), Type.String())),
    }),
  ),
});

const ResourcePolicyDocument = Type.Object({
  Version: Type.Literal('2012-10-17'),
  Statement: Type.Array(
    Type.Object({
      Sid: Type.Optional(Type.String()),
      Effect: literals(['Allow', 'Deny']),
      Principal: Type.Object({ AWS: Type.String() }),
      Action: Type.Array(Type.String()),
      Resource: Type.Array(Type.String()),
      Condition: Type.Optional(Type.Record(Type.String(), Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])))),
    }),
  ),
});

/** What another account's owner must do (its catalog's resource policy, its Lake Formation grants): no policy of this account can. */
const OtherAccountFix = Type.Object({
  accountId: Type.String({ description: 'The account whose owner must act' }),
  summary: Type.String(),
  resourcePolicy: Type.Optional(ResourcePolicyDocument),
  commands: Type.Optional(Type.Array(Type.String(), { description: 'aws CLI commands (Lake Formation grants), in order' })),
});

const NumberedPolicyDocument = Type.Object({ name: Type.String(), document: PolicyDocument, characters: Type.Integer() });

// The catalogue writes its policy documents as interfaces (src/catalogue/remediation.ts); the
// schema must describe exactly those, and the categories exactly classify.ts's: checked at compile time.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
type SchemaMatchesTypes = [
  Assert<Equal<Static<typeof Statement>, PolicyStatement>>,
  Assert<Equal<Static<typeof PolicyDocument>, CataloguePolicyDocument>>,
  Assert<Equal<Static<typeof NumberedPolicyDocument>, NumberedPolicy>>,
  Assert<Equal<Static<typeof TrustPolicyDocument>, CatalogueTrustPolicyDocument>>,
  Assert<Equal<Static<typeof OtherAccountFix>, CatalogueOtherAccountFix>>,
  Assert<Equal<(typeof ERROR_CATEGORIES)[number], ErrorCategory>>,
];

const Reason = Type.Object({
  probe: Type.String(),
  action: Type.String(),
  code: Type.String(),
  category: Category,
  message: Type.String(),
  deniedBy: Type.Optional(DeniedBy),
  requestId: Type.Optional(Type.String()),
});

export const CapabilityReportSchema = Type.Object({
  id: literals(CAPABILITY_IDS),
  title: Type.String(),
  status: literals(CAPABILITY_STATUSES),
  skipReason: Type.Optional(SkipReason),
  required: Type.Boolean(),
  impact: Type.Optional(Type.String()),
  missingActions: Type.Array(Type.String()),
  untestedActions: Type.Array(Type.String()),
  reasons: Type.Array(Reason),
  remediation: Type.Optional(
    Type.Object({
      summary: Type.String(),
      statements: Type.Array(Statement),
      // Where a bucket policy refuses Athena's own requests: the statements to merge into it (the
      // refusing statements with AWS's exception for Athena, or an allowance for it), checked to admit
      // Athena and nothing else. Statements of the customer's own policy: any shape IAM accepts.
      bucketPolicy: Type.Optional(
        Type.Object({
          bucket: Type.String(),
          statements: Type.Array(Type.Object({}, { additionalProperties: true, description: 'A bucket policy statement' })),
        }),
      ),
      // Where no IAM statement fixes it (Lake Formation grants): the commands, also quoted in the summary.
      commands: Type.Optional(Type.Array(Type.String(), { description: 'aws CLI commands that fix it, each one line for a POSIX shell, in order' })),
      // Where another account's catalog refused or its Lake Formation share is missing: what its owner must do.
      otherAccounts: Type.Optional(Type.Array(OtherAccountFix)),
    }),
  ),
});

const ProbeReport = Type.Object({
  id: Type.String(),
  service: Type.String(),
  // Immutable: the type is `readonly string[]` (a report shares its probe's list); the schema is the same.
  actions: Type.Immutable(Type.Array(Type.String())),
  outcome: literals(PROBE_OUTCOMES),
  skipReason: Type.Optional(SkipReason),
  detail: Type.Optional(Type.String()),
  startedAtMs: Type.Integer(),
  durationMs: Type.Integer(),
  error: Type.Optional(
    Type.Object({
      action: Type.String(),
      code: Type.String(),
      category: Category,
      message: Type.String(),
      requestId: Type.Optional(Type.String()),
      deniedBy: Type.Optional(DeniedBy),
    }),
  ),
});

export const ReportSchema = Type.Object(
  {
    id: Type.String(),
    requestId: Type.Optional(Type.String()),
    status: literals(OVERALL_STATUSES),
    startedAt: Type.String({ format: 'date-time' }),
    durationMs: Type.Integer(),
    connection: Type.Object({
      region: Type.String(),
      accountId: Type.String(),
      credentialType: literals(['accessKey', 'role', 'ambient']),
      roleArn: Type.Optional(Type.String()),
      accessKeyId: Type.Optional(Type.String({ description: 'Masked: first and last four characters' })),
      externalIdGiven: Type.Optional(Type.Boolean()),
      workgroup: Type.Optional(Type.String()),
      outputLocation: Type.Optional(Type.String()),
      // The Glue catalog the probes read: its CatalogId, the account that owns it, its path under that account's root.
      catalog: Type.Optional(Type.Object({ id: Type.String(), accountId: Type.String(), name: Type.Optional(Type.String()) })),
    }),
    identity: Type.Optional(Type.Object({ accountId: Type.String(), arn: Type.String(), userId: Type.String() })),
    capabilities: Type.Array(CapabilityReportSchema),
    probes: Type.Array(ProbeReport),
    findings: Type.Array(
      Type.Object({
        code: literals(FINDING_CODES),
        severity: literals(SEVERITIES),
        message: Type.String(),
        remediation: Type.String(),
        commands: Type.Optional(Type.Array(Type.String(), { description: 'aws CLI commands that fix it, each one line for a POSIX shell, in order (also quoted in remediation)' })),
        // The probe that found it.
        probe: Type.Optional(Type.String()),
      }),
    ),
    remediation: Type.Object({
      policy: nullable(PolicyDocument),
      // Only when policy is over IAM's 6,144-character quota for a managed policy: the same grants in parts that fit.
      policies: Type.Optional(Type.Array(NumberedPolicyDocument)),
      // Role mode, when the service could not assume the role: the trust policy to give it (external ID left for the customer to fill in).
      trustPolicy: Type.Optional(TrustPolicyDocument),
      // What the owners of other accounts must do, one entry per account (their catalog resource policy, their Lake Formation grants).
      otherAccounts: Type.Optional(Type.Array(OtherAccountFix)),
      notes: Type.Array(Type.String()),
    }),
  },
  { $id: 'PreflightReport', description: 'The verdict for every capability, with reasons and the policy that fixes what is missing' },
);

export const InvalidRequestSchema = Type.Object(
  {
    error: Type.Literal('invalid_request'),
    issues: Type.Array(Type.Object({ path: Type.String({ description: 'JSON pointer of the offending field' }), message: Type.String() })),
  },
  { $id: 'InvalidRequest' },
);

export const ErrorSchema = Type.Object({ error: Type.String(), message: Type.String(), requestId: Type.Optional(Type.String()) }, { $id: 'Error' });

/** The canonical request's schema of the field at `path` (a credentials field in whichever credentials type has it). */
function canonicalField(path: string): TSchema & { writeOnly?: boolean } {
  let field: any = PreflightRequestSchema;
  for (const key of path.slice(1).split('/')) field = ((field?.anyOf ?? [field]) as any[]).map((branch) => branch?.properties?.[key]).find(Boolean);
  if (!field) throw new Error(`flat field for ${path}: the canonical request has no such field`);
  return field;
}

/** A flat field: a string, required if its canonical field is a required top-level one, write-only if that is. */
function flatField(path: string) {
  const field = Type.String(canonicalField(path).writeOnly ? { writeOnly: true } : {});
  return (PreflightRequestSchema.required as readonly string[]).includes(path.slice(1)) ? field : Type.Optional(field);
}

/** The seeds' flat connection format, accepted beside the canonical one: from request.ts's FLAT_FIELDS. */
export const FlatRequestSchema = Type.Object(Object.fromEntries(FLAT_FIELDS.filter((f) => f.documented !== false).map(({ name, path }) => [name, flatField(path)])), {
  description: 'The flat format of vendor connection forms; normalised to the canonical request',
});

export const PreflightBodySchema = Type.Union([PreflightRequestSchema, FlatRequestSchema], { $id: 'PreflightRequest' });

// Responses in OpenAPI's own form (a description, headers, a schema per media type): Fastify
// serialises by the reply's media type, @fastify/swagger documents each one as it is.
const json = (schema: TSchema) => ({ 'application/json': { schema } });
const RETRY_AFTER = { 'Retry-After': { type: 'integer', minimum: 0, description: 'Seconds to wait before trying again' } };

/** A report (PreflightReport) as JSON, Markdown or text, by Accept; with `stream`, also POST /preflight's event stream. */
export function reportResponse({ stream = false, headers }: { stream?: boolean; headers?: Record<string, unknown> } = {}) {
  return {
    description: stream
      ? 'The report, whatever its verdict, in the format Accept asks for; or its progress then the report, as an event stream'
      : 'The report, in the format Accept asks for',
    ...(headers ? { headers } : {}),
    content: {
      ...json(ReportSchema),
      ...(stream
        ? {
            'text/event-stream': {
              schema: { type: 'string', description: 'Server-sent events: `probe` (one per finished probe), then `report` (data: the PreflightReport as JSON); `error` if the run fails after the stream opened' },
            },
          }
        : {}),
      'text/markdown': { schema: { type: 'string', description: 'The report rendered as Markdown (as `preflight check --markdown` prints it)' } },
      'text/plain': { schema: { type: 'string', description: 'The report as a text table (as `preflight check` prints it)' } },
    },
  };
}

/** Refusals of a request's body or rate, for the routes that take a body and count against the rate limit. */
/** 429 `rate_limited`: every route behind the API key counts against one budget, per key or else per address. */
export const RateLimitedResponse = {
  description: 'Too many requests this minute: per API key, or per client address without a valid key (`rate_limited`)',
  headers: RETRY_AFTER,
  content: json(ErrorSchema),
};

export const bodyAndRateResponses = {
  413: { description: 'The body is larger than 64 KiB', content: json(InvalidRequestSchema) },
  415: { description: 'The body is not application/json', content: json(InvalidRequestSchema) },
  429: RateLimitedResponse,
};

/** 503 `store_unavailable`: the report store failed or did not answer within PREFLIGHT_REPORT_STORE_TIMEOUT_MS. */
export const StoreUnavailableResponse = {
  description: 'The report store failed or did not answer in time (`store_unavailable`); preflights still run: retry after Retry-After seconds',
  headers: RETRY_AFTER,
  content: json(ErrorSchema),
};

/** 503 `busy`: as many preflights as the service runs at once are running; no queue. */
export const BusyResponse = { description: 'Too many preflights are running (`busy`); no queue: retry after Retry-After seconds', headers: RETRY_AFTER, content: json(ErrorSchema) };

export const UnauthorizedResponse = { description: 'No valid API key (`Authorization: Bearer <key>`)', content: json(ErrorSchema) };
