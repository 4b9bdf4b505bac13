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
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1f0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f`;
const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const user = (name: string, accessKeyId: string, ...policies: unknown[]) => ({ name, accessKeyId, secretAccessKey: `sandbox/${name}/secret/not-a-real-key`, policies });

// full-access with workgroups for every result-location case, a bucket policy that locks a prefix,
// an Athena-only user (no Glue or S3 rights) and a user who may read the catalog but not write results.
const SCENARIO = {
  extends: 'full-access',
  name: 'athena-test',
  description: 'full-access with workgroups for every result-location case and users with partial rights',
  users: [
    user('analyst', 'AKIAATHENATESTANALY1', ALLOW_ALL),
    user('athena-only', 'AKIAATHENATESTONLY01', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'athena:ListWorkGroups', Resource: '*' },
        { Effect: 'Allow', Action: 'athena:*', Resource: [WORKGROUP_ARN('primary'), `arn:aws:athena:eu-west-1:${ACCOUNT}:datacatalog/*`] },
      ],
    }),
    user('reader', 'AKIAATHENATESTREADR1', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['athena:*', 'glue:Get*', 's3:GetObject', 's3:ListBucket'], Resource: '*' }],
    }),
    // Athena may locate the results bucket and read the catalog for this user, but not write results.
    user('no-write', 'AKIAATHENATESTNOWRT1', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['athena:*', 'glue:Get*', 's3:GetBucketLocation'], Resource: '*' }],
    }),
    // Everything a query needs but the tables: the account's catalog and its default database only.
    user('no-tables', 'AKIAATHENATESTNOTBL1', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['athena:*', 's3:*'], Resource: '*' },
        { Effect: 'Allow', Action: 'glue:GetDatabase', Resource: [`arn:aws:glue:eu-west-1:${ACCOUNT}:catalog`, `arn:aws:glue:eu-west-1:${ACCOUNT}:database/default`] },
      ],
    }),
  ],
  athena: {
    workgroups: [
      { name: 'primary', description: 'Default workgroup', outputLocation: 's3://acme-athena-results/primary/' },
      { name: 'analytics', description: 'BI dashboards', outputLocation: 's3://acme-athena-results/analytics/' },
      { name: 'enforced', outputLocation: 's3://acme-athena-results/enforced/', enforceWorkGroupConfiguration: true, encryption: { option: 'SSE_S3' } },
      { name: 'managed', managedQueryResults: true },
      { name: 'bare' },
      { name: 'locked', outputLocation: 's3://acme-athena-results/locked/' },
      { name: 'ghost', outputLocation: 's3://no-such-bucket/athena/' },
      { name: 'elsewhere', outputLocation: 's3://acme-results-us-east-1/athena/' },
    ],
  },
  s3: {
    buckets: [
      {
        name: 'acme-athena-results',
        objects: [{ key: 'primary/0b5c6e1a-8f3e-4d7a-9b21-1c2d3e4f5a01.csv', body: '"_col0"\n"1843"\n' }],
        policy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::acme-athena-results/locked/*' }],
        },
      },
      { name: 'acme-data-lake' },
      { name: 'acme-results-us-east-1', region: 'us-east-1' },
    ],
  },
};

// kms-encrypted-results (SSE-KMS by default on the results bucket) with a workgroup that enforces
// SSE-KMS, an administrator, and a user with every right but KMS.
const ENCRYPTED_SCENARIO = {
  extends: 'kms-encrypted-results',
  name: 'athena-kms-test',
  description: 'kms-encrypted-results with an administrator and a user without KMS rights',
  users: [
    user('analyst', 'AKIAATHENATESTKMS001', ALLOW_ALL),
    user('no-kms', 'AKIAATHENATESTKMS002', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['athena:*', 'glue:*', 's3:*'], Resource: '*' }] }),
  ],
  athena: {
    workgroups: [
      { name: 'primary', outputLocation: 's3://acme-athena-results/primary/' },
      { name: 'analytics', outputLocation: 's3://acme-athena-results/analytics/' },
      { name: 'secure', outputLocation: 's3://acme-athena-results/secure/', enforceWorkGroupConfiguration: true, encryption: { option: 'SSE_KMS', kmsKey: 'alias/athena-results' } },
    ],
  },
};

// lake-formation-governed (finance's tables are governed; the analyst has no grant, the steward
// DESCRIBE and SELECT) plus a user with DESCRIBE only and one whose IAM denies GetDataAccess.
const GOVERNED_SCENARIO = {
  extends: 'lake-formation-governed',
  name: 'athena-lf-test',
  description: 'lake-formation-governed with partial grants',
  users: [
    user('analyst', 'AKIAATHENATESTLF0001', ALLOW_ALL),
    user('steward', 'AKIAATHENATESTLF0002', ALLOW_ALL),
    user('describer', 'AKIAATHENATESTLF0003', ALLOW_ALL),
    user('no-data-access', 'AKIAATHENATESTLF0004', ALLOW_ALL, {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 'lakeformation:GetDataAccess', Resource: '*' }],
    }),
  ],
  lakeFormation: {
    grants: [
      { principal: `arn:aws:iam::${ACCOUNT}:user/steward`, database: 'finance', table: '*', permissions: ['DESCRIBE', 'SELECT'] },
      { principal: `arn:aws:iam::${ACCOUNT}:user/describer`, database: 'finance', table: '*', permissions: ['DESCRIBE'] },
      { principal: `arn:aws:iam::${ACCOUNT}:user/no-data-access`, database: 'finance', table: '*', permissions: ['DESCRIBE', 'SELECT'] },
    ],
  },
};

const LEGACY_SCENARIO = { ...SCENARIO, name: 'athena-legacy-test', athena: { ...SCENARIO.athena, legacyDenialMessages: true } };

describe('sandbox Athena', () => {
  let sandbox: Sandbox;
  let scp: Sandbox;
  let disabled: Sandbox;
  let encrypted: Sandbox;
  let governed: Sandbox;
  let legacy: Sandbox;
  // Sandbox time, one for every sandbox here: real time plus what waiting for queries moved it on
  // by (a query runs in sandbox time, so nothing here sleeps), unless a test freezes it to watch a
  // query's states. It never goes back.
  let frozenAt: number | undefined;
  let movedOnMs = 0;
  const clock = () => frozenAt ?? Date.now() + movedOnMs;
  beforeAll(async () => {
    [sandbox, scp, disabled, encrypted, governed, legacy] = await Promise.all(
      [SCENARIO, 'scp-deny-athena', 'workgroup-disabled', ENCRYPTED_SCENARIO, GOVERNED_SCENARIO, LEGACY_SCENARIO].map((scenario) => startSandbox({ scenario, clock })),
    );
  });
  afterAll(async () => {
    await Promise.all([sandbox, scp, disabled, encrypted, governed, legacy].map((s) => s.close()));
  });

  const athena = (name = 'analyst', on = sandbox) => new AthenaClient(clientConfig(on, userCredentials(on, name)));
  const s3 = (name = 'analyst', on = sandbox) => new S3Client(clientConfig(on, userCredentials(on, name)));

  /** Polls as a client does, moving sandbox time on 50 ms a poll: a query must end within 5 s of it. */
  async function waitForQuery(id: string, client = athena()): Promise<QueryExecution> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const { QueryExecution } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(QueryExecution!.Status!.State!)) return QueryExecution!;
      movedOnMs += 50;
    }
    throw new Error(`query ${id} did not finish in 5 s of sandbox time`);
  }

  async function run(query: string, options: { client?: AthenaClient; workgroup?: string; database?: string; outputLocation?: string } = {}): Promise<QueryExecution> {
    const client = options.client ?? athena();
    const { QueryExecutionId } = await client.send(
      new StartQueryExecutionCommand({
        QueryString: query,
        WorkGroup: options.workgroup ?? 'primary',
        ...(options.database ? { QueryExecutionContext: { Database: options.database } } : {}),
        ...(options.outputLocation ? { ResultConfiguration: { OutputLocation: options.outputLocation } } : {}),
      }),
    );
    return waitForQuery(QueryExecutionId!, client);
  }

  describe('workgroups and query history', () => {
    it('lists workgroups across pages', async () => {
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await athena().send(new ListWorkGroupsCommand({ MaxResults: 3, NextToken: token }));
        expect(page.WorkGroups!.length).toBeLessThanOrEqual(3);
        names.push(...page.WorkGroups!.map((w) => w.Name!));
        token = page.NextToken;
      } while (token);
      expect(names).toEqual(['primary', 'analytics', 'enforced', 'managed', 'bare', 'locked', 'ghost', 'elsewhere']);
    });

    it('gets a workgroup with its result configuration, encryption and enforcement', async () => {
      const { WorkGroup } = await athena().send(new GetWorkGroupCommand({ WorkGroup: 'enforced' }));
      expect(WorkGroup).toMatchObject({
        Name: 'enforced',
        State: 'ENABLED',
        Configuration: {
          ResultConfiguration: { OutputLocation: 's3://acme-athena-results/enforced/', EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } },
          EnforceWorkGroupConfiguration: true,
          ManagedQueryResultsConfiguration: { Enabled: false },
        },
      });
      const managed = await athena().send(new GetWorkGroupCommand({ WorkGroup: 'managed' }));
      expect(managed.WorkGroup!.Configuration).toMatchObject({ ResultConfiguration: {}, ManagedQueryResultsConfiguration: { Enabled: true } });
    });

    it('answers InvalidRequestException for an unknown workgroup and query execution', async () => {
      await expect(athena().send(new GetWorkGroupCommand({ WorkGroup: 'nope' }))).rejects.toMatchObject({
        name: 'InvalidRequestException',
        message: 'WorkGroup nope is not found.',
        $metadata: { httpStatusCode: 400 },
      });
      await expect(athena().send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', WorkGroup: 'nope' }))).rejects.toMatchObject({
        name: 'InvalidRequestException',
        message: 'WorkGroup is not found',
      });
      await expect(athena().send(new GetQueryExecutionCommand({ QueryExecutionId: '00000000-0000-4000-8000-000000000000' }))).rejects.toMatchObject({
        name: 'InvalidRequestException',
      });
    });

    it('lists the query history of a workgroup (primary by default), newest first, across pages', async () => {
      const first = await athena().send(new ListQueryExecutionsCommand({ WorkGroup: 'analytics', MaxResults: 1 }));
      expect(first.QueryExecutionIds).toEqual(['0b5c6e1a-8f3e-4d7a-9b21-1c2d3e4f5a03']);
      expect(first.NextToken).toBeUndefined();
      const primary: string[] = [];
      let token: string | undefined;
      do {
        const page = await athena().send(new ListQueryExecutionsCommand({ MaxResults: 1, NextToken: token }));
        expect(page.QueryExecutionIds!.length).toBeLessThanOrEqual(1);
        primary.push(...page.QueryExecutionIds!);
        token = page.NextToken;
      } while (token);
      expect(primary.slice(-2)).toEqual(SEEDED_PRIMARY);
      await expect(athena().send(new ListQueryExecutionsCommand({ MaxResults: 51 }))).rejects.toMatchObject({ name: 'InvalidRequestException' });
    });

    it('batch-gets query executions, reporting unknown ids as unprocessed', async () => {
      const result = await athena().send(new BatchGetQueryExecutionCommand({ QueryExecutionIds: ['0b5c6e1a-8f3e-4d7a-9b21-1c2d3e4f5a03', 'no-such-id'] }));
      expect(result.QueryExecutions).toEqual([
        expect.objectContaining({ QueryExecutionId: '0b5c6e1a-8f3e-4d7a-9b21-1c2d3e4f5a03', WorkGroup: 'analytics', Status: expect.objectContaining({ State: 'FAILED' }) }),
      ]);
      expect(result.UnprocessedQueryExecutionIds).toEqual([expect.objectContaining({ QueryExecutionId: 'no-such-id', ErrorCode: 'INVALID_INPUT' })]);
    });

    it('reads a seeded query\'s results back from its CSV in S3', async () => {
      const { ResultSet } = await athena().send(new GetQueryResultsCommand({ QueryExecutionId: SEEDED_PRIMARY[1] }));
      expect(ResultSet!.Rows!.map((row) => row.Data!.map((d) => d.VarCharValue))).toEqual([['_col0'], ['1843']]);
    });
  });

  describe('running queries', () => {
    it('runs a query on a table: SUCCEEDED, the table\'s columns, results across pages', async () => {
      const execution = await run('SELECT * FROM orders', { database: 'sales' });
      expect(execution).toMatchObject({
        Status: { State: 'SUCCEEDED', SubmissionDateTime: expect.any(Date), CompletionDateTime: expect.any(Date) },
        StatementType: 'DML',
        ResultConfiguration: { OutputLocation: `s3://acme-athena-results/primary/${execution.QueryExecutionId}.csv` },
        QueryExecutionContext: { Database: 'sales', Catalog: 'AwsDataCatalog' },
        Statistics: { TotalExecutionTimeInMillis: expect.any(Number) },
        WorkGroup: 'primary',
      });
      const QueryExecutionId = execution.QueryExecutionId;
      const first = await athena().send(new GetQueryResultsCommand({ QueryExecutionId, MaxResults: 2 }));
      expect(first.ResultSet!.Rows![0]!.Data!.map((d) => d.VarCharValue)).toEqual(['order_id', 'customer_id', 'amount', 'currency', 'dt']);
      expect(first.ResultSet!.Rows).toHaveLength(2);
      expect(first.ResultSet!.ResultSetMetadata!.ColumnInfo!.map((c) => c.Name)).toEqual(['order_id', 'customer_id', 'amount', 'currency', 'dt']);
      const second = await athena().send(new GetQueryResultsCommand({ QueryExecutionId, MaxResults: 2, NextToken: first.NextToken }));
      expect(second.ResultSet!.Rows).toHaveLength(1);
      expect(second.NextToken).toBeUndefined();
    });

    it('evaluates constant queries: literals, aliases and _colN names', async () => {
      const { QueryExecutionId } = await run("SELECT 1 AS one, 'it''s', 2.5");
      const { ResultSet } = await athena().send(new GetQueryResultsCommand({ QueryExecutionId }));
      expect(ResultSet!.Rows!.map((row) => row.Data!.map((d) => d.VarCharValue))).toEqual([
        ['one', '_col1', '_col2'],
        ['1', "it's", '2.5'],
      ]);
    });

    it('writes the result CSV and its .metadata to the output location, readable with S3 GetObject', async () => {
      const { QueryExecutionId } = await run('SELECT campaign_id, name AS title FROM marketing.campaigns LIMIT 1', { workgroup: 'analytics' });
      const object = await s3().send(new GetObjectCommand({ Bucket: 'acme-athena-results', Key: `analytics/${QueryExecutionId}.csv` }));
      expect(await object.Body!.transformToString()).toBe('"campaign_id","title"\n"value-1","value-1"\n');
      await expect(s3().send(new HeadObjectCommand({ Bucket: 'acme-athena-results', Key: `analytics/${QueryExecutionId}.csv.metadata` }))).resolves.toMatchObject({
        $metadata: { httpStatusCode: 200 },
      });
    });

    it('lets the request choose the output location unless the workgroup enforces its own, with its encryption', async () => {
      const chosen = await run('SELECT 1', { outputLocation: 's3://acme-athena-results/mine/' });
      expect(chosen.ResultConfiguration!.OutputLocation).toBe(`s3://acme-athena-results/mine/${chosen.QueryExecutionId}.csv`);
      const enforced = await run('SELECT 1', { workgroup: 'enforced', outputLocation: 's3://acme-athena-results/mine/' });
      expect(enforced.ResultConfiguration).toEqual({
        OutputLocation: `s3://acme-athena-results/enforced/${enforced.QueryExecutionId}.csv`,
        EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
      });
      const head = await s3().send(new HeadObjectCommand({ Bucket: 'acme-athena-results', Key: `enforced/${enforced.QueryExecutionId}.csv` }));
      expect(head.ServerSideEncryption).toBe('AES256');
    });

    it('keeps managed query results out of S3 and still returns them', async () => {
      const execution = await run('SELECT 7 AS n', { workgroup: 'managed' });
      expect(execution).toMatchObject({ Status: { State: 'SUCCEEDED' }, ResultConfiguration: {}, ManagedQueryResultsConfiguration: { Enabled: true } });
      const { ResultSet } = await athena().send(new GetQueryResultsCommand({ QueryExecutionId: execution.QueryExecutionId }));
      expect(ResultSet!.Rows![1]!.Data![0]!.VarCharValue).toBe('7');
    });

    it('refuses a query with no output location, a missing bucket or a bucket in another region', async () => {
      await expect(athena().send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', WorkGroup: 'bare' }))).rejects.toMatchObject({
        name: 'InvalidRequestException',
        message: 'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.',
      });
      await expect(athena().send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', WorkGroup: 'ghost' }))).rejects.toMatchObject({
        name: 'InvalidRequestException',
        message: 'Unable to verify/create output bucket no-such-bucket',
      });
      await expect(athena().send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', WorkGroup: 'elsewhere' }))).rejects.toMatchObject({
        name: 'InvalidRequestException',
        message: expect.stringMatching(/^The S3 location provided to save your query results is invalid\. Please check your S3 location is correct and is in the same region/),
      });
    });

    it('rejects a malformed query at submission with AthenaErrorCode MALFORMED_QUERY', async () => {
      await expect(athena().send(new StartQueryExecutionCommand({ QueryString: 'SELEC 1' }))).rejects.toMatchObject({
        name: 'InvalidRequestException',
        AthenaErrorCode: 'MALFORMED_QUERY',
        message: expect.stringMatching(/^line 1:1: mismatched input 'SELEC'\. Expecting: /),
      });
    });

    it('is idempotent per ClientRequestToken, and refuses the token for a different query', async () => {
      const token = 'a'.repeat(40);
      const first = await athena().send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', ClientRequestToken: token }));
      const again = await athena().send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', ClientRequestToken: token }));
      expect(again.QueryExecutionId).toBe(first.QueryExecutionId);
      await expect(athena().send(new StartQueryExecutionCommand({ QueryString: 'SELECT 2', ClientRequestToken: token }))).rejects.toMatchObject({
        name: 'InvalidRequestException',
        AthenaErrorCode: 'IDEMPOTENT_PARAMETER_MISMATCH',
        message: 'Idempotent parameters do not match',
      });
    });

    it('moves a query through QUEUED and RUNNING, refuses its results meanwhile, and stops it', async () => {
      frozenAt = clock();
      try {
        const { QueryExecutionId } = await athena().send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1' }));
        const state = async () => (await athena().send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution!.Status!.State;
        expect(await state()).toBe('QUEUED');
        await expect(athena().send(new GetQueryResultsCommand({ QueryExecutionId }))).rejects.toMatchObject({
          name: 'InvalidRequestException',
          message: 'Query has not yet finished. Current state: QUEUED',
        });
        frozenAt += 30;
        expect(await state()).toBe('RUNNING');
        await expect(athena().send(new GetQueryResultsCommand({ QueryExecutionId }))).rejects.toMatchObject({ message: 'Query has not yet finished. Current state: RUNNING' });
        await athena().send(new StopQueryExecutionCommand({ QueryExecutionId }));
        frozenAt += 1000;
        const { QueryExecution } = await athena().send(new GetQueryExecutionCommand({ QueryExecutionId }));
        expect(QueryExecution!.Status).toMatchObject({ State: 'CANCELLED', StateChangeReason: 'Query was cancelled by the user' });
        await expect(s3().send(new GetObjectCommand({ Bucket: 'acme-athena-results', Key: `primary/${QueryExecutionId}.csv` }))).rejects.toMatchObject({ name: 'NoSuchKey' });
      } finally {
        movedOnMs = Math.max(movedOnMs, frozenAt! - Date.now());
        frozenAt = undefined;
      }
    });

    it('fails a query on a missing table or column with the engine\'s reason and AthenaError', async () => {
      const table = await run('SELECT * FROM sales.nope');
      expect(table.Status).toMatchObject({
        State: 'FAILED',
        StateChangeReason: "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.sales.nope' does not exist",
        AthenaError: { ErrorCategory: 2, ErrorType: 1110, Retryable: false },
      });
      await expect(athena().send(new GetQueryResultsCommand({ QueryExecutionId: table.QueryExecutionId }))).rejects.toMatchObject({
        name: 'InvalidRequestException',
        message: table.Status!.StateChangeReason,
      });
      const column = await run('SELECT\n  nope\nFROM sales.orders');
      expect(column.Status!.StateChangeReason).toBe("COLUMN_NOT_FOUND: line 2:3: Column 'nope' cannot be resolved");
    });

    it('refuses at submission a query whose output bucket Athena may not locate for the caller (s3:GetBucketLocation)', async () => {
      await expect(athena('athena-only').send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1' }))).rejects.toMatchObject({
        name: 'InvalidRequestException',
        message: 'Unable to verify/create output bucket acme-athena-results',
      });
    });

    it('accepts a query it cannot write results for (200), then fails it with Athena\'s S3 message', async () => {
      const client = athena('no-write');
      const { QueryExecutionId } = await client.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1' }));
      const execution = await waitForQuery(QueryExecutionId!, client);
      expect(execution.Status).toMatchObject({
        State: 'FAILED',
        StateChangeReason: `Access denied when writing output to url: s3://acme-athena-results/primary/${QueryExecutionId}.csv . Please ensure you are allowed to access the S3 bucket. If you are encrypting query results with KMS key, please ensure you are allowed to access your KMS key`,
        AthenaError: { ErrorCategory: 2, ErrorType: 1501, Retryable: false },
      });
    });

    it('fails the query when the bucket policy denies the write, even for an administrator', async () => {
      const execution = await run('SELECT 1', { workgroup: 'locked' });
      expect(execution.Status!.State).toBe('FAILED');
      expect(execution.Status!.StateChangeReason).toMatch(/^Access denied when writing output to url: s3:\/\/acme-athena-results\/locked\//);
    });

    it('fails a query on a table the caller may not read through Glue, naming glue:GetTable', async () => {
      const execution = await run('SELECT * FROM sales.orders', { client: athena('no-tables') });
      expect(execution.Status!.StateChangeReason).toBe(
        `Insufficient permissions to execute the query. User: arn:aws:iam::${ACCOUNT}:user/no-tables is not authorized to perform: glue:GetTable on resource: arn:aws:glue:eu-west-1:${ACCOUNT}:catalog because no identity-based policy allows the glue:GetTable action`,
      );
      // The same user runs a query that reads no table: the catalog and default database are all it needs.
      expect((await run('SELECT 1', { client: athena('no-tables') })).Status!.State).toBe('SUCCEEDED');
    });

    it('refuses GetQueryResults to a caller who cannot read the result object', async () => {
      const { QueryExecutionId } = await run('SELECT 1');
      await expect(athena('athena-only').send(new GetQueryResultsCommand({ QueryExecutionId }))).rejects.toMatchObject({
        name: 'InvalidRequestException',
        message: expect.stringMatching(/^You do not seem to have access to the S3 location of your query results\./),
      });
      await expect(athena('reader').send(new GetQueryResultsCommand({ QueryExecutionId }))).resolves.toMatchObject({ ResultSet: expect.any(Object) });
    });
  });

  describe('encrypted results', () => {
    it('writes results into an SSE-KMS bucket under the bucket\'s default key', async () => {
      const execution = await run('SELECT 1', { client: athena('analyst', encrypted) });
      expect(execution.Status!.State).toBe('SUCCEEDED');
      const head = await s3('analyst', encrypted).send(new HeadObjectCommand({ Bucket: 'acme-athena-results', Key: `primary/${execution.QueryExecutionId}.csv` }));
      expect(head).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY_ARN });
    });

    it('fails the query of a caller who may not use the workgroup\'s key, naming kms:GenerateDataKey', async () => {
      const execution = await run('SELECT 1', { client: athena('no-kms', encrypted), workgroup: 'secure' });
      expect(execution.ResultConfiguration!.EncryptionConfiguration).toEqual({ EncryptionOption: 'SSE_KMS', KmsKey: 'alias/athena-results' });
      expect(execution.Status).toMatchObject({ State: 'FAILED', AthenaError: { ErrorType: 1501 } });
      expect(execution.Status!.StateChangeReason).toMatch(/^Access denied when writing output to url: s3:\/\/acme-athena-results\/secure\/.+\.csv \. Please ensure/);
      expect(execution.Status!.StateChangeReason).toContain(`is not authorized to perform: kms:GenerateDataKey on resource: ${KEY_ARN}`);
    });

    it('refuses the results to a caller who may read the object but not decrypt it', async () => {
      const { QueryExecutionId } = await run('SELECT 1', { client: athena('analyst', encrypted), workgroup: 'secure' });
      await expect(athena('no-kms', encrypted).send(new GetQueryResultsCommand({ QueryExecutionId }))).rejects.toMatchObject({
        name: 'InvalidRequestException',
        message: expect.stringContaining('If you are using KMS to encrypt query results, please ensure you have permission to access your KMS key.'),
      });
    });
  });

  describe('Lake Formation', () => {
    const lf = (name: string) => athena(name, governed);

    it('reads a governed table with SELECT and lakeformation:GetDataAccess', async () => {
      const execution = await run('SELECT * FROM finance.ledger', { client: lf('steward') });
      expect(execution.Status!.State).toBe('SUCCEEDED');
      const { ResultSet } = await lf('steward').send(new GetQueryResultsCommand({ QueryExecutionId: execution.QueryExecutionId }));
      expect(ResultSet!.Rows![0]!.Data!.map((d) => d.VarCharValue)).toEqual(['entry_id', 'amount', 'month']);
    });

    it('fails the query of a caller without a grant, or with DESCRIBE only, naming Lake Formation', async () => {
      for (const name of ['analyst', 'describer']) {
        const execution = await run('SELECT * FROM finance.ledger', { client: lf(name) });
        expect(execution.Status).toMatchObject({
          State: 'FAILED',
          StateChangeReason: 'Insufficient permissions to execute the query. Insufficient Lake Formation permission(s) on ledger',
          AthenaError: { ErrorCategory: 2, ErrorType: 1500, Retryable: false },
        });
      }
    });

    it('fails the query of a caller whose IAM denies lakeformation:GetDataAccess', async () => {
      const execution = await run('SELECT * FROM finance.invoices', { client: lf('no-data-access') });
      expect(execution.Status!.StateChangeReason).toBe(
        `Insufficient permissions to execute the query. User: arn:aws:iam::${ACCOUNT}:user/no-data-access is not authorized to perform: lakeformation:GetDataAccess with an explicit deny in an identity-based policy`,
      );
    });

    it('leaves governed tables out of ListTableMetadata silently, and refuses GetTableMetadata on them', async () => {
      const hidden = await lf('analyst').send(new ListTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'finance' }));
      expect(hidden.TableMetadataList).toEqual([]);
      const shown = await lf('describer').send(new ListTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'finance' }));
      expect(shown.TableMetadataList!.map((t) => t.Name)).toEqual(['ledger', 'invoices']);
      await expect(lf('analyst').send(new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'finance', TableName: 'ledger' }))).rejects.toMatchObject({
        name: 'MetadataException',
        message: expect.stringMatching(/^Insufficient Lake Formation permission\(s\) on ledger \(Service: AmazonDataCatalog; Status Code: 400; Error Code: AccessDeniedException;/),
      });
    });
  });

  describe('catalog APIs', () => {
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
      expect(second.DatabaseList!.map((d) => d.Name)).toEqual(['entertainment', 'default']);
      expect(second.NextToken).toBeUndefined();
      const { Database } = await athena().send(new GetDatabaseCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'marketing' }));
      expect(Database).toMatchObject({ Name: 'marketing', Description: 'Campaign performance' });
    });

    it('lists table metadata across pages and by expression, and gets one table', async () => {
      const first = await athena().send(new ListTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'sales', MaxResults: 2 }));
      expect(first.TableMetadataList!.map((t) => t.Name)).toEqual(['orders', 'customers']);
      const second = await athena().send(new ListTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'sales', MaxResults: 2, NextToken: first.NextToken }));
      expect(second.TableMetadataList!.map((t) => t.Name)).toEqual(['daily_revenue']);
      const matching = await athena().send(new ListTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'sales', Expression: 'cust*' }));
      expect(matching.TableMetadataList!.map((t) => t.Name)).toEqual(['customers']);
      const { TableMetadata } = await athena().send(new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'sales', TableName: 'orders' }));
      expect(TableMetadata).toMatchObject({ Name: 'orders', PartitionKeys: [{ Name: 'dt', Type: 'string' }], Parameters: { location: 's3://acme-data-lake/sales/orders/' } });
    });

    it('relays Glue\'s EntityNotFoundException in a MetadataException for a missing database or table', async () => {
      const notFound = expect.stringMatching(/^Entity Not Found \(Service: AmazonDataCatalog; Status Code: 400; Error Code: EntityNotFoundException; Request ID: [\w-]+; Proxy: null\)$/);
      await expect(athena().send(new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'sales', TableName: 'nope' }))).rejects.toMatchObject({
        name: 'MetadataException',
        message: notFound,
      });
      await expect(athena().send(new GetDatabaseCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'nope' }))).rejects.toMatchObject({ name: 'MetadataException', message: notFound });
    });

    it('wraps Glue\'s refusal in a MetadataException when the caller lacks Glue rights', async () => {
      await expect(athena('athena-only').send(new ListDatabasesCommand({ CatalogName: 'AwsDataCatalog' }))).rejects.toMatchObject({
        name: 'MetadataException',
        message: expect.stringMatching(
          /^User: arn:aws:iam::123456789012:user\/athena-only is not authorized to perform: glue:GetDatabases on resource: arn:aws:glue:eu-west-1:123456789012:catalog because no identity-based policy allows the glue:GetDatabases action \(Service: AmazonDataCatalog; Status Code: 400; Error Code: AccessDeniedException;/,
        ),
      });
      for (const command of [
        new GetDatabaseCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'sales' }),
        new ListTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'sales' }),
        new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'sales', TableName: 'orders' }),
      ]) {
        await expect(athena('athena-only').send(command as never)).rejects.toMatchObject({ name: 'MetadataException', message: expect.stringMatching(/glue:Get(Database|Tables|Table) on resource/) });
      }
    });
  });

  describe('authorization and validation', () => {
    it('denies a workgroup outside the caller\'s policy with AccessDeniedException and IAM\'s message', async () => {
      await expect(athena('athena-only').send(new GetWorkGroupCommand({ WorkGroup: 'analytics' }))).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: `User: arn:aws:iam::${ACCOUNT}:user/athena-only is not authorized to perform: athena:GetWorkGroup on resource: ${WORKGROUP_ARN('analytics')} because no identity-based policy allows the athena:GetWorkGroup action`,
        $metadata: { httpStatusCode: 400 },
      });
    });

    it('checks an execution\'s actions against its workgroup', async () => {
      await expect(athena('athena-only').send(new GetQueryExecutionCommand({ QueryExecutionId: '0b5c6e1a-8f3e-4d7a-9b21-1c2d3e4f5a03' }))).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: expect.stringContaining(`athena:GetQueryExecution on resource: ${WORKGROUP_ARN('analytics')}`),
      });
      await expect(athena('athena-only').send(new GetQueryExecutionCommand({ QueryExecutionId: SEEDED_PRIMARY[0] }))).resolves.toMatchObject({ QueryExecution: expect.any(Object) });
    });

    it('answers with the older denial text when the scenario asks for it', async () => {
      await expect(athena('athena-only', legacy).send(new GetWorkGroupCommand({ WorkGroup: 'analytics' }))).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: 'You are not authorized to perform: athena:GetWorkGroup on the resource. After your AWS administrator or you have updated your permissions, please try again.',
      });
    });

    it('denies every Athena call under an SCP that denies athena:*, saying so', async () => {
      await expect(athena('analyst', scp).send(new GetWorkGroupCommand({ WorkGroup: 'primary' }))).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: `User: arn:aws:iam::${ACCOUNT}:user/analyst is not authorized to perform: athena:GetWorkGroup on resource: ${WORKGROUP_ARN('primary')} with an explicit deny in a service control policy`,
      });
      await expect(athena('analyst', scp).send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1' }))).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: expect.stringContaining(`athena:StartQueryExecution on resource: ${WORKGROUP_ARN('primary')} with an explicit deny in a service control policy`),
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

    it('rejects MaxResults out of the model\'s ranges with InvalidRequestException', async () => {
      await expect(athena().send(new ListWorkGroupsCommand({ MaxResults: 51 }))).rejects.toMatchObject({
        name: 'InvalidRequestException',
        message: "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50",
      });
      await expect(athena().send(new ListDataCatalogsCommand({ MaxResults: 1 }))).rejects.toMatchObject({ name: 'InvalidRequestException' });
      await expect(athena().send(new GetQueryResultsCommand({ QueryExecutionId: SEEDED_PRIMARY[1], MaxResults: 1001 }))).rejects.toMatchObject({ name: 'InvalidRequestException' });
    });
  });

  it('is parsed by botocore: workgroups, paginated history, a query started and polled, an SCP denial, a disabled workgroup', async () => {
    const analyst = userCredentials(sandbox, 'analyst');
    const listed = await awsCli(sandbox, analyst, ['athena', 'list-work-groups']);
    expect(listed.json.WorkGroups.map((w: { Name: string }) => w.Name)).toEqual(['primary', 'analytics', 'enforced', 'managed', 'bare', 'locked', 'ghost', 'elsewhere']);
    // The CLI follows NextToken itself: --page-size 1 takes one page per execution.
    const history = await awsCli(sandbox, analyst, ['athena', 'list-query-executions', '--page-size', '1']);
    expect(history.json.QueryExecutionIds.slice(-2)).toEqual(SEEDED_PRIMARY);
    const started = await awsCli(sandbox, analyst, ['athena', 'start-query-execution', '--query-string', 'SELECT * FROM sales.customers', '--query-execution-context', 'Database=sales']);
    expect(started.json.QueryExecutionId).toEqual(expect.any(String));
    await waitForQuery(started.json.QueryExecutionId);
    const polled = await awsCli(sandbox, analyst, ['athena', 'get-query-execution', '--query-execution-id', started.json.QueryExecutionId]);
    expect(polled.json.QueryExecution).toMatchObject({ Status: { State: 'SUCCEEDED' }, QueryExecutionContext: { Database: 'sales' }, WorkGroup: 'primary' });
    const denied = await awsCli(scp, userCredentials(scp, 'analyst'), ['athena', 'list-work-groups']);
    expect(denied).toMatchObject({ ok: false, errorCode: 'AccessDeniedException' });
    expect(denied.stderr).toContain('with an explicit deny in a service control policy');
    const rejected = await awsCli(disabled, userCredentials(disabled, 'analyst'), ['athena', 'start-query-execution', '--query-string', 'SELECT 1', '--work-group', 'legacy']);
    expect(rejected.errorCode).toBe('InvalidRequestException');
  });
});
