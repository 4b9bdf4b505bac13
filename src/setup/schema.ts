// POST /setup's answer as a schema: the source of openapi.yaml and, for responses, an allow-list.
import Type, { type Static } from 'typebox';
import { CAPABILITY_IDS } from '../catalogue/capabilities.js';
import { PolicyDocument, TrustPolicyDocument } from '../http/schemas.js';
import { PreflightRequestSchema } from '../preflight/request.js';
import type { Setup } from './generate.js';

const P = PreflightRequestSchema.properties;
const literals = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });

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

// Everything the generator answers is declared here, or the allow-list would drop it.
type Assert<T extends true> = T;
export type SetupMatchesSchema = Assert<Setup extends Static<typeof SetupSchema> ? true : false>;
