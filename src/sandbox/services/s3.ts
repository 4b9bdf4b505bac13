// S3 over restXml, path-style and virtual-hosted: the calls a preflight and Athena make on a
// results bucket. Bucket policies take part in every decision, with the request's network keys
// (the scenario's network: a public address, or its S3 gateway endpoint, whose policy applies too),
// a bucket in another region redirects, and SSE-KMS makes writes and reads depend on the caller's
// access to the key. Athena's own reads and writes are decided in athena.ts, as Athena's.
import { kmsDecision, resolveKmsKey } from '../governance.js';
import { accessDeniedMessage } from '../../iam/evaluate.js';
import { xmlEscape } from '../protocols.js';
import type { ScenarioBucket } from '../scenario.js';
import { type StoredObject, etagOf } from '../state.js';
import { AwsError, type AuthorizeOptions, type IncomingRequest, type SandboxResponse, type ServiceCall, type ServiceDefinition } from '../types.js';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

interface Target {
  bucket?: string;
  key?: string;
}

/** Bucket and key from a virtual-hosted Host header, else from the path. */
function targetOf(request: IncomingRequest): Target {
  const host = request.host.split(':')[0]!;
  const virtual = /^(.+?)\.s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com$/.exec(host)?.[1] ?? /^(.+)\.localhost$/.exec(host)?.[1];
  const segments = request.rawPath.replace(/^\//, '');
  if (virtual) return { bucket: virtual, key: segments ? decodeKey(segments) : undefined };
  const slash = segments.indexOf('/');
  if (!segments) return {};
  if (slash < 0) return { bucket: decodeKey(segments) };
  const key = segments.slice(slash + 1);
  return { bucket: decodeKey(segments.slice(0, slash)), key: key ? decodeKey(key) : undefined };
}

function decodeKey(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function operationOf(request: IncomingRequest): string | undefined {
  const { bucket, key } = targetOf(request);
  const q = request.query;
  if (!bucket) return request.method === 'GET' ? 'ListBuckets' : undefined;
  if (key === undefined) {
    switch (request.method) {
      case 'HEAD':
        return 'HeadBucket';
      case 'GET':
        if (q.has('location')) return 'GetBucketLocation';
        if (q.has('encryption')) return 'GetBucketEncryption';
        if (q.has('lifecycle')) return 'GetBucketLifecycleConfiguration';
        if (q.has('policy')) return 'GetBucketPolicy';
        if (q.has('uploads')) return 'ListMultipartUploads';
        if (q.get('list-type') === '2') return 'ListObjectsV2';
        return undefined;
      default:
        return undefined;
    }
  }
  switch (request.method) {
    case 'PUT':
      return request.headers['x-amz-copy-source'] || q.has('partNumber') ? undefined : 'PutObject';
    case 'GET':
      return q.has('uploadId') ? undefined : 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'DELETE':
      return q.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
    case 'POST':
      return q.has('uploads') ? 'CreateMultipartUpload' : undefined;
    default:
      return undefined;
  }
}

function xml(call: ServiceCall, body: string, bucket?: ScenarioBucket, status = 200): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': call.requestId, ...(bucket ? { 'x-amz-bucket-region': regionOf(call, bucket) } : {}) },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
  };
}

function empty(call: ServiceCall, status: number, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers: { 'x-amz-request-id': call.requestId, ...headers } };
}

function regionOf(call: ServiceCall, bucket: ScenarioBucket): string {
  return bucket.region ?? call.state.region;
}

function findBucket(call: ServiceCall, name: string): ScenarioBucket {
  const bucket = call.state.scenario.s3.buckets.find((b) => b.name === name);
  if (!bucket) throw new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, { fields: { BucketName: name } });
  return bucket;
}

function ownerOf(call: ServiceCall, bucket: ScenarioBucket): string {
  return bucket.accountId ?? call.state.accountId;
}

function authorize(call: ServiceCall, bucket: ScenarioBucket, action: string, resource: string, context?: AuthorizeOptions['context']): void {
  call.authorize(action, resource, { resourcePolicy: bucket.policy, resourceAccountId: ownerOf(call, bucket), context });
}

/** Headers that set an object's ACL on a write: a canned ACL, or explicit grants. */
const ACL_HEADERS = ['x-amz-acl', 'x-amz-grant-full-control', 'x-amz-grant-read', 'x-amz-grant-read-acp', 'x-amz-grant-write-acp'];

/**
 * A write that sets the object's ACL needs s3:PutObjectAcl as well as s3:PutObject (S3 API
 * Reference, PutObject, Permissions: "s3:PutObjectAcl - To successfully change the objects ACL of
 * your PutObject request, you must have the s3:PutObjectAcl"); the refusal names s3:PutObjectAcl.
 */
function authorizeWrite(call: ServiceCall, bucket: ScenarioBucket, key: string): void {
  const resource = `arn:aws:s3:::${bucket.name}/${key}`;
  const context = writeConditions(call.request);
  authorize(call, bucket, 's3:PutObject', resource, context);
  if (ACL_HEADERS.some((header) => call.request.headers[header] !== undefined)) {
    // s3:PutObjectAcl knows the ACL's condition keys, not the encryption ones (Service Authorization Reference, Amazon S3).
    authorize(call, bucket, 's3:PutObjectAcl', resource, context['s3:x-amz-acl'] ? { 's3:x-amz-acl': context['s3:x-amz-acl'] } : {});
  }
}

/** S3 asks KMS on the caller's behalf; a refusal comes back as S3's 403 naming the KMS action and key. */
function requireKey(call: ServiceCall, action: 'kms:GenerateDataKey' | 'kms:Decrypt', keyReference: string): string {
  const resolved = resolveKmsKey(call.state, keyReference);
  if (!resolved) throw new AwsError('KMS.NotFoundException', `Invalid keyId ${keyReference}`, 400);
  if (resolved.key.state === 'Disabled') throw new AwsError('KMS.DisabledException', `${resolved.arn} is disabled.`, 400);
  if (resolved.key.state === 'PendingDeletion') throw new AwsError('KMS.KMSInvalidStateException', `${resolved.arn} is pending deletion.`, 400);
  const { decision } = kmsDecision(call.state, call.caller, action, keyReference, { service: 's3' });
  if (!decision.allowed) throw new AwsError('AccessDenied', accessDeniedMessage(call.caller.arn, action, resolved.arn, decision.denial), 403);
  return resolved.arn;
}

/** Payloads sent with aws-chunked encoding (streaming signatures, trailing checksums) decoded to their bytes. */
function payloadOf(request: IncomingRequest): Buffer {
  const encoding = `${request.headers['content-encoding'] ?? ''}`;
  const sha = `${request.headers['x-amz-content-sha256'] ?? ''}`;
  if (!encoding.includes('aws-chunked') && !sha.startsWith('STREAMING-')) return request.body;
  const chunks: Buffer[] = [];
  let offset = 0;
  const body = request.body;
  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(body.subarray(offset, lineEnd).toString('latin1').split(';')[0]!, 16);
    if (!Number.isFinite(size)) throw new AwsError('IncompleteBody', 'The request body is not valid aws-chunked data.', 400);
    if (size === 0) break;
    chunks.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(chunks);
}

function objectHeaders(object: StoredObject): Record<string, string> {
  return {
    etag: object.etag,
    'last-modified': object.lastModified.toUTCString(),
    'content-type': object.contentType ?? 'binary/octet-stream',
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': object.sse?.algorithm ?? 'AES256',
    ...(object.sse?.kmsKeyArn ? { 'x-amz-server-side-encryption-aws-kms-key-id': object.sse.kmsKeyArn } : {}),
  };
}

function bucketEncryption(bucket: ScenarioBucket) {
  // Since 2023 every bucket encrypts by default with SSE-S3.
  return bucket.encryption ?? { algorithm: 'AES256' as const };
}

function objects(call: ServiceCall, bucket: ScenarioBucket): Map<string, StoredObject> {
  let map = call.state.objects.get(bucket.name);
  if (!map) {
    map = new Map();
    call.state.objects.set(bucket.name, map);
  }
  return map;
}

type Handler = (call: ServiceCall, bucket: ScenarioBucket, key: string) => SandboxResponse;

const handlers: Record<string, Handler> = {
  HeadBucket(call, bucket) {
    try {
      authorize(call, bucket, 's3:ListBucket', `arn:aws:s3:::${bucket.name}`);
    } catch (error) {
      // S3 names the bucket's region even when it refuses HeadBucket (the header clients use to find
      // a bucket's region; HeadBucket API reference, x-amz-bucket-region). A HEAD answer has no body.
      if (error instanceof AwsError) throw new AwsError(error.code, error.message, error.status, { ...error.options, headers: { ...error.options.headers, 'x-amz-bucket-region': regionOf(call, bucket) } });
      throw error;
    }
    return empty(call, 200, { 'x-amz-bucket-region': regionOf(call, bucket) });
  },

  GetBucketLocation(call, bucket) {
    authorize(call, bucket, 's3:GetBucketLocation', `arn:aws:s3:::${bucket.name}`);
    const region = regionOf(call, bucket);
    return xml(call, `<LocationConstraint xmlns="${XMLNS}">${region === 'us-east-1' ? '' : region}</LocationConstraint>`, bucket);
  },

  GetBucketEncryption(call, bucket) {
    authorize(call, bucket, 's3:GetEncryptionConfiguration', `arn:aws:s3:::${bucket.name}`);
    const encryption = bucketEncryption(bucket);
    const keyArn = encryption.algorithm === 'aws:kms' && encryption.kmsKeyId ? (resolveKmsKey(call.state, encryption.kmsKeyId)?.arn ?? encryption.kmsKeyId) : undefined;
    return xml(
      call,
      `<ServerSideEncryptionConfiguration xmlns="${XMLNS}"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>${encryption.algorithm}</SSEAlgorithm>${keyArn ? `<KMSMasterKeyID>${xmlEscape(keyArn)}</KMSMasterKeyID>` : ''}</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>${'bucketKeyEnabled' in encryption && encryption.bucketKeyEnabled ? 'true' : 'false'}</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`,
      bucket,
    );
  },

  /**
   * S3 API Reference, GetBucketPolicy, Permissions: "If you don't have GetBucketPolicy permissions,
   * Amazon S3 returns a 403 Access Denied error. If you have the correct permissions, but you're not
   * using an identity that belongs to the bucket owner's account, Amazon S3 returns a 405 Method Not
   * Allowed error." A bucket without a policy answers NoSuchBucketPolicy (404, "The bucket policy does
   * not exist", as the CLI prints it); one with a policy answers the policy's JSON as the body.
   */
  GetBucketPolicy(call, bucket) {
    authorize(call, bucket, 's3:GetBucketPolicy', `arn:aws:s3:::${bucket.name}`);
    if (call.caller.accountId !== ownerOf(call, bucket)) {
      throw new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { fields: { Method: 'GET', ResourceType: 'BUCKETPOLICY' } });
    }
    if (!bucket.policy) throw new AwsError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, { fields: { BucketName: bucket.name } });
    return { status: 200, headers: { 'content-type': 'application/json', 'x-amz-request-id': call.requestId }, body: JSON.stringify(bucket.policy) };
  },

  GetBucketLifecycleConfiguration(call, bucket) {
    authorize(call, bucket, 's3:GetLifecycleConfiguration', `arn:aws:s3:::${bucket.name}`);
    if (!bucket.lifecycleRules?.length) {
      throw new AwsError('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', 404, { fields: { BucketName: bucket.name } });
    }
    const rules = bucket.lifecycleRules
      .map((rule) => `<Rule><ID>${xmlEscape(rule.id)}</ID><Filter><Prefix>${xmlEscape(rule.prefix)}</Prefix></Filter><Status>${rule.status}</Status>${rule.expirationDays ? `<Expiration><Days>${rule.expirationDays}</Days></Expiration>` : ''}</Rule>`)
      .join('');
    return xml(call, `<LifecycleConfiguration xmlns="${XMLNS}">${rules}</LifecycleConfiguration>`, bucket);
  },

  ListObjectsV2(call, bucket) {
    const q = call.request.query;
    const prefix = q.get('prefix') ?? '';
    authorize(call, bucket, 's3:ListBucket', `arn:aws:s3:::${bucket.name}`, { 's3:prefix': prefix });
    const delimiter = q.get('delimiter') ?? '';
    const maxKeys = q.has('max-keys') ? Number(q.get('max-keys')) : 1000;
    if (!Number.isInteger(maxKeys) || maxKeys < 0) throw new AwsError('InvalidArgument', 'Provided max-keys not an integer or within integer range', 400);
    const token = q.get('continuation-token');
    let after = q.get('start-after') ?? '';
    if (token) {
      const decoded = Buffer.from(token, 'base64url').toString('utf8');
      if (!decoded.startsWith('after:')) throw new AwsError('InvalidArgument', 'The continuation token provided is incorrect', 400);
      after = decoded.slice('after:'.length);
    }
    const entries: Array<{ key: string; object?: StoredObject }> = [];
    const prefixes = new Set<string>();
    for (const key of [...objects(call, bucket).keys()].sort()) {
      if (!key.startsWith(prefix) || key <= after) continue;
      const rest = key.slice(prefix.length);
      const cut = delimiter ? rest.indexOf(delimiter) : -1;
      if (cut >= 0) {
        const common = prefix + rest.slice(0, cut + delimiter.length);
        if (!prefixes.has(common)) {
          prefixes.add(common);
          entries.push({ key: common });
        }
      } else {
        entries.push({ key, object: objects(call, bucket).get(key) });
      }
    }
    const page = entries.slice(0, maxKeys);
    const truncated = entries.length > maxKeys;
    const last = page.at(-1)?.key;
    const contents = page
      .filter((e) => e.object)
      .map((e) => `<Contents><Key>${xmlEscape(e.key)}</Key><LastModified>${e.object!.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(e.object!.etag)}</ETag><Size>${e.object!.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`)
      .join('');
    const common = page.filter((e) => !e.object).map((e) => `<CommonPrefixes><Prefix>${xmlEscape(e.key)}</Prefix></CommonPrefixes>`).join('');
    return xml(
      call,
      `<ListBucketResult xmlns="${XMLNS}"><Name>${xmlEscape(bucket.name)}</Name><Prefix>${xmlEscape(prefix)}</Prefix>${delimiter ? `<Delimiter>${xmlEscape(delimiter)}</Delimiter>` : ''}<KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${token ? `<ContinuationToken>${xmlEscape(token)}</ContinuationToken>` : ''}${truncated && last ? `<NextContinuationToken>${Buffer.from(`after:${last}`).toString('base64url')}</NextContinuationToken>` : ''}${contents}${common}</ListBucketResult>`,
      bucket,
    );
  },

  ListMultipartUploads(call, bucket) {
    authorize(call, bucket, 's3:ListBucketMultipartUploads', `arn:aws:s3:::${bucket.name}`);
    const uploads = [...call.state.multipartUploads.entries()]
      // The prefix parameter (S3 API Reference, ListMultipartUploads) narrows to keys that begin with it.
      .filter(([, upload]) => upload.bucket === bucket.name && upload.key.startsWith(call.request.query.get('prefix') ?? ''))
      .map(([id, upload]) => `<Upload><Key>${xmlEscape(upload.key)}</Key><UploadId>${id}</UploadId><StorageClass>STANDARD</StorageClass></Upload>`)
      .join('');
    return xml(call, `<ListMultipartUploadsResult xmlns="${XMLNS}"><Bucket>${xmlEscape(bucket.name)}</Bucket><IsTruncated>false</IsTruncated>${uploads}</ListMultipartUploadsResult>`, bucket);
  },

  PutObject(call, bucket, key) {
    authorizeWrite(call, bucket, key);
    const store = objects(call, bucket);
    const sse = encryptionForWrite(call, bucket);
    if (call.request.headers['if-none-match'] === '*' && store.has(key)) {
      throw new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { fields: { Condition: 'If-None-Match' } });
    }
    const body = payloadOf(call.request);
    const object: StoredObject = {
      body,
      etag: etagOf(body),
      lastModified: new Date(call.state.now()),
      contentType: typeof call.request.headers['content-type'] === 'string' ? call.request.headers['content-type'] : undefined,
      sse,
    };
    store.set(key, object);
    return empty(call, 200, { etag: object.etag, 'x-amz-server-side-encryption': sse.algorithm, ...(sse.kmsKeyArn ? { 'x-amz-server-side-encryption-aws-kms-key-id': sse.kmsKeyArn } : {}) });
  },

  CreateMultipartUpload(call, bucket, key) {
    authorizeWrite(call, bucket, key);
    encryptionForWrite(call, bucket);
    const uploadId = Buffer.from(call.state.nextId()).toString('base64url');
    call.state.multipartUploads.set(uploadId, { bucket: bucket.name, key });
    return xml(call, `<InitiateMultipartUploadResult xmlns="${XMLNS}"><Bucket>${xmlEscape(bucket.name)}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`, bucket);
  },

  AbortMultipartUpload(call, bucket, key) {
    authorize(call, bucket, 's3:AbortMultipartUpload', `arn:aws:s3:::${bucket.name}/${key}`);
    const uploadId = call.request.query.get('uploadId') ?? '';
    const upload = call.state.multipartUploads.get(uploadId);
    if (!upload || upload.bucket !== bucket.name || upload.key !== key) {
      throw new AwsError('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', 404, { fields: { UploadId: uploadId } });
    }
    call.state.multipartUploads.delete(uploadId);
    return empty(call, 204);
  },

  GetObject(call, bucket, key) {
    const object = readable(call, bucket, key);
    const range = /^bytes=(\d+)-(\d*)$/.exec(`${call.request.headers.range ?? ''}`);
    if (range) {
      const start = Number(range[1]);
      const end = Math.min(range[2] ? Number(range[2]) : object.body.length - 1, object.body.length - 1);
      if (start >= object.body.length && object.body.length > 0) {
        throw new AwsError('InvalidRange', 'The requested range is not satisfiable', 416, { fields: { RangeRequested: `${call.request.headers.range}` } });
      }
      const slice = object.body.subarray(start, end + 1);
      return { status: 206, headers: { 'x-amz-request-id': call.requestId, ...objectHeaders(object), 'content-range': `bytes ${start}-${end}/${object.body.length}` }, body: slice };
    }
    return { status: 200, headers: { 'x-amz-request-id': call.requestId, ...objectHeaders(object) }, body: object.body };
  },

  HeadObject(call, bucket, key) {
    const object = readable(call, bucket, key);
    return { status: 200, headers: { 'x-amz-request-id': call.requestId, ...objectHeaders(object), 'content-length': String(object.body.length) } };
  },

  DeleteObject(call, bucket, key) {
    authorize(call, bucket, 's3:DeleteObject', `arn:aws:s3:::${bucket.name}/${key}`);
    objects(call, bucket).delete(key);
    return empty(call, 204);
  },
};

/**
 * The request values that bucket policies test on writes. A key is present only when its header
 * was sent: default encryption does not fill it in, so a policy that requires the header refuses a
 * write without it even on a bucket that encrypts by default ("Amazon S3 evaluates and applies
 * bucket policies before applying bucket encryption settings", S3 User Guide, default encryption).
 */
function writeConditions(request: IncomingRequest): Record<string, string> {
  const context: Record<string, string> = {};
  for (const header of ['x-amz-server-side-encryption', 'x-amz-server-side-encryption-aws-kms-key-id', 'x-amz-acl']) {
    const value = request.headers[header];
    if (typeof value === 'string') context[`s3:${header}`] = value;
  }
  return context;
}

const SSE_ALGORITHMS = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);

/**
 * The encryption a new object gets: the request's SSE headers, else the bucket default. Without a
 * key id, aws:kms means the AWS managed key aws/s3 (PutObject API reference), not the bucket's key.
 */
function encryptionForWrite(call: ServiceCall, bucket: ScenarioBucket): NonNullable<StoredObject['sse']> {
  const header = call.request.headers['x-amz-server-side-encryption'];
  const requestedKey = call.request.headers['x-amz-server-side-encryption-aws-kms-key-id'];
  const defaults = bucketEncryption(bucket);
  if (typeof header === 'string' && !SSE_ALGORITHMS.has(header)) {
    throw new AwsError('InvalidArgument', 'The encryption method specified is not supported', 400, { fields: { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: header } });
  }
  const algorithm = (typeof header === 'string' ? header : defaults.algorithm) as NonNullable<StoredObject['sse']>['algorithm'];
  if (algorithm === 'AES256') return { algorithm };
  const keyReference = typeof requestedKey === 'string' ? requestedKey : typeof header === 'string' ? undefined : 'kmsKeyId' in defaults ? defaults.kmsKeyId : undefined;
  // The AWS managed key aws/s3 is usable by any principal of the account: nothing to check.
  if (!keyReference) return { algorithm };
  return { algorithm, kmsKeyArn: requireKey(call, 'kms:GenerateDataKey', keyReference) };
}

function readable(call: ServiceCall, bucket: ScenarioBucket, key: string): StoredObject {
  const arn = `arn:aws:s3:::${bucket.name}/${key}`;
  const object = objects(call, bucket).get(key);
  if (!object) {
    // Without s3:ListBucket a missing key is reported as AccessDenied, so that keys cannot be probed.
    const canList = call.isAuthorized('s3:ListBucket', `arn:aws:s3:::${bucket.name}`, { resourcePolicy: bucket.policy, resourceAccountId: ownerOf(call, bucket) });
    authorize(call, bucket, 's3:GetObject', arn);
    if (!canList) throw new AwsError('AccessDenied', 'Access Denied', 403);
    throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { fields: { Key: key } });
  }
  authorize(call, bucket, 's3:GetObject', arn);
  if (object.sse?.kmsKeyArn) {
    try {
      requireKey(call, 'kms:Decrypt', object.sse.kmsKeyArn);
    } catch (error) {
      // A refused decrypt reaches the reader in KMS's words for a ciphertext it will not open, which
      // name neither the action nor the key (as public reports of S3 GetObject on SSE-KMS objects show).
      if (error instanceof AwsError && error.code === 'AccessDenied') {
        throw new AwsError('AccessDenied', 'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.', 403);
      }
      throw error;
    }
  }
  return object;
}

export const s3: ServiceDefinition = {
  signingName: 's3',
  protocol: 'rest-xml',
  accessDenied: { code: 'AccessDenied', status: 403 },
  throttling: { code: 'SlowDown', status: 503, message: 'Please reduce your request rate.' },
  serverError: { code: 'InternalError', status: 500, message: 'We encountered an internal error. Please try again.' },
  resolveOperation: operationOf,
  // S3 quotes the resource in its access-denied text.
  denialMessage: (_call, _action, resource, standard) => standard.replace(`on resource: ${resource}`, `on resource: "${resource}"`),
  handle(call) {
    const { bucket: name, key } = targetOf(call.request);
    if (call.operation === 'ListBuckets') throw new AwsError('NotImplemented', 'ListBuckets is not simulated', 501);
    const bucket = findBucket(call, name!);
    // A bucket answers only in its own region; GetBucketLocation is how clients find that region.
    if (call.operation !== 'GetBucketLocation' && regionOf(call, bucket) !== call.region) {
      throw new AwsError('PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.', 301, {
        headers: { 'x-amz-bucket-region': regionOf(call, bucket) },
        fields: { Bucket: bucket.name, Endpoint: `${bucket.name}.s3.${regionOf(call, bucket)}.amazonaws.com` },
      });
    }
    // "If the bucket owner doesn't match, the request fails with HTTP 403 Forbidden (access denied)"
    // (S3 User Guide, Verifying bucket ownership with bucket owner condition).
    const expectedOwner = call.request.headers['x-amz-expected-bucket-owner'];
    if (typeof expectedOwner === 'string' && expectedOwner !== ownerOf(call, bucket)) throw new AwsError('AccessDenied', 'Access Denied', 403);
    return handlers[call.operation]!(call, bucket, key ?? '');
  },
};
