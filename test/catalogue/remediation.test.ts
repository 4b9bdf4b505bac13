import { describe, expect, it } from 'vitest';
import { AWS_ACTIONS, type AwsAction, serviceOf } from '../../src/catalogue/actions.js';
import { actionsOf, CAPABILITIES, CAPABILITY_IDS, type CapabilityId, capabilityById } from '../../src/catalogue/capabilities.js';
import {
  buildRemediationPolicy,
  buildTrustPolicy,
  liftableByIdentityPolicy,
  type PolicyDocument,
  type PolicyStatement,
  remediationSummary,
  statementsFor,
} from '../../src/catalogue/remediation.js';
import { buildRemediationPolicies, IAM_POLICY_LIMITS, type NumberedPolicy, policySize, setupPolicies } from '../../src/catalogue/remediation.js';
import { grantsFor, type ResourceScope, resourcesFor } from '../../src/catalogue/resources.js';
import { authorize } from '../../src/iam/evaluate.js';

const ACCOUNT = '123456789012';
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1f0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f`;
const full: ResourceScope = {
  region: 'eu-west-1',
  accountId: ACCOUNT,
  databases: ['sales', 'marketing'],
  workgroup: 'analytics',
  bucket: 'acme-athena-results',
  prefix: 'preflight/',
  kmsKeyArns: [KEY],
};
const bare: ResourceScope = { region: 'eu-west-1', accountId: ACCOUNT };

// Actions that support no resource-level permission (Service Authorization Reference): only these may get "*".
const NO_RESOURCE_TYPES = new Set<AwsAction>([
  'sts:GetCallerIdentity',
  'athena:ListWorkGroups',
  'athena:ListDataCatalogs',
  'cloudtrail:LookupEvents',
  'lakeformation:GetDataAccess',
  'lakeformation:GetDataLakeSettings',
  'lakeformation:ListPermissions',
]);

const everything = CAPABILITIES.flatMap((c) => actionsOf(c));

function expectValidIam(policy: PolicyDocument) {
  expect(policy.Version).toBe('2012-10-17');
  expect(policy.Statement.length).toBeGreaterThan(0);
  const sids = policy.Statement.map((s) => s.Sid);
  expect(new Set(sids).size).toBe(sids.length);
  for (const statement of policy.Statement) {
    expect(statement.Sid).toMatch(/^[A-Za-z0-9]+$/);
    expect(statement.Effect).toBe('Allow');
    expect(Array.isArray(statement.Action) && statement.Action.length).toBeTruthy();
    expect(Array.isArray(statement.Resource) && statement.Resource.length).toBeTruthy();
    expect(new Set(statement.Action).size).toBe(statement.Action.length);
    expect([...statement.Action].sort()).toEqual(statement.Action);
    for (const action of statement.Action) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
    for (const resource of statement.Resource) expect(resource === '*' || /^arn:aws:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/.test(resource)).toBe(true);
  }
  // Round-trips as JSON with nothing lost (no undefined, no functions).
  expect(JSON.parse(JSON.stringify(policy))).toEqual(policy);
}

const grantKey = (action: string, arn: string, condition?: object) => `${action} ${arn} ${condition ? JSON.stringify(condition) : ''}`;
/** Every (action, resource, condition) the statements grant, once for each statement that grants it. */
const grantsOf = (statements: readonly PolicyStatement[]) => statements.flatMap((s) => s.Action.flatMap((action) => s.Resource.map((arn) => grantKey(action, arn, s.Condition))));

/** IAM's wildcard match: '*' any run of characters, '?' one. */
function iamMatches(pattern: string, value: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(value);
}

describe('resourcesFor', () => {
  const glue = `arn:aws:glue:eu-west-1:${ACCOUNT}`;
  it.each<[AwsAction, ResourceScope, string[]]>([
    // Listing databases is checked on every database, whatever the product reads afterwards.
    ['glue:GetDatabases', full, [`${glue}:catalog`, `${glue}:database/*`]],
    ['glue:GetDatabase', full, [`${glue}:catalog`, `${glue}:database/default`, `${glue}:database/marketing`, `${glue}:database/sales`]],
    ['glue:GetTables', full, [`${glue}:catalog`, `${glue}:database/marketing`, `${glue}:database/sales`, `${glue}:table/marketing/*`, `${glue}:table/sales/*`]],
    ['glue:GetTables', bare, [`${glue}:catalog`, `${glue}:database/*`, `${glue}:table/*/*`]],
    ['glue:BatchGetPartition', { ...bare, databases: ['sales'] }, [`${glue}:catalog`, `${glue}:database/sales`, `${glue}:table/sales/*`]],
    // Version reads take catalog, database and table (the reference): no tableVersion ARN.
    ['glue:GetTableVersions', { ...bare, databases: ['sales'] }, [`${glue}:catalog`, `${glue}:database/sales`, `${glue}:table/sales/*`]],
    ['glue:GetUserDefinedFunctions', bare, [`${glue}:catalog`, `${glue}:database/*`, `${glue}:userDefinedFunction/*/*`]],
    ['glue:GetUserDefinedFunction', { ...bare, databases: ['sales'] }, [`${glue}:catalog`, `${glue}:database/sales`, `${glue}:userDefinedFunction/sales/*`]],
    // Search answers with what the caller may read: the requested databases bound it.
    ['glue:SearchTables', full, [`${glue}:catalog`, `${glue}:database/marketing`, `${glue}:database/sales`, `${glue}:table/marketing/*`, `${glue}:table/sales/*`]],
    ['glue:SearchTables', bare, [`${glue}:catalog`, `${glue}:database/*`, `${glue}:table/*/*`]],
    // A name is a literal, never a wildcard.
    ['glue:GetDatabase', { ...bare, databases: ['*'] }, [`${glue}:catalog`, `${glue}:database/\${*}`, `${glue}:database/default`]],
    ['s3:PutObject', { ...full, prefix: 'a*b/' }, ['arn:aws:s3:::acme-athena-results/a${*}b/*']],
    ['glue:GetDataCatalogEncryptionSettings', full, [`${glue}:catalog`]],
    // Another account's catalog: the catalog owner's ARNs. GetDatabase also names default, which
    // Athena looks up for every query in the caller's own account's root catalog (never the owner's).
    ['glue:GetDatabase', { ...bare, glueCatalogId: '210987654321', databases: ['shared'] }, [`${glue}:catalog`, `${glue}:database/default`, 'arn:aws:glue:eu-west-1:210987654321:catalog', 'arn:aws:glue:eu-west-1:210987654321:database/shared']],
    ['glue:GetDatabase', { ...bare, glueCatalogId: '210987654321' }, [`${glue}:catalog`, `${glue}:database/default`, 'arn:aws:glue:eu-west-1:210987654321:catalog', 'arn:aws:glue:eu-west-1:210987654321:database/*']],
    ['glue:GetDatabases', { ...bare, glueCatalogId: '210987654321' }, [`${glue}:catalog`, `${glue}:database/default`, 'arn:aws:glue:eu-west-1:210987654321:catalog', 'arn:aws:glue:eu-west-1:210987654321:database/*']],
    // A catalog under the root (S3 Tables): its own path for its databases, the root's default for Athena.
    [
      'glue:GetDatabase',
      { ...bare, glueCatalogName: 's3tablescatalog/acme-tables', databases: ['sales'] },
      [`${glue}:catalog`, `${glue}:catalog/s3tablescatalog`, `${glue}:catalog/s3tablescatalog/acme-tables`, `${glue}:database/default`, `${glue}:database/s3tablescatalog/acme-tables/sales`],
    ],
    // Creating the default database (only asked for where Athena was refused it): the caller's own root catalog.
    ['glue:CreateDatabase', { ...bare, glueCatalogId: '210987654321', glueCatalogName: 's3tablescatalog/b' }, [`${glue}:catalog`, `${glue}:database/default`]],
    ['athena:ListQueryExecutions', full, [`arn:aws:athena:eu-west-1:${ACCOUNT}:workgroup/analytics`]],
    ['athena:StartQueryExecution', bare, [`arn:aws:athena:eu-west-1:${ACCOUNT}:workgroup/*`]],
    ['athena:ListDatabases', full, [`arn:aws:athena:eu-west-1:${ACCOUNT}:datacatalog/AwsDataCatalog`]],
    ['athena:GetTableMetadata', { ...full, dataCatalog: 'hive_prod' }, [`arn:aws:athena:eu-west-1:${ACCOUNT}:datacatalog/hive_prod`]],
    ['athena:ListWorkGroups', full, ['*']],
    ['athena:ListDataCatalogs', full, ['*']],
    ['cloudtrail:LookupEvents', full, ['*']],
    ['lakeformation:GetDataAccess', full, ['*']],
    ['s3:PutObject', full, ['arn:aws:s3:::acme-athena-results/preflight/*']],
    ['s3:DeleteObject', { ...full, prefix: '' }, ['arn:aws:s3:::acme-athena-results/*']],
    ['s3:GetObject', bare, ['arn:aws:s3:::*/*']],
    ['s3:ListBucket', full, ['arn:aws:s3:::acme-athena-results']],
    ['s3:ListBucketMultipartUploads', full, ['arn:aws:s3:::acme-athena-results']],
    ['s3:GetEncryptionConfiguration', full, ['arn:aws:s3:::acme-athena-results']],
    ['s3:GetLifecycleConfiguration', full, ['arn:aws:s3:::acme-athena-results']],
    ['s3:ListMultipartUploadParts', full, ['arn:aws:s3:::acme-athena-results/preflight/*']],
    ['kms:Decrypt', full, [KEY]],
    // No known key: every key of the account in the region, never "*".
    ['kms:GenerateDataKey', bare, [`arn:aws:kms:eu-west-1:${ACCOUNT}:key/*`]],
    ['sts:AssumeRole', { ...bare, roleArn: `arn:aws:iam::${ACCOUNT}:role/preflight-reader` }, [`arn:aws:iam::${ACCOUNT}:role/preflight-reader`]],
    ['sts:AssumeRole', bare, [`arn:aws:iam::${ACCOUNT}:role/*`]],
    ['glue:GetTable', { ...bare, partition: 'aws-cn', region: 'cn-north-1' }, [`arn:aws-cn:glue:cn-north-1:${ACCOUNT}:catalog`, `arn:aws-cn:glue:cn-north-1:${ACCOUNT}:database/*`, `arn:aws-cn:glue:cn-north-1:${ACCOUNT}:table/*/*`]],
  ])('%s on %j', (action, scope, expected) => {
    expect(resourcesFor(action, scope)).toEqual(expected);
  });

  it('gives "*" only to actions that support no resource-level permission', () => {
    for (const action of AWS_ACTIONS) {
      for (const scope of [full, bare]) {
        const resources = resourcesFor(action, scope);
        expect(resources.length).toBeGreaterThan(0);
        expect(resources.includes('*')).toBe(NO_RESOURCE_TYPES.has(action));
      }
    }
  });
});

describe('remediation policies', () => {
  it.each([
    ['every scope value known', full],
    ['nothing known but region and account', bare],
  ])('are valid IAM JSON for every action of every capability (%s)', (_name, scope) => {
    expectValidIam(buildRemediationPolicy(everything, scope));
  });

  it.each([
    ['every scope value known', full],
    ['nothing known but region and account', bare],
  ])('grant every action exactly its resources and conditions, each once (%s)', (_name, scope) => {
    const wanted = [...new Set(everything)].flatMap((action) => grantsFor(action, scope).map((grant) => grantKey(action, grant.arn, grant.condition)));
    expect(grantsOf(buildRemediationPolicy(everything, scope).Statement).sort()).toEqual(wanted.sort());
  });

  it('group the actions that share a service and resources, with readable Sids', () => {
    const statements = statementsFor(['glue:GetTable', 'glue:GetTables', 'glue:GetPartitions', 'athena:ListQueryExecutions', 'athena:BatchGetQueryExecution'], full);
    expect(statements).toEqual<PolicyStatement[]>([
      {
        Sid: 'PreflightAthenaWorkgroup',
        Effect: 'Allow',
        Action: ['athena:BatchGetQueryExecution', 'athena:ListQueryExecutions'],
        Resource: [`arn:aws:athena:eu-west-1:${ACCOUNT}:workgroup/analytics`],
      },
      {
        Sid: 'PreflightGlueTables',
        Effect: 'Allow',
        Action: ['glue:GetPartitions', 'glue:GetTable', 'glue:GetTables'],
        Resource: resourcesFor('glue:GetTables', full),
      },
    ]);
  });

  it('keep services apart even where they share "*"', () => {
    const statements = statementsFor(['athena:ListWorkGroups', 'cloudtrail:LookupEvents', 'lakeformation:GetDataAccess'], full);
    expect(statements.map((s) => [s.Sid, s.Action])).toEqual([
      ['PreflightAthenaAnyResource', ['athena:ListWorkGroups']],
      ['PreflightCloudTrailAnyResource', ['cloudtrail:LookupEvents']],
      ['PreflightLakeFormationAnyResource', ['lakeformation:GetDataAccess']],
    ]);
  });

  it('are deterministic: order and duplicates of the input do not matter', () => {
    const actions = [...everything];
    const shuffled = [...actions].reverse().concat(actions.slice(0, 5));
    expect(JSON.stringify(buildRemediationPolicy(shuffled, full))).toBe(JSON.stringify(buildRemediationPolicy(actions, full)));
  });

  it("leave the service's own sts:AssumeRole out of the customer's policy", () => {
    const policy = buildRemediationPolicy(['sts:AssumeRole', 'glue:GetTables'], full);
    expect(policy.Statement.flatMap((s) => s.Action)).toEqual(['glue:GetTables']);
  });

  it('write a trust policy that enforces the external ID', () => {
    const trust = buildTrustPolicy({ trustedPrincipalArn: 'arn:aws:iam::999999999999:role/preflight', externalId: 'acme-7f3c2a' });
    expect(trust).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'PreflightTrustWithExternalId',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::999999999999:role/preflight' },
          Action: ['sts:AssumeRole'],
          Condition: { StringEquals: { 'sts:ExternalId': 'acme-7f3c2a' } },
        },
      ],
    });
  });
});

// The vendors' guides in seeds/, their statements copied as published (placeholders filled in).
describe("the vendors' guides", () => {
  const actionsFor = (...ids: CapabilityId[]) => ids.flatMap((id) => actionsOf(capabilityById(id)));

  it('Coalesce: the same resource types, never wider, plus the function ARN its policy lacks', () => {
    const region = 'eu-west-1';
    const p = (arn: string) => arn.replace('<region>', region).replace('<account_id>', ACCOUNT);
    const coalesce = [
      {
        Action: ['glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition', 'glue:SearchTables', 'glue:GetTableVersions', 'glue:GetTableVersion', 'glue:GetUserDefinedFunctions', 'glue:GetUserDefinedFunction'],
        Resource: ['arn:aws:glue:<region>:<account_id>:tableVersion/*/*/*', 'arn:aws:glue:<region>:<account_id>:table/*/*', 'arn:aws:glue:<region>:<account_id>:catalog', 'arn:aws:glue:<region>:<account_id>:database/*'].map(p),
      },
      { Action: ['athena:ListWorkGroups'], Resource: ['*'] },
      {
        Action: ['athena:GetWorkGroup', 'athena:ListQueryExecutions', 'athena:GetQueryExecution', 'athena:BatchGetQueryExecution', 'athena:ListDatabases', 'athena:GetDatabase', 'athena:GetDataCatalog', 'athena:ListTableMetadata', 'athena:GetTableMetadata'],
        Resource: ['arn:aws:athena:<region>:<account_id>:datacatalog/*', 'arn:aws:athena:<region>:<account_id>:workgroup/*'].map(p),
      },
      { Action: ['cloudtrail:LookupEvents'], Resource: ['*'] },
    ];
    const scope: ResourceScope = { region, accountId: ACCOUNT };
    const ours = buildRemediationPolicy(actionsFor('metadata', 'partitions', 'schema-history', 'functions', 'search', 'query-history', 'athena-catalog', 'user-attribution'), scope);
    expectValidIam(ours);

    // Every action of theirs is in ours, and each of our resources falls within their grant for that action,
    // except the function ARN: the reference requires userDefinedFunction for UDF reads, which their policy omits.
    const ourActions = new Set(ours.Statement.flatMap((s) => s.Action));
    const beyond: string[] = [];
    for (const statement of coalesce) {
      for (const action of statement.Action) {
        expect(ourActions).toContain(action);
        for (const resource of resourcesFor(action as AwsAction, scope)) {
          if (!statement.Resource.some((pattern) => iamMatches(pattern, resource))) beyond.push(resource);
        }
      }
    }
    expect([...new Set(beyond)]).toEqual([`arn:aws:glue:${region}:${ACCOUNT}:userDefinedFunction/*/*`]);
    // And the same resource types but one: each of their patterns covers one of our resources, except
    // tableVersion, which is no resource of GetTableVersion(s) (the reference: catalog, database, table).
    const ourResources = ours.Statement.flatMap((s) => s.Resource);
    const uncovered = coalesce.flatMap((s) => s.Resource).filter((pattern) => !ourResources.some((resource) => iamMatches(pattern, resource)));
    expect(uncovered).toEqual([`arn:aws:glue:${region}:${ACCOUNT}:tableVersion/*/*/*`]);
  });

  it('Skoot (scope B): its exact ARNs for the workgroup, the results bucket and the selected database', () => {
    const scope: ResourceScope = { region: 'ap-south-1', accountId: ACCOUNT, databases: ['entertainment'], workgroup: 'skoot', bucket: 'skoot-athena-results', prefix: '' };
    const skoot = [
      {
        Action: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup'],
        Resource: [`arn:aws:athena:ap-south-1:${ACCOUNT}:workgroup/skoot`],
      },
      { Action: ['athena:ListWorkGroups'], Resource: ['*'] },
      {
        Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: ['arn:aws:s3:::skoot-athena-results', 'arn:aws:s3:::skoot-athena-results/*'],
      },
      {
        // glue:GetDatabases is left out here: AWS's Athena guide grants database listing on database/*.
        Action: ['glue:GetDatabase', 'glue:GetTables', 'glue:GetTable', 'glue:GetPartitions'],
        // Plus database/default, which the guide leaves out and Athena looks up for every query.
        Resource: [
          `arn:aws:glue:ap-south-1:${ACCOUNT}:catalog`,
          `arn:aws:glue:ap-south-1:${ACCOUNT}:database/entertainment`,
          `arn:aws:glue:ap-south-1:${ACCOUNT}:database/default`,
          `arn:aws:glue:ap-south-1:${ACCOUNT}:table/entertainment/*`,
        ],
      },
    ];
    for (const statement of skoot) {
      const ours = statementsFor(statement.Action as AwsAction[], scope);
      expect(new Set(ours.flatMap((s) => s.Resource))).toEqual(new Set(statement.Resource));
      expect([...new Set(ours.flatMap((s) => s.Action))].sort()).toEqual([...statement.Action].sort());
    }
    expect(resourcesFor('glue:GetDatabases', scope)).toEqual([`arn:aws:glue:ap-south-1:${ACCOUNT}:catalog`, `arn:aws:glue:ap-south-1:${ACCOUNT}:database/*`]);
  });

  it('Qualytics: objects under the prefix, bucket actions on the bucket, and the listing under the prefix too', () => {
    const scope: ResourceScope = { region: 'us-east-1', accountId: ACCOUNT, bucket: 'qualytics-results', prefix: 'athena/' };
    const statements = statementsFor(actionsFor('query-results'), scope);
    expect(statements.map((s) => [s.Sid, s.Action, s.Resource, s.Condition])).toEqual([
      ['PreflightS3Bucket', ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], ['arn:aws:s3:::qualytics-results'], undefined],
      ['PreflightS3BucketUnderPrefix', ['s3:ListBucket'], ['arn:aws:s3:::qualytics-results'], { StringLike: { 's3:prefix': ['athena/', 'athena/*'] } }],
      ['PreflightS3Objects', ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'], ['arn:aws:s3:::qualytics-results/athena/*'], undefined],
    ]);
  });
});

describe('least privilege', () => {
  const glue = `arn:aws:glue:eu-west-1:${ACCOUNT}`;
  const CSE_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d`;
  const principal = { arn: `arn:aws:iam::${ACCOUNT}:user/analyst`, accountId: ACCOUNT };
  /** Whether the statements, as the principal's only identity policy, allow the request (the sandbox's IAM evaluation). */
  const allows = (statements: PolicyStatement[], action: string, resource: string, context: Record<string, string> = {}) =>
    authorize({ action, resource, principal, context }, { identity: [{ Version: '2012-10-17', Statement: statements as never }] }).allowed;

  it('scopes glue:SearchTables to the requested databases, not table/*/*', () => {
    expect(statementsFor(['glue:SearchTables'], full)).toEqual<PolicyStatement[]>([
      {
        Sid: 'PreflightGlueTables',
        Effect: 'Allow',
        Action: ['glue:SearchTables'],
        Resource: [`${glue}:catalog`, `${glue}:database/marketing`, `${glue}:database/sales`, `${glue}:table/marketing/*`, `${glue}:table/sales/*`],
      },
    ]);
    const statements = statementsFor(['glue:SearchTables'], full);
    expect(allows(statements, 'glue:SearchTables', `${glue}:table/sales/orders`)).toBe(true);
    expect(allows(statements, 'glue:SearchTables', `${glue}:table/hr/salaries`)).toBe(false);
  });

  it('lets s3:ListBucket list the results bucket under the output prefix only', () => {
    const statements = statementsFor(['s3:GetBucketLocation', 's3:ListBucket'], full);
    expect(statements).toEqual<PolicyStatement[]>([
      // GetBucketLocation has no s3:prefix: the condition would refuse it, so it stays apart.
      { Sid: 'PreflightS3Bucket', Effect: 'Allow', Action: ['s3:GetBucketLocation'], Resource: ['arn:aws:s3:::acme-athena-results'] },
      {
        Sid: 'PreflightS3BucketUnderPrefix',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: ['arn:aws:s3:::acme-athena-results'],
        Condition: { StringLike: { 's3:prefix': ['preflight/', 'preflight/*'] } },
      },
    ]);
    const bucket = 'arn:aws:s3:::acme-athena-results';
    expect(allows(statements, 's3:ListBucket', bucket, { 's3:prefix': 'preflight/' })).toBe(true);
    expect(allows(statements, 's3:ListBucket', bucket, { 's3:prefix': 'preflight/2026/11/' })).toBe(true);
    expect(allows(statements, 's3:ListBucket', bucket, { 's3:prefix': 'finance/' })).toBe(false);
    expect(allows(statements, 's3:ListBucket', bucket, { 's3:prefix': '' })).toBe(false);
    expect(allows(statements, 's3:GetBucketLocation', bucket)).toBe(true);
    // At the bucket's root, or with no bucket known, there is nothing to narrow.
    expect(statementsFor(['s3:ListBucket'], { ...full, prefix: '' })).toEqual([{ Sid: 'PreflightS3Bucket', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [bucket] }]);
    expect(statementsFor(['s3:ListBucket'], bare)).toEqual([{ Sid: 'PreflightS3AllBuckets', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::*'] }]);
  });

  it('narrows the keys S3 uses for results with kms:ViaService, and leaves the direct calls working', () => {
    const scope: ResourceScope = { ...full, kmsKeyArns: [KEY, CSE_KEY], s3KmsKeyArns: [KEY] };
    const statements = statementsFor(['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey'], scope);
    expect(statements).toEqual<PolicyStatement[]>([
      // Used directly: CSE_KMS (Athena, and the preflight's kms-data-key round trip).
      { Sid: 'PreflightKmsKeys', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'], Resource: [CSE_KEY] },
      // The preflight calls DescribeKey itself, on every key.
      { Sid: 'PreflightKmsKeysDescribeKey', Effect: 'Allow', Action: ['kms:DescribeKey'], Resource: [KEY] },
      {
        Sid: 'PreflightKmsKeysViaS3',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: [KEY],
        Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
      },
    ]);
    const viaS3 = { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' };
    // The SSE-KMS key: through S3 (the marker's round trip, Athena's results), never directly.
    expect(allows(statements, 'kms:GenerateDataKey', KEY, viaS3)).toBe(true);
    expect(allows(statements, 'kms:Decrypt', KEY, viaS3)).toBe(true);
    expect(allows(statements, 'kms:GenerateDataKey', KEY)).toBe(false);
    expect(allows(statements, 'kms:Decrypt', KEY, { 'kms:ViaService': 'lambda.eu-west-1.amazonaws.com' })).toBe(false);
    // What the preflight itself calls directly still works.
    expect(allows(statements, 'kms:DescribeKey', KEY)).toBe(true);
    expect(allows(statements, 'kms:GenerateDataKey', CSE_KEY)).toBe(true);
    expect(allows(statements, 'kms:Decrypt', CSE_KEY)).toBe(true);
  });

  it('narrows nothing when how a key is used is not known, and names S3 in the key\'s region', () => {
    expect(statementsFor(['kms:GenerateDataKey', 'kms:Decrypt'], { ...full, kmsKeyArns: [KEY] })).toEqual([
      { Sid: 'PreflightKmsKeys', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: [KEY] },
    ]);
    const virginia = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;
    expect(statementsFor(['kms:Decrypt'], { ...full, kmsKeyArns: undefined, s3KmsKeyArns: [virginia] })[0]!.Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } });
  });

  it('grants a key named by an alias through kms:ResourceAliases, never on the alias ARN', () => {
    const scope: ResourceScope = { ...bare, kmsKeyArns: [`arn:aws:kms:eu-west-1:${ACCOUNT}:alias/athena-results`, `arn:aws:kms:eu-west-1:${ACCOUNT}:key/alias/legacy`] };
    expect(statementsFor(['kms:Decrypt'], scope)).toEqual<PolicyStatement[]>([
      {
        Sid: 'PreflightKmsAllKeysByAlias',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: [`arn:aws:kms:eu-west-1:${ACCOUNT}:key/*`],
        Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/athena-results', 'alias/legacy'] } },
      },
    ]);
  });
});

describe('policy size', () => {
  const capabilityActions = (ids: readonly CapabilityId[]) => ids.flatMap((id) => actionsOf(capabilityById(id)));
  const GLUE_ONLY: CapabilityId[] = ['metadata', 'partitions', 'schema-history', 'functions', 'search'];
  // Names as long as real ones get (a domain, a purpose, a version), not "db1".
  const databases = (count: number, length = 32) => Array.from({ length: count }, (_, i) => `analytics_${String(i).padStart(3, '0')}_`.padEnd(length, 'customer_events_'));
  const scopeWith = (names: string[]): ResourceScope => ({ ...full, databases: names });
  const total = (policies: NumberedPolicy[]) => policies.reduce((sum, policy) => sum + policy.characters, 0);

  it('names each ARN once: the actions that need it share its statement', () => {
    const statements = buildRemediationPolicy(everything, scopeWith(databases(25))).Statement;
    const named = statements.flatMap((s) => s.Resource.map((arn) => `${serviceOf(s.Action[0]!)} ${arn} ${JSON.stringify(s.Condition ?? {})}`));
    expect(named.length - new Set(named).size).toBe(0);
    expect(statements.filter((s) => s.Sid!.startsWith('PreflightGlue')).map((s) => [s.Sid, s.Resource.length])).toEqual([
      ['PreflightGlueCatalog', 1],
      ['PreflightGlueDatabases', 25],
      ['PreflightGlueDatabasesGetDatabase', 1], // database/default, for GetDatabase alone
      ['PreflightGlueAllDatabases', 1],
      ['PreflightGlueTables', 25],
      ['PreflightGlueFunctions', 25],
    ]);
  });

  it.each<[string, number, readonly CapabilityId[]]>([
    ['10 databases, the Glue capabilities', 10, GLUE_ONLY],
    ['25 databases, every capability', 25, CAPABILITY_IDS],
  ])("%s: numbered policies, each within IAM's 6,144 characters, together granting exactly the whole policy", (_name, count, ids) => {
    const actions = capabilityActions(ids);
    const scope = scopeWith(databases(count));
    const policies = buildRemediationPolicies(actions, scope);
    expect(policies.map((p) => p.name)).toEqual(policies.map((_, i) => `preflight-remediation-${i + 1}`));
    for (const policy of policies) {
      expectValidIam(policy.document);
      expect(policy.characters).toBe(policySize(policy.document));
      expect(policy.characters).toBeLessThanOrEqual(IAM_POLICY_LIMITS.managedPolicy);
    }
    expect(grantsOf(policies.flatMap((p) => p.document.Statement)).sort()).toEqual(grantsOf(buildRemediationPolicy(actions, scope).Statement).sort());
    // Small enough to be a role's inline policies as well (their sum is what IAM limits there).
    expect(total(policies)).toBeLessThanOrEqual(IAM_POLICY_LIMITS.roleInlinePolicies);
  });

  it("splits a statement too large for one policy by its resources: 50 databases of 255 characters, the request's maximum", () => {
    const scope = scopeWith(databases(50, 255));
    const policies = buildRemediationPolicies(everything, scope);
    expect(policies.length).toBeGreaterThan(2);
    for (const policy of policies) {
      expectValidIam(policy.document);
      expect(policy.characters).toBeLessThanOrEqual(IAM_POLICY_LIMITS.managedPolicy);
    }
    expect(grantsOf(policies.flatMap((p) => p.document.Statement)).sort()).toEqual(grantsOf(buildRemediationPolicy(everything, scope).Statement).sort());
    expect(policies.flatMap((p) => p.document.Statement.map((s) => s.Sid))).toContain('PreflightGlueDatabasesPart1');
  });

  it('keeps one policy when it fits, and splits to any smaller limit', () => {
    const [only, ...rest] = buildRemediationPolicies(everything, full);
    expect(rest).toEqual([]);
    expect(only!.document).toEqual(buildRemediationPolicy(everything, full));
    const small = buildRemediationPolicies(everything, full, { maxCharacters: 1200 });
    expect(small.length).toBeGreaterThan(2);
    for (const policy of small) expect(policy.characters).toBeLessThanOrEqual(1200);
    expect(grantsOf(small.flatMap((p) => p.document.Statement)).sort()).toEqual(grantsOf(only!.document.Statement).sort());
  });
});

describe('remediationSummary', () => {
  const queryHistory = capabilityById('query-history');

  it('says what to allow when an Allow is enough', () => {
    expect(remediationSummary(queryHistory, ['athena:ListQueryExecutions', 'athena:BatchGetQueryExecution'], [])).toBe(
      "Query history: allow athena:ListQueryExecutions, athena:BatchGetQueryExecution in this principal's identity policy.",
    );
  });

  it('says who must act when a service control policy denies explicitly, and asks for no Allow', () => {
    const summary = remediationSummary(queryHistory, ['athena:ListQueryExecutions'], [{ action: 'athena:ListQueryExecutions', policyType: 'scp' }]);
    expect(summary).toMatch(/^An explicit deny in a service control policy blocks athena:ListQueryExecutions: ask your AWS Organizations administrator/);
    expect(summary).not.toMatch(/allow athena:ListQueryExecutions in this principal/);
    expect(summary.split('\n')).toHaveLength(1);
  });

  it.each([
    [{ policyType: 'boundary', explicit: false }, /^No allow in the permissions boundary covers glue:GetTables: ask whoever manages this principal's permissions boundary/],
    [{ policyType: 'rcp', explicit: true }, /^An explicit deny in a resource control policy .*AWS Organizations administrator/],
    [{ policyType: 'vpc-endpoint', explicit: true }, /network team/],
    [{ policyType: 'session', explicit: false }, /session policy that allows it/],
    [{ policyType: 'resource', explicit: true }, /bucket policy, key policy or role trust policy/],
    [{ policyType: 'identity', explicit: true }, /remove or narrow the Deny statement/],
    [{ policyType: 'unknown', explicit: true }, /IAM policy simulator/],
  ] as const)('names who acts for %j', (denial, expected) => {
    expect(remediationSummary(capabilityById('metadata'), ['glue:GetTables'], [{ action: 'glue:GetTables', ...denial }])).toMatch(expected);
  });

  it('separates what an Allow fixes from what it cannot', () => {
    const summary = remediationSummary(queryHistory, ['athena:ListQueryExecutions', 'athena:GetWorkGroup'], [{ action: 'athena:ListQueryExecutions', policyType: 'scp', explicit: true }]);
    expect(summary).toMatch(/blocks athena:ListQueryExecutions:/);
    expect(summary).toMatch(/Query history: allow athena:GetWorkGroup in this principal's identity policy\.$/);
  });

  it('adds what IAM cannot express: Lake Formation grants', () => {
    expect(remediationSummary(capabilityById('lake-formation'), ['lakeformation:GetDataAccess'], [])).toMatch(/allow lakeformation:GetDataAccess .* grant this principal DESCRIBE on each database and SELECT on each table/);
    expect(remediationSummary(capabilityById('lake-formation'), ['lakeformation:GetDataAccess'], [])).toContain("DESCRIBE on the default database of its own account's catalog");
  });

  it('needs nothing when nothing is missing', () => {
    expect(remediationSummary(queryHistory, [], [])).toBe('Query history needs no change.');
  });
});

describe('liftableByIdentityPolicy', () => {
  it.each([
    [undefined, true],
    [{ policyType: 'identity', explicit: false }, true],
    [{ policyType: 'unknown', explicit: false }, true],
    [{ policyType: 'identity', explicit: true }, false],
    [{ policyType: 'scp', explicit: false }, false],
    [{ policyType: 'boundary', explicit: false }, false],
    [{ policyType: 'resource', explicit: false }, false],
  ] as const)('%j → %s', (denial, expected) => {
    expect(liftableByIdentityPolicy(denial)).toBe(expected);
  });
});

describe('setupPolicies for table data', () => {
  const table = [capabilityById('table-data')];
  const scope: ResourceScope = { region: 'eu-west-1', accountId: '123456789012', bucket: 'acme-athena-results', prefix: 'p/', kmsKeyArns: ['arn:aws:kms:eu-west-1:123456789012:key/results'] };
  const data = { bucket: 'acme-data-lake', prefix: 'sales/' };
  const actionsOn = (policies: ReturnType<typeof setupPolicies>) => policies.identityPolicies.flatMap((p) => p.document.Statement);

  it("grants kms:Decrypt on the data's key, through S3 only, when the data is SSE-KMS; never the results key", () => {
    const dataKey = 'arn:aws:kms:eu-west-1:123456789012:key/data';
    const kms = actionsOn(setupPolicies(table, scope, { ...data, kmsKeyArns: [dataKey] })).filter((s) => s.Action.includes('kms:Decrypt'));
    expect(kms.flatMap((s) => s.Resource)).toEqual([dataKey]);
    expect(kms[0]!.Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } });
  });

  it('grants no key at all when no data key is given, and reads only the data location', () => {
    const statements = actionsOn(setupPolicies(table, scope, data));
    expect(statements.flatMap((s) => s.Action)).not.toContain('kms:Decrypt');
    expect(statements.flatMap((s) => s.Resource).every((arn) => arn.includes('acme-data-lake'))).toBe(true);
  });
});
