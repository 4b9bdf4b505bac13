import { resolveOutput } from '../preflight/facts.js';
import { isAnswer } from '../preflight/classify.js';
import { bucketOwnerCheck, needsOutputLocation, resultWriteSettings } from './helpers/athena-results.js';
import { type Probe, type ProbeContext, ProbeCallError } from './types.js';

/**
 * Large result sets are written in parts; starting and aborting an upload proves the clean-up right.
 * It needs no marker, so it runs beside the write. Nothing is left open: the start is a write of
 * ours (let finish after the run stops, so its upload id is known), and a start S3 never answered
 * is looked for under its own key and aborted.
 */
export const s3Multipart: Probe = {
  id: 's3-multipart',
  service: 's3',
  // It lists uploads (s3:ListBucketMultipartUploads) only to find a start S3 never answered: not a test of it.
  actions: ['s3:AbortMultipartUpload'],
  informs: ['query-results'],
  resources: {
    's3:PutObject': 'objects', // CreateMultipartUpload is authorised as s3:PutObject
    's3:AbortMultipartUpload': 'objects',
    's3:ListMultipartUploadParts': 'objects',
    's3:ListBucketMultipartUploads': 'bucket',
  },
  // Listing an upload's parts, and the bucket's uploads (listed only to find a start S3 never answered), are never proved: asked for, reported untested.
  roles: { 'query-results': { extended: ['s3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:ListBucketMultipartUploads'] } },
  after: ['athena-workgroup'],
  skipWhen: (context) => (context.connection.writeTest ? needsOutputLocation(context) : { reason: 'disabled-by-option', detail: 'options.writeTest is false' }),
  async run(context) {
    const output = resolveOutput(context)!;
    const key = `${output.prefix}preflight-multipart-${context.runId}.txt`;
    const left = (uploadId: string | undefined, error: unknown) =>
      context.finding('MULTIPART_UPLOAD_NOT_ABORTED', { bucket: output.bucket, key, uploadId, errorCode: error instanceof ProbeCallError ? error.classified.code : undefined });
    const upload = await context.send('s3:PutObject', 'CreateMultipartUploadCommand', { Bucket: output.bucket, Key: key, ...resultWriteSettings(context) }, { write: true }).catch(async (error: unknown) => {
      // Refused: nothing was started. Not answered: S3 may have started it.
      if (error instanceof ProbeCallError && !isAnswer(error.classified.category)) await abortUnanswered(context, output.bucket, key).catch((cleanup: unknown) => left(undefined, cleanup));
      throw error;
    });
    // Under the cleanup grace: an upload left open keeps its parts (and their cost) until a lifecycle rule ends it.
    await abortUpload(context, output.bucket, key, upload.UploadId!).catch((error: unknown) => {
      left(upload.UploadId, error);
      throw error;
    });
  },
};

function abortUpload(context: ProbeContext, bucket: string, key: string, uploadId: string) {
  return context.send('s3:AbortMultipartUpload', 'AbortMultipartUploadCommand', { Bucket: bucket, Key: key, UploadId: uploadId, ...bucketOwnerCheck(context) }, { cleanup: true });
}

/** The uploads under our own key (there is at most the one we may have started), each aborted. */
async function abortUnanswered(context: ProbeContext, bucket: string, key: string): Promise<void> {
  const listed = await context.send('s3:ListBucketMultipartUploads', 'ListMultipartUploadsCommand', { Bucket: bucket, Prefix: key, ...bucketOwnerCheck(context) }, { cleanup: true });
  for (const upload of listed.Uploads ?? []) if (upload.Key === key && upload.UploadId) await abortUpload(context, bucket, key, upload.UploadId);
}
