import {
  BatchGetPartitionCommand,
  GetDatabaseCommand,
  GetDatabasesCommand,
  GetDataCatalogEncryptionSettingsCommand,
  GetPartitionCommand,
  GetPartitionsCommand,
  GetTableCommand,
  GetTablesCommand,
  GetTableVersionCommand,
  GetTableVersionsCommand,
  GetUserDefinedFunctionCommand,
  GetUserDefinedFunctionsCommand,
  GlueClient,
  SearchTablesCommand,
} from '@aws-sdk/client-glue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { awsCli, clientConfig, userCredentials } from '../support/sandbox.js';

const ACCOUNT = '123456789012';
const GLUE_ARN = `arn:aws:glue:eu-west-1:${ACCOUNT}`;
const allow = (actions: string[], resources: string[]) => ({ Effect: 'Allow', Action: actions, Resource: resources });
const user = (name: string, accessKeyId: string, statements: object[]) => ({
  name,
  accessKeyId,
  secretAccessKey: `sandbox/${name}/secret/not-a-real-key`,
  policies: [{ Version: '2012-10-17', Statement: statements }],
});

// full-access plus users whose policies name only some of the catalog, to show Glue's filtering.
const SCENARIO = {
  extends: 'full-access',
  name: 'glue-test',
  description: 'full-access plus users limited to parts of the catalog',
  users: [
    user('analyst', 'AKIAGLUETESTANALYST1', [allow(['*'], ['*'])]),
    user('lister', 'AKIAGLUETESTLISTER01', [allow(['glue:GetDatabases'], ['*'])]),
    // One database, one table of it, no function.
    user('narrow', 'AKIAGLUETESTNARROW01', [
      allow(['glue:GetDatabases', 'glue:GetTables', 'glue:SearchTables', 'glue:GetUserDefinedFunctions'], [`${GLUE_ARN}:catalog`, `${GLUE_ARN}:database/sales`, `${GLUE_ARN}:table/sales/orders`]),
    ]),
    // The parents only: the catalog for the database listing, catalog and database for the table listing.
    user('parents', 'AKIAGLUETESTPARENTS1', [
      allow(['glue:GetDatabases'], [`${GLUE_ARN}:catalog`]),
      allow(['glue:GetTables'], [`${GLUE_ARN}:catalog`, `${GLUE_ARN}:database/sales`]),
    ]),
  ],
};

describe('sandbox Glue', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: SCENARIO });
  });
  afterAll(() => sandbox.close());

  const glue = (name = 'analyst', on = () => sandbox) => new GlueClient(clientConfig(on(), userCredentials(on(), name)));
  const names = (list: Array<{ Name?: string }> | undefined) => (list ?? []).map((item) => item.Name);

  it('lists databases across pages with MaxResults and NextToken', async () => {
    const first = await glue().send(new GetDatabasesCommand({ MaxResults: 2 }));
    expect(names(first.DatabaseList)).toEqual(['sales', 'marketing']);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await glue().send(new GetDatabasesCommand({ MaxResults: 2, NextToken: first.NextToken }));
    expect(names(second.DatabaseList)).toEqual(['entertainment', 'default']);
    expect(second.NextToken).toBeUndefined();
    expect(first.DatabaseList![0]).toMatchObject({
      CatalogId: ACCOUNT,
      LocationUri: 's3://acme-data-lake/sales/',
      CreateTime: expect.any(Date),
      CreateTableDefaultPermissions: [{ Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Permissions: ['ALL'] }],
    });
  });

  it('lists no database shared from another account', async () => {
    expect((await glue().send(new GetDatabasesCommand({ ResourceShareType: 'FOREIGN' }))).DatabaseList).toEqual([]);
    expect(names((await glue().send(new GetDatabasesCommand({ ResourceShareType: 'ALL' }))).DatabaseList)).toHaveLength(4);
  });

  it('gets one database, whatever the case of its name', async () => {
    const { Database } = await glue().send(new GetDatabaseCommand({ Name: 'Sales' }));
    expect(Database).toMatchObject({ Name: 'sales', Description: 'Orders and customers from the web shop', CatalogId: ACCOUNT });
  });

  it('answers EntityNotFoundException with Glue\'s messages for a missing database and table', async () => {
    await expect(glue().send(new GetDatabaseCommand({ Name: 'nope' }))).rejects.toMatchObject({
      name: 'EntityNotFoundException',
      message: 'Database nope not found.',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(glue().send(new GetTableCommand({ DatabaseName: 'sales', Name: 'nope' }))).rejects.toMatchObject({ name: 'EntityNotFoundException', message: 'Table nope not found.' });
    await expect(glue().send(new GetTablesCommand({ DatabaseName: 'nope' }))).rejects.toMatchObject({ name: 'EntityNotFoundException' });
  });

  it('lists tables across pages and filters them by a Hive pattern', async () => {
    const first = await glue().send(new GetTablesCommand({ DatabaseName: 'sales', MaxResults: 2 }));
    expect(names(first.TableList)).toEqual(['orders', 'customers']);
    const second = await glue().send(new GetTablesCommand({ DatabaseName: 'sales', MaxResults: 2, NextToken: first.NextToken }));
    expect(names(second.TableList)).toEqual(['daily_revenue']);
    expect(second.NextToken).toBeUndefined();
    expect(names((await glue().send(new GetTablesCommand({ DatabaseName: 'sales', Expression: 'cust*' }))).TableList)).toEqual(['customers']);
    expect(names((await glue().send(new GetTablesCommand({ DatabaseName: 'sales', Expression: 'daily*|orders' }))).TableList)).toEqual(['orders', 'daily_revenue']);
  });

  it('gets a table with its schema, partition keys, location and version', async () => {
    const { Table } = await glue().send(new GetTableCommand({ DatabaseName: 'sales', Name: 'orders' }));
    expect(Table).toMatchObject({
      Name: 'orders',
      DatabaseName: 'sales',
      CatalogId: ACCOUNT,
      TableType: 'EXTERNAL_TABLE',
      PartitionKeys: [{ Name: 'dt', Type: 'string' }],
      StorageDescriptor: {
        Location: 's3://acme-data-lake/sales/orders/',
        Columns: expect.arrayContaining([{ Name: 'amount', Type: 'decimal(12,2)' }]),
        InputFormat: expect.stringContaining('Parquet'),
        SerdeInfo: { SerializationLibrary: expect.any(String) },
      },
      IsRegisteredWithLakeFormation: false,
      VersionId: '3',
      CreateTime: expect.any(Date),
      UpdateTime: expect.any(Date),
    });
  });

  it('returns a view with its original text and no location', async () => {
    const { Table } = await glue().send(new GetTableCommand({ DatabaseName: 'sales', Name: 'daily_revenue' }));
    expect(Table).toMatchObject({ TableType: 'VIRTUAL_VIEW', ViewOriginalText: expect.stringContaining('FROM sales.orders') });
    expect(Table!.StorageDescriptor!.Location).toBeUndefined();
  });

  it('pages through partitions and filters them by a predicate', async () => {
    const first = await glue().send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders', MaxResults: 3 }));
    expect(first.Partitions!.map((p) => p.Values)).toEqual([['2026-11-20'], ['2026-11-21'], ['2026-11-22']]);
    const second = await glue().send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders', MaxResults: 3, NextToken: first.NextToken }));
    expect(second.Partitions!.map((p) => p.Values)).toEqual([['2026-11-23']]);
    expect(second.NextToken).toBeUndefined();
    const clicks = await glue().send(new GetPartitionsCommand({ DatabaseName: 'marketing', TableName: 'clicks', Expression: "dt = '2026-11-23' AND hour = '01'" }));
    expect(clicks.Partitions).toHaveLength(1);
    expect(clicks.Partitions![0]!.StorageDescriptor!.Location).toBe('s3://acme-data-lake/marketing/clicks/dt=2026-11-23/hour=01/');
    const range = await glue().send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders', Expression: "dt > '2026-11-21' OR dt = '2026-11-20'" }));
    expect(range.Partitions!.map((p) => p.Values![0])).toEqual(['2026-11-20', '2026-11-22', '2026-11-23']);
  });

  it('gets one partition, and EntityNotFoundException for an unknown one', async () => {
    const { Partition } = await glue().send(new GetPartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionValues: ['2026-11-21'] }));
    expect(Partition).toMatchObject({ Values: ['2026-11-21'], DatabaseName: 'sales', TableName: 'orders', StorageDescriptor: { Location: 's3://acme-data-lake/sales/orders/dt=2026-11-21/' } });
    await expect(glue().send(new GetPartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionValues: ['1999-01-01'] }))).rejects.toMatchObject({
      name: 'EntityNotFoundException',
      message: 'Cannot find partition.',
    });
  });

  it('batch-gets partitions, leaving out those that do not exist', async () => {
    const result = await glue().send(
      new BatchGetPartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionsToGet: [{ Values: ['2026-11-20'] }, { Values: ['1999-01-01'] }, { Values: ['2026-11-23'] }] }),
    );
    expect(result.Partitions!.map((p) => p.Values)).toEqual([['2026-11-20'], ['2026-11-23']]);
    expect(result.UnprocessedKeys).toEqual([]);
  });

  it('lists table versions newest first, across pages', async () => {
    const first = await glue().send(new GetTableVersionsCommand({ DatabaseName: 'sales', TableName: 'orders', MaxResults: 2 }));
    expect(first.TableVersions!.map((v) => v.VersionId)).toEqual(['3', '2']);
    expect(first.TableVersions![0]!.Table).toMatchObject({ Name: 'orders', VersionId: '3' });
    const second = await glue().send(new GetTableVersionsCommand({ DatabaseName: 'sales', TableName: 'orders', MaxResults: 2, NextToken: first.NextToken }));
    expect(second.TableVersions!.map((v) => v.VersionId)).toEqual(['1']);
    expect(second.NextToken).toBeUndefined();
  });

  it('gets one table version (the newest without VersionId), and EntityNotFoundException beyond the last', async () => {
    const { TableVersion } = await glue().send(new GetTableVersionCommand({ DatabaseName: 'sales', TableName: 'orders', VersionId: '2' }));
    expect(TableVersion).toMatchObject({ VersionId: '2', Table: { Name: 'orders', VersionId: '2' } });
    expect((await glue().send(new GetTableVersionCommand({ DatabaseName: 'sales', TableName: 'orders' }))).TableVersion!.VersionId).toBe('3');
    await expect(glue().send(new GetTableVersionCommand({ DatabaseName: 'sales', TableName: 'orders', VersionId: '9' }))).rejects.toMatchObject({
      name: 'EntityNotFoundException',
    });
  });

  it('lists user-defined functions by pattern, in one database or all, and gets one', async () => {
    const { UserDefinedFunctions } = await glue().send(new GetUserDefinedFunctionsCommand({ Pattern: 'mask*' }));
    expect(UserDefinedFunctions).toEqual([
      expect.objectContaining({
        FunctionName: 'mask_email',
        DatabaseName: 'sales',
        ClassName: 'com.acme.udf.MaskEmail',
        OwnerType: 'USER',
        CatalogId: ACCOUNT,
        ResourceUris: [{ ResourceType: 'JAR', Uri: 's3://acme-data-lake/udf/acme-udf.jar' }],
      }),
    ]);
    expect((await glue().send(new GetUserDefinedFunctionsCommand({ DatabaseName: 'marketing', Pattern: '*' }))).UserDefinedFunctions).toEqual([]);
    const { UserDefinedFunction } = await glue().send(new GetUserDefinedFunctionCommand({ DatabaseName: 'sales', FunctionName: 'mask_email' }));
    expect(UserDefinedFunction).toMatchObject({ FunctionName: 'mask_email', OwnerName: 'data-platform' });
    await expect(glue().send(new GetUserDefinedFunctionCommand({ DatabaseName: 'sales', FunctionName: 'nope' }))).rejects.toMatchObject({ name: 'EntityNotFoundException' });
  });

  it('searches tables by name, database, column or comment, across pages', async () => {
    const byColumn = await glue().send(new SearchTablesCommand({ SearchText: 'campaign_id' }));
    expect(byColumn.TableList!.map((t) => `${t.DatabaseName}.${t.Name}`).sort()).toEqual(['marketing.campaigns', 'marketing.clicks']);
    expect(names((await glue().send(new SearchTablesCommand({ SearchText: 'pii' }))).TableList)).toEqual(['customers']);
    const first = await glue().send(new SearchTablesCommand({ MaxResults: 4 }));
    expect(first.TableList).toHaveLength(4);
    const second = await glue().send(new SearchTablesCommand({ MaxResults: 4, NextToken: first.NextToken }));
    expect(names(second.TableList)).toEqual(['clicks', 'titles']);
    expect(second.NextToken).toBeUndefined();
  });

  it('reports the catalog encryption settings', async () => {
    const { DataCatalogEncryptionSettings } = await glue().send(new GetDataCatalogEncryptionSettingsCommand({}));
    expect(DataCatalogEncryptionSettings).toEqual({
      EncryptionAtRest: { CatalogEncryptionMode: 'DISABLED' },
      ConnectionPasswordEncryption: { ReturnConnectionPasswordEncrypted: false },
    });
  });

  it('reports SSE-KMS catalog encryption when the scenario sets a key', async () => {
    const encrypted = await startSandbox({
      scenario: { ...SCENARIO, name: 'glue-encrypted', glue: { catalogEncryption: { kmsKeyId: 'alias/catalog' } } },
    });
    try {
      const { DataCatalogEncryptionSettings } = await glue('analyst', () => encrypted).send(new GetDataCatalogEncryptionSettingsCommand({ CatalogId: ACCOUNT }));
      expect(DataCatalogEncryptionSettings!.EncryptionAtRest).toEqual({ CatalogEncryptionMode: 'SSE-KMS', SseAwsKmsKeyId: 'alias/catalog' });
    } finally {
      await encrypted.close();
    }
  });

  it('denies an action no policy allows with AccessDeniedException and IAM\'s message, before looking for the entity', async () => {
    await expect(glue('lister').send(new GetTablesCommand({ DatabaseName: 'sales' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT}:user/lister is not authorized to perform: glue:GetTables on resource: ${GLUE_ARN}:catalog because no identity-based policy allows the glue:GetTables action`,
      $metadata: { httpStatusCode: 400 },
    });
    await expect(glue('lister').send(new GetDatabaseCommand({ Name: 'nope' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('leaves out of listings the databases and tables the policy does not name', async () => {
    expect(names((await glue('narrow').send(new GetDatabasesCommand({}))).DatabaseList)).toEqual(['sales']);
    expect(names((await glue('narrow').send(new GetTablesCommand({ DatabaseName: 'sales' }))).TableList)).toEqual(['orders']);
    expect((await glue('narrow').send(new SearchTablesCommand({}))).TableList!.map((t) => `${t.DatabaseName}.${t.Name}`)).toEqual(['sales.orders']);
  });

  it('checks a function listing against the functions it may return, refusing a policy that names none', async () => {
    await expect(glue('narrow').send(new GetUserDefinedFunctionsCommand({ DatabaseName: 'sales', Pattern: '*' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT}:user/narrow is not authorized to perform: glue:GetUserDefinedFunctions on resource: ${GLUE_ARN}:userDefinedFunction/sales/* because no identity-based policy allows the glue:GetUserDefinedFunctions action`,
    });
  });

  it('answers an empty list when the policy names only the parents, as the Glue guide documents', async () => {
    expect((await glue('parents').send(new GetDatabasesCommand({}))).DatabaseList).toEqual([]);
    expect((await glue('parents').send(new GetTablesCommand({ DatabaseName: 'sales' }))).TableList).toEqual([]);
  });

  it('denies a listing whose parent database the policy does not name, naming that database', async () => {
    await expect(glue('narrow').send(new GetTablesCommand({ DatabaseName: 'marketing' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT}:user/narrow is not authorized to perform: glue:GetTables on resource: ${GLUE_ARN}:database/marketing because no identity-based policy allows the glue:GetTables action`,
    });
  });

  it('refuses another account\'s catalog: no resource policy there', async () => {
    await expect(glue().send(new GetDatabasesCommand({ CatalogId: '210987654321' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT}:user/analyst is not authorized to perform: glue:GetDatabases on resource: arn:aws:glue:eu-west-1:210987654321:catalog because no resource-based policy allows the glue:GetDatabases action`,
    });
    await expect(glue('lister').send(new GetTableCommand({ CatalogId: '210987654321', DatabaseName: 'sales', Name: 'orders' }))).rejects.toMatchObject({
      message: expect.stringContaining('because no identity-based policy allows the glue:GetTable action'),
    });
  });

  it('validates input as Glue does: ValidationException for constraints, larger catalog pages cut to 100', async () => {
    await expect(glue().send(new GetTablesCommand({ DatabaseName: 'sales', MaxResults: 0 }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(glue().send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders', MaxResults: 1001 }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(glue().send(new GetTableCommand({ DatabaseName: 'sales' } as never))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    });
    expect(names((await glue().send(new GetDatabasesCommand({ MaxResults: 500 }))).DatabaseList)).toHaveLength(4);
  });

  it('rejects a forged NextToken and an unsupported partition predicate with InvalidInputException', async () => {
    await expect(glue().send(new GetTablesCommand({ DatabaseName: 'sales', NextToken: 'not-a-token' }))).rejects.toMatchObject({ name: 'InvalidInputException' });
    await expect(glue().send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders', Expression: 'nope LIKE 1' }))).rejects.toMatchObject({ name: 'InvalidInputException' });
  });

  it('answers a body that is not JSON with SerializationException', async () => {
    const client = glue();
    // Replaces the serialised input before the SDK signs the request.
    client.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { body: unknown }).body = '{"Name": ';
        return next(args);
      },
      { step: 'build', priority: 'high' },
    );
    await expect(client.send(new GetDatabaseCommand({ Name: 'sales' }))).rejects.toMatchObject({ name: 'SerializationException', $metadata: { httpStatusCode: 400 } });
  });
});

describe('sandbox Glue with the seeds\' policies', () => {
  let skoot: Sandbox;
  let coalesce: Sandbox;
  beforeAll(async () => {
    [skoot, coalesce] = await Promise.all([startSandbox({ scenario: 'skoot-scope-b' }), startSandbox({ scenario: 'coalesce-glue-only' })]);
  });
  afterAll(() => Promise.all([skoot.close(), coalesce.close()]));

  const client = (on: Sandbox, name: string) => new GlueClient(clientConfig(on, userCredentials(on, name)));

  it('Skoot Scope B reads the database it names and is refused the others', async () => {
    const glue = client(skoot, 'skoot');
    expect((await glue.send(new GetDatabasesCommand({}))).DatabaseList!.map((d) => d.Name)).toEqual(['entertainment']);
    expect((await glue.send(new GetTablesCommand({ DatabaseName: 'entertainment' }))).TableList!.map((t) => t.Name)).toEqual(['titles']);
    await expect(glue.send(new GetTablesCommand({ DatabaseName: 'sales' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT}:user/skoot is not authorized to perform: glue:GetTables on resource: ${GLUE_ARN}:database/sales because no identity-based policy allows the glue:GetTables action`,
    });
    // Not among the actions Skoot asks for.
    await expect(glue.send(new GetTableVersionsCommand({ DatabaseName: 'entertainment', TableName: 'titles' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('Coalesce reads table versions, partitions and functions with its catalog-wide policy', async () => {
    const glue = client(coalesce, 'coalesce-catalog');
    expect((await glue.send(new GetTableVersionsCommand({ DatabaseName: 'sales', TableName: 'orders' }))).TableVersions).toHaveLength(3);
    expect((await glue.send(new BatchGetPartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionsToGet: [{ Values: ['2026-11-20'] }] }))).Partitions).toHaveLength(1);
    await expect(glue.send(new GetUserDefinedFunctionCommand({ DatabaseName: 'sales', FunctionName: 'mask_email' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(`on resource: ${GLUE_ARN}:userDefinedFunction/sales/mask_email`),
    });
  });
});

describe('sandbox Glue through the AWS CLI (botocore)', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: SCENARIO });
  });
  afterAll(() => sandbox.close());

  it('lists databases, pages tables with --max-items, and reports a denial and a missing entity', async () => {
    const analyst = userCredentials(sandbox, 'analyst');
    const databases = await awsCli(sandbox, analyst, ['glue', 'get-databases']);
    expect(databases.json.DatabaseList.map((d: { Name: string }) => d.Name)).toEqual(['sales', 'marketing', 'entertainment', 'default']);

    // --page-size 1 makes the CLI follow the sandbox's NextToken; --max-items stops it after two.
    const first = await awsCli(sandbox, analyst, ['glue', 'get-tables', '--database-name', 'sales', '--max-items', '2', '--page-size', '1']);
    expect(first.json.TableList.map((t: { Name: string }) => t.Name)).toEqual(['orders', 'customers']);
    expect(first.json.NextToken).toEqual(expect.any(String));
    const rest = await awsCli(sandbox, analyst, ['glue', 'get-tables', '--database-name', 'sales', '--page-size', '1', '--starting-token', first.json.NextToken]);
    expect(rest.json.TableList.map((t: { Name: string }) => t.Name)).toEqual(['daily_revenue']);

    const denied = await awsCli(sandbox, userCredentials(sandbox, 'lister'), ['glue', 'get-tables', '--database-name', 'sales']);
    expect(denied).toMatchObject({ ok: false, errorCode: 'AccessDeniedException' });
    expect(denied.stderr).toContain('is not authorized to perform: glue:GetTables');
    const missing = await awsCli(sandbox, analyst, ['glue', 'get-table', '--database-name', 'sales', '--name', 'nope']);
    expect(missing.errorCode).toBe('EntityNotFoundException');
  });
});

describe('Glue with the Data Catalog encrypted at rest', () => {
  it('refuses every catalog read without kms:Decrypt on the catalog key, in KMS words, but not the encryption settings', async () => {
    const encrypted = await startSandbox({ scenario: 'encrypted-catalog' });
    try {
      const glue = new GlueClient(clientConfig(encrypted, userCredentials(encrypted, 'analyst')));
      await expect(glue.send(new GetDatabasesCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('kms:Decrypt') });
      const settings = await glue.send(new GetDataCatalogEncryptionSettingsCommand({}));
      expect(settings.DataCatalogEncryptionSettings?.EncryptionAtRest).toMatchObject({ CatalogEncryptionMode: 'SSE-KMS' });
      const refused = await awsCli(encrypted, userCredentials(encrypted, 'analyst'), ['glue', 'get-tables', '--database-name', 'sales']);
      expect(refused.errorCode).toBe('AccessDeniedException');
    } finally {
      await encrypted.close();
    }
  });
});
