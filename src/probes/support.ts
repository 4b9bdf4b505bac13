// Small helpers shared by probes: which output location Athena will really use, and samples.
import { type S3Location, parseS3Uri } from '../preflight/connection.js';
import type { ProbeContext, ProbeDefinition } from './types.js';

/** Athena writes where the workgroup says when it enforces its configuration, else where the client says. */
export function resolveOutput(context: Pick<ProbeContext, 'connection' | 'facts'>): (S3Location & { source: 'request' | 'workgroup' }) | undefined {
  const workgroup = context.facts.workgroup;
  if (workgroup?.enforced && workgroup.outputLocation) return { ...parseS3Uri(workgroup.outputLocation), source: 'workgroup' };
  if (context.connection.outputLocation) return { ...context.connection.outputLocation, source: 'request' };
  if (workgroup?.outputLocation) return { ...parseS3Uri(workgroup.outputLocation), source: 'workgroup' };
  return undefined;
}

/** Skip rule for every probe of the output location. */
export const needsOutputLocation: NonNullable<ProbeDefinition['skipWhen']> = (context) => {
  if (context.facts.workgroup?.managedResults) return { reason: 'not-applicable', detail: 'the workgroup uses Athena managed query results: there is no S3 output location' };
  if (!resolveOutput(context)) return { reason: 'not-configured', detail: 'no output location in the request or the workgroup' };
  return undefined;
};

/** S3's SSE algorithms that encrypt with a KMS key (aws:kms:dsse is dual-layer SSE-KMS). */
export const isKmsAlgorithm = (algorithm: string | undefined): boolean => algorithm?.startsWith('aws:kms') ?? false;

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

/** The bucket's default KMS key, as the marker's answer showed it or the bucket's settings say. */
function bucketDefaultKmsKey(facts: ProbeContext['facts']): string | undefined {
  for (const encryption of [facts.markerEncryption, facts.bucketEncryption]) {
    if (isKmsAlgorithm(encryption?.algorithm) && encryption?.kmsKeyId) return encryption.kmsKeyId;
  }
  return undefined;
}

/**
 * The KMS keys Athena's result writes use, the one Athena itself names first: the workgroup's key
 * for SSE_KMS (sent with the write, so the bucket default is not used); for CSE_KMS the workgroup's
 * key and, since the already-encrypted object is written without SSE headers, the bucket default's
 * too; for SSE_S3 none; without workgroup encryption, the bucket default's. Managed query results
 * use the key of their own configuration.
 */
export function resultsKmsKeys(context: Pick<ProbeContext, 'facts'>): string[] {
  const workgroup = context.facts.workgroup;
  if (workgroup?.managedResults) return workgroup.managedResultsKmsKey ? [workgroup.managedResultsKmsKey] : [];
  const encryption = workgroup?.encryption;
  const bucketKey = bucketDefaultKmsKey(context.facts);
  switch (encryption?.option) {
    case 'SSE_S3':
      return [];
    case 'SSE_KMS':
      return encryption.kmsKey ? [encryption.kmsKey] : [];
    case 'CSE_KMS':
      return [...(encryption.kmsKey ? [encryption.kmsKey] : []), ...(bucketKey ? [bucketKey] : [])];
    default:
      return bucketKey ? [bucketKey] : [];
  }
}

/** The key Athena itself encrypts with directly (CSE_KMS, managed query results): S3 is not in between. */
export function clientSideKmsKey(context: Pick<ProbeContext, 'facts'>): string | undefined {
  const workgroup = context.facts.workgroup;
  if (workgroup?.managedResults) return workgroup.managedResultsKmsKey;
  return workgroup?.encryption?.option === 'CSE_KMS' ? workgroup.encryption.kmsKey : undefined;
}

/** Whether a KMS key reference (id, ARN, alias) names the same key as another, as far as can be told without KMS. */
export function sameKmsKey(a: string, b: string): boolean {
  const bare = (reference: string) => reference.replace(/^arn:aws[\w-]*:kms:[^:]*:\d{12}:/, '').replace(/^key\//, '');
  return bare(a) === bare(b);
}
