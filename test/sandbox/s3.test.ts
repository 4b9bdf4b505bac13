import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { loadScenario } from '../../src/sandbox/scenario.js';
import { awsCli, clientConfig, userCredentials } from '../support/sandbox.js';

const ACCOUNT = '123456789012';
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1f0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f`;
const RESULTS = 'acme-athena-results';

// full-access plus a user who may only read objects of the results bucket (no s3:ListBucket).
const SCENARIO = {
  extends: 'full-access',
  name: 's3-test',
  description: 'full-access plus a reader without s3:ListBucket',
  users: [
    {
      name: 'analyst',
      accessKeyId: 'AKIAS3TESTANALYST001',
      secretAccessKey: 'sandbox/analyst/secret/not-a-real-key',
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }],
    },
    {
      name: 'reader',
      accessKeyId: 'AKIAS3TESTREADER0001',
      secretAccessKey: 'sandbox/reader/secret/not-a-real-key',
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${RESULTS}/*` }] }],
    },
  ],
};

/** The raw HTTP response behind an SDK error (headers, and whether a body came). */
function rawResponse(error: unknown): { statusCode: number; headers: Record<string, string> } {
  return (error as { $response: { statusCode: number; headers: Record<string, string> } }).$response;
}

async function failure(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

describe('sandbox S3', () => {
  let sandbox: Sandbox;
  let encrypted: Sandbox;
  let kmsDenied: Sandbox;
  let otherRegion: Sandbox;
  beforeAll(async () => {
    [sandbox, encrypted, kmsDenied, otherRegion] = await Promise.all([
      startSandbox({ scenario: SCENARIO }),
      startSandbox({ scenario: 'kms-encrypted-results' }),
      startSandbox({ scenario: 'kms-denied' }),
      startSandbox({ scenario: 'bucket-other-region' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([sandbox, encrypted, kmsDenied, otherRegion].map((s) => s.close()));
  });

  const s3 = (user = 'analyst', on = sandbox, region?: string) => new S3Client({ ...clientConfig(on, userCredentials(on, user)), ...(region ? { region } : {}) });

  it('writes, heads, reads and deletes an object', async () => {
    const put = await s3().send(new PutObjectCommand({ Bucket: RESULTS, Key: 'tests/hello.txt', Body: 'hello world', ContentType: 'text/plain' }));
    expect(put).toMatchObject({ ETag: '"5eb63bbbe01eeed093cb22bb8f5acdc3"', ServerSideEncryption: 'AES256' });
    const head = await s3().send(new HeadObjectCommand({ Bucket: RESULTS, Key: 'tests/hello.txt' }));
    expect(head).toMatchObject({ ContentLength: 11, ContentType: 'text/plain', ETag: put.ETag, LastModified: expect.any(Date) });
    const get = await s3().send(new GetObjectCommand({ Bucket: RESULTS, Key: 'tests/hello.txt' }));
    expect(await get.Body!.transformToString()).toBe('hello world');
    expect((await s3().send(new DeleteObjectCommand({ Bucket: RESULTS, Key: 'tests/hello.txt' }))).$metadata.httpStatusCode).toBe(204);
    await expect(s3().send(new GetObjectCommand({ Bucket: RESULTS, Key: 'tests/hello.txt' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it('reads a byte range with 206', async () => {
    const get = await s3().send(new GetObjectCommand({ Bucket: 'acme-data-lake', Key: 'sales/orders/dt=2026-11-23/part-0000.parquet', Range: 'bytes=1-2' }));
    expect(get).toMatchObject({ ContentRange: 'bytes 1-2/4', $metadata: { httpStatusCode: 206 } });
    expect(await get.Body!.transformToString()).toBe('AR');
  });

  it('answers NoSuchKey with 404 and the key for a missing object', async () => {
    await expect(s3().send(new GetObjectCommand({ Bucket: RESULTS, Key: 'missing.csv' }))).rejects.toMatchObject({
      name: 'NoSuchKey',
      message: 'The specified key does not exist.',
      Key: 'missing.csv',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('answers NoSuchBucket with 404 for a bucket that does not exist', async () => {
    await expect(s3().send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'x' }))).rejects.toMatchObject({
      name: 'NoSuchBucket',
      message: 'The specified bucket does not exist',
      BucketName: 'no-such-bucket',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('answers HEAD of a missing object with a bare 404', async () => {
    const error = await failure(s3().send(new HeadObjectCommand({ Bucket: RESULTS, Key: 'missing.csv' })));
    expect(error).toMatchObject({ name: 'NotFound', $metadata: { httpStatusCode: 404 } });
    expect(rawResponse(error).headers['content-length']).toBe('0');
  });

  it('answers HEAD of a missing object with a bare 403 when the caller may not list the bucket', async () => {
    const error = await failure(s3('reader').send(new HeadObjectCommand({ Bucket: RESULTS, Key: 'missing.csv' })));
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(rawResponse(error).headers['content-length']).toBe('0');
    expect(rawResponse(error).headers['content-type']).toBeUndefined();
  });

  it('hides a missing key behind AccessDenied without s3:ListBucket', async () => {
    await expect(s3('reader').send(new GetObjectCommand({ Bucket: RESULTS, Key: 'missing.csv' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: 'Access Denied',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('denies a write no policy allows with 403 AccessDenied and S3\'s quoted resource', async () => {
    await expect(s3('reader').send(new PutObjectCommand({ Bucket: RESULTS, Key: 'primary/x.csv', Body: 'x' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: arn:aws:iam::${ACCOUNT}:user/reader is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::${RESULTS}/primary/x.csv" because no identity-based policy allows the s3:PutObject action`,
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('refuses a second write with If-None-Match: * with 412 PreconditionFailed', async () => {
    await s3().send(new PutObjectCommand({ Bucket: RESULTS, Key: 'tests/once.txt', Body: 'first', IfNoneMatch: '*' }));
    await expect(s3().send(new PutObjectCommand({ Bucket: RESULTS, Key: 'tests/once.txt', Body: 'second', IfNoneMatch: '*' }))).rejects.toMatchObject({
      name: 'PreconditionFailed',
      message: 'At least one of the pre-conditions you specified did not hold',
      Condition: 'If-None-Match',
      $metadata: { httpStatusCode: 412 },
    });
    const get = await s3().send(new GetObjectCommand({ Bucket: RESULTS, Key: 'tests/once.txt' }));
    expect(await get.Body!.transformToString()).toBe('first');
  });

  it('lists objects across pages with MaxKeys and ContinuationToken', async () => {
    for (const name of ['a', 'b', 'c']) await s3().send(new PutObjectCommand({ Bucket: RESULTS, Key: `paged/${name}.csv`, Body: name }));
    const first = await s3().send(new ListObjectsV2Command({ Bucket: RESULTS, Prefix: 'paged/', MaxKeys: 2 }));
    expect(first).toMatchObject({ IsTruncated: true, KeyCount: 2, MaxKeys: 2, NextContinuationToken: expect.any(String) });
    expect(first.Contents!.map((o) => o.Key)).toEqual(['paged/a.csv', 'paged/b.csv']);
    const second = await s3().send(new ListObjectsV2Command({ Bucket: RESULTS, Prefix: 'paged/', MaxKeys: 2, ContinuationToken: first.NextContinuationToken }));
    expect(second).toMatchObject({ IsTruncated: false, KeyCount: 1 });
    expect(second.Contents!.map((o) => ({ Key: o.Key, Size: o.Size }))).toEqual([{ Key: 'paged/c.csv', Size: 1 }]);
    expect(second.NextContinuationToken).toBeUndefined();
  });

  it('groups keys into common prefixes with a delimiter', async () => {
    const listed = await s3().send(new ListObjectsV2Command({ Bucket: 'acme-data-lake', Prefix: 'sales/', Delimiter: '/' }));
    expect(listed.CommonPrefixes).toEqual([{ Prefix: 'sales/orders/' }]);
    expect(listed.Contents).toBeUndefined();
  });

  it('rejects a negative MaxKeys with InvalidArgument', async () => {
    await expect(s3().send(new ListObjectsV2Command({ Bucket: RESULTS, MaxKeys: -1 }))).rejects.toMatchObject({
      name: 'InvalidArgument',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('starts, lists and aborts a multipart upload, then answers NoSuchUpload', async () => {
    const { UploadId } = await s3().send(new CreateMultipartUploadCommand({ Bucket: RESULTS, Key: 'tests/big.bin' }));
    expect(UploadId).toEqual(expect.any(String));
    const listed = await s3().send(new ListMultipartUploadsCommand({ Bucket: RESULTS }));
    expect(listed.Uploads).toEqual([expect.objectContaining({ Key: 'tests/big.bin', UploadId })]);
    await s3().send(new AbortMultipartUploadCommand({ Bucket: RESULTS, Key: 'tests/big.bin', UploadId }));
    expect((await s3().send(new ListMultipartUploadsCommand({ Bucket: RESULTS }))).Uploads).toBeUndefined();
    await expect(s3().send(new AbortMultipartUploadCommand({ Bucket: RESULTS, Key: 'tests/big.bin', UploadId }))).rejects.toMatchObject({
      name: 'NoSuchUpload',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('heads a bucket and reports its region', async () => {
    const head = await s3().send(new HeadBucketCommand({ Bucket: RESULTS }));
    expect(head).toMatchObject({ BucketRegion: 'eu-west-1', $metadata: { httpStatusCode: 200 } });
    const location = await s3().send(new GetBucketLocationCommand({ Bucket: RESULTS }));
    expect(location.LocationConstraint).toBe('eu-west-1');
  });

  it("names the bucket's region in a refused HeadBucket too (a 403 without a body)", async () => {
    const error = await failure(s3('reader').send(new HeadBucketCommand({ Bucket: RESULTS })));
    expect(rawResponse(error).statusCode).toBe(403);
    expect(rawResponse(error).headers['x-amz-bucket-region']).toBe('eu-west-1');
  });

  it('reports default encryption (SSE-S3) and the lifecycle rules, NoSuchLifecycleConfiguration without any', async () => {
    const { ServerSideEncryptionConfiguration } = await s3().send(new GetBucketEncryptionCommand({ Bucket: RESULTS }));
    expect(ServerSideEncryptionConfiguration!.Rules).toEqual([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }]);
    const { Rules } = await s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket: RESULTS }));
    expect(Rules).toEqual([{ ID: 'expire-query-results', Filter: { Prefix: '' }, Status: 'Enabled', Expiration: { Days: 30 } }]);
    await expect(s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'acme-data-lake' }))).rejects.toMatchObject({
      name: 'NoSuchLifecycleConfiguration',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('encrypts with the bucket\'s KMS key (SSE-KMS) and decrypts on read', async () => {
    const put = await s3('analyst', encrypted).send(new PutObjectCommand({ Bucket: RESULTS, Key: 'primary/marker.txt', Body: 'marker' }));
    expect(put).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY_ARN });
    const head = await s3('analyst', encrypted).send(new HeadObjectCommand({ Bucket: RESULTS, Key: 'primary/marker.txt' }));
    expect(head).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY_ARN });
    const get = await s3('analyst', encrypted).send(new GetObjectCommand({ Bucket: RESULTS, Key: 'primary/marker.txt' }));
    expect(await get.Body!.transformToString()).toBe('marker');
    const { ServerSideEncryptionConfiguration } = await s3('analyst', encrypted).send(new GetBucketEncryptionCommand({ Bucket: RESULTS }));
    expect(ServerSideEncryptionConfiguration!.Rules![0]!.ApplyServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN });
  });

  it('refuses a write to an SSE-KMS bucket when KMS refuses kms:GenerateDataKey', async () => {
    await expect(s3('analyst', kmsDenied).send(new PutObjectCommand({ Bucket: RESULTS, Key: 'primary/marker.txt', Body: 'marker' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: arn:aws:iam::${ACCOUNT}:user/analyst is not authorized to perform: kms:GenerateDataKey on resource: ${KEY_ARN} because no identity-based policy allows the kms:GenerateDataKey action`,
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('redirects a request for a bucket of another region with 301 PermanentRedirect and its region', async () => {
    const error = await failure(s3('analyst', otherRegion).send(new GetObjectCommand({ Bucket: 'acme-results-us-east-1', Key: 'athena/x.csv' })));
    expect(error).toMatchObject({
      name: 'PermanentRedirect',
      Bucket: 'acme-results-us-east-1',
      Endpoint: 'acme-results-us-east-1.s3.us-east-1.amazonaws.com',
      $metadata: { httpStatusCode: 301 },
    });
    expect(rawResponse(error).headers['x-amz-bucket-region']).toBe('us-east-1');
  });

  it('redirects HEAD of a bucket of another region with a bare 301 naming the region', async () => {
    const error = await failure(s3('analyst', otherRegion).send(new HeadBucketCommand({ Bucket: 'acme-results-us-east-1' })));
    expect(error.$metadata.httpStatusCode).toBe(301);
    expect(rawResponse(error).headers).toMatchObject({ 'x-amz-bucket-region': 'us-east-1', 'content-length': '0' });
  });

  it('answers GetBucketLocation for a bucket of another region from any region (us-east-1 is the empty constraint)', async () => {
    const location = await s3('analyst', otherRegion).send(new GetBucketLocationCommand({ Bucket: 'acme-results-us-east-1' }));
    expect(location.LocationConstraint ?? '').toBe('');
    const inItsRegion = await s3('analyst', otherRegion, 'us-east-1').send(new HeadBucketCommand({ Bucket: 'acme-results-us-east-1' }));
    expect(inItsRegion.BucketRegion).toBe('us-east-1');
  });

  it('is parsed by botocore: a paginated listing, a write, a denial, a 404 HEAD and a redirect', async () => {
    const analyst = userCredentials(sandbox, 'analyst');
    for (const name of ['x', 'y', 'z']) await s3().send(new PutObjectCommand({ Bucket: RESULTS, Key: `cli/${name}.csv`, Body: name }));
    // The CLI follows NextContinuationToken itself; --page-size makes it take three pages of one.
    const listed = await awsCli(sandbox, analyst, ['s3api', 'list-objects-v2', '--bucket', RESULTS, '--prefix', 'cli/', '--page-size', '1']);
    expect(listed.json.Contents.map((o: { Key: string }) => o.Key)).toEqual(['cli/x.csv', 'cli/y.csv', 'cli/z.csv']);
    const denied = await awsCli(sandbox, userCredentials(sandbox, 'reader'), ['s3api', 'put-object', '--bucket', RESULTS, '--key', 'cli/denied.csv']);
    expect(denied).toMatchObject({ ok: false, errorCode: 'AccessDenied' });
    const missing = await awsCli(sandbox, analyst, ['s3api', 'head-object', '--bucket', RESULTS, '--key', 'cli/missing.csv']);
    expect(missing.errorCode).toBe('404');
    const redirected = await awsCli(otherRegion, userCredentials(otherRegion, 'analyst'), ['s3api', 'get-bucket-location', '--bucket', 'acme-results-us-east-1']);
    expect(redirected.json).toEqual({ LocationConstraint: null });
  });
});

describe('S3: what bucket policies and headers decide on writes', () => {
  // The results bucket encrypts by default with SSE-KMS, and its policy requires the header anyway.
  // The analyst may also set the ACL it sends (s3:PutObjectAcl), which a write with an ACL needs.
  const analyst = loadScenario('kms-encrypted-results').users.find((u) => u.name === 'analyst')!;
  const REQUIRES_SSE = {
    extends: 'kms-encrypted-results',
    name: 's3-headers-test',
    description: 'a results bucket whose policy requires SSE-KMS and the bucket-owner ACL',
    users: [{ ...analyst, policies: [...analyst.policies, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObjectAcl', Resource: `arn:aws:s3:::${RESULTS}/*` }] }] }],
    s3: {
      buckets: [
        {
          name: RESULTS,
          encryption: { algorithm: 'aws:kms:dsse', kmsKeyId: KEY_ARN },
          policy: {
            Version: '2012-10-17',
            Statement: [
              { Sid: 'RequireKms', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${RESULTS}/*`, Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } },
              { Sid: 'RequireOwnerAcl', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${RESULTS}/*`, Condition: { StringNotEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } },
            ],
          },
        },
      ],
    },
  };
  let target: Sandbox;
  let client: S3Client;
  beforeAll(async () => {
    target = await startSandbox({ scenario: REQUIRES_SSE });
    client = new S3Client(clientConfig(target, userCredentials(target, 'analyst')));
  });
  afterAll(() => target.close());

  it('refuses a write without the required headers even though the bucket encrypts by default (policies are judged first)', async () => {
    const error = await failure(client.send(new PutObjectCommand({ Bucket: RESULTS, Key: 'x/plain.txt', Body: 'x' })));
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toContain('explicit deny in a resource-based policy');
  });

  it('accepts the same write with the SSE-KMS header, the key and the ACL, and encrypts with the key sent', async () => {
    const written = await client.send(
      new PutObjectCommand({ Bucket: RESULTS, Key: 'x/athena.txt', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY_ARN, ACL: 'bucket-owner-full-control' }),
    );
    expect(written).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY_ARN });
  });

  it('refuses any call whose expected bucket owner is another account with a bare 403', async () => {
    const error = await failure(client.send(new GetBucketLocationCommand({ Bucket: RESULTS, ExpectedBucketOwner: '210987654321' })));
    expect(rawResponse(error).statusCode).toBe(403);
    expect(error.name).toBe('AccessDenied');
    await expect(client.send(new GetBucketLocationCommand({ Bucket: RESULTS, ExpectedBucketOwner: ACCOUNT }))).resolves.toBeDefined();
  });

  it('is parsed by botocore: the header-less write refused, the dual-layer KMS default reported', async () => {
    const credentials = userCredentials(target, 'analyst');
    const refused = await awsCli(target, credentials, ['s3api', 'put-object', '--bucket', RESULTS, '--key', 'x/cli.txt']);
    expect(refused.errorCode).toBe('AccessDenied');
    const encryption = await awsCli(target, credentials, ['s3api', 'get-bucket-encryption', '--bucket', RESULTS]);
    expect(encryption.json.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms:dsse');
  });
});
