// Athena acts on its caller's behalf: the scenarios where the caller's own requests pass and
// Athena's, made for the same caller with a forward access session (aws:CalledVia
// athena.amazonaws.com, aws:ViaAWSService true, none of the caller's network keys, past no VPC
// endpoint), are refused; and the bucket policy read a preflight needs to see that coming. Over
// real HTTP with the SDK, and with the AWS CLI (botocore) as an independent client.
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, GetTableMetadataCommand, type QueryExecution, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { GetDatabaseCommand, GetDatabasesCommand, GetDataCatalogEncryptionSettingsCommand, GetTablesCommand, GlueClient } from '@aws-sdk/client-glue';
import { GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetBucketLocationCommand, GetBucketPolicyCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/sandbox/scenario.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { awsCli, clientConfig, userCredentials } from '../support/sandbox.js';

const ACCOUNT = '123456789012';
const GLUE = `arn:aws:glue:eu-west-1:${ACCOUNT}`;
const RESULTS = 'acme-athena-results';
const DATA_OBJECT = 'sales/orders/dt=2026-11-23/part-0000.parquet';
const unableToVerify = `Unable to verify/create output bucket ${RESULTS}`;

// Sandbox time moves on as queries are polled, so nothing here sleeps.
let movedOnMs = 0;
const clock = () => Date.now() + movedOnMs;
const started: Sandbox[] = [];
const start = async (scenario: Parameters<typeof startSandbox>[0]['scenario']) => {
  const sandbox = await startSandbox({ scenario, clock });
  started.push(sandbox);
  return sandbox;
};
afterAll(async () => {
  await Promise.all(started.map((sandbox) => sandbox.close()));
});

const as = (sandbox: Sandbox, name = 'analyst') => clientConfig(sandbox, userCredentials(sandbox, name));
const s3 = (sandbox: Sandbox, name?: string) => new S3Client(as(sandbox, name));
const athena = (sandbox: Sandbox, name?: string) => new AthenaClient(as(sandbox, name));
const glue = (sandbox: Sandbox, name?: string) => new GlueClient(as(sandbox, name));
const failure = (promise: Promise<unknown>) => promise.then(() => expect.unreachable('the call succeeded'), (error: Error & { $metadata?: { httpStatusCode?: number } }) => error);

/** Runs a query as a client does and polls it to its end. */
async function query(sandbox: Sandbox, sql: string, options: { name?: string; workgroup?: string; database?: string } = {}): Promise<QueryExecution> {
  const client = athena(sandbox, options.name);
  const { QueryExecutionId } = await client.send(
    new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: options.workgroup ?? 'primary', ...(options.database ? { QueryExecutionContext: { Database: options.database } } : {}) }),
  );
  for (let attempt = 0; attempt < 100; attempt++) {
    const { QueryExecution } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId }));
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(QueryExecution!.Status!.State!)) return QueryExecution!;
    movedOnMs += 50;
  }
  throw new Error(`query ${QueryExecutionId} did not finish in 5 s of sandbox time`);
}

/** The keys under a prefix of the results bucket, read by the sandbox's state (no request of its own). */
const resultKeys = (sandbox: Sandbox, prefix: string) => [...(sandbox.state.objects.get(RESULTS)?.keys() ?? [])].filter((key) => key.startsWith(prefix) && !key.endsWith('.metadata'));

describe('a bucket that admits only the VPC endpoint the caller uses', () => {
  let sandbox: Sandbox;
  let excepted: Sandbox;
  beforeAll(async () => {
    [sandbox, excepted] = await Promise.all([start('vpce-only-bucket'), start('vpce-only-bucket-athena-exception')]);
  });

  it("lets the caller's own requests through the endpoint: a marker written, read and listed", async () => {
    await s3(sandbox).send(new PutObjectCommand({ Bucket: RESULTS, Key: 'primary/preflight-marker.txt', Body: 'marker' }));
    const read = await s3(sandbox).send(new GetObjectCommand({ Bucket: RESULTS, Key: 'primary/preflight-marker.txt' }));
    expect(await read.Body!.transformToString()).toBe('marker');
    await expect(s3(sandbox).send(new GetBucketLocationCommand({ Bucket: RESULTS }))).resolves.toMatchObject({ LocationConstraint: 'eu-west-1' });
  });

  it('refuses every query at submission: Athena locates the bucket for the caller without aws:SourceVpce', async () => {
    const before = resultKeys(sandbox, 'primary/');
    const error = await failure(athena(sandbox).send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', WorkGroup: 'primary' })));
    expect(error).toMatchObject({ name: 'InvalidRequestException', message: unableToVerify, $metadata: { httpStatusCode: 400 } });
    expect(resultKeys(sandbox, 'primary/')).toEqual(before);
  });

  it("fails a query at its write when the policy leaves the bucket's location alone (Deny on objects only)", async () => {
    const base = loadScenario('vpce-only-bucket');
    const objectsOnly = structuredClone(base);
    objectsOnly.name = 'vpce-only-objects';
    const statement = [objectsOnly.s3.buckets[0]!.policy!.Statement].flat()[0]!;
    statement.Resource = `arn:aws:s3:::${RESULTS}/*`;
    const objects = await start({ ...objectsOnly, extends: undefined });
    const execution = await query(objects, 'SELECT 1');
    expect(execution.Status).toMatchObject({
      State: 'FAILED',
      StateChangeReason: `Access denied when writing output to url: s3://${RESULTS}/primary/${execution.QueryExecutionId}.csv . Please ensure you are allowed to access the S3 bucket. If you are encrypting query results with KMS key, please ensure you are allowed to access your KMS key`,
      AthenaError: { ErrorCategory: 2, ErrorType: 1501 },
    });
    expect(resultKeys(objects, `primary/${execution.QueryExecutionId}`)).toEqual([]);
  });

  it('answers the policy that explains it to GetBucketPolicy, as JSON', async () => {
    const { Policy } = await s3(sandbox).send(new GetBucketPolicyCommand({ Bucket: RESULTS }));
    const policy = JSON.parse(Policy!);
    expect(policy.Statement[0]).toMatchObject({ Sid: 'Access-to-specific-VPCE-only', Effect: 'Deny', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60718' } } });
  });

  it('runs queries when the policy excepts requests Athena makes (aws:CalledVia athena.amazonaws.com)', async () => {
    const execution = await query(excepted, 'SELECT * FROM sales.orders LIMIT 1');
    expect(execution.Status!.State).toBe('SUCCEEDED');
    const { ResultSet } = await athena(excepted).send(new GetQueryResultsCommand({ QueryExecutionId: execution.QueryExecutionId }));
    expect(ResultSet!.Rows![0]!.Data!.map((d) => d.VarCharValue)).toEqual(['order_id', 'customer_id', 'amount', 'currency', 'dt']);
    await expect(s3(excepted).send(new PutObjectCommand({ Bucket: RESULTS, Key: 'primary/preflight-marker.txt', Body: 'marker' }))).resolves.toBeDefined();
  });

  it('refuses a caller outside the VPC, even with the Athena exception (the exception is for Athena only)', async () => {
    const outside = loadScenario('vpce-only-bucket-athena-exception');
    const sandboxOutside = await start({ ...outside, extends: undefined, name: 'vpce-exception-from-outside', network: { sourceIp: '192.0.2.44' } });
    const error = await failure(s3(sandboxOutside).send(new PutObjectCommand({ Bucket: RESULTS, Key: 'primary/x.txt', Body: 'x' })));
    expect(error).toMatchObject({ name: 'AccessDenied' });
    expect(error.message).toBe(`User: arn:aws:iam::${ACCOUNT}:user/analyst is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::${RESULTS}/primary/x.txt" with an explicit deny in a resource-based policy`);
  });

  it('is parsed by botocore: the marker put through the endpoint, the query refused, the policy read', async () => {
    const analyst = userCredentials(sandbox, 'analyst');
    const put = await awsCli(sandbox, analyst, ['s3api', 'put-object', '--bucket', RESULTS, '--key', 'primary/cli-marker.txt']);
    expect(put.ok).toBe(true);
    const refused = await awsCli(sandbox, analyst, ['athena', 'start-query-execution', '--query-string', 'SELECT 1', '--work-group', 'primary']);
    expect(refused).toMatchObject({ ok: false, errorCode: 'InvalidRequestException' });
    expect(refused.stderr).toContain(unableToVerify);
    const policy = await awsCli(sandbox, analyst, ['s3api', 'get-bucket-policy', '--bucket', RESULTS]);
    expect(JSON.parse(policy.json.Policy).Statement[0].Sid).toBe('Access-to-specific-VPCE-only');
  });
});

describe('a VPC endpoint policy', () => {
  it("applies to the caller's own S3 requests through the endpoint, never to Athena's", async () => {
    const base = loadScenario('vpce-only-bucket-athena-exception');
    const endpointPolicy = {
      Version: '2012-10-17' as const,
      Statement: [
        { Effect: 'Allow' as const, Principal: '*' as const, Action: 's3:*', Resource: '*' },
        { Sid: 'NoWritesThroughTheEndpoint', Effect: 'Deny' as const, Principal: '*' as const, Action: 's3:PutObject', Resource: '*' },
      ],
    };
    const sandbox = await start({ ...base, extends: undefined, name: 'vpce-endpoint-policy', network: { ...base.network!, vpcEndpointPolicy: endpointPolicy } });
    const error = await failure(s3(sandbox).send(new PutObjectCommand({ Bucket: RESULTS, Key: 'primary/x.txt', Body: 'x' })));
    expect(error.message).toBe(`User: arn:aws:iam::${ACCOUNT}:user/analyst is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::${RESULTS}/primary/x.txt" with an explicit deny in a VPC endpoint policy`);
    expect((await query(sandbox, 'SELECT 1')).Status!.State).toBe('SUCCEEDED');
  });
});

describe('a bucket that admits only the caller\'s address range', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await start('source-ip-bucket');
  });

  it("lets the caller's own requests from 198.51.100.24 through, and refuses Athena's", async () => {
    await expect(s3(sandbox).send(new PutObjectCommand({ Bucket: RESULTS, Key: 'primary/preflight-marker.txt', Body: 'marker' }))).resolves.toBeDefined();
    await expect(athena(sandbox).send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', WorkGroup: 'primary' }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: unableToVerify,
    });
  });

  it('refuses the same caller calling from another address', async () => {
    const elsewhere = await start({ ...loadScenario('source-ip-bucket'), extends: undefined, name: 'source-ip-elsewhere', network: { sourceIp: '192.0.2.44' } });
    await expect(s3(elsewhere).send(new PutObjectCommand({ Bucket: RESULTS, Key: 'primary/x.txt', Body: 'x' }))).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});

describe('GetBucketPolicy', () => {
  let unreadable: Sandbox;
  let plain: Sandbox;
  let crossAccount: Sandbox;
  beforeAll(async () => {
    [unreadable, plain] = await Promise.all([start('bucket-policy-unreadable'), start('full-access')]);
    // The results bucket belongs to another account, whose policy grants the analyst's account everything.
    const base = loadScenario('full-access');
    crossAccount = await start({
      ...base,
      extends: undefined,
      name: 'results-bucket-other-account',
      s3: {
        buckets: base.s3.buckets.map((bucket) =>
          bucket.name === RESULTS
            ? { ...bucket, accountId: '210987654321', policy: { Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 's3:*', Resource: [`arn:aws:s3:::${RESULTS}`, `arn:aws:s3:::${RESULTS}/*`] }] } }
            : bucket,
        ),
      },
    });
  });

  it('answers 403 to a caller without s3:GetBucketPolicy, naming the action', async () => {
    const error = await failure(s3(unreadable).send(new GetBucketPolicyCommand({ Bucket: RESULTS })));
    expect(error).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect(error.message).toBe(`User: arn:aws:iam::${ACCOUNT}:user/analyst is not authorized to perform: s3:GetBucketPolicy on resource: "arn:aws:s3:::${RESULTS}" because no identity-based policy allows the s3:GetBucketPolicy action`);
    // The same least-privilege caller still writes its marker from the VPC, and its queries are refused.
    await expect(s3(unreadable).send(new PutObjectCommand({ Bucket: RESULTS, Key: 'primary/preflight-marker.txt', Body: 'marker' }))).resolves.toBeDefined();
    await expect(athena(unreadable).send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', WorkGroup: 'primary' }))).rejects.toMatchObject({ message: unableToVerify });
  });

  it('answers NoSuchBucketPolicy (404) for a bucket without a policy', async () => {
    const error = await failure(s3(plain).send(new GetBucketPolicyCommand({ Bucket: RESULTS })));
    expect(error).toMatchObject({ name: 'NoSuchBucketPolicy', message: 'The bucket policy does not exist', $metadata: { httpStatusCode: 404 } });
  });

  it("answers 405 to a caller allowed by both sides but outside the bucket owner's account", async () => {
    const error = await failure(s3(crossAccount).send(new GetBucketPolicyCommand({ Bucket: RESULTS })));
    expect(error).toMatchObject({ name: 'MethodNotAllowed', message: 'The specified method is not allowed against this resource.', $metadata: { httpStatusCode: 405 } });
    // The bucket itself is usable across accounts.
    await expect(s3(crossAccount).send(new PutObjectCommand({ Bucket: RESULTS, Key: 'primary/x.txt', Body: 'x' }))).resolves.toBeDefined();
  });

  it('is parsed by botocore: 403, 404 and 405 by their codes', async () => {
    const denied = await awsCli(unreadable, userCredentials(unreadable, 'analyst'), ['s3api', 'get-bucket-policy', '--bucket', RESULTS]);
    expect(denied).toMatchObject({ ok: false, errorCode: 'AccessDenied' });
    expect(denied.stderr).toContain('s3:GetBucketPolicy');
    const none = await awsCli(plain, userCredentials(plain, 'analyst'), ['s3api', 'get-bucket-policy', '--bucket', RESULTS]);
    expect(none).toMatchObject({ ok: false, errorCode: 'NoSuchBucketPolicy' });
    expect(none.stderr).toContain('The bucket policy does not exist');
    const other = await awsCli(crossAccount, userCredentials(crossAccount, 'analyst'), ['s3api', 'get-bucket-policy', '--bucket', RESULTS]);
    expect(other).toMatchObject({ ok: false, errorCode: 'MethodNotAllowed' });
  });
});

describe('writes that set an ACL', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await start('results-acl-no-putobjectacl');
  });

  it('refuses a write with x-amz-acl to a caller without s3:PutObjectAcl, naming it; the same write without an ACL passes the IAM check', async () => {
    const error = await failure(s3(sandbox).send(new PutObjectCommand({ Bucket: RESULTS, Key: 'primary/marker.txt', Body: 'x', ACL: 'bucket-owner-full-control' })));
    expect(error.message).toBe(`User: arn:aws:iam::${ACCOUNT}:user/analyst is not authorized to perform: s3:PutObjectAcl on resource: "arn:aws:s3:::${RESULTS}/primary/marker.txt" because no identity-based policy allows the s3:PutObjectAcl action`);
    // Without the ACL the bucket policy refuses the write itself (it requires the ACL).
    const bare = await failure(s3(sandbox).send(new PutObjectCommand({ Bucket: RESULTS, Key: 'primary/marker.txt', Body: 'x' })));
    expect(bare.message).toContain('s3:PutObject on resource');
    expect(bare.message).toContain('with an explicit deny in a resource-based policy');
  });

  it("fails Athena's result writes under BUCKET_OWNER_FULL_CONTROL, naming s3:PutObjectAcl, and writes nothing", async () => {
    const execution = await query(sandbox, 'SELECT 1');
    expect(execution.Status).toMatchObject({ State: 'FAILED', AthenaError: { ErrorCategory: 2, ErrorType: 1501 } });
    expect(execution.Status!.StateChangeReason).toMatch(new RegExp(`^Access denied when writing output to url: s3://${RESULTS}/primary/${execution.QueryExecutionId}\\.csv \\. Please ensure`));
    expect(execution.Status!.StateChangeReason).toContain(
      `(User: arn:aws:iam::${ACCOUNT}:user/analyst is not authorized to perform: s3:PutObjectAcl on resource: "arn:aws:s3:::${RESULTS}/primary/${execution.QueryExecutionId}.csv" because no identity-based policy allows the s3:PutObjectAcl action (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied;`,
    );
    expect(resultKeys(sandbox, `primary/${execution.QueryExecutionId}`)).toEqual([]);
  });

  it('writes once the caller may set the ACL', async () => {
    const base = loadScenario('results-acl-no-putobjectacl');
    const analyst = base.users[0]!;
    const granted = await start({
      ...base,
      extends: undefined,
      name: 'results-acl-granted',
      users: [{ ...analyst, policies: [...analyst.policies, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObjectAcl', Resource: `arn:aws:s3:::${RESULTS}/*` }] }] }],
    });
    expect((await query(granted, 'SELECT 1')).Status!.State).toBe('SUCCEEDED');
    await expect(s3(granted).send(new PutObjectCommand({ Bucket: RESULTS, Key: 'primary/marker.txt', Body: 'x', ACL: 'bucket-owner-full-control' }))).resolves.toBeDefined();
  });

  it('is parsed by botocore: put-object --acl refused naming s3:PutObjectAcl', async () => {
    const refused = await awsCli(sandbox, userCredentials(sandbox, 'analyst'), ['s3api', 'put-object', '--bucket', RESULTS, '--key', 'primary/cli.txt', '--acl', 'bucket-owner-full-control']);
    expect(refused).toMatchObject({ ok: false, errorCode: 'AccessDenied' });
    expect(refused.stderr).toContain('s3:PutObjectAcl');
  });
});

describe('a client-side (CSE_KMS) workgroup whose key refuses Athena', () => {
  let sandbox: Sandbox;
  const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d`;
  beforeAll(async () => {
    sandbox = await start('cse-kms-no-data-key');
  });

  it("gives the caller a data key from the company's range", async () => {
    const kms = new KMSClient(as(sandbox));
    await expect(kms.send(new GenerateDataKeyCommand({ KeyId: 'alias/athena-workgroup', KeySpec: 'AES_256' }))).resolves.toMatchObject({ KeyId: KEY_ARN });
  });

  it('fails every query when Athena asks for the data key (no aws:SourceIp), writing no result', async () => {
    const execution = await query(sandbox, 'SELECT 1');
    expect(execution.ResultConfiguration!.EncryptionConfiguration).toEqual({ EncryptionOption: 'CSE_KMS', KmsKey: KEY_ARN });
    expect(execution.Status).toMatchObject({ State: 'FAILED', AthenaError: { ErrorCategory: 2, ErrorType: 1501 } });
    expect(execution.Status!.StateChangeReason).toContain(
      `(User: arn:aws:iam::${ACCOUNT}:user/analyst is not authorized to perform: kms:GenerateDataKey on resource: ${KEY_ARN} with an explicit deny in a resource-based policy (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException;`,
    );
    expect(resultKeys(sandbox, `primary/${execution.QueryExecutionId}`)).toEqual([]);
  });

  it('refuses the caller its data key from another address', async () => {
    const elsewhere = await start({ ...loadScenario('cse-kms-no-data-key'), extends: undefined, name: 'cse-kms-elsewhere', network: { sourceIp: '192.0.2.44' } });
    await expect(new KMSClient(as(elsewhere)).send(new GenerateDataKeyCommand({ KeyId: 'alias/athena-workgroup', KeySpec: 'AES_256' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT}:user/analyst is not authorized to perform: kms:GenerateDataKey on resource: ${KEY_ARN} with an explicit deny in a resource-based policy`,
    });
  });

  it('is parsed by botocore: the data key given, the failed query read back', async () => {
    const analyst = userCredentials(sandbox, 'analyst');
    const key = await awsCli(sandbox, analyst, ['kms', 'generate-data-key', '--key-id', 'alias/athena-workgroup', '--key-spec', 'AES_256']);
    expect(key.json.KeyId).toBe(KEY_ARN);
    const startedQuery = await awsCli(sandbox, analyst, ['athena', 'start-query-execution', '--query-string', 'SELECT 1', '--work-group', 'primary']);
    const id = startedQuery.json.QueryExecutionId;
    movedOnMs += 1000;
    const polled = await awsCli(sandbox, analyst, ['athena', 'get-query-execution', '--query-execution-id', id]);
    expect(polled.json.QueryExecution.Status).toMatchObject({ State: 'FAILED', AthenaError: { ErrorCategory: 2, ErrorType: 1501 } });
    expect(polled.json.QueryExecution.Status.StateChangeReason).toContain('kms:GenerateDataKey');
  });
});

describe("the caller's default database", () => {
  let scoped: Sandbox;
  let governedDefault: Sandbox;
  let noDefault: Sandbox;
  beforeAll(async () => {
    [scoped, governedDefault, noDefault] = await Promise.all([start('query-glue-default-denied'), start('lake-formation-default-describe'), start('lake-formation-no-default-database')]);
  });

  it('fails every query of a policy scoped to other databases, naming glue:GetDatabase on database/default, while Glue reads of sales work', async () => {
    await expect(glue(scoped).send(new GetTablesCommand({ DatabaseName: 'sales' }))).resolves.toMatchObject({ TableList: expect.any(Array) });
    const execution = await query(scoped, 'SELECT * FROM sales.orders LIMIT 1');
    expect(execution.Status).toMatchObject({
      State: 'FAILED',
      StateChangeReason: `Insufficient permissions to execute the query. User: arn:aws:iam::${ACCOUNT}:user/analyst is not authorized to perform: glue:GetDatabase on resource: ${GLUE}:database/default because no identity-based policy allows the glue:GetDatabase action`,
      AthenaError: { ErrorCategory: 2, ErrorType: 1500 },
    });
    // A query that names no table at all needs it just the same.
    expect((await query(scoped, 'SELECT 1')).Status!.StateChangeReason).toContain(`glue:GetDatabase on resource: ${GLUE}:database/default`);
  });

  it('fails every query without Lake Formation DESCRIBE on a governed default database, while the governed table reads in Glue', async () => {
    await expect(glue(governedDefault).send(new GetTablesCommand({ DatabaseName: 'finance' }))).resolves.toMatchObject({ TableList: [expect.objectContaining({ Name: 'ledger' }), expect.objectContaining({ Name: 'invoices' })] });
    const execution = await query(governedDefault, 'SELECT * FROM finance.ledger');
    expect(execution.Status).toMatchObject({
      State: 'FAILED',
      StateChangeReason: 'Insufficient permissions to execute the query. Insufficient Lake Formation permission(s): Required Describe on default',
      AthenaError: { ErrorCategory: 2, ErrorType: 1500 },
    });
    // Glue names the default database it hides in the same words.
    await expect(glue(governedDefault).send(new GetDatabaseCommand({ Name: 'default' }))).rejects.toMatchObject({ message: 'Insufficient Lake Formation permission(s): Required Describe on default' });
  });

  it('runs the query once the caller may describe default', async () => {
    const base = loadScenario('lake-formation-default-describe');
    const granted = await start({
      ...base,
      extends: undefined,
      name: 'lake-formation-default-described',
      lakeFormation: { ...base.lakeFormation, grants: [...base.lakeFormation.grants, { principal: `arn:aws:iam::${ACCOUNT}:user/analyst`, database: 'default', permissions: ['DESCRIBE'] }] },
    });
    expect((await query(granted, 'SELECT * FROM finance.ledger')).Status!.State).toBe('SUCCEEDED');
  });

  it('fails every query when default is missing and the caller may not create databases in Lake Formation', async () => {
    const execution = await query(noDefault, 'SELECT * FROM finance.ledger');
    expect(execution.Status).toMatchObject({
      State: 'FAILED',
      StateChangeReason: 'Insufficient permissions to execute the query. Insufficient Lake Formation permission(s): Required Create Database on Catalog',
    });
    expect((await glue(noDefault).send(new GetDatabasesCommand({}))).DatabaseList!.map((d) => d.Name)).not.toContain('default');
  });

  it('creates default on the first query when missing, with glue:CreateDatabase only then, and lists it afterwards', async () => {
    const base = loadScenario('full-access');
    const withoutDefault = { ...base, extends: undefined, glue: { ...base.glue, databases: base.glue.databases.filter((d) => d.name !== 'default') } };
    const readOnly = { Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Action: '*', Resource: '*' }, { Effect: 'Deny' as const, Action: 'glue:CreateDatabase', Resource: '*' }] };
    const refused = await start({ ...withoutDefault, name: 'no-default-no-create', users: base.users.map((u) => (u.name === 'analyst' ? { ...u, policies: [readOnly] } : u)) });
    expect((await query(refused, 'SELECT 1')).Status!.StateChangeReason).toBe(
      `Insufficient permissions to execute the query. User: arn:aws:iam::${ACCOUNT}:user/analyst is not authorized to perform: glue:CreateDatabase on resource: ${GLUE}:catalog with an explicit deny in an identity-based policy`,
    );
    // The same policy runs queries where default exists: CreateDatabase is needed only when it is missing.
    const existing = await start({ ...base, extends: undefined, name: 'default-no-create', users: base.users.map((u) => (u.name === 'analyst' ? { ...u, policies: [readOnly] } : u)) });
    expect((await query(existing, 'SELECT 1')).Status!.State).toBe('SUCCEEDED');
    // A caller who may create it does, and Glue lists it from then on.
    const creates = await start({ ...withoutDefault, name: 'no-default-creates' });
    expect((await glue(creates).send(new GetDatabasesCommand({}))).DatabaseList!.map((d) => d.Name)).not.toContain('default');
    expect((await query(creates, 'SELECT 1')).Status!.State).toBe('SUCCEEDED');
    expect((await glue(creates).send(new GetDatabasesCommand({}))).DatabaseList!.map((d) => d.Name)).toContain('default');
  });

  it('is parsed by botocore: the failed query and its reason', async () => {
    const analyst = userCredentials(scoped, 'analyst');
    const startedQuery = await awsCli(scoped, analyst, ['athena', 'start-query-execution', '--query-string', 'SELECT 1', '--work-group', 'primary']);
    movedOnMs += 1000;
    const polled = await awsCli(scoped, analyst, ['athena', 'get-query-execution', '--query-execution-id', startedQuery.json.QueryExecutionId]);
    expect(polled.json.QueryExecution.Status.State).toBe('FAILED');
    expect(polled.json.QueryExecution.Status.StateChangeReason).toContain(`glue:GetDatabase on resource: ${GLUE}:database/default`);
    expect(polled.json.QueryExecution.Status.AthenaError).toMatchObject({ ErrorCategory: 2, ErrorType: 1500 });
  });
});

describe("a table's data that only the caller's VPC may read", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await start('query-table-data-denied');
  });

  it("lists and reads the table's data from the VPC", async () => {
    const listed = await s3(sandbox).send(new ListObjectsV2Command({ Bucket: 'acme-data-lake', Prefix: 'sales/orders/' }));
    expect(listed.Contents!.map((o) => o.Key)).toEqual([DATA_OBJECT]);
    await expect(s3(sandbox).send(new GetObjectCommand({ Bucket: 'acme-data-lake', Key: DATA_OBJECT }))).resolves.toBeDefined();
  });

  it("fails the query on Athena's read, with S3's exception and the object's path", async () => {
    const execution = await query(sandbox, 'SELECT * FROM sales.orders');
    expect(execution.Status).toMatchObject({ State: 'FAILED', AthenaError: { ErrorCategory: 2, ErrorType: 1500 } });
    expect(execution.Status!.StateChangeReason).toMatch(
      /^com\.amazonaws\.services\.s3\.model\.AmazonS3Exception: Access Denied \(Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: [^;]+; S3 Extended Request ID: [^;]+; Proxy: null\), S3 Extended Request ID: \S+ \(Path: s3:\/\/acme-data-lake\/sales\/orders\/dt=2026-11-23\/part-0000\.parquet\)$/,
    );
    // A table of another prefix with no object to read: the listing alone, which the policy allows.
    expect((await query(sandbox, 'SELECT * FROM sales.customers')).Status!.State).toBe('SUCCEEDED');
  });

  it('says "Permission denied on S3 path" when the listing itself is refused', async () => {
    const base = loadScenario('query-table-data-denied');
    const listing = structuredClone(base);
    const statement = [listing.s3.buckets[1]!.policy!.Statement].flat()[0]!;
    statement.Action = 's3:ListBucket';
    statement.Resource = 'arn:aws:s3:::acme-data-lake';
    const sandboxListing = await start({ ...listing, extends: undefined, name: 'table-listing-denied' });
    const execution = await query(sandboxListing, 'SELECT * FROM sales.orders');
    expect(execution.Status!.StateChangeReason).toBe('Permission denied on S3 path: s3://acme-data-lake/sales/orders/');
  });

  it('is parsed by botocore: the failed query and its reason', async () => {
    const analyst = userCredentials(sandbox, 'analyst');
    const startedQuery = await awsCli(sandbox, analyst, ['athena', 'start-query-execution', '--query-string', 'SELECT * FROM sales.orders', '--work-group', 'primary']);
    movedOnMs += 1000;
    const polled = await awsCli(sandbox, analyst, ['athena', 'get-query-execution', '--query-execution-id', startedQuery.json.QueryExecutionId]);
    expect(polled.json.QueryExecution.Status.StateChangeReason).toContain(`(Path: s3://acme-data-lake/${DATA_OBJECT})`);
  });
});

describe('catalog encryption with a service role', () => {
  let sandbox: Sandbox;
  let sseKms: Sandbox;
  beforeAll(async () => {
    [sandbox, sseKms] = await Promise.all([start('catalog-encryption-service-role'), start('encrypted-catalog')]);
  });

  it('says which mode and role it is in', async () => {
    const { DataCatalogEncryptionSettings } = await glue(sandbox).send(new GetDataCatalogEncryptionSettingsCommand({}));
    expect(DataCatalogEncryptionSettings!.EncryptionAtRest).toEqual({
      CatalogEncryptionMode: 'SSE-KMS-WITH-SERVICE-ROLE',
      SseAwsKmsKeyId: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f`,
      CatalogEncryptionServiceRole: `arn:aws:iam::${ACCOUNT}:role/GlueCatalogEncryption`,
    });
  });

  it('reads the catalog for a caller without kms:Decrypt on its key, directly and through Athena; SSE-KMS mode refuses the same caller', async () => {
    await expect(glue(sandbox).send(new GetTablesCommand({ DatabaseName: 'sales' }))).resolves.toMatchObject({ TableList: expect.any(Array) });
    const metadata = new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'sales', TableName: 'orders' });
    await expect(athena(sandbox).send(metadata)).resolves.toMatchObject({ TableMetadata: { Name: 'orders' } });
    await expect(athena(sseKms).send(metadata)).rejects.toMatchObject({ name: 'MetadataException', message: expect.stringContaining('kms:Decrypt') });
    await expect(glue(sseKms).send(new GetTablesCommand({ DatabaseName: 'sales' }))).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('kms:Decrypt') });
  });

  it('is parsed by botocore: get-data-catalog-encryption-settings and get-databases', async () => {
    const analyst = userCredentials(sandbox, 'analyst');
    const settings = await awsCli(sandbox, analyst, ['glue', 'get-data-catalog-encryption-settings']);
    expect(settings.json.DataCatalogEncryptionSettings.EncryptionAtRest.CatalogEncryptionMode).toBe('SSE-KMS-WITH-SERVICE-ROLE');
    const databases = await awsCli(sandbox, analyst, ['glue', 'get-databases']);
    expect(databases.json.DatabaseList.map((d: { Name: string }) => d.Name)).toContain('sales');
  });
});
