import { resolveOutput } from '../preflight/facts.js';
import { bucketOwnerCheck, needsOutputLocation, resultWriteSettings } from './support.js';
import { type Probe, ProbeCallError } from './types.js';

/** Large result sets are written in parts; starting and aborting an upload proves the clean-up right. It needs no marker, so it runs beside the write. */
export const s3Multipart: Probe = {
  id: 's3-multipart',
  service: 's3',
  actions: ['s3:AbortMultipartUpload'],
  informs: ['query-results'],
  after: ['athena-workgroup'],
  skipWhen: (context) => (context.connection.writeTest ? needsOutputLocation(context) : { reason: 'disabled-by-option', detail: 'options.writeTest is false' }),
  async run(context) {
    const output = resolveOutput(context)!;
    const key = `${output.prefix}preflight-multipart-${context.runId}.txt`;
    const upload = await context.send('s3:PutObject', 'CreateMultipartUploadCommand', { Bucket: output.bucket, Key: key, ...resultWriteSettings(context) });
    // Under the cleanup grace: an upload left open keeps its parts (and their cost) until a lifecycle rule ends it.
    await context
      .send('s3:AbortMultipartUpload', 'AbortMultipartUploadCommand', { Bucket: output.bucket, Key: key, UploadId: upload.UploadId, ...bucketOwnerCheck(context) }, { cleanup: true })
      .catch((error: unknown) => {
        context.finding('MULTIPART_UPLOAD_NOT_ABORTED', {
          bucket: output.bucket,
          key,
          uploadId: upload.UploadId,
          errorCode: error instanceof ProbeCallError ? error.classified.code : undefined,
        });
        throw error;
      });
  },
};
