// The report: the product, which the API, the CLI and the web page all show. Its shape is written
// once, here: its TypeScript types are ReportSchema's Static (src/preflight/types.ts), and as the
// route's response schema it is an allow-list: a field not declared here is never serialised, so
// nothing secret can slip into a report by accident. Its enums are the `as const` lists below.
import Type, { type Static } from 'typebox';
import { CAPABILITY_IDS } from '../catalogue/capabilities.js';
import { FINDING_CODES, SEVERITIES } from '../catalogue/findings.js';
import { type NumberedPolicy, type OtherAccountFix as CatalogueOtherAccountFix, type PolicyDocument as CataloguePolicyDocument, POLICY_TYPES, type PolicyStatement, type TrustPolicyDocument as CatalogueTrustPolicyDocument } from '../catalogue/remediation.js';
import { literals, nullable } from './typebox.js';

// Each list once, as values: the schema's enums are built from them, the report's types from the schema.
export const CAPABILITY_STATUSES = ['ok', 'degraded', 'unavailable', 'unknown', 'skipped'] as const;
export const SKIP_REASONS = ['not-requested', 'not-applicable', 'prerequisite-failed', 'disabled-by-option', 'not-configured', 'no-sample'] as const;
export const PROBE_OUTCOMES = ['pass', 'fail', 'skipped', 'error'] as const;
export const OVERALL_STATUSES = ['ok', 'degraded', 'failed'] as const;

/**
 * What went wrong with a call, as src/preflight/classify.ts's ErrorCategory says it: that type is a
 * union of literals, not a list, so it is written out again here; src/preflight/types.ts checks
 * the two are the same, so neither can gain a category alone.
 */
export const ERROR_CATEGORIES = ['auth', 'permission', 'not-found', 'config', 'network', 'throttled', 'timeout', 'service', 'internal'] as const;

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
// schema must describe exactly those: checked at compile time.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
type SchemaMatchesTypes = [
  Assert<Equal<Static<typeof Statement>, PolicyStatement>>,
  Assert<Equal<Static<typeof PolicyDocument>, CataloguePolicyDocument>>,
  Assert<Equal<Static<typeof NumberedPolicyDocument>, NumberedPolicy>>,
  Assert<Equal<Static<typeof TrustPolicyDocument>, CatalogueTrustPolicyDocument>>,
  Assert<Equal<Static<typeof OtherAccountFix>, CatalogueOtherAccountFix>>,
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
