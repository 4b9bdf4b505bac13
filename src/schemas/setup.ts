// POST /setup: its body and its answer. The body's connection fields are POST /preflight's own
// schemas (src/preflight/request.ts validates both, so that both routes accept and refuse the
// same values in the same words); the answer, as every response schema, is also an allow-list.
import Type, { type Static } from 'typebox';
import { CAPABILITY_IDS } from '../catalogue/capabilities.js';
import { PolicyDocument, TrustPolicyDocument } from './report.js';
import { PreflightRequestSchema, RoleCredentialsSchema, S3_URI_PATTERN } from './request.js';
import { literals } from './typebox.js';

const P = PreflightRequestSchema.properties;
export const ROLE_NAME_PATTERN = '^[\\w+=,.@-]{1,64}$';
export const KMS_KEY_PATTERN = '^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:[0-9]{12}:(key/[\\w-]{1,128}|alias/[\\w/+=,.@-]{1,250})$';

/** The role's name unless the request or the customer (a template parameter) changes it. */
export const DEFAULT_ROLE_NAME = 'PreflightAccess';

export const SetupRequestSchema = Type.Object(
  {
    region: P.region,
    accountId: P.accountId,
    externalId: Type.String({
      pattern: (RoleCredentialsSchema.properties.externalId as unknown as { pattern: string }).pattern,
      writeOnly: true,
      description: "The external ID the vendor assigned to this customer: the role's trust policy requires it. Never echoed in errors or logs.",
    }),
    roleName: Type.Optional(Type.String({ pattern: ROLE_NAME_PATTERN, description: `The role to create (default ${DEFAULT_ROLE_NAME}); a template parameter the customer may change` })),
    capabilities: Type.Optional(Type.Array(P.capabilities.items, { uniqueItems: true, minItems: 1, description: 'What the product needs (default: the capabilities a preflight checks by default)' })),
    required: Type.Optional(Type.Array(P.required.items, { uniqueItems: true, description: 'Which of them the product cannot work without (the preflight to run afterwards fails without them)' })),
    athena: P.athena,
    glue: P.glue,
    dataLocation: Type.Optional(Type.String({ pattern: S3_URI_PATTERN, description: "Where the tables' data lies (s3://bucket/prefix/): required for table-data, whose grant it scopes; for query-execution, the read a query over ungoverned tables needs (without it the answer warns)" })),
    kmsKeys: Type.Optional(Type.Array(Type.String({ pattern: KMS_KEY_PATTERN }), { maxItems: 10, uniqueItems: true, description: 'KMS key (or alias) ARNs that protect query results or the data' })),
    options: Type.Optional(
      Type.Object(
        {
          selfCheck: Type.Optional(Type.Boolean({ description: 'Also grant what only the preflight calls to check (deleting its marker, reading bucket and Lake Formation settings); default true' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, $id: 'SetupRequest' },
);

export type SetupRequest = Static<typeof SetupRequestSchema>;

/** The POST /preflight body that checks the role: the request's own fields, credentials of the role created. */
const CheckRequest = Type.Object({
  region: Type.String(),
  accountId: Type.String(),
  credentials: Type.Object({ type: Type.Literal('role'), roleArn: Type.String(), externalId: Type.Optional(Type.String()) }),
  athena: P.athena,
  glue: P.glue,
  capabilities: Type.Optional(Type.Array(literals(CAPABILITY_IDS))),
  required: Type.Optional(Type.Array(literals(CAPABILITY_IDS))),
  options: Type.Optional(Type.Object({ runQuery: Type.Optional(Type.Boolean()) })),
});

export const SetupSchema = Type.Object(
  {
    roleName: Type.String(),
    roleArn: Type.String({ description: 'The role once created under roleName (the template can rename it: its RoleArn output is the truth)' }),
    trustedPrincipal: Type.String({ description: 'The only principal the role trusts: the service itself (PREFLIGHT_TRUSTED_PRINCIPAL)' }),
    capabilities: Type.Array(Type.Object({ id: literals(CAPABILITY_IDS), title: Type.String(), feature: Type.String(), required: Type.Boolean() })),
    attachment: literals(['inline', 'managed'] as const),
    policies: Type.Array(
      Type.Object({
        name: Type.String({ description: 'preflight-access-N (the identity policy, in parts within IAM quotas) or preflight-self-check' }),
        purpose: Type.String(),
        document: PolicyDocument,
        characters: Type.Integer(),
      }),
    ),
    trustPolicy: TrustPolicyDocument,
    check: CheckRequest,
    cloudFormation: Type.Object({ json: Type.String(), yaml: Type.String() }, { description: 'The template, as JSON and as YAML' }),
    terraform: Type.String({ description: 'A Terraform configuration (HCL)' }),
    awsCli: Type.String({ description: 'aws CLI commands for a POSIX shell' }),
    warnings: Type.Array(Type.String(), {
      description: 'What the role, as asked for, cannot do, each "capability: why: what to give" (query-execution without dataLocation); empty when nothing',
    }),
  },
  { $id: 'Setup', description: "The role for the service to assume, in every form, from the catalogue that judges the preflight's result" },
);
