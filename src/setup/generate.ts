// The setup a customer applies before the first preflight: the role the service assumes, its trust
// policy and its identity policies, as JSON, a CloudFormation template, a Terraform configuration
// and aws CLI commands. Pure functions of the request, from the catalogue that judges the result
// (setupPolicies, buildTrustPolicy): what the setup grants is what the preflight checks.
import type { Static } from 'typebox';
import { stringify as toYaml } from 'yaml';
import { CAPABILITIES, type CapabilityId } from '../catalogue/capabilities.js';
import { IAM_POLICY_LIMITS, type PolicyDocument, type ResourceScope, type TrustPolicyDocument, buildTrustPolicy, setupPolicies } from '../catalogue/remediation.js';
import { hclString, shellCommand, shellWord } from '../catalogue/quote.js';
import { parseCatalogSelection, parseS3Uri } from '../preflight/connection.js';
import type { PreflightRequest } from '../preflight/request.js';
import { DEFAULT_ROLE_NAME, type SetupSchema } from '../schemas/setup.js';
import type { SetupInput } from './request.js';
import { partitionOf } from '../catalogue/resources.js';

/** One policy the role gets: a numbered part of the identity policy, or the self-check policy. */
export interface SetupPolicy {
  /** preflight-access-1, -2, …, preflight-self-check: the inline policy's name, or the managed policy's after the role's name. */
  name: string;
  /** What it is for, in a sentence. */
  purpose: string;
  document: PolicyDocument;
  /** Its size as IAM counts it (compact JSON). */
  characters: number;
}

export interface SetupCapability {
  id: CapabilityId;
  title: string;
  feature: string;
  required: boolean;
}

export interface Setup {
  roleName: string;
  /** The role's ARN once created under roleName (the stack's RoleArn output says the same). */
  roleArn: string;
  trustedPrincipal: string;
  capabilities: SetupCapability[];
  /** Inline while every policy together fits the role's inline quota (10,240 characters); else managed policies, attached. */
  attachment: 'inline' | 'managed';
  policies: SetupPolicy[];
  trustPolicy: TrustPolicyDocument;
  /** The body of the POST /preflight that checks the role once created. */
  check: CheckRequest;
  cloudFormation: { json: string; yaml: string };
  terraform: string;
  awsCli: string;
  /** What the setup asked for but cannot grant as asked, each "capability: why: what to give"; empty when nothing. */
  warnings: string[];
}

// Everything the generator answers is declared in the route's schema, or the allow-list would drop it.
type Assert<T extends true> = T;
export type SetupMatchesSchema = Assert<Setup extends Static<typeof SetupSchema> ? true : false>;

/** A POST /preflight body in role mode: the role created, with the external ID. */
export interface CheckRequest extends Pick<PreflightRequest, 'region' | 'accountId' | 'athena' | 'glue'> {
  credentials: { type: 'role'; roleArn: string; externalId: string };
  capabilities: CapabilityId[];
  required: CapabilityId[];
  options?: { runQuery: boolean };
}

export interface SetupOptions {
  /** The service's own principal (PREFLIGHT_TRUSTED_PRINCIPAL): the only one the role trusts. */
  trustedPrincipalArn: string;
}

/** A catalog selection as the scope's owner account and path under its root (preflight request's glue.catalogId). */
export function catalogScope(selection: string | undefined, accountId: string): { glueCatalogId: string; glueCatalogName?: string } {
  const { catalogOwner, catalogName } = parseCatalogSelection(selection, accountId);
  return { glueCatalogId: catalogOwner, ...(catalogName ? { glueCatalogName: catalogName } : {}) };
}

/** The fields of a connection selection (POST /preflight's, /setup's, /policy/coverage's) a grant names. */
export interface Selection {
  region: string;
  accountId: string;
  athena?: { workgroup?: string; catalog?: string; outputLocation?: string };
  glue?: { catalogId?: string; databases?: string[] };
}

/** Where a selection's grants point: its region and account, Glue catalog and databases, workgroup, data catalog and results location. */
export function selectionScope(selection: Selection): ResourceScope {
  const output = selection.athena?.outputLocation ? parseS3Uri(selection.athena.outputLocation) : undefined;
  return {
    region: selection.region,
    accountId: selection.accountId,
    ...catalogScope(selection.glue?.catalogId, selection.accountId),
    databases: selection.glue?.databases,
    workgroup: selection.athena?.workgroup,
    dataCatalog: selection.athena?.catalog,
    bucket: output?.bucket,
    prefix: output?.prefix,
  };
}

const compact = (document: unknown) => JSON.stringify(document);

/** The policies the role gets and why, from setupPolicies (identity policy parts within IAM's quota, and the self-check policy). */
export function setupRolePolicies(input: SetupInput): SetupPolicy[] {
  const data = input.dataLocation ? parseS3Uri(input.dataLocation) : undefined;
  const requested = new Set(input.capabilities);
  const { identityPolicies, selfCheckPolicy } = setupPolicies(
    CAPABILITIES.filter((capability) => requested.has(capability.id)),
    { ...selectionScope(input), kmsKeyArns: input.kmsKeys },
    data ? { bucket: data.bucket, prefix: data.prefix } : undefined,
  );
  const parts = identityPolicies.length;
  const policies: SetupPolicy[] = identityPolicies.map((policy, i) => ({
    name: `preflight-access-${i + 1}`,
    purpose: `What the product uses${parts > 1 ? ` (part ${i + 1} of ${parts}: one policy would exceed IAM's size quota)` : ''}: ${titles(input.capabilities)}.`,
    document: policy.document,
    characters: policy.characters,
  }));
  if (selfCheckPolicy && input.options?.selfCheck !== false) {
    policies.push({
      name: 'preflight-self-check',
      purpose: 'What only the preflight calls to check the rest: deleting its marker object, reading the bucket\'s lifecycle and encryption settings and Lake Formation\'s settings. The product works without it.',
      document: selfCheckPolicy,
      characters: compact(selfCheckPolicy).length,
    });
  }
  return policies;
}

function titles(ids: readonly CapabilityId[]): string {
  return CAPABILITIES.filter((c) => ids.includes(c.id) && c.id !== 'connection')
    .map((c) => c.title)
    .join(', ');
}

/** Everything a customer needs to create the role, in every form. */
export function buildSetup(input: SetupInput, options: SetupOptions): Setup {
  const roleName = input.roleName ?? DEFAULT_ROLE_NAME;
  const policies = setupRolePolicies(input);
  const attachment = policies.reduce((sum, p) => sum + p.characters, 0) <= IAM_POLICY_LIMITS.roleInlinePolicies ? 'inline' : 'managed';
  const capabilities = CAPABILITIES.filter((c) => input.capabilities.includes(c.id)).map((c) => ({ id: c.id, title: c.title, feature: c.feature, required: input.required.includes(c.id) }));
  const partition = partitionOf(input.region);
  const parts: SetupParts = {
    roleName,
    accountId: input.accountId,
    region: input.region,
    partition,
    externalId: input.externalId,
    trustedPrincipalArn: options.trustedPrincipalArn,
    capabilities,
    policies,
    attachment,
  };
  const template = cloudFormationTemplate(parts);
  return {
    roleName,
    roleArn: `arn:${partition}:iam::${input.accountId}:role/${roleName}`,
    trustedPrincipal: options.trustedPrincipalArn,
    capabilities,
    attachment,
    policies,
    trustPolicy: buildTrustPolicy({ trustedPrincipalArn: options.trustedPrincipalArn, externalId: input.externalId }),
    check: checkRequest(input, `arn:${partition}:iam::${input.accountId}:role/${roleName}`),
    cloudFormation: { json: `${JSON.stringify(template, null, 2)}\n`, yaml: cloudFormationYaml(template) },
    terraform: terraformConfiguration(parts),
    awsCli: awsCliCommands(parts),
    warnings: setupWarnings(input, policies),
  };
}

/**
 * What the setup grants short of, or beyond, what was asked, without refusing the request:
 * query-execution without dataLocation is a role whose own check's query is refused on an
 * ungoverned table (setupPolicies grants the data's read to query-execution only with its
 * location); KMS actions on key/* (encryption without kmsKeys) let the role use every key of the
 * account in the region. Read from the policies themselves, so that the warning and the grant
 * cannot disagree.
 */
export function setupWarnings(input: SetupInput, policies: readonly SetupPolicy[]): string[] {
  const warnings: string[] = [];
  if (input.capabilities.includes('query-execution') && !input.dataLocation) {
    warnings.push(
      "query-execution: Athena reads the tables' data with the caller's rights; without dataLocation this role cannot read it (its own check's query will be refused unless the tables are governed by Lake Formation): give dataLocation (s3://bucket/prefix/ of the tables)",
    );
  }
  const everyKey = kmsActionsOnEveryKey(policies.map((p) => p.document));
  if (everyKey.length) {
    warnings.push(
      `encryption: without kmsKeys this role may use every KMS key of account ${input.accountId} in ${input.region} (${everyKey.join(', ')} on key/*): give kmsKeys (the ARNs or aliases of the keys that protect the query results), or leave encryption out if none does`,
    );
  }
  return warnings;
}

/**
 * KMS actions granted on key/* with nothing narrowing the keys (an alias grant carries
 * kms:ResourceAliases): what `encryption` gets without keys named. Also for `preflight policy`.
 */
export function kmsActionsOnEveryKey(documents: readonly PolicyDocument[]): string[] {
  const actions = new Set<string>();
  for (const statement of documents.flatMap((d) => d.Statement)) {
    const everyKey = statement.Resource.some((arn) => /^arn:[\w-]+:kms:[\w-]+:\d{12}:key\/\*$/.test(arn));
    const byAlias = Object.values(statement.Condition ?? {}).some((keys) => Object.keys(keys).some((key) => key.toLowerCase() === 'kms:resourcealiases'));
    if (everyKey && !byAlias) for (const action of statement.Action) if (action.startsWith('kms:')) actions.add(action);
  }
  return [...actions].sort();
}

/** The preflight that proves the role, once created: the same capabilities, locations and external ID. */
function checkRequest(input: SetupInput, roleArn: string): CheckRequest {
  const runQuery = input.capabilities.includes('query-execution');
  return {
    region: input.region,
    accountId: input.accountId,
    credentials: { type: 'role', roleArn, externalId: input.externalId },
    ...(input.athena ? { athena: input.athena } : {}),
    ...(input.glue ? { glue: input.glue } : {}),
    capabilities: input.capabilities,
    required: input.required,
    ...(runQuery ? { options: { runQuery: true } } : {}),
  };
}

/** What each form is generated from. */
export interface SetupParts {
  roleName: string;
  accountId: string;
  /** The connection's region: Terraform's provider, whose partition (aws, aws-cn, aws-us-gov) IAM follows. */
  region: string;
  partition: string;
  externalId: string;
  trustedPrincipalArn: string;
  capabilities: readonly SetupCapability[];
  policies: readonly SetupPolicy[];
  attachment: 'inline' | 'managed';
}

// IAM role descriptions: at most 1,000 characters of printable Latin-1.
const latin1 = (text: string) => text.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/[\u2013\u2014]/g, '-').replace(/[^\t\n\r\x20-\x7e\xa1-\xff]/g, '?');

function roleDescription(parts: SetupParts): string {
  const text = latin1(`Assumed by Preflight (${parts.trustedPrincipalArn}) with the external ID to read: ${titles(parts.capabilities.map((c) => c.id)) || 'nothing but the identity'}.`);
  return text.length <= 1000 ? text : `${text.slice(0, 997)}...`;
}

/** The template's description (at most 1,024 characters): each capability and what it is for, shorter if need be. */
function templateDescription(parts: SetupParts): string {
  const head = 'Creates the IAM role that Preflight assumes, with the external ID, to check and read this account for the product. Grants, by capability: ';
  const granted = parts.capabilities.filter((c) => c.id !== 'connection');
  const full = `${head}${granted.map((c) => `${c.title} (${c.feature}${c.required ? '; required' : ''})`).join('; ')}.`;
  if (full.length <= 1024) return full;
  const short = `${head}${granted.map((c) => `${c.title}${c.required ? ' (required)' : ''}`).join('; ')}. Each capability's purpose and actions: Metadata.Preflight.`;
  return short.length <= 1024 ? short : `${short.slice(0, 1021)}...`;
}

/** Logical IDs of the managed policies: alphanumeric. */
const logicalId = (name: string) => name.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());

type CfnTemplate = Record<string, unknown>;

/** The CloudFormation template: the role, its policies, RoleName and ExternalId parameters, the RoleArn output. */
export function cloudFormationTemplate(parts: SetupParts): CfnTemplate {
  const trust = buildTrustPolicy({ trustedPrincipalArn: parts.trustedPrincipalArn, externalId: '' });
  trust.Statement[0]!.Condition = { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } as unknown as string } };
  const role: Record<string, unknown> = {
    RoleName: { Ref: 'RoleName' },
    Description: roleDescription(parts),
    AssumeRolePolicyDocument: trust,
  };
  const resources: Record<string, unknown> = { Role: { Type: 'AWS::IAM::Role', Properties: role } };
  if (parts.attachment === 'inline') {
    role.Policies = parts.policies.map((p) => ({ PolicyName: p.name, PolicyDocument: p.document }));
  } else {
    for (const p of parts.policies) {
      resources[logicalId(p.name)] = {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          ManagedPolicyName: { 'Fn::Sub': `\${RoleName}-${p.name}` },
          Description: latin1(p.purpose).slice(0, 1000),
          PolicyDocument: p.document,
          Roles: [{ Ref: 'Role' }],
        },
      };
    }
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: templateDescription(parts),
    Metadata: {
      Preflight: {
        trustedPrincipal: parts.trustedPrincipalArn,
        capabilities: parts.capabilities.map((c) => ({ id: c.id, title: c.title, feature: c.feature, required: c.required })),
        policies: parts.policies.map((p) => ({ name: p.name, purpose: p.purpose })),
      },
      'AWS::CloudFormation::Interface': {
        ParameterGroups: [{ Label: { default: 'Role' }, Parameters: ['RoleName', 'ExternalId'] }],
      },
    },
    Parameters: {
      RoleName: {
        Type: 'String',
        Default: parts.roleName,
        AllowedPattern: '[\\w+=,.@-]{1,64}',
        Description: 'The name of the role to create; give its ARN (the RoleArn output) to the vendor',
      },
      ExternalId: {
        Type: 'String',
        NoEcho: true,
        Default: parts.externalId,
        MinLength: 2,
        MaxLength: 1224,
        AllowedPattern: '[\\w+=,.@:/-]*',
        Description: 'The external ID the vendor assigned to you: only a caller that presents it may assume the role',
      },
    },
    Resources: resources,
    Outputs: {
      RoleArn: { Description: 'The role to give the vendor, with the external ID', Value: { 'Fn::GetAtt': ['Role', 'Arn'] } },
    },
  };
}

function cloudFormationYaml(template: CfnTemplate): string {
  // Long-form intrinsic functions (Ref:, Fn::GetAtt:): valid YAML templates without custom tags. YAML 1.1
  // quotes what a 1.1 parser would read as a date or a boolean ("2010-09-09", "yes").
  return `# Generated by Preflight (POST /setup). Deploy: aws cloudformation deploy --template-file preflight-role.yaml --stack-name preflight-role --capabilities CAPABILITY_NAMED_IAM\n${toYaml(template, { lineWidth: 0, version: '1.1' })}`;
}

// --- Terraform ---------------------------------------------------------------------------------

/** A JSON value as an HCL expression, `raw` values (references) written as they are. */
function hclValue(value: unknown, indent: string): string {
  if (value instanceof HclRaw) return value.text;
  if (typeof value === 'string') return hclString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    return `[\n${value.map((item) => `${inner}${hclValue(item, inner)}`).join(',\n')},\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (!entries.length) return '{}';
  return `{\n${hclAttributes(entries.map(([key, item]) => [hclString(key), hclValue(item, inner)]), inner).join('\n')}\n${indent}}`;
}

/**
 * Attribute lines as `terraform fmt` writes them: the "=" of consecutive one-line attributes
 * aligned; an attribute whose value spans lines stands alone and ends the run.
 */
function hclAttributes(attributes: ReadonlyArray<readonly [name: string, value: string]>, indent: string): string[] {
  const lines: string[] = [];
  let run: Array<readonly [string, string]> = [];
  const flush = () => {
    const width = Math.max(0, ...run.map(([name]) => name.length));
    for (const [name, value] of run) lines.push(`${indent}${name.padEnd(width)} = ${value}`);
    run = [];
  };
  for (const [name, value] of attributes) {
    if (value.includes('\n')) {
      flush();
      lines.push(`${indent}${name} = ${value}`);
    } else {
      run.push([name, value]);
    }
  }
  flush();
  return lines;
}

/** A block: `type "label" … {`, its attributes, `}`. */
function hclBlock(header: string, attributes: ReadonlyArray<readonly [string, string]>): string[] {
  return [`${header} {`, ...hclAttributes(attributes, '  '), '}'];
}

class HclRaw {
  constructor(readonly text: string) {}
}

const terraformName = (name: string) => name.replace(/-/g, '_');

/**
 * The AWS provider versions the configuration is written for. Its resources and arguments
 * (aws_iam_role's name, description and assume_role_policy; aws_iam_role_policy; aws_iam_policy;
 * aws_iam_role_policy_attachment) are the same in the provider's 5.x and 6.x releases; inline
 * policies are aws_iam_role_policy resources, not aws_iam_role's inline_policy block, which 5.68
 * deprecated. A next major version may change them: it is left out until tried.
 */
export const TERRAFORM_AWS_PROVIDER_VERSION = '>= 5.0, < 7.0';

/** A Terraform configuration doing what the template does: variables role_name and external_id, the role, its policies, the role_arn output. */
export function terraformConfiguration(parts: SetupParts): string {
  const trust = buildTrustPolicy({ trustedPrincipalArn: parts.trustedPrincipalArn, externalId: '' });
  const trustValue = { ...trust, Statement: [{ ...trust.Statement[0]!, Condition: { StringEquals: { 'sts:ExternalId': new HclRaw('var.external_id') } } }] };
  const lines = [
    '# Generated by Preflight (POST /setup): the role Preflight assumes, with the external ID.',
    `# ${latin1(templateDescription(parts))}`,
    '',
    'terraform {',
    '  required_providers {',
    '    aws = {',
    ...hclAttributes([['source', hclString('hashicorp/aws')], ['version', hclString(TERRAFORM_AWS_PROVIDER_VERSION)]], '      '),
    '    }',
    '  }',
    '}',
    '',
    // IAM is global, but the region names the partition whose IAM this is (aws-cn, aws-us-gov).
    ...hclBlock('provider "aws"', [['region', hclString(parts.region)]]),
    '',
    ...hclBlock('variable "role_name"', [
      ['type', 'string'],
      ['default', hclString(parts.roleName)],
      ['description', hclString('The name of the role to create; give its ARN (the role_arn output) to the vendor')],
    ]),
    '',
    ...hclBlock('variable "external_id"', [
      ['type', 'string'],
      ['default', hclString(parts.externalId)],
      ['sensitive', 'true'],
      ['description', hclString('The external ID the vendor assigned to you: only a caller that presents it may assume the role')],
    ]),
    '',
    ...hclBlock('resource "aws_iam_role" "preflight"', [
      ['name', 'var.role_name'],
      ['description', hclString(roleDescription(parts))],
      ['assume_role_policy', `jsonencode(${hclValue(trustValue, '  ')})`],
    ]),
  ];
  for (const p of parts.policies) {
    const id = terraformName(p.name);
    lines.push('', `# ${latin1(p.purpose)}`);
    if (parts.attachment === 'inline') {
      lines.push(
        ...hclBlock(`resource "aws_iam_role_policy" ${hclString(id)}`, [
          ['role', 'aws_iam_role.preflight.id'],
          ['name', hclString(p.name)],
          ['policy', `jsonencode(${hclValue(p.document, '  ')})`],
        ]),
      );
    } else {
      lines.push(
        ...hclBlock(`resource "aws_iam_policy" ${hclString(id)}`, [
          ['name', `"\${var.role_name}-${p.name}"`],
          ['policy', `jsonencode(${hclValue(p.document, '  ')})`],
        ]),
        '',
        ...hclBlock(`resource "aws_iam_role_policy_attachment" ${hclString(id)}`, [
          ['role', 'aws_iam_role.preflight.name'],
          ['policy_arn', `aws_iam_policy.${id}.arn`],
        ]),
      );
    }
  }
  lines.push('', ...hclBlock('output "role_arn"', [
    ['description', hclString('The role to give the vendor, with the external ID')],
    ['value', 'aws_iam_role.preflight.arn'],
  ]), '');
  return lines.join('\n');
}

// --- aws CLI -----------------------------------------------------------------------------------

const command = (...words: string[]) => shellCommand(words);

/** The aws CLI commands doing what the template does, for a POSIX shell. */
export function awsCliCommands(parts: SetupParts): string {
  const trust = buildTrustPolicy({ trustedPrincipalArn: parts.trustedPrincipalArn, externalId: parts.externalId });
  const lines = [
    '#!/bin/sh',
    '# Generated by Preflight (POST /setup): the role Preflight assumes, with the external ID.',
    `# ${latin1(titles(parts.capabilities.map((c) => c.id)) ? `Grants: ${titles(parts.capabilities.map((c) => c.id))}.` : 'Grants nothing but the identity.')}`,
    'set -e',
    `ROLE_NAME=${shellWord(parts.roleName)}`,
    '',
    `aws iam create-role --role-name "$ROLE_NAME" ${command('--description', roleDescription(parts), '--assume-role-policy-document', compact(trust))}`,
  ];
  for (const p of parts.policies) {
    lines.push('', `# ${latin1(p.purpose)}`);
    if (parts.attachment === 'inline') {
      lines.push(`aws iam put-role-policy --role-name "$ROLE_NAME" ${command('--policy-name', p.name, '--policy-document', compact(p.document))}`);
    } else {
      lines.push(
        `aws iam create-policy --policy-name "$ROLE_NAME-${p.name}" ${command('--policy-document', compact(p.document))}`,
        `aws iam attach-role-policy --role-name "$ROLE_NAME" --policy-arn "arn:${parts.partition}:iam::${parts.accountId}:policy/$ROLE_NAME-${p.name}"`,
      );
    }
  }
  lines.push('', '# The role ARN to give the vendor, with the external ID:', 'aws iam get-role --role-name "$ROLE_NAME" --query Role.Arn --output text', '');
  return lines.join('\n');
}
