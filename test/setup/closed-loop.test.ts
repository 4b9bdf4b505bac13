// The same truth twice: the role the setup's CloudFormation template describes, created in the
// sandbox as the template says (its trust policy and policies, parameters at their defaults), then
// checked by a preflight in role mode with the setup's own `check` body: every capability asked
// for is ok. With a wrong external ID the role cannot be assumed.
import { afterAll, describe, expect, it } from 'vitest';
import { CAPABILITY_IDS, type CapabilityId } from '../../src/catalogue/capabilities.js';
import { type Setup, buildSetup } from '../../src/setup/generate.js';
import { validateSetupRequest } from '../../src/setup/request.js';
import { type Harness, startHarness, statusOf } from '../support/service.js';

// The sandbox's service identity (the preflight-service user of the built-in scenarios).
const SERVICE = {
  name: 'preflight-service',
  accountId: '999999999999',
  serviceIdentity: true,
  accessKeyId: 'AKIASANDBOXSERVICE01',
  secretAccessKey: 'sandbox/service/secret/key/00000000000',
  policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::*:role/*' }] }],
};
const PRINCIPAL = 'arn:aws:iam::999999999999:user/preflight-service';
const EXTERNAL_ID = 'acme-setup-5d1e9b';
const RESULTS_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1f0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The template's value with Ref and Fn::Sub of its parameters resolved to their defaults. */
function resolve(value: Json, parameters: Record<string, string>): Json {
  if (Array.isArray(value)) return value.map((item) => resolve(item, parameters));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref' && typeof value.Ref === 'string' && value.Ref in parameters) return parameters[value.Ref]!;
  if (keys.length === 1 && keys[0] === 'Fn::Sub' && typeof value['Fn::Sub'] === 'string') return value['Fn::Sub'].replace(/\$\{(\w+)\}/g, (_m, name: string) => parameters[name]!);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item, parameters)]));
}

/** The sandbox role the template creates: read from the template itself, not from the setup's JSON. */
function roleFromTemplate(templateJson: string) {
  const template = JSON.parse(templateJson);
  const parameters = Object.fromEntries(Object.entries(template.Parameters as Record<string, { Default: string }>).map(([name, p]) => [name, p.Default]));
  const resources = template.Resources as Record<string, { Type: string; Properties: Json }>;
  const role = resolve(resources.Role!.Properties, parameters) as any;
  const inline = ((role.Policies ?? []) as Array<{ PolicyDocument: Json }>).map((p) => p.PolicyDocument);
  const managed = Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::ManagedPolicy' && JSON.stringify((r.Properties as any).Roles) === JSON.stringify([{ Ref: 'Role' }]))
    .map((r) => resolve((r.Properties as any).PolicyDocument, parameters));
  return { name: role.RoleName as string, trustPolicy: role.AssumeRolePolicyDocument, policies: [...inline, ...managed] };
}

function setupFor(body: Record<string, unknown>): Setup {
  const validation = validateSetupRequest({ region: 'eu-west-1', accountId: '123456789012', externalId: EXTERNAL_ID, ...body });
  if (!validation.ok) throw new Error(JSON.stringify(validation.issues));
  return buildSetup(validation.input, { trustedPrincipalArn: PRINCIPAL });
}

const harnesses: Harness[] = [];
afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
});

async function runAgainstTemplate(base: string, setup: Setup, check: unknown = setup.check, account: Record<string, unknown> = {}) {
  const role = roleFromTemplate(setup.cloudFormation.json);
  const harness = await startHarness({ extends: base, name: `setup-${base}`, description: 'The role a setup template describes', ...account, users: [SERVICE], roles: [role], sample: { credentials: `role:${role.name}`, request: {} } });
  harnesses.push(harness);
  const response = await harness.preflight(check);
  expect(response.status).toBe(200);
  return response.body;
}


const QUERIES_WITH_DATA = {
  capabilities: ['metadata', 'query-results', 'query-execution'],
  required: ['connection', 'metadata', 'query-execution'],
  athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/primary/' },
  dataLocation: 's3://acme-data-lake/',
};

describe('the setup, created in the sandbox from its template, passes its own preflight', () => {
  // name, built-in account, setup body, account changes, capabilities that do not apply to the account (not the setup's
  // doing: lake-formation has nothing to judge without a governed table).
  const profiles: Array<[string, string, Record<string, unknown>, Record<string, unknown>?, CapabilityId[]?]> = [
    [
      'every capability (results under an SSE-KMS key, table data, a query)',
      'kms-encrypted-results',
      {
        capabilities: [...CAPABILITY_IDS],
        required: ['connection', 'metadata', 'query-results'],
        athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/primary/' },
        dataLocation: 's3://acme-data-lake/',
        kmsKeys: [RESULTS_KEY],
      },
      // kms-encrypted-results' buckets, with table data to sample.
      {
        s3: {
          buckets: [
            { name: 'acme-athena-results', encryption: { algorithm: 'aws:kms', kmsKeyId: RESULTS_KEY }, lifecycleRules: [{ id: 'expire-query-results', prefix: '', expirationDays: 30 }] },
            { name: 'acme-data-lake', objects: [{ key: 'sales/orders/dt=2026-11-23/part-0000.parquet', body: 'PAR1' }] },
          ],
        },
      },
      ['lake-formation'],
    ],
    ['Glue metadata only, two databases (a catalog product)', 'full-access', { capabilities: ['metadata', 'partitions', 'schema-history', 'functions', 'search'], glue: { databases: ['sales', 'marketing'] } }],
    // Issue 18: a catalog under the root, granted by its path (catalog/s3tablescatalog/<bucket>, database/s3tablescatalog/<bucket>/…).
    ['Glue metadata of an S3 Tables catalog under the root', 'named-catalog', { capabilities: ['metadata', 'schema-history', 'search'], glue: { catalogId: 's3tablescatalog/acme-tables' } }],
    [
      'metadata, query history, attribution and the results location (a lineage product)',
      'full-access',
      { capabilities: ['metadata', 'query-history', 'user-attribution', 'athena-catalog', 'query-results'], athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/primary/' } },
    ],
    [
      'profiling one database: queries and table data',
      'full-access',
      {
        capabilities: ['metadata', 'partitions', 'query-results', 'query-execution', 'table-data'],
        required: ['connection', 'metadata', 'query-execution'],
        athena: { workgroup: 'analytics', outputLocation: 's3://acme-athena-results/analytics/' },
        glue: { databases: ['sales'] },
        dataLocation: 's3://acme-data-lake/sales/',
      },
    ],
    // A query reads an ungoverned table's data with the caller's rights: query-execution with
    // dataLocation is granted that read without table-data (the guide that leads there asks for no
    // table-data; the defect's counterpart below is the same without dataLocation).
    ['queries over ungoverned tables, their data location given, no table-data', 'full-access', QUERIES_WITH_DATA],
    [
      'Lake Formation-governed tables, read by a query (the Lake Formation grants are made apart from IAM)',
      'lake-formation-governed',
      {
        capabilities: ['metadata', 'query-results', 'query-execution', 'lake-formation'],
        athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/primary/' },
        glue: { databases: ['finance'] },
      },
      {
        lakeFormation: {
          admins: ['arn:aws:iam::123456789012:role/DataLakeAdmin'],
          iamAllowedPrincipalsByDefault: false,
          grants: [
            { principal: 'arn:aws:iam::123456789012:role/PreflightAccess', database: 'finance', permissions: ['DESCRIBE'] },
            { principal: 'arn:aws:iam::123456789012:role/PreflightAccess', database: 'finance', table: '*', permissions: ['DESCRIBE', 'SELECT'] },
          ],
        },
      },
    ],
    // The results bucket admits only the company's VPC endpoint, with AWS's exception for requests made
    // via Athena (aws:CalledVia): the setup's role grants s3:GetBucketPolicy, so Athena's own path is
    // judged, not left unproven, and a query proves it as well.
    [
      'queries whose results bucket admits only the VPC endpoint, and Athena',
      'vpce-only-bucket-athena-exception',
      { capabilities: ['metadata', 'query-results', 'query-execution'], athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/primary/' }, dataLocation: 's3://acme-data-lake/' },
    ],
    // The five seed vendors' setup guides, each read for the product's features and
    // mapped to the capabilities that mean them.
    [
      // Coalesce Catalog: Glue metadata (databases, tables, columns; partitions, table versions and
      // user-defined functions, SearchTables) -> metadata, partitions, schema-history, functions, search;
      // "Athena query activity" (ListQueryExecutions, BatchGetQueryExecution, work groups) -> query-history,
      // and in the same statement Athena's ListDatabases / ListTableMetadata -> athena-catalog; CloudTrail
      // LookupEvents for who ran the queries -> user-attribution. It never starts a query or reads results.
      'Coalesce Catalog: Glue metadata, Athena query activity and CloudTrail attribution',
      'full-access',
      {
        capabilities: ['metadata', 'partitions', 'schema-history', 'functions', 'search', 'query-history', 'athena-catalog', 'user-attribution'],
        athena: { workgroup: 'primary' },
      },
    ],
    [
      // Qualytics: the Athena JDBC driver (v3) discovers schemas and columns with ListDatabases /
      // ListTableMetadata / GetTableMetadata -> athena-catalog; Glue databases, tables and partitions ->
      // metadata, partitions; it submits, polls, cancels and fetches queries (profiling, data quality) ->
      // query-execution, whose results go to the S3 output location -> query-results. No workgroup is
      // passed: queries run in primary. A query reads the tables' data on S3 with the caller's rights
      // (the guide names "the source-data buckets that back your Athena tables" though its example
      // policy grants only the results bucket): without table-data the query is refused -> table-data.
      // (KMS and Lake Formation apply only to encrypted or governed accounts.)
      'Qualytics: JDBC catalog discovery and data-quality queries over the tables\' data',
      'full-access',
      {
        capabilities: ['metadata', 'partitions', 'athena-catalog', 'query-execution', 'query-results', 'table-data'],
        required: ['connection', 'metadata', 'query-execution'],
        athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/primary/' },
        dataLocation: 's3://acme-data-lake/',
      },
    ],
    [
      // Immuta: "read metadata information from AWS Glue" (databases, tables, partitions, table versions)
      // -> metadata, partitions, schema-history; the Simba ODBC driver's Athena catalog calls (GetCatalogs,
      // GetNamespaces, GetTables, GetTable) -> athena-catalog; "create, execute, and delete queries"
      // (StartQueryExecution, GetQueryResults, StopQueryExecution) -> query-execution; its listing of query
      // executions (ListQueryExecutions, BatchGetQueryExecution) -> query-history; the query results
      // bucket and path -> query-results; "read and list the contents of the bucket(s) that back the
      // Athena database" -> table-data.
      'Immuta: an Athena data source queried through the ODBC driver, with its source bucket',
      'full-access',
      {
        capabilities: ['metadata', 'partitions', 'schema-history', 'athena-catalog', 'query-history', 'query-execution', 'query-results', 'table-data'],
        required: ['connection', 'metadata', 'query-execution'],
        athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/immuta/' },
        glue: { databases: ['sales'] },
        dataLocation: 's3://acme-data-lake/sales/',
      },
    ],
    [
      // Skoot: "Glue metadata read access for schema discovery" (GetDatabase(s), GetTable(s),
      // GetPartitions) -> metadata, partitions, for selected databases (Scope B) -> glue.databases; "Athena
      // query actions in your workgroup" -> query-execution; "S3 read/write access for the Athena query
      // results bucket" -> query-results; "S3 read access for underlying table data" -> table-data.
      'Skoot: queries in its workgroup over selected Glue databases and their data',
      'full-access',
      {
        capabilities: ['metadata', 'partitions', 'query-execution', 'query-results', 'table-data'],
        required: ['connection', 'metadata', 'query-execution'],
        athena: { workgroup: 'analytics', outputLocation: 's3://acme-athena-results/analytics/' },
        glue: { databases: ['sales'] },
        dataLocation: 's3://acme-data-lake/sales/',
      },
    ],
    [
      // Secoda: Glue Catalog metadata (GetDatabases, GetTable) -> metadata; SearchTables -> search; Athena
      // queries (StartQueryExecution, GetQueryExecution, GetQueryResults, StopQueryExecution) ->
      // query-execution, with its output bucket -> query-results; ListQueryExecutions -> query-history;
      // the Glue data bucket (GetObject, ListBucket) -> table-data; "ensure that the Secoda Glue user has SELECT
      // permission on all the necessary tables" in Lake Formation -> lake-formation. (Glue jobs and the
      // dataflow graph are no Preflight capability.)
      'Secoda: Glue metadata, search and queries over Lake Formation-governed tables',
      'lake-formation-governed',
      {
        capabilities: ['metadata', 'search', 'query-history', 'query-execution', 'query-results', 'table-data', 'lake-formation'],
        athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/primary/' },
        // sales' data is read on S3; finance's tables are governed, their data vended by Lake Formation.
        glue: { databases: ['sales', 'finance'] },
        dataLocation: 's3://acme-data-lake/',
      },
      {
        lakeFormation: {
          admins: ['arn:aws:iam::123456789012:role/DataLakeAdmin'],
          iamAllowedPrincipalsByDefault: false,
          grants: [
            { principal: 'arn:aws:iam::123456789012:role/PreflightAccess', database: 'finance', permissions: ['DESCRIBE'] },
            { principal: 'arn:aws:iam::123456789012:role/PreflightAccess', database: 'finance', table: '*', permissions: ['DESCRIBE', 'SELECT'] },
          ],
        },
      },
    ],
  ];

  it.each(profiles)('%s', async (_name, base, body, account, notApplicable = []) => {
    const setup = setupFor(body);
    const report = await runAgainstTemplate(base, setup, setup.check, account);
    const expected = Object.fromEntries(setup.capabilities.map((c) => [c.id, notApplicable.includes(c.id) ? 'skipped:not-applicable' : 'ok']));
    const statuses = statusOf(report);
    expect(Object.fromEntries(Object.keys(expected).map((id) => [id, statuses[id]]))).toEqual(expected);
    expect(report.status).toBe('ok');
    expect(report.connection.credentialType).toBe('role');
    expect(report.identity.arn).toMatch(new RegExp(`^arn:aws:sts::123456789012:assumed-role/${setup.roleName}/`));
    // The external ID is enforced: the run's second AssumeRole, without it, was refused.
    expect(report.findings.map((f: { code: string }) => f.code)).not.toContain('EXTERNAL_ID_NOT_ENFORCED');
    // The self-check policy let the preflight clean up after itself, and read the bucket policies
    // Athena's own requests are judged against.
    expect(report.findings.map((f: { code: string }) => f.code)).not.toContain('MARKER_NOT_DELETED');
    expect(report.findings.map((f: { code: string }) => f.code)).not.toContain('ATHENA_PATH_UNPROVEN');
  });

  it("query-execution without dataLocation: the setup warns, and its own check's query is refused on the data's S3 path", async () => {
    const { dataLocation: _dataLocation, ...body } = QUERIES_WITH_DATA;
    const setup = setupFor(body);
    expect(setup.warnings).toHaveLength(1);
    expect(setup.warnings[0]).toMatch(/^query-execution: .*without dataLocation.*give dataLocation/);
    expect(setup.check.options).toEqual({ runQuery: true });
    const report = await runAgainstTemplate('full-access', setup);
    expect(statusOf(report)).toMatchObject({ connection: 'ok', metadata: 'ok', 'query-results': 'ok', 'query-execution': 'unavailable' });
    // Athena's "Permission denied on S3 path" as the report classifies it: the table's data, on S3.
    const queries = report.capabilities.find((c: { id: string }) => c.id === 'query-execution');
    expect(queries.reasons).toEqual([expect.objectContaining({ probe: 'athena-query', action: 's3:GetObject', code: 'TableDataDenied', category: 'permission' })]);
    expect(queries.reasons[0].message).toMatch(/could not read the table's data on S3/);
    // The same request with dataLocation (a profile above) passes, and warns of nothing.
    expect(setupFor(QUERIES_WITH_DATA).warnings).toEqual([]);
  });

  it('a setup too large for inline policies: managed policies, attached, pass as well', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `warehouse_${String(i).padStart(2, '0')}_${'x'.repeat(48)}`);
    const setup = setupFor({
      capabilities: ['metadata', 'partitions', 'schema-history', 'functions', 'search', 'athena-catalog', 'query-results'],
      athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/primary/' },
      glue: { databases: names },
    });
    expect(setup.attachment).toBe('managed');
    expect(setup.policies.length).toBeGreaterThan(2);
    const table = (n: number) => ({ name: `t${n}`, columns: [{ name: 'id', type: 'bigint' }], partitionKeys: [{ name: 'dt', type: 'string' }], partitions: [['2026-11-23']], versions: 2 });
    const databases = names.map((name, i) => ({ name, tables: [table(i)], functions: [{ name: `f${i}`, className: 'com.acme.F' }] }));
    const report = await runAgainstTemplate('full-access', setup, setup.check, { glue: { databases } });
    expect(statusOf(report)).toMatchObject(Object.fromEntries(setup.capabilities.map((c) => [c.id, 'ok'])));
  });

  it('a template short of a grant is caught: the loop is not vacuous', async () => {
    const setup = setupFor({ capabilities: ['metadata', 'query-history'], athena: { workgroup: 'primary' } });
    const template = JSON.parse(setup.cloudFormation.json);
    for (const policy of template.Resources.Role.Properties.Policies) policy.PolicyDocument.Statement = policy.PolicyDocument.Statement.filter((s: { Sid: string }) => !s.Sid.startsWith('PreflightAthena'));
    const report = await runAgainstTemplate('full-access', { ...setup, cloudFormation: { ...setup.cloudFormation, json: JSON.stringify(template) } });
    expect(statusOf(report)).toMatchObject({ metadata: 'ok', 'query-history': 'unavailable' });
  });

  it('with a wrong external ID, the role cannot be assumed', async () => {
    const setup = setupFor({ capabilities: ['metadata'] });
    const report = await runAgainstTemplate('full-access', setup, { ...setup.check, credentials: { ...setup.check.credentials, externalId: 'someone-elses-id' } });
    expect(report.status).toBe('failed');
    expect(statusOf(report).connection).toBe('unavailable');
    expect(report.findings.map((f: { code: string }) => f.code)).toContain('ASSUME_ROLE_DENIED');
  });
});
