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

// full-access plus a user who may only list databases (glue:GetDatabases), for denials.
const SCENARIO = {
  extends: 'full-access',
  name: 'glue-test',
  description: 'full-access plus a user limited to glue:GetDatabases',
  users: [
    {
      name: 'analyst',
      accessKeyId: 'AKIAGLUETESTANALYST1',
      secretAccessKey: 'sandbox/analyst/secret/not-a-real-key',
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }],
    },
    {
      name: 'lister',
      accessKeyId: 'AKIAGLUETESTLISTER01',
      secretAccessKey: 'sandbox/lister/secret/not-a-real-key',
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'glue:GetDatabases', Resource: '*' }] }],
    },
  ],
};

describe('sandbox Glue', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: SCENARIO });
  });
  afterAll(() => sandbox.close());

  const glue = (user = 'analyst') => new GlueClient(clientConfig(sandbox, userCredentials(sandbox, user)));

  it('lists databases across pages with MaxResults and NextToken', async () => {
    const first = await glue().send(new GetDatabasesCommand({ MaxResults: 2 }));
    expect(first.DatabaseList!.map((d) => d.Name)).toEqual(['sales', 'marketing']);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await glue().send(new GetDatabasesCommand({ MaxResults: 2, NextToken: first.NextToken }));
    expect(second.DatabaseList!.map((d) => d.Name)).toEqual(['entertainment']);
    expect(second.NextToken).toBeUndefined();
    expect(first.DatabaseList![0]).toMatchObject({ CatalogId: ACCOUNT, LocationUri: 's3://acme-data-lake/sales/', CreateTime: expect.any(Date) });
  });

  it('gets one database', async () => {
    const { Database } = await glue().send(new GetDatabaseCommand({ Name: 'sales' }));
    expect(Database).toMatchObject({ Name: 'sales', Description: 'Orders and customers from the web shop', CatalogId: ACCOUNT });
  });

  it('answers EntityNotFoundException for a missing database and table', async () => {
    await expect(glue().send(new GetDatabaseCommand({ Name: 'nope' }))).rejects.toMatchObject({
      name: 'EntityNotFoundException',
      message: 'Database nope not found.',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(glue().send(new GetTableCommand({ DatabaseName: 'sales', Name: 'nope' }))).rejects.toMatchObject({ name: 'EntityNotFoundException' });
    await expect(glue().send(new GetTablesCommand({ DatabaseName: 'nope' }))).rejects.toMatchObject({ name: 'EntityNotFoundException' });
  });

  it('lists tables across pages and filters them by expression', async () => {
    const first = await glue().send(new GetTablesCommand({ DatabaseName: 'sales', MaxResults: 2 }));
    expect(first.TableList!.map((t) => t.Name)).toEqual(['orders', 'customers']);
    const second = await glue().send(new GetTablesCommand({ DatabaseName: 'sales', MaxResults: 2, NextToken: first.NextToken }));
    expect(second.TableList!.map((t) => t.Name)).toEqual(['daily_revenue']);
    expect(second.NextToken).toBeUndefined();
    const filtered = await glue().send(new GetTablesCommand({ DatabaseName: 'sales', Expression: 'cust*' }));
    expect(filtered.TableList!.map((t) => t.Name)).toEqual(['customers']);
  });

  it('gets a table with its schema, partition keys and location', async () => {
    const { Table } = await glue().send(new GetTableCommand({ DatabaseName: 'sales', Name: 'orders' }));
    expect(Table).toMatchObject({
      Name: 'orders',
      DatabaseName: 'sales',
      TableType: 'EXTERNAL_TABLE',
      PartitionKeys: [{ Name: 'dt', Type: 'string' }],
      StorageDescriptor: { Location: 's3://acme-data-lake/sales/orders/', Columns: expect.arrayContaining([{ Name: 'amount', Type: 'decimal(12,2)' }]) },
      IsRegisteredWithLakeFormation: false,
      VersionId: '3',
    });
  });

  it('returns a view with its original text', async () => {
    const { Table } = await glue().send(new GetTableCommand({ DatabaseName: 'sales', Name: 'daily_revenue' }));
    expect(Table).toMatchObject({ TableType: 'VIRTUAL_VIEW', ViewOriginalText: expect.stringContaining('FROM sales.orders') });
    expect(Table!.StorageDescriptor!.Location).toBeUndefined();
  });

  it('pages through partitions and filters them by expression', async () => {
    const first = await glue().send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders', MaxResults: 3 }));
    expect(first.Partitions!.map((p) => p.Values)).toEqual([['2026-11-20'], ['2026-11-21'], ['2026-11-22']]);
    const second = await glue().send(new GetPartitionsCommand({ DatabaseName: 'sales', TableName: 'orders', MaxResults: 3, NextToken: first.NextToken }));
    expect(second.Partitions!.map((p) => p.Values)).toEqual([['2026-11-23']]);
    expect(second.NextToken).toBeUndefined();
    const filtered = await glue().send(new GetPartitionsCommand({ DatabaseName: 'marketing', TableName: 'clicks', Expression: "dt = '2026-11-23' AND hour = '01'" }));
    expect(filtered.Partitions).toHaveLength(1);
    expect(filtered.Partitions![0]!.StorageDescriptor!.Location).toBe('s3://acme-data-lake/marketing/clicks/dt=2026-11-23/hour=01/');
  });

  it('gets one partition, and EntityNotFoundException for an unknown one', async () => {
    const { Partition } = await glue().send(new GetPartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionValues: ['2026-11-21'] }));
    expect(Partition).toMatchObject({ Values: ['2026-11-21'], TableName: 'orders', StorageDescriptor: { Location: 's3://acme-data-lake/sales/orders/dt=2026-11-21/' } });
    await expect(glue().send(new GetPartitionCommand({ DatabaseName: 'sales', TableName: 'orders', PartitionValues: ['1999-01-01'] }))).rejects.toMatchObject({
      name: 'EntityNotFoundException',
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
    const second = await glue().send(new GetTableVersionsCommand({ DatabaseName: 'sales', TableName: 'orders', MaxResults: 2, NextToken: first.NextToken }));
    expect(second.TableVersions!.map((v) => v.VersionId)).toEqual(['1']);
    expect(second.NextToken).toBeUndefined();
  });

  it('gets one table version, and EntityNotFoundException beyond the last', async () => {
    const { TableVersion } = await glue().send(new GetTableVersionCommand({ DatabaseName: 'sales', TableName: 'orders', VersionId: '2' }));
    expect(TableVersion).toMatchObject({ VersionId: '2', Table: { Name: 'orders', VersionId: '2' } });
    await expect(glue().send(new GetTableVersionCommand({ DatabaseName: 'sales', TableName: 'orders', VersionId: '9' }))).rejects.toMatchObject({
      name: 'EntityNotFoundException',
    });
  });

  it('lists and gets user-defined functions', async () => {
    const { UserDefinedFunctions } = await glue().send(new GetUserDefinedFunctionsCommand({ Pattern: 'mask*' }));
    expect(UserDefinedFunctions).toEqual([
      expect.objectContaining({ FunctionName: 'mask_email', DatabaseName: 'sales', ClassName: 'com.acme.udf.MaskEmail', ResourceUris: [{ ResourceType: 'JAR', Uri: 's3://acme-data-lake/udf/acme-udf.jar' }] }),
    ]);
    const { UserDefinedFunction } = await glue().send(new GetUserDefinedFunctionCommand({ DatabaseName: 'sales', FunctionName: 'mask_email' }));
    expect(UserDefinedFunction).toMatchObject({ FunctionName: 'mask_email', OwnerName: 'data-platform' });
    await expect(glue().send(new GetUserDefinedFunctionCommand({ DatabaseName: 'sales', FunctionName: 'nope' }))).rejects.toMatchObject({ name: 'EntityNotFoundException' });
  });

  it('searches tables by name, database or column, across pages', async () => {
    const byColumn = await glue().send(new SearchTablesCommand({ SearchText: 'campaign_id' }));
    expect(byColumn.TableList!.map((t) => `${t.DatabaseName}.${t.Name}`).sort()).toEqual(['marketing.campaigns', 'marketing.clicks']);
    const first = await glue().send(new SearchTablesCommand({ MaxResults: 4 }));
    expect(first.TableList).toHaveLength(4);
    const second = await glue().send(new SearchTablesCommand({ MaxResults: 4, NextToken: first.NextToken }));
    expect(second.TableList!.map((t) => t.Name)).toEqual(['clicks', 'titles']);
    expect(second.NextToken).toBeUndefined();
  });

  it('reports the catalog encryption settings', async () => {
    const { DataCatalogEncryptionSettings } = await glue().send(new GetDataCatalogEncryptionSettingsCommand({}));
    expect(DataCatalogEncryptionSettings).toEqual({
      EncryptionAtRest: { CatalogEncryptionMode: 'DISABLED' },
      ConnectionPasswordEncryption: { ReturnConnectionPasswordEncrypted: false },
    });
  });

  it('denies an action no policy allows with AccessDeniedException and IAM\'s message', async () => {
    await expect(glue('lister').send(new GetTablesCommand({ DatabaseName: 'sales' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT}:user/lister is not authorized to perform: glue:GetTables on resource: ${GLUE_ARN}:catalog because no identity-based policy allows the glue:GetTables action`,
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('checks authorization before existence', async () => {
    await expect(glue('lister').send(new GetDatabaseCommand({ Name: 'nope' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('refuses another account\'s catalog', async () => {
    await expect(glue().send(new GetDatabasesCommand({ CatalogId: '210987654321' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('arn:aws:glue:eu-west-1:210987654321:catalog'),
    });
  });

  it('rejects MaxResults out of range with InvalidInputException', async () => {
    await expect(glue().send(new GetTablesCommand({ DatabaseName: 'sales', MaxResults: 0 }))).rejects.toMatchObject({
      name: 'InvalidInputException',
      message: "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    });
    await expect(glue().send(new GetDatabasesCommand({ MaxResults: 101 }))).rejects.toMatchObject({ name: 'InvalidInputException' });
  });

  it('rejects a forged NextToken with InvalidInputException', async () => {
    await expect(glue().send(new GetTablesCommand({ DatabaseName: 'sales', NextToken: 'not-a-token' }))).rejects.toMatchObject({ name: 'InvalidInputException' });
  });

  it('is parsed by botocore: a listing across pages, a table, a denial and a missing entity', async () => {
    const analyst = userCredentials(sandbox, 'analyst');
    // The CLI follows NextToken itself; --page-size makes it take three pages of one.
    const listed = await awsCli(sandbox, analyst, ['glue', 'get-tables', '--database-name', 'sales', '--page-size', '1']);
    expect(listed.json.TableList.map((t: { Name: string }) => t.Name)).toEqual(['orders', 'customers', 'daily_revenue']);
    const table = await awsCli(sandbox, analyst, ['glue', 'get-table', '--database-name', 'sales', '--name', 'orders']);
    expect(table.json.Table.StorageDescriptor.Location).toBe('s3://acme-data-lake/sales/orders/');
    const denied = await awsCli(sandbox, userCredentials(sandbox, 'lister'), ['glue', 'get-tables', '--database-name', 'sales']);
    expect(denied).toMatchObject({ ok: false, errorCode: 'AccessDeniedException' });
    expect(denied.stderr).toContain('is not authorized to perform: glue:GetTables');
    const missing = await awsCli(sandbox, analyst, ['glue', 'get-database', '--name', 'nope']);
    expect(missing.errorCode).toBe('EntityNotFoundException');
  });
});
