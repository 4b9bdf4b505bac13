import { resolveOutput } from '../preflight/facts.js';
import { bucketOwnerCheck } from './helpers/athena-results.js';
import { type Probe, ProbeCallError } from './types.js';

/**
 * Removes the marker; one left behind is a finding with its key, so nobody has to hunt for it. It
 * runs on every path on which the marker may exist, the write's timeout or a stopped run included
 * (S3 may have applied a write whose answer we never saw).
 */
export const s3DeleteMarker: Probe = {
  id: 's3-delete-marker',
  service: 's3',
  actions: ['s3:DeleteObject'],
  informs: [],
  resources: { 's3:DeleteObject': 'objects' },
  roles: { 'query-results': { checkedWith: ['s3:DeleteObject'] } },
  after: ['s3-put-marker', 's3-read'],
  cleanup: true,
  skipWhen: (context) => (context.facts.markerKey ? undefined : { reason: 'not-applicable', detail: 'no marker was written' }),
  async run(context) {
    const output = resolveOutput(context)!;
    const key = context.facts.markerKey!;
    try {
      await context.send('s3:DeleteObject', 'DeleteObjectCommand', { Bucket: output.bucket, Key: key, ...bucketOwnerCheck(context) });
    } catch (error) {
      context.finding('MARKER_NOT_DELETED', { bucket: output.bucket, key, errorCode: error instanceof ProbeCallError ? error.classified.code : undefined });
      throw error;
    }
    // A write S3 never answered (the run ended first, past its settle time) may yet be applied: the
    // delete proves nothing about what comes after it, and the report says so with the command.
    if (context.facts.markerAnswered === false) {
      context.finding('MARKER_NOT_DELETED', { bucket: output.bucket, key, unanswered: true });
      return `deleted s3://${output.bucket}/${key}, but its write was never answered: S3 may still apply it`;
    }
    return `deleted s3://${output.bucket}/${key}`;
  },
};
