import { isKmsAlgorithm, resolveOutput, resultsKmsKeys, sameKmsKey } from '../preflight/facts.js';
import { bucketOwnerCheck, needsOutputLocation } from './helpers/athena-results.js';
import type { Probe } from './types.js';

/** Reads the marker back (or, without a write test, one existing result object). */
export const s3Read: Probe = {
  id: 's3-read',
  service: 's3',
  actions: ['s3:GetObject', 'kms:Decrypt'],
  informs: ['query-results', 'encryption'],
  resources: { 's3:GetObject': 'objects', 'kms:Decrypt': 'key-use' },
  roles: { 'query-results': { core: ['s3:GetObject'] }, encryption: { core: ['kms:Decrypt'] } },
  after: ['s3-put-marker'],
  skipWhen: needsOutputLocation,
  async run(context) {
    const output = resolveOutput(context)!;
    let key = context.facts.markerWritten ? context.facts.markerKey : undefined;
    if (!key) {
      // No marker: read one existing object under the prefix, if listing is allowed and finds one.
      const { ListObjectsV2Command } = await context.sdk('s3');
      const s3 = await context.client('s3');
      const listing = await context.attempt('s3:ListBucket', (abortSignal) =>
        s3.send(new ListObjectsV2Command({ Bucket: output.bucket, Prefix: output.prefix, MaxKeys: 5, ...bucketOwnerCheck(context) }), { abortSignal }),
      );
      key = listing.ok ? listing.value.Contents?.find((object) => (object.Size ?? 0) > 0)?.Key : undefined;
    }
    if (!key) {
      context.skip('no-sample', context.connection.writeTest ? 'the marker could not be written' : 'nothing under the prefix to read, and options.writeTest is false');
    }
    const object = await context.send('s3:GetObject', 'GetObjectCommand', { Bucket: output.bucket, Key: key, Range: 'bytes=0-63', ...bucketOwnerCheck(context) }, { readBody: true });
    // Reading an SSE-KMS object is the proof of kms:Decrypt (S3 decrypts on the caller's behalf), for
    // the key that encrypted it: the marker's, or one of the keys Athena's results use.
    const keyUsed = object.SSEKMSKeyId;
    const resultsKey = context.facts.markerWritten || (keyUsed !== undefined && resultsKmsKeys(context).some((key) => sameKmsKey(key, keyUsed)));
    if (isKmsAlgorithm(object.ServerSideEncryption) && resultsKey) context.granted('kms:Decrypt');
    else context.untested('kms:Decrypt', isKmsAlgorithm(object.ServerSideEncryption) ? 'the object read is encrypted with another key than the results' : 'the object read is not encrypted with SSE-KMS');
    return `read s3://${output.bucket}/${key}`;
  },
};
