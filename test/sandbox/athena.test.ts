import {
  AthenaClient,
  BatchGetQueryExecutionCommand,
  GetDatabaseCommand,
  GetDataCatalogCommand,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetTableMetadataCommand,
  GetWorkGroupCommand,
  ListDatabasesCommand,
  ListDataCatalogsCommand,
  ListQueryExecutionsCommand,
  ListTableMetadataCommand,
  ListWorkGroupsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { awsCli, clientConfig, userCredentials } from '../support/sandbox.js';

const ACCOUNT = '123456789012';
const WORKGROUP_ARN = (name: string) => `arn:aws:athena:eu-west-1:${ACCOUNT}:workgroup/${name}`;
const SEEDED_PRIMARY = ['0b5c6e1a-8f3e-4d7a-9b21-1c2d3e4f5a02', '0b5c6e1a-8f3e-4d7a-9b21-1c2d3e4f5a01'];

// full-access plus a user with Athena rights on the primary workgroup only, and no Glue or S3 rights.
const SCENARIO = {
  extends: 'full-access',
  name: 'athena-test',
  description: 'full-access plus an Athena-only user',
  users: [
    {
      name: 'analyst',
      accessKeyId: 'AKIAATHENATESTANALY1',
      secretAccessKey: 'sandbox/analyst/secret/not-a-real-key',
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }],
    },
    {
      name: 'athena-only',
      accessKeyId: 'AKIAATHENATESTONLY01',
      secretAccessKey: 'sandbox/athena-only/secret/not-a-real-key',
      policies: [
        {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'athena:ListWorkGroups', Resource: '*' },
            { Effect: 'Allow', Action: 'athena:*', Resource: [WORKGROUP_ARN('primary'), `arn:aws:athena:eu-west-1:${ACCOUNT}:datacatalog/*`] },
          ],
        },
      ],
    },
  ],
};

// kms-encrypted-results (the bucket encrypts with SSE-KMS by default) with an analyst who may run queries.
const ENCRYPTED_SCENARIO = {
  extends: 'kms-encrypted-results',
  name: 'athena-kms-test',
  description: 'kms-encrypted-results with an administrator analyst',
  users: [{ ...SCENARIO.users[0]!, accessKeyId: 'AKIAATHENATESTKMS001' }],
};

describe('sandbox Athena', () => {
  let sandbox: Sandbox;
  let scp: Sandbox;
  let disabled: Sandbox;
  let encrypted: Sandbox;
  // Sandbox time: real time unless a test freezes it to watch a query's states.
  let frozenAt: number | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: SCENARIO, clock: () => frozenAt ?? Date.now() });
    scp = await startSandbox({ scenario: 'scp-deny-athena' });
    disabled = await startSandbox({ scenario: 'workgroup-disabled' });
    encrypted = await startSandbox({ scenario: ENCRYPTED_SCENARIO });
  });
  afterAll(async () => {
    await Promise.all([sandbox.close(), scp.close(), disabled.close(), encrypted.close()]);
  });

  const athena = (user = 'analyst', on = sandbox) => new AthenaClient(clientConfig(on, userCredentials(on, user)));

  async function waitForQuery(id: string, client = athena()): Promise<QueryExecution> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const { QueryExecution } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(QueryExecution!.Status!.State!)) return QueryExecution!;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`query ${id} did not finish`);
  }

  it('lists workgroups across pages', async () => {
    const first = await athena().send(new ListWorkGroupsCommand({ MaxResults: 1 }));
    expect(first.WorkGroups!.map((w) => w.Name)).toEqual(['primary']);
    const second = await athena().send(new ListWorkGroupsCommand({ MaxResults: 1, NextToken: first.NextToken }));
    expect(second.WorkGroups).toEqual([expect.objectContaining({ Name: 'analytics', State: 'ENABLED', Description: 'BI dashboards' })]);
    expect(second.NextToken).toBeUndefined();
  });

  it('gets a workgroup with its result configuration', async () => {
    const { WorkGroup } = await athena().send(new GetWorkGroupCommand({ WorkGroup: 'primary' }));
    expect(WorkGroup).toMatchObject({
      Name: 'primary',
      State: 'ENABLED',
      Configuration: { ResultConfiguration: { OutputLocation: 's3://acme-athena-results/primary/' }, EnforceWorkGroupConfiguration: false },
    });
  });

  it('answers InvalidRequestException for an unknown workgroup and query execution', async () => {
    await expect(athena().send(new GetWorkGroupCommand({ WorkGroup: 'nope' }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: 'WorkGroup nope is not found.',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(athena().send(new GetQueryExecutionCommand({ QueryExecutionId: '00000000-0000-4000-8000-000000000000' }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
    });
  });

  it('lists the query history of a workgroup, newest first, across pages', async () => {
    const first = await athena().send(new ListQueryExecutionsCommand({ WorkGroup: 'analytics', MaxResults: 1 }));
    expect(first.QueryExecutionIds).toEqual(['0b5c6e1a-8f3e-4d7a-9b21-1c2d3e4f5a03']);
    expect(first.NextToken).toBeUndefined();
    const primary: string[] = [];
    let token: string | undefined;
    do {
      const page = await athena().send(new ListQueryExecutionsCommand({ WorkGroup: 'primary', MaxResults: 1, NextToken: token }));
      expect(page.QueryExecutionIds!.length).toBeLessThanOrEqual(1);
      primary.push(...page.QueryExecutionIds!);
      token = page.NextToken;
    } while (token);
    expect(primary.slice(-2)).toEqual(SEEDED_PRIMARY);
  });

  it('batch-gets query executions, reporting unknown ids as unprocessed', async () => {
    const result = await athena().send(new BatchGetQueryExecutionCommand({ QueryExecutionIds: ['0b5c6e1a-8f3e-4d7a-9b21-1c2d3e4f5a03', 'no-such-id'] }));
    expect(result.QueryExecutions).toEqual([
      expect.objectContaining({ QueryExecutionId: '0b5c6e1a-8f3e-4d7a-9b21-1c2d3e4f5a03', WorkGroup: 'analytics', Status: expect.objectContaining({ State: 'FAILED' }) }),
    ]);
    expect(result.UnprocessedQueryExecutionIds).toEqual([expect.objectContaining({ QueryExecutionId: 'no-such-id', ErrorCode: 'INVALID_INPUT' })]);
  });

  it('runs a query: start, poll until SUCCEEDED, fetch the results across pages', async () => {
    const { QueryExecutionId } = await athena().send(
      new StartQueryExecutionCommand({ QueryString: 'SELECT * FROM orders', QueryExecutionContext: { Database: 'sales' }, WorkGroup: 'primary' }),
    );
    const execution = await waitForQuery(QueryExecutionId!);
    expect(execution).toMatchObject({
      Status: { State: 'SUCCEEDED', SubmissionDateTime: expect.any(Date), CompletionDateTime: expect.any(Date) },
      StatementType: 'DML',
      ResultConfiguration: { OutputLocation: `s3://acme-athena-results/primary/${QueryExecutionId}.csv` },
      QueryExecutionContext: { Database: 'sales', Catalog: 'AwsDataCatalog' },
      WorkGroup: 'primary',
    });
    const first = await athena().send(new GetQueryResultsCommand({ QueryExecutionId, MaxResults: 2 }));
    expect(first.ResultSet!.Rows![0]!.Data!.map((d) => d.VarCharValue)).toEqual(['order_id', 'customer_id', 'amount', 'currency']);
    expect(first.ResultSet!.Rows).toHaveLength(2);
    expect(first.ResultSet!.ResultSetMetadata!.ColumnInfo!.map((c) => c.Name)).toEqual(['order_id', 'customer_id', 'amount', 'currency']);
    const second = await athena().send(new GetQueryResultsCommand({ QueryExecutionId, MaxResults: 2, NextToken: first.NextToken }));
    expect(second.ResultSet!.Rows).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
  });

  it('writes the result CSV to the output location, readable with S3 GetObject', async () => {
    const { QueryExecutionId } = await athena().send(new StartQueryExecutionCommand({ QueryString: 'SELECT * FROM marketing.campaigns', WorkGroup: 'analytics' }));
    await waitForQuery(QueryExecutionId!);
    const s3 = new S3Client(clientConfig(sandbox, userCredentials(sandbox, 'analyst')));
    const object = await s3.send(new GetObjectCommand({ Bucket: 'acme-athena-results', Key: `analytics/${QueryExecutionId}.csv` }));
    const text = await object.Body!.transformToString();
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('"campaign_id","name","budget"');
    expect(lines).toHaveLength(3);
  });

  it('writes results into an SSE-KMS bucket under the bucket\'s default key', async () => {
    const client = athena('analyst', encrypted);
    const { QueryExecutionId } = await client.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', WorkGroup: 'primary' }));
    expect((await waitForQuery(QueryExecutionId!, client)).Status!.State).toBe('SUCCEEDED');
    const s3 = new S3Client(clientConfig(encrypted, userCredentials(encrypted, 'analyst')));
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'acme-athena-results', Key: `primary/${QueryExecutionId}.csv` }));
    expect(head).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1f0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f` });
  });

  it('moves a query through QUEUED and RUNNING, refuses its results meanwhile, and stops it', async () => {
    frozenAt = Date.now();
    try {
      const { QueryExecutionId } = await athena().send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', WorkGroup: 'primary' }));
      const state = async () => (await athena().send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution!.Status!.State;
      expect(await state()).toBe('QUEUED');
      await expect(athena().send(new GetQueryResultsCommand({ QueryExecutionId }))).rejects.toMatchObject({
        name: 'InvalidRequestException',
        message: 'Query has not yet finished. Current state: QUEUED',
      });
      frozenAt += 30;
      expect(await state()).toBe('RUNNING');
      await athena().send(new StopQueryExecutionCommand({ QueryExecutionId }));
      frozenAt += 1000;
      const { QueryExecution } = await athena().send(new GetQueryExecutionCommand({ QueryExecutionId }));
      expect(QueryExecution!.Status).toMatchObject({ State: 'CANCELLED', StateChangeReason: 'Query was cancelled by the user' });
    } finally {
      frozenAt = undefined;
    }
  });

  it('fails a query on a table that does not exist, with the reason and AthenaError', async () => {
    const { QueryExecutionId } = await athena().send(new StartQueryExecutionCommand({ QueryString: 'SELECT * FROM sales.nope', WorkGroup: 'primary' }));
    const execution = await waitForQuery(QueryExecutionId!);
    expect(execution.Status).toMatchObject({
      State: 'FAILED',
      StateChangeReason: "line 1:15: Table 'sales.nope' does not exist",
      AthenaError: { ErrorCategory: 2, ErrorType: 1301, Retryable: false },
    });
    await expect(athena().send(new GetQueryResultsCommand({ QueryExecutionId }))).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });

  it('accepts a query it cannot write results for, then fails it with Athena\'s S3 message', async () => {
    const client = athena('athena-only');
    const { QueryExecutionId } = await client.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', WorkGroup: 'primary' }));
    const execution = await waitForQuery(QueryExecutionId!, client);
    expect(execution.Status!.State).toBe('FAILED');
    expect(execution.Status!.StateChangeReason).toMatch(/^Access denied when writing output to url: s3:\/\/acme-athena-results\/primary\/ \. /);
  });

  it('lists and gets data catalogs', async () => {
    const { DataCatalogsSummary } = await athena().send(new ListDataCatalogsCommand({}));
    expect(DataCatalogsSummary).toEqual([{ CatalogName: 'AwsDataCatalog', Type: 'GLUE' }]);
    const { DataCatalog } = await athena().send(new GetDataCatalogCommand({ Name: 'AwsDataCatalog' }));
    expect(DataCatalog).toMatchObject({ Name: 'AwsDataCatalog', Type: 'GLUE', Parameters: { 'catalog-id': ACCOUNT } });
    await expect(athena().send(new GetDataCatalogCommand({ Name: 'nope' }))).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });

  it('lists databases of the Glue catalog across pages, and gets one', async () => {
    const first = await athena().send(new ListDatabasesCommand({ CatalogName: 'AwsDataCatalog', MaxResults: 2 }));
    expect(first.DatabaseList!.map((d) => d.Name)).toEqual(['sales', 'marketing']);
    const second = await athena().send(new ListDatabasesCommand({ CatalogName: 'AwsDataCatalog', MaxResults: 2, NextToken: first.NextToken }));
    expect(second.DatabaseList!.map((d) => d.Name)).toEqual(['entertainment']);
    expect(second.NextToken).toBeUndefined();
    const { Database } = await athena().send(new GetDatabaseCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'marketing' }));
    expect(Database).toMatchObject({ Name: 'marketing', Description: 'Campaign performance' });
  });

  it('lists table metadata across pages, and gets one table', async () => {
    const first = await athena().send(new ListTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'sales', MaxResults: 2 }));
    expect(first.TableMetadataList!.map((t) => t.Name)).toEqual(['orders', 'customers']);
    const second = await athena().send(new ListTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'sales', MaxResults: 2, NextToken: first.NextToken }));
    expect(second.TableMetadataList!.map((t) => t.Name)).toEqual(['daily_revenue']);
    const { TableMetadata } = await athena().send(new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'sales', TableName: 'orders' }));
    expect(TableMetadata).toMatchObject({ Name: 'orders', PartitionKeys: [{ Name: 'dt', Type: 'string' }], Parameters: { location: 's3://acme-data-lake/sales/orders/' } });
  });

  it('answers MetadataException for a missing database or table in the catalog APIs', async () => {
    await expect(athena().send(new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'sales', TableName: 'nope' }))).rejects.toMatchObject({
      name: 'MetadataException',
      message: 'Table nope not found.',
    });
    await expect(athena().send(new GetDatabaseCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'nope' }))).rejects.toMatchObject({ name: 'MetadataException' });
  });

  it('wraps Glue\'s refusal in a MetadataException when the caller lacks Glue rights', async () => {
    await expect(athena('athena-only').send(new ListDatabasesCommand({ CatalogName: 'AwsDataCatalog' }))).rejects.toMatchObject({
      name: 'MetadataException',
      message: expect.stringMatching(
        /^User: arn:aws:iam::123456789012:user\/athena-only is not authorized to perform: glue:GetDatabases on resource: arn:aws:glue:eu-west-1:123456789012:catalog because no identity-based policy allows the glue:GetDatabases action \(Service: AmazonDataCatalog; Status Code: 400; Error Code: AccessDeniedException;/,
      ),
    });
  });

  it('denies a workgroup outside the caller\'s policy with AccessDeniedException and IAM\'s message', async () => {
    await expect(athena('athena-only').send(new GetWorkGroupCommand({ WorkGroup: 'analytics' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT}:user/athena-only is not authorized to perform: athena:GetWorkGroup on resource: ${WORKGROUP_ARN('analytics')} because no identity-based policy allows the athena:GetWorkGroup action`,
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('denies every Athena call under an SCP that denies athena:*, saying so', async () => {
    await expect(athena('analyst', scp).send(new GetWorkGroupCommand({ WorkGroup: 'primary' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT}:user/analyst is not authorized to perform: athena:GetWorkGroup on resource: ${WORKGROUP_ARN('primary')} with an explicit deny in a service control policy`,
    });
    await expect(athena('analyst', scp).send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('athena:StartQueryExecution on resource: arn:aws:athena:eu-west-1:123456789012:workgroup/primary with an explicit deny in a service control policy'),
    });
  });

  it('rejects a query in a disabled workgroup with InvalidRequestException', async () => {
    await expect(athena('analyst', disabled).send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', WorkGroup: 'legacy' }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: 'Unable to submit query. WorkGroup legacy is disabled.',
      $metadata: { httpStatusCode: 400 },
    });
    const { WorkGroup } = await athena('analyst', disabled).send(new GetWorkGroupCommand({ WorkGroup: 'legacy' }));
    expect(WorkGroup!.State).toBe('DISABLED');
  });

  it('rejects MaxResults out of range with InvalidRequestException', async () => {
    await expect(athena().send(new ListWorkGroupsCommand({ MaxResults: 51 }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50",
    });
    await expect(athena().send(new ListDataCatalogsCommand({ MaxResults: 1 }))).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });

  it('is parsed by botocore: a paginated listing, a query, an SCP denial and a disabled workgroup', async () => {
    const analyst = userCredentials(sandbox, 'analyst');
    // The CLI follows NextToken itself; --page-size makes it take three pages of one.
    const listed = await awsCli(sandbox, analyst, ['athena', 'list-table-metadata', '--catalog-name', 'AwsDataCatalog', '--database-name', 'sales', '--page-size', '1']);
    expect(listed.json.TableMetadataList.map((t: { Name: string }) => t.Name)).toEqual(['orders', 'customers', 'daily_revenue']);
    const started = await awsCli(sandbox, analyst, ['athena', 'start-query-execution', '--query-string', 'SELECT 1', '--work-group', 'primary']);
    const execution = await waitForQuery(started.json.QueryExecutionId);
    expect(execution.Status!.State).toBe('SUCCEEDED');
    const denied = await awsCli(scp, userCredentials(scp, 'analyst'), ['athena', 'list-work-groups']);
    expect(denied).toMatchObject({ ok: false, errorCode: 'AccessDeniedException' });
    expect(denied.stderr).toContain('with an explicit deny in a service control policy');
    const rejected = await awsCli(disabled, userCredentials(disabled, 'analyst'), ['athena', 'start-query-execution', '--query-string', 'SELECT 1', '--work-group', 'legacy']);
    expect(rejected.errorCode).toBe('InvalidRequestException');
  });
});
