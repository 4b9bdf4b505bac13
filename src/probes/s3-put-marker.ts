import { isKmsAlgorithm, resolveOutput } from '../preflight/facts.js';
import { needsOutputLocation, resultWriteSettings } from './helpers/athena-results.js';
import { isAnswer } from '../preflight/classify.js';
import { type Probe, ProbeCallError } from './types.js';

/**
 * Writes one small marker under the output prefix, never overwriting (If-None-Match: *). With
 * SSE-KMS default encryption the write is also the proof of kms:GenerateDataKey: S3 asks KMS on
 * the caller's behalf and relays its denial. The answer says how S3 encrypted the object, so the
 * write needs no earlier look at the bucket's settings and starts as soon as the output is known.
 */
export const s3PutMarker: Probe = {
  id: 's3-put-marker',
  service: 's3',
  actions: ['s3:PutObject', 's3:PutObjectAcl', 'kms:GenerateDataKey'],
  informs: ['query-results', 'encryption'],
  resources: { 's3:PutObject': 'objects', 's3:PutObjectAcl': 'objects', 'kms:GenerateDataKey': 'key-use' },
  roles: { 'query-results': { core: ['s3:PutObject'], aclWriteCore: ['s3:PutObjectAcl'] }, encryption: { core: ['kms:GenerateDataKey'] } },
  after: ['athena-workgroup'],
  skipWhen: (context) => {
    if (!context.connection.writeTest) return { reason: 'disabled-by-option', detail: 'options.writeTest is false' };
    return needsOutputLocation(context);
  },
  async run(context) {
    const output = resolveOutput(context)!;
    const key = `${output.prefix}preflight-marker-${context.runId}.txt`;
    // Set before the call: a write that times out may still have been applied, and is cleaned up.
    context.facts.markerKey = key;
    const written = await context
      .send('s3:PutObject', 'PutObjectCommand', {
        Bucket: output.bucket,
        Key: key,
        Body: `Written by a connection preflight check (run ${context.runId}); safe to delete.\n`,
        ContentType: 'text/plain',
        IfNoneMatch: '*',
        // As Athena writes results: its encryption, ACL and expected owner headers.
        ...resultWriteSettings(context),
      }, { write: true })
      .catch((error: unknown) => {
        // A refusal (S3's or KMS's), or a failure before the call was made, wrote nothing: there is nothing to clean up.
        if (!(error instanceof ProbeCallError) || isAnswer(error.classified.category)) delete context.facts.markerKey;
        else context.facts.markerAnswered = false;
        if (error instanceof ProbeCallError && isAnswer(error.classified.category)) context.facts.markerRefused = true;
        throw error;
      });
    context.facts.markerWritten = true;
    context.facts.markerAnswered = true;
    if (resultWriteSettings(context).ACL) context.granted('s3:PutObjectAcl');
    else context.untested('s3:PutObjectAcl', 'the workgroup sends no ACL with its result writes');
    if (isKmsAlgorithm(written.ServerSideEncryption)) {
      context.facts.markerEncryption = { algorithm: written.ServerSideEncryption!, kmsKeyId: written.SSEKMSKeyId };
      context.granted('kms:GenerateDataKey');
    } else {
      context.untested('kms:GenerateDataKey', 'the output location is not encrypted with SSE-KMS');
    }
    return `wrote s3://${output.bucket}/${key}`;
  },
};
