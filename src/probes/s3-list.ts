import { resolveOutput } from '../preflight/facts.js';
import { bucketOwnerCheck, needsOutputLocation } from './helpers/athena-results.js';
import type { Probe } from './types.js';

export const s3List: Probe = {
  id: 's3-list',
  service: 's3',
  actions: ['s3:ListBucket'],
  informs: ['query-results'],
  resources: { 's3:ListBucket': 'bucket-listing' },
  roles: { 'query-results': { extended: ['s3:ListBucket'] } },
  after: ['athena-workgroup'],
  skipWhen: needsOutputLocation,
  async run(context) {
    const output = resolveOutput(context)!;
    await context.send('s3:ListBucket', 'ListObjectsV2Command', { Bucket: output.bucket, Prefix: output.prefix, MaxKeys: 1, ...bucketOwnerCheck(context) });
  },
};
