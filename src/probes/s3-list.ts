import { bucketOwnerCheck, needsOutputLocation, resolveOutput } from './support.js';
import type { ProbeDefinition } from './types.js';

export const s3List: ProbeDefinition = {
  id: 's3-list',
  service: 's3',
  actions: ['s3:ListBucket'],
  informs: ['query-results'],
  dependsOn: ['athena-workgroup'],
  skipUnless: needsOutputLocation,
  async run(context) {
    const { ListObjectsV2Command } = await context.sdk('s3');
    const s3 = await context.client('s3');
    const output = resolveOutput(context)!;
    await context.call('s3:ListBucket', (abortSignal) =>
      s3.send(new ListObjectsV2Command({ Bucket: output.bucket, Prefix: output.prefix, MaxKeys: 1, ...bucketOwnerCheck(context) }), { abortSignal }),
    );
  },
};
