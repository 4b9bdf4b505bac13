// Classification over errors as the SDK v3 really builds them from each protocol's answers.
import { AthenaServiceException, InvalidRequestException, MetadataException } from '@aws-sdk/client-athena';
import { AccessDeniedException as GlueAccessDenied, EntityNotFoundException } from '@aws-sdk/client-glue';
import { NoSuchKey, S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { classifyError, isRetryable, parseDenial } from '../../src/preflight/classify.js';

const meta = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'req-1', attempts: 1, totalRetryDelay: 0 });
const PRINCIPAL = 'arn:aws:sts::123456789012:assumed-role/DataEngineer/jane.doe@example.com';

describe('classifyError', () => {
  it.each([
    [
      'Glue identity denial',
      new GlueAccessDenied({ message: `User: ${PRINCIPAL} is not authorized to perform: glue:GetTables on resource: arn:aws:glue:eu-west-1:123456789012:catalog because no identity-based policy allows the glue:GetTables action`, $metadata: meta(400) }),
      'glue:GetTables',
      { code: 'AccessDeniedException', category: 'permission', deniedBy: { policyType: 'identity', explicit: false }, requestId: 'req-1', resourceType: 'glue:catalog' },
    ],
    [
      'SCP explicit deny',
      new AthenaServiceException({ name: 'AccessDeniedException', $fault: 'client', message: `User: ${PRINCIPAL} is not authorized to perform: athena:ListWorkGroups with an explicit deny in a service control policy`, $metadata: meta(400) }),
      'athena:ListWorkGroups',
      { category: 'permission', deniedBy: { policyType: 'scp', explicit: true } },
    ],
    [
      'Athena\'s older text names no policy',
      new AthenaServiceException({ name: 'AccessDeniedException', $fault: 'client', message: 'You are not authorized to perform: athena:GetWorkGroup on the resource. After your AWS administrator or you have updated your permissions, please try again.', $metadata: meta(400) }),
      'athena:GetWorkGroup',
      { category: 'permission', deniedBy: { policyType: 'unknown', explicit: false } },
    ],
    [
      'boundary',
      new GlueAccessDenied({ message: `User: ${PRINCIPAL} is not authorized to perform: glue:GetTable on resource: x because no permissions boundary allows the glue:GetTable action`, $metadata: meta(400) }),
      'glue:GetTable',
      { deniedBy: { policyType: 'boundary', explicit: false } },
    ],
    ['not found', new EntityNotFoundException({ message: 'Database sales not found.', $metadata: meta(400) }), 'glue:GetDatabase', { code: 'EntityNotFoundException', category: 'not-found' }],
    ['disabled workgroup', new InvalidRequestException({ message: 'Unable to submit query. WorkGroup legacy is disabled.', $metadata: meta(400) }), 'athena:StartQueryExecution', { category: 'config' }],
    [
      'Athena relaying a Glue denial',
      new MetadataException({ message: `User: ${PRINCIPAL} is not authorized to perform: glue:GetDatabases on resource: arn:aws:glue:eu-west-1:123456789012:database/x because no identity-based policy allows the glue:GetDatabases action (Service: AmazonDataCatalog)`, $metadata: meta(400) }),
      'athena:ListDatabases',
      { category: 'permission', relayedAction: 'glue:GetDatabases' },
    ],
    [
      'S3 relaying a KMS denial',
      Object.assign(new S3ServiceException({ name: 'AccessDenied', $fault: 'client', message: `User: ${PRINCIPAL} is not authorized to perform: kms:GenerateDataKey on resource: arn:aws:kms:eu-west-1:123456789012:key/abc because no identity-based policy allows the kms:GenerateDataKey action`, $metadata: meta(403) })),
      's3:PutObject',
      { code: 'AccessDenied', category: 'permission', relayedAction: 'kms:GenerateDataKey', deniedBy: { policyType: 'identity', explicit: false } },
    ],
    ['S3 plain Access Denied', new S3ServiceException({ name: 'AccessDenied', $fault: 'client', message: 'Access Denied', $metadata: meta(403) }), 's3:GetObject', { category: 'permission', deniedBy: { policyType: 'unknown', explicit: false } }],
    // HEAD answers carry no body: the SDK can only name the error after the status.
    ['S3 HEAD 403', new S3ServiceException({ name: 'Unknown', $fault: 'client', message: 'UnknownError', $metadata: meta(403) }), 's3:ListBucket', { code: 'AccessDenied', category: 'permission' }],
    ['S3 HEAD 404', new S3ServiceException({ name: 'NotFound', $fault: 'client', message: 'NotFound', $metadata: meta(404) }), 's3:GetObject', { category: 'not-found' }],
    ['S3 403 named after its status', new S3ServiceException({ name: '403', $fault: 'client', message: '', $metadata: meta(403) }), 's3:ListBucket', { code: 'AccessDenied', category: 'permission' }],
    ['no such key', new NoSuchKey({ message: 'The specified key does not exist.', $metadata: meta(404) }), 's3:GetObject', { category: 'not-found' }],
    ['wrong region', new S3ServiceException({ name: 'PermanentRedirect', $fault: 'client', message: 'The bucket you are attempting to access must be addressed using the specified endpoint.', $metadata: meta(301) }), 's3:ListBucket', { category: 'config' }],
    ['unknown key', Object.assign(new Error('The security token included in the request is invalid.'), { name: 'InvalidClientTokenId', $fault: 'client', $metadata: meta(403) }), 'sts:GetCallerIdentity', { category: 'auth' }],
    ['bad secret', Object.assign(new Error('The request signature we calculated does not match'), { name: 'SignatureDoesNotMatch', $fault: 'client', $metadata: meta(403) }), 'sts:GetCallerIdentity', { category: 'auth' }],
    ['expired token', Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredTokenException', $fault: 'client', $metadata: meta(400) }), 'glue:GetTables', { category: 'auth' }],
    ['throttled', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', $metadata: meta(400) }), 'cloudtrail:LookupEvents', { category: 'throttled' }],
    ['S3 slow down', new S3ServiceException({ name: 'SlowDown', $fault: 'server', message: 'Please reduce your request rate.', $metadata: meta(503) }), 's3:PutObject', { category: 'throttled' }],
    ['5xx', Object.assign(new Error('Internal'), { name: 'InternalServerException', $fault: 'server', $metadata: meta(500) }), 'athena:GetWorkGroup', { category: 'service' }],
    ['our deadline', Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }), 'glue:GetTables', { category: 'timeout' }],
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:443'), { code: 'ECONNREFUSED', address: '10.0.0.5' }), 'glue:GetTables', { category: 'network', host: '10.0.0.5' }],
    ['DNS failure nested in cause', Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error('getaddrinfo ENOTFOUND glue.eu-west-1.amazonaws.com'), { code: 'ENOTFOUND', hostname: 'glue.eu-west-1.amazonaws.com' }) }), 'glue:GetTables', { category: 'network', host: 'glue.eu-west-1.amazonaws.com' }],
    ['a bug of ours', new TypeError('cannot read properties of undefined'), 'glue:GetTables', { category: 'internal', code: 'InternalError' }],
  ])('%s', (_name, error, action, expected) => {
    const classified = classifyError(error, { action });
    expect(classified).toMatchObject(expected);
  });

  it('never copies the raw AWS message, which can name a person\'s session', () => {
    const error = new GlueAccessDenied({ message: `User: ${PRINCIPAL} is not authorized to perform: glue:GetTables on resource: x because no identity-based policy allows the glue:GetTables action`, $metadata: meta(400) });
    const classified = classifyError(error, { action: 'glue:GetTables' });
    expect(JSON.stringify(classified)).not.toContain('jane.doe');
    expect(classified.message).toBe('access denied for glue:GetTables (no allow in an identity-based policy)');
  });

  it('retries only what may pass', () => {
    const throttled = classifyError(Object.assign(new Error('x'), { name: 'ThrottlingException', $metadata: meta(400) }), { action: 'a:b' });
    const denied = classifyError(Object.assign(new Error('x'), { name: 'AccessDeniedException', $metadata: meta(400) }), { action: 'a:b' });
    const missing = classifyError(Object.assign(new Error('x'), { name: 'EntityNotFoundException', $metadata: meta(400) }), { action: 'a:b' });
    expect([isRetryable(throttled), isRetryable(denied), isRetryable(missing)]).toEqual([true, false, false]);
  });

  it.each([
    ['with an explicit deny in a resource control policy', { policyType: 'rcp', explicit: true }],
    ['with an explicit deny in a VPC endpoint policy', { policyType: 'vpc-endpoint', explicit: true }],
    ['because no session policy allows the s3:GetObject action', { policyType: 'session', explicit: false }],
    ['because no resource-based policy allows the kms:Decrypt action', { policyType: 'resource', explicit: false }],
    ['User: x is not authorized to perform: glue:GetTables', { policyType: 'unknown', explicit: false }],
  ])('parses "%s"', (text, expected) => {
    expect(parseDenial(`User: arn is not authorized to perform: a:b on resource: c ${text}`)).toEqual(expected);
  });
});
