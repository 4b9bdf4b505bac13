// Athena's own requests to S3 (writing results, reading a table's data), judged against the
// bucket's policy where the preflight cannot take that path itself (preflight/athena-path.ts judges).
import { ATHENA_REQUEST_DENIED, type AthenaPathKind, athenaDeniedMessage } from '../../catalogue/athena-path.js';
import { iamPrincipalOf, partitionOf } from '../../catalogue/resources.js';
import { type PathRequest, type PolicyDocument, athenaFix, judgeBucketPolicy } from '../../preflight/athena-path.js';
import { type ProbeContext, ProbeCallError } from '../types.js';
import { bucketOwnerCheck, resultWriteSettings } from './athena-results.js';

/** The first part of an ARN in the region's partition (aws, aws-cn, aws-us-gov). */

/**
 * What Athena asks S3 for when it writes a query's results and the product reads them (Athena User
 * Guide, "Control access to Amazon S3 from Athena"; S3's condition keys from the Service
 * Authorization Reference): with the headers the workgroup makes it send, as our marker sends them.
 */
export function resultsPathRequests(context: Pick<ProbeContext, 'connection' | 'facts'>, output: { bucket: string; prefix: string }): PathRequest[] {
  const settings = resultWriteSettings(context);
  const bucket = `arn:${partitionOf(context.connection.region)}:s3:::${output.bucket}`;
  const object = `${bucket}/${output.prefix}00000000-0000-0000-0000-000000000000.csv`;
  const writeHeaders = {
    ...(settings.ACL ? { 's3:x-amz-acl': settings.ACL } : {}),
    ...(settings.ServerSideEncryption ? { 's3:x-amz-server-side-encryption': settings.ServerSideEncryption } : {}),
    ...(settings.SSEKMSKeyId ? { 's3:x-amz-server-side-encryption-aws-kms-key-id': settings.SSEKMSKeyId } : {}),
  };
  return [
    { action: 's3:PutObject', resource: object, context: writeHeaders },
    ...(settings.ACL ? [{ action: 's3:PutObjectAcl' as const, resource: object, context: { 's3:x-amz-acl': settings.ACL } }] : []),
    { action: 's3:GetObject', resource: object },
    { action: 's3:ListBucket', resource: bucket, context: { 's3:prefix': output.prefix } },
    { action: 's3:GetBucketLocation', resource: bucket },
    { action: 's3:AbortMultipartUpload', resource: object },
    { action: 's3:ListMultipartUploadParts', resource: object },
  ];
}

/** What Athena asks S3 for when a query reads a table's data: the listing of its location and its objects. */
export function dataPathRequests(context: Pick<ProbeContext, 'connection'>, data: { bucket: string; prefix: string }): PathRequest[] {
  const bucket = `arn:${partitionOf(context.connection.region)}:s3:::${data.bucket}`;
  return [
    { action: 's3:ListBucket', resource: bucket, context: { 's3:prefix': data.prefix } },
    { action: 's3:GetObject', resource: `${bucket}/${data.prefix}part-00000.parquet` },
  ];
}

/**
 * Reads a bucket's policy and judges Athena's own requests against it (preflight/athena-path.ts):
 * each one the policy refuses is recorded as refused, with the statement to merge; a policy that
 * cannot be read leaves Athena's path unproven, said in a finding. Ends failed on the first refusal.
 */
export async function judgeAthenaPath(context: ProbeContext, kind: AthenaPathKind, bucket: string, requests: readonly PathRequest[]): Promise<string> {
  const paths = (context.facts.athenaPaths ??= {});
  const what = kind === 'results' ? 'query results' : 'table data';
  let text: string | undefined;
  try {
    const answer = await context.send('s3:GetBucketPolicy', 'GetBucketPolicyCommand', { Bucket: bucket, ...bucketOwnerCheck(context) }, { acceptCodes: ['NoSuchBucketPolicy'] });
    text = answer?.Policy;
  } catch (error) {
    if (error instanceof ProbeCallError) {
      // S3 answers 405 to a caller outside the bucket owner's account (S3 API Reference, GetBucketPolicy).
      const why = error.classified.httpStatus === 405 ? 'S3 lets only the bucket owner\'s account read its policy (405)' : `s3:GetBucketPolicy was refused (${error.classified.code})`;
      paths[kind] = { bucket, unproven: { code: error.classified.code, why } };
      context.finding('ATHENA_PATH_UNPROVEN', { bucket, what, why });
    }
    throw error;
  }
  if (!text) {
    paths[kind] = { bucket };
    return `${bucket} has no bucket policy: Athena's requests meet the same rules as ours`;
  }
  const identity = context.facts.identity!;
  const principal = { arn: identity.arn, accountId: identity.accountId, ...(identity.arn.includes(':assumed-role/') ? { roleArn: iamPrincipalOf(identity.arn) } : {}) };
  const owner = context.facts.workgroup?.expectedBucketOwner ?? identity.accountId;
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    policy = undefined;
  }
  const judgements = judgeBucketPolicy(policy, principal, owner, requests);
  const denied = judgements.filter((j) => j.outcome === 'denied');
  const undecided = judgements.find((j) => j.outcome === 'undecided');
  if (!denied.length) {
    paths[kind] = { bucket, ...(undecided ? { unproven: { code: 'Undecided', why: undecided.why } } : {}) };
    if (undecided) context.finding('ATHENA_PATH_UNPROVEN', { bucket, what, why: undecided.why });
    return `the bucket policy of ${bucket} admits Athena's own requests${undecided ? `, as far as it can be read (${undecided.why})` : ''}`;
  }
  const fix = athenaFix(policy as PolicyDocument, judgements, principal, owner, requests);
  paths[kind] = { bucket, ...(fix ? { fix } : {}) };
  const errors = denied.map((judgement) => ({
    action: judgement.action,
    error: {
      code: ATHENA_REQUEST_DENIED,
      category: 'permission' as const,
      message: athenaDeniedMessage({ action: judgement.action, bucket, kind, explicit: judgement.explicit, statements: judgement.statements }),
      deniedBy: { policyType: 'resource' as const, explicit: judgement.explicit },
    },
  }));
  for (const { action, error } of errors.slice(1)) context.refused(action, error);
  return context.fail(errors[0]!.action, errors[0]!.error);
}
