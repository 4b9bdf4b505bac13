// How Athena writes a query's results, as the probes of the output location reproduce it: the
// headers it sends with every write, the bucket owner it expects, and when there is nowhere to write.
import { resolveOutput } from '../../preflight/facts.js';
import type { ProbeContext, ProbeDefinition } from '../types.js';

/** Skip rule for every probe of the output location. */
export const needsOutputLocation: NonNullable<ProbeDefinition['skipWhen']> = (context) => {
  if (context.facts.workgroup?.managedResults) return { reason: 'not-applicable', detail: 'the workgroup uses Athena managed query results: there is no S3 output location' };
  if (!resolveOutput(context)) return { reason: 'not-configured', detail: 'no output location in the request or the workgroup' };
  return undefined;
};

/**
 * The headers Athena sends with every result write, from the workgroup's result configuration:
 * SSE_S3 and SSE_KMS (with its key) as x-amz-server-side-encryption, the canned ACL as x-amz-acl,
 * and the expected bucket owner (Athena API reference, ResultConfiguration). CSE_KMS sends no SSE
 * header: Athena encrypts before writing. The connection carries no result settings of its own,
 * so the workgroup's apply whether or not it enforces them (a client that gives none gets the
 * workgroup's). The marker and the multipart upload are written the same way, so that a bucket
 * policy requiring these headers judges our write as it judges Athena's.
 */
export function resultWriteSettings(context: Pick<ProbeContext, 'facts'>): {
  ServerSideEncryption?: 'AES256' | 'aws:kms';
  SSEKMSKeyId?: string;
  ACL?: 'bucket-owner-full-control';
  ExpectedBucketOwner?: string;
} {
  const workgroup = context.facts.workgroup;
  const encryption = workgroup?.encryption;
  return {
    ...(encryption?.option === 'SSE_S3' ? { ServerSideEncryption: 'AES256' as const } : {}),
    ...(encryption?.option === 'SSE_KMS' ? { ServerSideEncryption: 'aws:kms' as const, ...(encryption.kmsKey ? { SSEKMSKeyId: encryption.kmsKey } : {}) } : {}),
    ...(workgroup?.acl === 'BUCKET_OWNER_FULL_CONTROL' ? { ACL: 'bucket-owner-full-control' as const } : {}),
    ...(workgroup?.expectedBucketOwner ? { ExpectedBucketOwner: workgroup.expectedBucketOwner } : {}),
  };
}

/** Athena sends the workgroup's expected bucket owner with every call to the output bucket; so do we. */
export function bucketOwnerCheck(context: Pick<ProbeContext, 'facts'>): { ExpectedBucketOwner?: string } {
  const owner = context.facts.workgroup?.expectedBucketOwner;
  return owner ? { ExpectedBucketOwner: owner } : {};
}
