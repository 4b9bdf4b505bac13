// Route schemas: the source of openapi.yaml, and for responses an allow-list: a field that is not
// declared here is never serialised, so nothing secret can slip into a report by accident.
import Type, { type Static, type TSchema } from 'typebox';
import { CAPABILITY_IDS } from '../catalogue/capabilities.js';
import { POLICY_TYPES } from '../preflight/classify.js';
import { PreflightRequestSchema } from '../preflight/request.js';
import { FINDING_CODES } from '../preflight/types.js';

// Strings from a fixed set are `enum`s, and a nullable schema says so with a type list:
// fast-json-stringify writes both directly, where a union (anyOf) makes it run Ajv over every
// branch to pick one: some 150 ms of validator compiling on the first report, and work on each.
const literals = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
const nullable = <T extends TSchema & { type: string }>(schema: T) => Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });

const Category = literals(['auth', 'permission', 'not-found', 'config', 'network', 'throttled', 'timeout', 'service', 'internal']);
const PolicyType = literals(POLICY_TYPES);
const SkipReason = literals(['not-requested', 'not-applicable', 'prerequisite-failed', 'disabled-by-option', 'not-configured', 'no-sample']);
const DeniedBy = Type.Object({ policyType: PolicyType, explicit: Type.Boolean() });

const Statement = Type.Object({
  Sid: Type.Optional(Type.String()),
  Effect: literals(['Allow', 'Deny']),
  Action: Type.Array(Type.String()),
  Resource: Type.Array(Type.String()),
  // Operator -> condition key -> value(s): the narrowing (s3:prefix, kms:ViaService) must reach the customer.
  Condition: Type.Optional(Type.Record(Type.String(), Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])))),
});

const PolicyDocument = Type.Object({ Version: Type.Literal('2012-10-17'), Statement: Type.Array(Statement) });

const TrustPolicyDocument = Type.Object({
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
  status: literals(['ok', 'degraded', 'unavailable', 'unknown', 'skipped']),
  skipReason: Type.Optional(SkipReason),
  required: Type.Boolean(),
  impact: Type.Optional(Type.String()),
  missingActions: Type.Array(Type.String()),
  untestedActions: Type.Array(Type.String()),
  reasons: Type.Array(Reason),
  remediation: Type.Optional(Type.Object({ summary: Type.String(), statements: Type.Array(Statement) })),
});

const ProbeReport = Type.Object({
  id: Type.String(),
  service: Type.String(),
  actions: Type.Array(Type.String()),
  outcome: literals(['pass', 'fail', 'skipped', 'error']),
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
    status: literals(['ok', 'degraded', 'failed']),
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
    }),
    identity: Type.Optional(Type.Object({ accountId: Type.String(), arn: Type.String(), userId: Type.String() })),
    capabilities: Type.Array(CapabilityReportSchema),
    probes: Type.Array(ProbeReport),
    findings: Type.Array(
      Type.Object({
        code: literals(FINDING_CODES),
        severity: literals(['high', 'medium', 'low', 'info']),
        message: Type.String(),
        remediation: Type.String(),
        probe: Type.Optional(Type.String()),
      }),
    ),
    remediation: Type.Object({
      policy: nullable(PolicyDocument),
      // Only when policy is over IAM's 6,144-character quota for a managed policy: the same grants in parts that fit.
      policies: Type.Optional(Type.Array(Type.Object({ name: Type.String(), document: PolicyDocument, characters: Type.Integer() }))),
      // Role mode, when the service could not assume the role: the trust policy to give it (external ID left for the customer to fill in).
      trustPolicy: Type.Optional(TrustPolicyDocument),
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

/** The seeds' flat connection format, accepted beside the canonical one. */
export const FlatRequestSchema = Type.Object(
  {
    aws_region: Type.String(),
    aws_account_id: Type.String(),
    access_key_id: Type.Optional(Type.String()),
    access_key_secret: Type.Optional(Type.String({ writeOnly: true })),
    session_token: Type.Optional(Type.String({ writeOnly: true })),
    role_arn: Type.Optional(Type.String()),
    external_id: Type.Optional(Type.String({ writeOnly: true })),
    workgroup: Type.Optional(Type.String()),
    catalog: Type.Optional(Type.String()),
    s3_output_location: Type.Optional(Type.String()),
    s3_staging_dir: Type.Optional(Type.String()),
  },
  { description: 'The flat format of vendor connection forms; normalised to the canonical request' },
);

export const PreflightBodySchema = Type.Union([PreflightRequestSchema, FlatRequestSchema], { $id: 'PreflightRequest' });
