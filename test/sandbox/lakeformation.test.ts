import { AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { GetDatabaseCommand, GetDatabasesCommand, GetPartitionsCommand, GetTableCommand, GetTablesCommand, GlueClient, SearchTablesCommand } from '@aws-sdk/client-glue';
import {
  GetDataLakeSettingsCommand,
  GetEffectivePermissionsForPathCommand,
  LakeFormationClient,
  ListPermissionsCommand,
  type ListPermissionsCommandInput,
} from '@aws-sdk/client-lakeformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/sandbox/scenario.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { awsCli, clientConfig, userCredentials } from '../support/sandbox.js';

const ACCOUNT = '123456789012';
const STEWARD = `arn:aws:iam::${ACCOUNT}:user/steward`;
const DESCRIBER = `arn:aws:iam::${ACCOUNT}:user/describer`;
const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

// lake-formation-governed with more grants, a user who is a data lake administrator, one who may
// only describe one governed table, and one without any Lake Formation permission.
const GRANTS_SCENARIO = {
  extends: 'lake-formation-governed',
  name: 'lakeformation-test',
  description: 'lake-formation-governed with several grants, an admin and a user without Lake Formation rights',
  lakeFormation: {
    admins: [`arn:aws:iam::${ACCOUNT}:user/admin`],
    iamAllowedPrincipalsByDefault: false,
    grants: [
      { principal: STEWARD, database: 'finance', table: '*', permissions: ['DESCRIBE', 'SELECT'] },
      { principal: STEWARD, database: 'finance', permissions: ['DESCRIBE'] },
      { principal: STEWARD, database: 'sales', table: 'orders', permissions: ['SELECT'] },
      { principal: `arn:aws:iam::${ACCOUNT}:user/analyst`, database: 'sales', table: 'orders', permissions: ['SELECT'] },
      { principal: DESCRIBER, database: 'finance', table: 'ledger', permissions: ['DESCRIBE'] },
    ],
  },
  users: [
    { name: 'analyst', accessKeyId: 'AKIALFTESTANALYST001', secretAccessKey: 'sandbox/analyst/secret/not-a-real-key', policies: [ALLOW_ALL] },
    { name: 'steward', accessKeyId: 'AKIALFTESTSTEWARD001', secretAccessKey: 'sandbox/steward/secret/not-a-real-key', policies: [ALLOW_ALL] },
    { name: 'admin', accessKeyId: 'AKIALFTESTADMIN00001', secretAccessKey: 'sandbox/admin/secret/not-a-real-key', policies: [ALLOW_ALL] },
    { name: 'describer', accessKeyId: 'AKIALFTESTDESCRIBER1', secretAccessKey: 'sandbox/describer/secret/not-a-real-key', policies: [ALLOW_ALL] },
    {
      name: 'glue-reader',
      accessKeyId: 'AKIALFTESTGLUEREADR1',
      secretAccessKey: 'sandbox/glue-reader/secret/not-a-real-key',
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'glue:Get*', Resource: '*' }] }],
    },
  ],
};

describe('sandbox Lake Formation', () => {
  let governed: Sandbox;
  /** How far the governed sandbox's time runs ahead of real time (queries advance it). */
  let movedOnMs = 0;
  let grants: Sandbox;
  beforeAll(async () => {
    governed = await startSandbox({ scenario: 'lake-formation-governed', clock: () => Date.now() + movedOnMs });
    grants = await startSandbox({ scenario: GRANTS_SCENARIO });
  });
  afterAll(async () => {
    await Promise.all([governed.close(), grants.close()]);
  });

  const lf = (user: string, on = grants) => new LakeFormationClient(clientConfig(on, userCredentials(on, user)));
  const glue = (user: string, on = governed) => new GlueClient(clientConfig(on, userCredentials(on, user)));

  it('reports the data lake settings: admins and no IAM_ALLOWED_PRINCIPALS default', async () => {
    const { DataLakeSettings } = await lf('analyst', governed).send(new GetDataLakeSettingsCommand({}));
    expect(DataLakeSettings).toMatchObject({
      DataLakeAdmins: [{ DataLakePrincipalIdentifier: `arn:aws:iam::${ACCOUNT}:role/DataLakeAdmin` }],
      CreateDatabaseDefaultPermissions: [],
      CreateTableDefaultPermissions: [],
    });
  });

  it('reports IAM_ALLOWED_PRINCIPALS defaults in an account that does not govern new tables', async () => {
    const plain = await startSandbox({ scenario: 'full-access' });
    try {
      const { DataLakeSettings } = await lf('analyst', plain).send(new GetDataLakeSettingsCommand({}));
      expect(DataLakeSettings!.CreateTableDefaultPermissions).toEqual([{ Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Permissions: ['ALL'] }]);
      expect(DataLakeSettings!.DataLakeAdmins).toEqual([]);
    } finally {
      await plain.close();
    }
  });

  it('hides governed tables from Glue GetTables for a principal without a grant, silently', async () => {
    const result = await glue('analyst').send(new GetTablesCommand({ DatabaseName: 'finance' }));
    expect(result.TableList).toEqual([]);
    expect((await glue('analyst').send(new GetTablesCommand({ DatabaseName: 'sales' }))).TableList!.map((t) => t.Name)).toEqual(['orders']);
  });

  it('shows governed tables to the steward, whom Lake Formation grants them', async () => {
    const result = await glue('steward').send(new GetTablesCommand({ DatabaseName: 'finance' }));
    expect(result.TableList!.map((t) => ({ name: t.Name, registered: t.IsRegisteredWithLakeFormation }))).toEqual([
      { name: 'ledger', registered: true },
      { name: 'invoices', registered: true },
    ]);
  });

  it('shows a governed table to a principal with DESCRIBE on it, and only that table', async () => {
    const describer = glue('describer', grants);
    expect((await describer.send(new GetTablesCommand({ DatabaseName: 'finance' }))).TableList!.map((t) => t.Name)).toEqual(['ledger']);
    await expect(describer.send(new GetTableCommand({ DatabaseName: 'finance', Name: 'ledger' }))).resolves.toMatchObject({ Table: { IsRegisteredWithLakeFormation: true } });
    await expect(describer.send(new GetTableCommand({ DatabaseName: 'finance', Name: 'invoices' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('refuses Glue GetTable on a governed table without a grant with Lake Formation\'s message', async () => {
    await expect(glue('analyst').send(new GetTableCommand({ DatabaseName: 'finance', Name: 'ledger' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: 'Insufficient Lake Formation permission(s) on ledger',
    });
    await expect(glue('analyst').send(new GetPartitionsCommand({ DatabaseName: 'finance', TableName: 'ledger' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(glue('steward').send(new GetTableCommand({ DatabaseName: 'finance', Name: 'ledger' }))).resolves.toMatchObject({ Table: { Name: 'ledger' } });
  });

  it('leaves governed tables out of Glue SearchTables and shows empty default permissions on databases', async () => {
    const found = await glue('analyst').send(new SearchTablesCommand({ SearchText: 'amount' }));
    expect(found.TableList!.map((t) => `${t.DatabaseName}.${t.Name}`)).toEqual(['sales.orders']);
    const { Database } = await glue('analyst').send(new GetDatabaseCommand({ Name: 'finance' }));
    expect(Database!.CreateTableDefaultPermissions).toEqual([]);
  });

  it('fails an Athena query on a governed table without a grant, and runs it for the steward', async () => {
    const run = async (user: string) => {
      const athena = new AthenaClient(clientConfig(governed, userCredentials(governed, user)));
      const { QueryExecutionId } = await athena.send(new StartQueryExecutionCommand({ QueryString: 'SELECT * FROM finance.ledger', WorkGroup: 'primary' }));
      // A query runs in sandbox time: each poll moves it on 50 ms instead of sleeping; 5 s of it at most.
      for (let attempt = 0; attempt < 100; attempt++) {
        const { QueryExecution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }));
        if (!['QUEUED', 'RUNNING'].includes(QueryExecution!.Status!.State!)) return QueryExecution!.Status!;
        movedOnMs += 50;
      }
      throw new Error(`query ${QueryExecutionId} did not finish in 5 s of sandbox time`);
    };
    // The reason's wording is Athena's; that it names the table is what matters here.
    expect(await run('analyst')).toMatchObject({ State: 'FAILED', StateChangeReason: expect.stringContaining('ledger') });
    expect(await run('steward')).toMatchObject({ State: 'SUCCEEDED' });
  });

  it('lists only the caller\'s own grants to a principal who is not an administrator', async () => {
    const { PrincipalResourcePermissions } = await lf('analyst').send(new ListPermissionsCommand({}));
    expect(PrincipalResourcePermissions).toEqual([
      {
        Principal: { DataLakePrincipalIdentifier: `arn:aws:iam::${ACCOUNT}:user/analyst` },
        Resource: { Table: { CatalogId: ACCOUNT, DatabaseName: 'sales', Name: 'orders' } },
        Permissions: ['SELECT'],
        PermissionsWithGrantOption: [],
      },
    ]);
  });

  it('lists every grant to an administrator, across pages with MaxResults and NextToken', async () => {
    const first = await lf('admin').send(new ListPermissionsCommand({ MaxResults: 3 }));
    expect(first.PrincipalResourcePermissions).toHaveLength(3);
    expect(first.PrincipalResourcePermissions![0]!.Resource).toEqual({ Table: { CatalogId: ACCOUNT, DatabaseName: 'finance', TableWildcard: {} } });
    expect(first.PrincipalResourcePermissions![1]!.Resource).toEqual({ Database: { CatalogId: ACCOUNT, Name: 'finance' } });
    const second = await lf('admin').send(new ListPermissionsCommand({ MaxResults: 3, NextToken: first.NextToken }));
    // Last, the database creators: IAM_ALLOWED_PRINCIPALS holds CREATE_DATABASE on the catalog unless revoked.
    expect(second.PrincipalResourcePermissions!.map((p) => p.Principal!.DataLakePrincipalIdentifier)).toEqual([`arn:aws:iam::${ACCOUNT}:user/analyst`, DESCRIBER, 'IAM_ALLOWED_PRINCIPALS']);
    expect(second.PrincipalResourcePermissions![2]).toMatchObject({ Resource: { Catalog: {} }, Permissions: ['CREATE_DATABASE'] });
    expect(second.NextToken).toBeUndefined();
  });

  it('lists the database creators on the catalog resource: in lake-formation-no-default-database, the administrators\' role alone', async () => {
    const creators = await lf('admin').send(new ListPermissionsCommand({ Resource: { Catalog: {} } }));
    expect(creators.PrincipalResourcePermissions!.map((p) => [p.Principal!.DataLakePrincipalIdentifier, p.Permissions])).toEqual([['IAM_ALLOWED_PRINCIPALS', ['CREATE_DATABASE']]]);
    const base = loadScenario('lake-formation-no-default-database');
    const revoked = await startSandbox({ scenario: { ...base, extends: undefined, name: 'creators-listed', lakeFormation: { ...base.lakeFormation, admins: [`arn:aws:iam::${ACCOUNT}:user/analyst`] } } });
    try {
      const listed = await new LakeFormationClient(clientConfig(revoked, userCredentials(revoked, 'analyst'))).send(new ListPermissionsCommand({ ResourceType: 'CATALOG' }));
      expect(listed.PrincipalResourcePermissions!.map((p) => p.Principal!.DataLakePrincipalIdentifier)).toEqual([`arn:aws:iam::${ACCOUNT}:role/DataLakeAdmin`]);
    } finally {
      await revoked.close();
    }
  });

  it('filters the listing by principal, by resource (exactly that resource) and by resource type', async () => {
    const list = async (input: ListPermissionsCommandInput) =>
      (await lf('admin').send(new ListPermissionsCommand(input))).PrincipalResourcePermissions!.map((p) => `${p.Principal!.DataLakePrincipalIdentifier!.replace(/.*\//, '')} ${p.Permissions!.join('+')}`);
    expect(await list({ Principal: { DataLakePrincipalIdentifier: STEWARD } })).toEqual(['steward DESCRIBE+SELECT', 'steward DESCRIBE', 'steward SELECT']);
    expect(await list({ Resource: { Database: { Name: 'finance' } } })).toEqual(['steward DESCRIBE']);
    expect(await list({ Resource: { Database: { Name: 'sales' } } })).toEqual([]);
    expect(await list({ Resource: { Table: { DatabaseName: 'sales', Name: 'orders' } } })).toEqual(['steward SELECT', 'analyst SELECT']);
    expect(await list({ Resource: { Table: { DatabaseName: 'finance', TableWildcard: {} } } })).toEqual(['steward DESCRIBE+SELECT']);
    expect(await list({ ResourceType: 'DATABASE' })).toEqual(['steward DESCRIBE']);
    expect(await list({ Principal: { DataLakePrincipalIdentifier: DESCRIBER }, ResourceType: 'TABLE' })).toEqual(['describer DESCRIBE']);
    await expect(lf('admin').send(new ListPermissionsCommand({ Resource: {} }))).rejects.toMatchObject({ name: 'InvalidInputException' });
  });

  it('gives the effective permissions at an S3 path: the grants on the tables and database there', async () => {
    const at = async (ResourceArn: string, user = 'admin') =>
      (await lf(user).send(new GetEffectivePermissionsForPathCommand({ ResourceArn }))).Permissions!.map((p) => `${p.Principal!.DataLakePrincipalIdentifier!.replace(/.*\//, '')} ${p.Permissions!.join('+')}`);
    expect(await at('arn:aws:s3:::acme-data-lake/finance/ledger')).toEqual(['steward DESCRIBE+SELECT', 'steward DESCRIBE', 'describer DESCRIBE']);
    expect(await at('arn:aws:s3:::acme-data-lake/finance/invoices/2026/part-0.parquet')).toEqual(['steward DESCRIBE+SELECT', 'steward DESCRIBE']);
    expect(await at('arn:aws:s3:::acme-data-lake/finance/ledger/', 'describer')).toEqual(['describer DESCRIBE']);
  });

  it('answers EntityNotFoundException for a path nothing is registered at, and InvalidInputException for a non-S3 ARN', async () => {
    await expect(lf('admin').send(new GetEffectivePermissionsForPathCommand({ ResourceArn: 'arn:aws:s3:::elsewhere/' }))).rejects.toMatchObject({
      name: 'EntityNotFoundException',
      message: 'No resource is registered at arn:aws:s3:::elsewhere/.',
    });
    await expect(lf('admin').send(new GetEffectivePermissionsForPathCommand({ ResourceArn: 'not-an-arn' }))).rejects.toMatchObject({ name: 'InvalidInputException' });
  });

  it('denies a principal without Lake Formation permissions with a 403 AccessDeniedException', async () => {
    await expect(lf('glue-reader').send(new GetDataLakeSettingsCommand({}))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT}:user/glue-reader is not authorized to perform: lakeformation:GetDataLakeSettings because no identity-based policy allows the lakeformation:GetDataLakeSettings action`,
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('rejects MaxResults out of range and a body that is not JSON with InvalidInputException', async () => {
    await expect(lf('admin').send(new ListPermissionsCommand({ MaxResults: 0 }))).rejects.toMatchObject({
      name: 'InvalidInputException',
      message: 'MaxResults must be between 1 and 1000.',
      $metadata: { httpStatusCode: 400 },
    });
    const client = lf('admin');
    // Replaces the serialised input before the SDK signs the request.
    client.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { body: unknown }).body = '{"MaxResults": ';
        return next(args);
      },
      { step: 'build', priority: 'high' },
    );
    await expect(client.send(new ListPermissionsCommand({}))).rejects.toMatchObject({ name: 'InvalidInputException', $metadata: { httpStatusCode: 400 } });
  });

  it('refuses another account\'s catalog', async () => {
    await expect(lf('admin').send(new ListPermissionsCommand({ CatalogId: '210987654321' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(lf('admin').send(new GetDataLakeSettingsCommand({ CatalogId: ACCOUNT }))).resolves.toMatchObject({ DataLakeSettings: expect.any(Object) });
  });

  it('is parsed by botocore: settings, a listing across pages and a denial', async () => {
    const admin = userCredentials(grants, 'admin');
    const settings = await awsCli(grants, admin, ['lakeformation', 'get-data-lake-settings']);
    expect(settings.json.DataLakeSettings.DataLakeAdmins).toEqual([{ DataLakePrincipalIdentifier: `arn:aws:iam::${ACCOUNT}:user/admin` }]);
    // botocore has no paginator for ListPermissions: follow NextToken by hand.
    const first = await awsCli(grants, admin, ['lakeformation', 'list-permissions', '--max-results', '3']);
    expect(first.json.PrincipalResourcePermissions).toHaveLength(3);
    const second = await awsCli(grants, admin, ['lakeformation', 'list-permissions', '--max-results', '3', '--next-token', first.json.NextToken]);
    expect(second.json.PrincipalResourcePermissions).toHaveLength(3);
    expect(second.json.PrincipalResourcePermissions[2].Resource).toEqual({ Catalog: {} });
    expect(second.json.NextToken).toBeUndefined();
    const denied = await awsCli(grants, userCredentials(grants, 'glue-reader'), ['lakeformation', 'get-data-lake-settings']);
    expect(denied).toMatchObject({ ok: false, errorCode: 'AccessDeniedException' });
  });
});

describe('Lake Formation hides a governed database as well as its tables', () => {
  let hidden: Sandbox;
  beforeAll(async () => {
    hidden = await startSandbox({ scenario: 'lake-formation-hidden-database' });
  });
  afterAll(() => hidden.close());

  it('leaves it out of listings and refuses it by name for a principal without a grant; shows it to one with a grant', async () => {
    const analyst = new GlueClient(clientConfig(hidden, userCredentials(hidden, 'analyst')));
    const { DatabaseList } = await analyst.send(new GetDatabasesCommand({}));
    expect(DatabaseList!.map((d) => d.Name)).not.toContain('finance');
    await expect(analyst.send(new GetDatabaseCommand({ Name: 'finance' }))).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('Insufficient Lake Formation permission(s)') });
    const steward = new GlueClient(clientConfig(hidden, userCredentials(hidden, 'steward')));
    expect((await steward.send(new GetDatabasesCommand({}))).DatabaseList!.map((d) => d.Name)).toContain('finance');
  });

  it('is parsed by botocore: the refusal by name', async () => {
    const refused = await awsCli(hidden, userCredentials(hidden, 'analyst'), ['glue', 'get-database', '--name', 'finance']);
    expect(refused.errorCode).toBe('AccessDeniedException');
  });
});
