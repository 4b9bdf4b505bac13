// Classification over errors as SDK v3 really builds them: each AWS answer below goes through the
// real client and its protocol's deserializer (awsJson1.1, restJson1, restXml, awsQuery); only the
// HTTP exchange is faked. Network and deadline failures are built as Node and the SDK build them.
import { createServer } from 'node:net';
import { Readable } from 'node:stream';
import { AthenaClient, GetWorkGroupCommand, ListDatabasesCommand, ListQueryExecutionsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetDatabaseCommand, GetTablesCommand, GlueClient } from '@aws-sdk/client-glue';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetDataLakeSettingsCommand, LakeFormationClient } from '@aws-sdk/client-lakeformation';
import { GetObjectCommand, HeadBucketCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { type ClassifiedError, classifyError, type ErrorCategory, isCertificateError, isDenial, parseDenial } from '../../src/preflight/classify.js';
import { isRetryable } from '../../src/preflight/retry.js';

const ACCOUNT = '123456789012';
const PRINCIPAL = `arn:aws:sts::${ACCOUNT}:assumed-role/DataEngineer/jane.doe@example.com`;
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1f0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f`;
const denied = (action: string, resource: string | undefined, why: string) =>
  `User: ${PRINCIPAL} is not authorized to perform: ${action}${resource ? ` on resource: ${resource}` : ''} ${why}`;
const noAllow = (kind: string, action: string) => `because no ${kind} allows the ${action} action`;

interface Wire {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}
// One wire shape per protocol, as the services answer.
const json = (type: string, message: string, status = 400, key = 'message'): Wire => ({
  status,
  headers: { 'content-type': 'application/x-amz-json-1.1' },
  body: JSON.stringify({ __type: type, [key]: message }),
});
const restJson = (type: string, message: string, status: number): Wire => ({
  status,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
  body: JSON.stringify({ Message: message }),
});
const xml = (code: string, message: string, status: number, headers: Record<string, string> = {}): Wire => ({
  status,
  headers: { 'content-type': 'application/xml', ...headers },
  body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>req-1</RequestId><HostId>h</HostId></Error>`,
});
const query = (code: string, message: string, status: number): Wire => ({
  status,
  headers: { 'content-type': 'text/xml' },
  body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
});
const bodiless = (status: number, headers: Record<string, string> = {}): Wire => ({ status, headers });

function config(wire: Wire) {
  return {
    region: 'eu-west-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    requestHandler: {
      handle: async () => ({
        response: {
          statusCode: wire.status,
          headers: { 'x-amzn-requestid': 'req-1', 'x-amz-request-id': 'req-1', ...wire.headers },
          body: Readable.from(wire.body ? [Buffer.from(wire.body)] : []),
        },
      }),
    },
  };
}

const CALLS = {
  'glue:GetTables': (w: Wire) => new GlueClient(config(w)).send(new GetTablesCommand({ DatabaseName: 'sales' })),
  'glue:GetDatabase': (w: Wire) => new GlueClient(config(w)).send(new GetDatabaseCommand({ Name: 'sales' })),
  'athena:ListQueryExecutions': (w: Wire) => new AthenaClient(config(w)).send(new ListQueryExecutionsCommand({ WorkGroup: 'primary' })),
  'athena:GetWorkGroup': (w: Wire) => new AthenaClient(config(w)).send(new GetWorkGroupCommand({ WorkGroup: 'primary' })),
  'athena:ListDatabases': (w: Wire) => new AthenaClient(config(w)).send(new ListDatabasesCommand({ CatalogName: 'AwsDataCatalog' })),
  'athena:StartQueryExecution': (w: Wire) => new AthenaClient(config(w)).send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', WorkGroup: 'legacy' })),
  'cloudtrail:LookupEvents': (w: Wire) => new CloudTrailClient(config(w)).send(new LookupEventsCommand({ MaxResults: 1 })),
  'kms:Decrypt': (w: Wire) => new KMSClient(config(w)).send(new DecryptCommand({ CiphertextBlob: new Uint8Array([1, 2, 3]) })),
  'lakeformation:GetDataLakeSettings': (w: Wire) => new LakeFormationClient(config(w)).send(new GetDataLakeSettingsCommand({})),
  's3:ListBucket': (w: Wire) => new S3Client(config(w)).send(new HeadBucketCommand({ Bucket: 'acme-results' })),
  's3:PutObject': (w: Wire) => new S3Client(config(w)).send(new PutObjectCommand({ Bucket: 'acme-results', Key: 'preflight/marker', Body: 'x' })),
  's3:GetObject': (w: Wire) => new S3Client(config(w)).send(new GetObjectCommand({ Bucket: 'acme-results', Key: 'preflight/marker' })),
  'sts:GetCallerIdentity': (w: Wire) => new STSClient(config(w)).send(new GetCallerIdentityCommand({})),
};
type Called = keyof typeof CALLS;

async function sdkError(action: Called, wire: Wire): Promise<unknown> {
  try {
    await CALLS[action](wire);
  } catch (error) {
    return error;
  }
  throw new Error(`${action} succeeded where a failure was expected`);
}

type Row = [name: string, action: Called, wire: Wire, expected: Partial<ClassifiedError>];

const permissionRows: Row[] = [
  [
    'Glue, no identity-based policy allows',
    'glue:GetTables',
    json('AccessDeniedException', denied('glue:GetTables', `arn:aws:glue:eu-west-1:${ACCOUNT}:catalog`, noAllow('identity-based policy', 'glue:GetTables'))),
    {
      code: 'AccessDeniedException',
      category: 'permission',
      httpStatus: 400,
      requestId: 'req-1',
      deniedBy: { policyType: 'identity', explicit: false },
      resourceType: 'glue:catalog',
      message: 'Access denied for glue:GetTables (no identity-based policy allows it)',
    },
  ],
  [
    'Athena, explicit deny in a service control policy',
    'athena:ListQueryExecutions',
    json('AccessDeniedException', denied('athena:ListQueryExecutions', `arn:aws:athena:eu-west-1:${ACCOUNT}:workgroup/primary`, 'with an explicit deny in a service control policy'), 400, 'Message'),
    {
      category: 'permission',
      deniedBy: { policyType: 'scp', explicit: true },
      resourceType: 'athena:workgroup',
      message: 'Access denied for athena:ListQueryExecutions (explicit deny in a service control policy)',
    },
  ],
  [
    "Athena's short text names no principal and no policy",
    'athena:GetWorkGroup',
    json('AccessDeniedException', 'You are not authorized to perform: athena:GetWorkGroup on the resource. After your AWS administrator or you have updated your permissions, please try again.', 400, 'Message'),
    { category: 'permission', deniedBy: { policyType: 'unknown', explicit: false }, message: 'Access denied for athena:GetWorkGroup' },
  ],
  [
    'Glue, an older text that stops after the action',
    'glue:GetDatabase',
    json('AccessDeniedException', `User: ${PRINCIPAL} is not authorized to perform: glue:GetDatabase`),
    { category: 'permission', deniedBy: { policyType: 'unknown', explicit: false } },
  ],
  [
    'Glue, no permissions boundary allows',
    'glue:GetDatabase',
    json('AccessDeniedException', denied('glue:GetDatabase', `arn:aws:glue:eu-west-1:${ACCOUNT}:database/sales`, noAllow('permissions boundary', 'glue:GetDatabase'))),
    { deniedBy: { policyType: 'boundary', explicit: false }, resourceType: 'glue:database', message: 'Access denied for glue:GetDatabase (no permissions boundary allows it)' },
  ],
  [
    'Glue, no VPC endpoint policy allows',
    'glue:GetTables',
    json('AccessDeniedException', denied('glue:GetTables', `arn:aws:glue:eu-west-1:${ACCOUNT}:catalog`, noAllow('VPC endpoint policy', 'glue:GetTables'))),
    { deniedBy: { policyType: 'vpc-endpoint', explicit: false } },
  ],
  [
    'Glue, explicit deny in an identity-based policy',
    'glue:GetTables',
    json('AccessDeniedException', denied('glue:GetTables', `arn:aws:glue:eu-west-1:${ACCOUNT}:table/sales/orders`, 'with an explicit deny in an identity-based policy')),
    { deniedBy: { policyType: 'identity', explicit: true }, resourceType: 'glue:table' },
  ],
  [
    'CloudTrail, no service control policy allows (no resource: LookupEvents takes "*")',
    'cloudtrail:LookupEvents',
    json('AccessDeniedException', denied('cloudtrail:LookupEvents', undefined, noAllow('service control policy', 'cloudtrail:LookupEvents'))),
    { deniedBy: { policyType: 'scp', explicit: false } },
  ],
  [
    'KMS, explicit deny in the key policy',
    'kms:Decrypt',
    json('AccessDeniedException', denied('kms:Decrypt', KEY, 'with an explicit deny in a resource-based policy')),
    { deniedBy: { policyType: 'resource', explicit: true }, resourceType: 'kms:key' },
  ],
  [
    'KMS, no resource-based policy allows (a key policy that does not delegate to IAM)',
    'kms:Decrypt',
    json('AccessDeniedException', denied('kms:Decrypt', KEY, noAllow('resource-based policy', 'kms:Decrypt'))),
    { deniedBy: { policyType: 'resource', explicit: false } },
  ],
  [
    'Lake Formation, restJson1, no session policy allows',
    'lakeformation:GetDataLakeSettings',
    restJson('AccessDeniedException', denied('lakeformation:GetDataLakeSettings', undefined, noAllow('session policy', 'lakeformation:GetDataLakeSettings')), 403),
    { code: 'AccessDeniedException', httpStatus: 403, deniedBy: { policyType: 'session', explicit: false } },
  ],
  [
    'S3, explicit deny in a resource control policy',
    's3:GetObject',
    xml('AccessDenied', denied('s3:GetObject', '"arn:aws:s3:::acme-results/preflight/marker"', 'with an explicit deny in a resource control policy'), 403),
    { code: 'AccessDenied', deniedBy: { policyType: 'rcp', explicit: true }, resourceType: 's3:object' },
  ],
  [
    'S3, the bucket policy denies explicitly',
    's3:PutObject',
    xml('AccessDenied', denied('s3:PutObject', 'arn:aws:s3:::acme-results/preflight/marker', 'with an explicit deny in a resource-based policy'), 403),
    { deniedBy: { policyType: 'resource', explicit: true }, message: 'Access denied for s3:PutObject (explicit deny in a resource-based policy)' },
  ],
  ['S3, a plain "Access Denied"', 's3:GetObject', xml('AccessDenied', 'Access Denied', 403), { code: 'AccessDenied', category: 'permission', deniedBy: { policyType: 'unknown', explicit: false } }],
  [
    'S3 relaying a KMS refusal on write',
    's3:PutObject',
    xml('AccessDenied', denied('kms:GenerateDataKey', KEY, noAllow('identity-based policy', 'kms:GenerateDataKey')), 403),
    {
      code: 'AccessDenied',
      category: 'permission',
      kmsAction: 'kms:GenerateDataKey',
      relayedAction: 'kms:GenerateDataKey',
      deniedBy: { policyType: 'identity', explicit: false },
      resourceType: 'kms:key',
      message: 'Access denied for kms:GenerateDataKey, needed by s3:PutObject (no identity-based policy allows it)',
    },
  ],
  // S3 API Reference, PutObject, Permissions: a write with x-amz-acl needs s3:PutObjectAcl as well.
  [
    'S3 refusing the ACL a write sends',
    's3:PutObject',
    xml('AccessDenied', denied('s3:PutObjectAcl', 'arn:aws:s3:::acme-results/preflight/marker', noAllow('identity-based policy', 's3:PutObjectAcl')), 403),
    {
      refusedAction: 's3:PutObjectAcl',
      deniedBy: { policyType: 'identity', explicit: false },
      message: 'Access denied for s3:PutObjectAcl, needed by s3:PutObject (no identity-based policy allows it)',
    },
  ],
  [
    'S3 relaying a KMS refusal on read',
    's3:GetObject',
    xml('AccessDenied', denied('kms:Decrypt', KEY, 'with an explicit deny in a resource-based policy'), 403),
    { kmsAction: 'kms:Decrypt', relayedAction: 'kms:Decrypt', deniedBy: { policyType: 'resource', explicit: true } },
  ],
  [
    'Athena relaying a Glue refusal in a MetadataException',
    'athena:ListDatabases',
    json(
      'MetadataException',
      `${denied('glue:GetDatabases', `arn:aws:glue:eu-west-1:${ACCOUNT}:catalog`, noAllow('identity-based policy', 'glue:GetDatabases'))} (Service: AmazonDataCatalog; Status Code: 400; Error Code: AccessDeniedException; Request ID: x; Proxy: null)`,
      400,
      'Message',
    ),
    { code: 'MetadataException', category: 'permission', relayedAction: 'glue:GetDatabases', message: 'Access denied for glue:GetDatabases, needed by athena:ListDatabases (no identity-based policy allows it)' },
  ],
  // HEAD answers carry no body: the SDK names the error 'Unknown' and only the status is left.
  ['S3 HEAD 403', 's3:ListBucket', bodiless(403), { code: 'AccessDenied', category: 'permission', httpStatus: 403, deniedBy: { policyType: 'unknown', explicit: false } }],
];

const otherRows: Row[] = [
  ['STS, unknown access key (403, but not a permission)', 'sts:GetCallerIdentity', query('InvalidClientTokenId', 'The security token included in the request is invalid.', 403), { code: 'InvalidClientTokenId', category: 'auth' }],
  ['STS, wrong secret', 'sts:GetCallerIdentity', query('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.', 403), { category: 'auth', message: 'Authentication failed for sts:GetCallerIdentity: the secret key does not match the access key' }],
  ['STS, expired session', 'sts:GetCallerIdentity', query('ExpiredToken', 'The security token included in the request is expired', 403), { category: 'auth', message: 'Authentication failed for sts:GetCallerIdentity: the credentials have expired' }],
  ['STS, incomplete signature', 'sts:GetCallerIdentity', query('IncompleteSignature', 'Request is missing Authentication Token', 400), { category: 'auth' }],
  ['Glue, unknown access key', 'glue:GetTables', json('UnrecognizedClientException', 'The security token included in the request is invalid.'), { category: 'auth' }],
  ['Athena, expired session', 'athena:GetWorkGroup', json('ExpiredTokenException', 'The security token included in the request is expired'), { category: 'auth' }],
  ['S3, unknown access key', 's3:GetObject', xml('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403), { category: 'auth' }],
  ['S3, bad session token', 's3:PutObject', xml('InvalidToken', 'The provided token is malformed or otherwise invalid.', 400), { category: 'auth' }],
  ['Glue, no such database', 'glue:GetDatabase', json('EntityNotFoundException', 'Database sales not found.'), { code: 'EntityNotFoundException', category: 'not-found' }],
  ['Athena, no such workgroup', 'athena:GetWorkGroup', json('ResourceNotFoundException', 'WorkGroup legacy is not found.', 400, 'Message'), { category: 'not-found' }],
  ['KMS, no such key', 'kms:Decrypt', json('NotFoundException', `Key '${KEY}' does not exist`), { category: 'not-found' }],
  ['S3, no such bucket', 's3:GetObject', xml('NoSuchBucket', 'The specified bucket does not exist', 404), { code: 'NoSuchBucket', category: 'not-found' }],
  ['S3, no such key', 's3:GetObject', xml('NoSuchKey', 'The specified key does not exist.', 404), { code: 'NoSuchKey', category: 'not-found' }],
  ['S3 HEAD 404', 's3:ListBucket', bodiless(404), { code: 'NotFound', category: 'not-found' }],
  ['S3 HEAD 301 from another region', 's3:ListBucket', bodiless(301, { 'x-amz-bucket-region': 'eu-central-1' }), { code: 'PermanentRedirect', category: 'config', message: 's3:ListBucket was rejected: the resource is in another region (eu-central-1)' }],
  ['S3 301 PermanentRedirect', 's3:GetObject', xml('PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint.', 301), { category: 'config' }],
  ['S3, wrong region in the signature', 's3:PutObject', xml('AuthorizationHeaderMalformed', "The authorization header is malformed; the region 'eu-west-1' is wrong; expecting 'us-east-1'", 400), { category: 'config' }],
  // Athena's real answer for a missing workgroup is an InvalidRequestException saying so.
  ['Athena, no such workgroup, as Athena says it', 'athena:GetWorkGroup', json('InvalidRequestException', 'WorkGroup legacy is not found.', 400, 'Message'), { code: 'InvalidRequestException', category: 'not-found' }],
  [
    'Athena relaying a Glue call Lake Formation refused',
    'athena:ListDatabases',
    json('MetadataException', 'Insufficient Lake Formation permission(s): Required Describe on finance (Service: AmazonDataCatalog; Status Code: 400; Error Code: AccessDeniedException)', 400, 'Message'),
    { category: 'permission', deniedBy: { policyType: 'lake-formation', explicit: false } },
  ],
  ['STS off in the region', 'sts:GetCallerIdentity', query('RegionDisabledException', 'STS is not activated in this region for account:123456789012. Your account administrator can activate STS in this region using the IAM Console.', 403), { code: 'RegionDisabledException', category: 'config' }],
  [
    'S3 GetObject refused by KMS, in KMS words',
    's3:GetObject',
    xml('AccessDenied', 'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.', 403),
    { category: 'permission', relayedAction: 'kms:Decrypt' },
  ],
  ['Athena, disabled workgroup', 'athena:StartQueryExecution', json('InvalidRequestException', 'Unable to submit query. WorkGroup legacy is disabled.', 400, 'Message'), { code: 'InvalidRequestException', category: 'config' }],
  ['CloudTrail, invalid lookup', 'cloudtrail:LookupEvents', json('InvalidLookupAttributesException', 'Invalid lookup attribute'), { category: 'config' }],
  ['Lake Formation, validation', 'lakeformation:GetDataLakeSettings', restJson('InvalidInputException', 'bad catalog id', 400), { category: 'config' }],
  ['Glue, throttling', 'glue:GetTables', json('ThrottlingException', 'Rate exceeded'), { category: 'throttled' }],
  ['CloudTrail, over its 2 requests per second', 'cloudtrail:LookupEvents', json('ThrottlingException', 'Rate exceeded'), { category: 'throttled' }],
  ['STS, throttling', 'sts:GetCallerIdentity', query('Throttling', 'Rate exceeded', 400), { category: 'throttled' }],
  ['Athena, too many requests', 'athena:ListQueryExecutions', json('TooManyRequestsException', 'Rate exceeded', 400, 'Message'), { category: 'throttled' }],
  ['Lake Formation, 429', 'lakeformation:GetDataLakeSettings', restJson('TooManyRequestsException', 'slow down', 429), { category: 'throttled' }],
  ['S3 SlowDown is throttling, not an outage', 's3:PutObject', xml('SlowDown', 'Please reduce your request rate.', 503), { code: 'SlowDown', category: 'throttled' }],
  ['Glue 500', 'glue:GetTables', json('InternalServiceException', 'Internal service error', 500), { category: 'service', httpStatus: 500 }],
  ['Athena 500', 'athena:GetWorkGroup', json('InternalServerException', 'Internal error', 500, 'Message'), { category: 'service' }],
  ['STS 500', 'sts:GetCallerIdentity', query('InternalFailure', 'An internal error occurred', 500), { category: 'service' }],
  ['S3 503', 's3:GetObject', xml('ServiceUnavailable', 'Service is unable to handle request.', 503), { category: 'service' }],
  ['S3, a 403 that is no denial: an archived object', 's3:GetObject', xml('InvalidObjectState', 'The operation is not valid for the object\'s storage class', 403), { code: 'InvalidObjectState', category: 'config' }],
  ['S3 HEAD 502', 's3:ListBucket', bodiless(502), { code: 'Http502', category: 'service' }],
];

describe('classifyError over real SDK errors', () => {
  it.each([...permissionRows, ...otherRows])('%s', async (_name, action, wire, expected) => {
    const classified = classifyError(await sdkError(action, wire), { action });
    expect(classified).toMatchObject(expected);
  });

  it('never carries the raw AWS text, which names a person\'s session and the resources', async () => {
    for (const [, action, wire] of [...permissionRows, ...otherRows]) {
      const error = (await sdkError(action, wire)) as Error;
      const classified = JSON.stringify(classifyError(error, { action }));
      expect(classified).not.toContain('jane.doe');
      expect(classified).not.toMatch(/arn:aws/);
      if (error.message.length > 20) expect(classified).not.toContain(error.message);
    }
  });

  it('classifies an S3 HEAD 403 whose name is its status, as older SDKs built it', () => {
    const error = new S3ServiceException({ name: '403', $fault: 'client', message: '', $metadata: { httpStatusCode: 403, requestId: 'req-1' } });
    expect(classifyError(error, { action: 's3:ListBucket' })).toMatchObject({ code: 'AccessDenied', category: 'permission', requestId: 'req-1' });
  });

  it('reads a bare KMS.AccessDeniedException as the key refusing what S3 needed', () => {
    const error = Object.assign(new Error('The ciphertext refers to a key that is not accessible'), { name: 'KMS.AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    expect(classifyError(error, { action: 's3:GetObject' })).toMatchObject({ category: 'permission', kmsAction: 'kms:Decrypt', relayedAction: 'kms:Decrypt' });
  });

  it('classifies by name and status where no $fault was set', () => {
    const build = (name: string, status: number) => Object.assign(new Error('x'), { name, $metadata: { httpStatusCode: status } });
    expect(classifyError(build('ServiceUnavailable', 503), { action: 'a:b' }).category).toBe('service');
    expect(classifyError(build('Error', 502), { action: 'a:b' })).toMatchObject({ code: 'Http502', category: 'service' });
    expect(classifyError(build('Unknown', 403), { action: 'a:b' })).toMatchObject({ code: 'AccessDenied', category: 'permission' });
    expect(classifyError(build('SomethingNew', 400), { action: 'a:b' }).category).toBe('config');
  });

  it('names the other EC2-style and DynamoDB-style codes too', () => {
    const build = (name: string, status: number) => Object.assign(new Error('x'), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
    expect(classifyError(build('UnauthorizedOperation', 403), { action: 'a:b' }).category).toBe('permission');
    expect(classifyError(build('RequestLimitExceeded', 503), { action: 'a:b' }).category).toBe('throttled');
    expect(classifyError(build('ProvisionedThroughputExceededException', 400), { action: 'a:b' }).category).toBe('throttled');
    expect(classifyError(build('InvalidParameterValue', 400), { action: 'a:b' }).category).toBe('config');
    expect(classifyError(build('ValidationException', 400), { action: 'a:b' }).category).toBe('config');
    expect(classifyError(build('NotFoundException', 404), { action: 'a:b' }).category).toBe('not-found');
  });
});

describe('classifyError over network failures and deadlines', () => {
  it('reads a real refused connection, with its host', async () => {
    // A port that was just free: nothing listens there.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const glue = new GlueClient({ region: 'eu-west-1', maxAttempts: 1, endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
    const error = await glue.send(new GetTablesCommand({ DatabaseName: 'sales' })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(classifyError(error, { action: 'glue:GetTables' })).toMatchObject({ code: 'ECONNREFUSED', category: 'network', host: '127.0.0.1' });
  });

  const nodeError = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);
  it.each<[string, unknown, Partial<ClassifiedError>]>([
    ['our deadline, as the HTTP handler aborts', nodeError('Request aborted', { name: 'AbortError' }), { code: 'Timeout', category: 'timeout' }],
    ['our deadline, as AbortSignal.timeout() gives it', new DOMException('The operation was aborted due to timeout', 'TimeoutError'), { category: 'timeout' }],
    ['an abort signal', new DOMException('This operation was aborted', 'AbortError'), { category: 'timeout' }],
    // A connection never made in time is the network's failure, not a slow answer (@smithy/node-http-handler's setConnectionTimeout, old and 4.x words).
    ['the connection timeout of the HTTP handler (before 4.x)', nodeError('Socket timed out without establishing a connection within 1000 ms', { name: 'TimeoutError' }), { code: 'ETIMEDOUT', category: 'network', connectFailure: 'connect-timeout' }],
    [
      'the connection timeout of the HTTP handler',
      nodeError('@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 3000 ms.', { name: 'TimeoutError' }),
      { code: 'ETIMEDOUT', category: 'network', connectFailure: 'connect-timeout' },
    ],
    ["connect's own ETIMEDOUT, as the SDK handler renames it", nodeError('connect ETIMEDOUT 10.0.0.5:443', { name: 'TimeoutError', code: 'ETIMEDOUT', syscall: 'connect', address: '10.0.0.5' }), { code: 'ETIMEDOUT', category: 'network', host: '10.0.0.5', connectFailure: 'connect-timeout' }],
    // The handler's request timeout: connected, and no answer in time.
    ['the request timeout of the HTTP handler', nodeError('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 10000 ms requestTimeout.', { name: 'TimeoutError', code: 'ETIMEDOUT' }), { code: 'Timeout', category: 'timeout' }],
    ['DNS failure nested in cause', nodeError('fetch failed', { cause: nodeError('getaddrinfo ENOTFOUND glue.eu-west-1.amazonaws.com', { code: 'ENOTFOUND', hostname: 'glue.eu-west-1.amazonaws.com' }) }), { code: 'ENOTFOUND', category: 'network', host: 'glue.eu-west-1.amazonaws.com' }],
    ['DNS not answering, host only in the message', nodeError('getaddrinfo EAI_AGAIN sts.eu-west-1.amazonaws.com', { code: 'EAI_AGAIN', syscall: 'getaddrinfo' }), { code: 'EAI_AGAIN', category: 'network', host: 'sts.eu-west-1.amazonaws.com' }],
    ['reset by a proxy', nodeError('socket hang up', { code: 'ECONNRESET' }), { code: 'ECONNRESET', category: 'network' }],
    // @smithy/node-http-handler renames a reset socket TimeoutError (ECONNRESET is in its timeout codes).
    ['reset, as the SDK handler names it', nodeError('socket hang up', { code: 'ECONNRESET', name: 'TimeoutError' }), { code: 'ECONNRESET', category: 'network' }],
    ['connect timeout', nodeError('connect ETIMEDOUT 10.0.0.5:443', { code: 'ETIMEDOUT', syscall: 'connect', address: '10.0.0.5', port: 443 }), { code: 'ETIMEDOUT', category: 'network', host: '10.0.0.5', connectFailure: 'connect-timeout' }],
    [
      'every address refused (AggregateError)',
      Object.assign(new AggregateError([nodeError('connect ECONNREFUSED ::1:443', { code: 'ECONNREFUSED', address: '::1' }), nodeError('connect ECONNREFUSED 127.0.0.1:443', { code: 'ECONNREFUSED', address: '127.0.0.1' })], ''), { code: 'ECONNREFUSED' }),
      { code: 'ECONNREFUSED', category: 'network', host: '::1' },
    ],
    ['a bug of ours', new TypeError("Cannot read properties of undefined (reading 'TableList')"), { code: 'InternalError', category: 'internal' }],
    ['a thrown string', 'boom', { code: 'InternalError', category: 'internal' }],
    ['nothing at all', undefined, { code: 'InternalError', category: 'internal' }],
  ])('%s', (_name, error, expected) => {
    const classified = classifyError(error, { action: 'glue:GetTables' });
    expect(classified).toMatchObject(expected);
    expect(classified.message).toMatch(/glue:GetTables/);
  });
});

describe('classifyError: how a connection was never made', () => {
  const nodeError = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);
  it.each([
    ['ENOTFOUND', 'getaddrinfo', 'dns'],
    ['EAI_AGAIN', 'getaddrinfo', 'dns'],
    ['EHOSTUNREACH', 'connect', 'no-route'],
    ['ENETUNREACH', 'connect', 'no-route'],
    ['ECONNREFUSED', 'connect', 'refused'],
    ['UND_ERR_CONNECT_TIMEOUT', undefined, 'connect-timeout'],
  ])('%s (%s): %s', (code, syscall, failure) => {
    const error = nodeError(`${syscall ?? 'undici'} ${code} glue.eu-west-1.amazonaws.com`, { code, ...(syscall ? { syscall } : {}) });
    expect(classifyError(error, { action: 'glue:GetTables' })).toMatchObject({ code, category: 'network', connectFailure: failure });
  });

  it.each([
    ['a reset once connected', nodeError('socket hang up', { code: 'ECONNRESET' })],
    ['a broken pipe', nodeError('write EPIPE', { code: 'EPIPE', syscall: 'write' })],
    ["a read's ETIMEDOUT (connected, then silent)", nodeError('read ETIMEDOUT', { code: 'ETIMEDOUT', syscall: 'read' })],
    ['a TLS protocol error', nodeError('wrong version number', { code: 'EPROTO' })],
    ['an untrusted certificate', nodeError('self-signed certificate in certificate chain', { code: 'SELF_SIGNED_CERT_IN_CHAIN' })],
  ])('%s connected: no connect failure', (_name, error) => {
    const classified = classifyError(error, { action: 'glue:GetTables', host: 'glue.eu-west-1.amazonaws.com' });
    expect(classified.category).toBe('network');
    expect(classified).not.toHaveProperty('connectFailure');
  });
});

describe('classifyError over TLS refusals', () => {
  const tlsError = (code: string) => Object.assign(new Error(code), { code });
  const endpoint = { action: 'glue:GetTables', host: 'glue.eu-west-1.amazonaws.com' };

  it('names the endpoint the call went to (TLS errors carry no host) and the fix for an untrusted CA', () => {
    const classified = classifyError(tlsError('SELF_SIGNED_CERT_IN_CHAIN'), endpoint);
    expect(classified).toMatchObject({ code: 'SELF_SIGNED_CERT_IN_CHAIN', category: 'network', host: 'glue.eu-west-1.amazonaws.com' });
    expect(classified.message).toBe("The TLS certificate of glue.eu-west-1.amazonaws.com is not trusted (SELF_SIGNED_CERT_IN_CHAIN) calling glue:GetTables: behind a proxy that re-signs TLS, give the service that proxy's CA (AWS_CA_BUNDLE)");
  });

  it.each([
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'is for another host'],
    ['CERT_HAS_EXPIRED', 'has expired'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'AWS_CA_BUNDLE'],
  ])('%s: %s', (code, words) => {
    const classified = classifyError(tlsError(code), endpoint);
    expect(classified.category).toBe('network');
    expect(classified.message).toContain(words);
    expect(isCertificateError(classified.code)).toBe(true);
  });

  it('keeps the host the error names over the endpoint', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:443'), { code: 'ECONNREFUSED', address: '10.0.0.5' });
    expect(classifyError(refused, endpoint)).toMatchObject({ host: '10.0.0.5' });
    expect(isCertificateError('ECONNREFUSED')).toBe(false);
  });
});

describe('isRetryable and isDenial', () => {
  const categories: Array<[ErrorCategory, boolean]> = [
    ['throttled', true],
    ['service', true],
    ['permission', false],
    ['auth', false],
    ['not-found', false],
    ['config', false],
    ['timeout', false],
    ['network', false],
    ['internal', false],
  ];
  it.each(categories)('%s: retryable %s', (category, retryable) => {
    const classified: ClassifiedError = { code: 'X', category, message: 'x' };
    expect(isRetryable(classified)).toBe(retryable);
    expect(isDenial(classified)).toBe(category === 'permission');
  });

  it('never retries an access denial, however it was spelled', async () => {
    for (const [, action, wire] of permissionRows) expect(isRetryable(classifyError(await sdkError(action, wire), { action }))).toBe(false);
  });
});

describe('parseDenial', () => {
  it.each([
    ['with an explicit deny in a service control policy', { policyType: 'scp', explicit: true }],
    ['with an explicit deny in a resource control policy', { policyType: 'rcp', explicit: true }],
    ['with an explicit deny in a permissions boundary', { policyType: 'boundary', explicit: true }],
    ['with an explicit deny in a session policy', { policyType: 'session', explicit: true }],
    ['with an explicit deny in a resource-based policy', { policyType: 'resource', explicit: true }],
    ['with an explicit deny in a VPC endpoint policy', { policyType: 'vpc-endpoint', explicit: true }],
    ['with an explicit deny in an identity-based policy', { policyType: 'identity', explicit: true }],
    ['because no identity-based policy allows the glue:GetTables action', { policyType: 'identity', explicit: false }],
    ['because no service control policy allows the glue:GetTables action', { policyType: 'scp', explicit: false }],
    ['because no resource control policy allows the glue:GetTables action', { policyType: 'rcp', explicit: false }],
    ['because no permissions boundary allows the glue:GetTables action', { policyType: 'boundary', explicit: false }],
    ['because no session policy allows the glue:GetTables action', { policyType: 'session', explicit: false }],
    ['because no resource-based policy allows the glue:GetTables action', { policyType: 'resource', explicit: false }],
    ['because no VPC endpoint policy allows the glue:GetTables action', { policyType: 'vpc-endpoint', explicit: false }],
    ['', { policyType: 'unknown', explicit: false }],
  ])('"… %s"', (why, expected) => {
    expect(parseDenial(`User: ${PRINCIPAL} is not authorized to perform: glue:GetTables on resource: arn:aws:glue:eu-west-1:${ACCOUNT}:catalog ${why}`.trim())).toEqual(expected);
  });

  it('is not misled by a principal named after a policy type', () => {
    const text = `User: arn:aws:sts::${ACCOUNT}:assumed-role/service-control-policy-reader/s is not authorized to perform: glue:GetTables because no identity-based policy allows the glue:GetTables action`;
    expect(parseDenial(text)).toEqual({ policyType: 'identity', explicit: false });
  });

  it('knows nothing from S3\'s bare text', () => {
    expect(parseDenial('Access Denied')).toEqual({ policyType: 'unknown', explicit: false });
  });
});
