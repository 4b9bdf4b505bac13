import { resolveOutput } from '../preflight/facts.js';
import { bucketOwnerCheck, needsOutputLocation } from './helpers/athena-results.js';
import { type Probe, type ProbeContext, isCategory } from './types.js';

/** Where the output bucket lives: Athena cannot write results to a bucket in another region. */
export const s3BucketLocation: Probe = {
  id: 's3-bucket-location',
  service: 's3',
  actions: ['s3:GetBucketLocation'],
  informs: ['query-results'],
  resources: { 's3:GetBucketLocation': 'bucket' },
  roles: { 'query-results': { extended: ['s3:GetBucketLocation'] } },
  after: ['athena-workgroup'],
  skipWhen: needsOutputLocation,
  async run(context) {
    const output = resolveOutput(context)!;
    context.facts.output = output;
    let answer;
    try {
      answer = await context.send('s3:GetBucketLocation', 'GetBucketLocationCommand', { Bucket: output.bucket, ...bucketOwnerCheck(context) });
    } catch (error) {
      if (isCategory(error, 'not-found')) {
        context.finding('BUCKET_NOT_FOUND', { bucket: output.bucket });
      }
      // Policies often leave GetBucketLocation out: HeadBucket still names the region, in its
      // answer or in its refusal, so a bucket in another region is found all the same.
      if (isCategory(error, 'permission')) {
        const region = await regionFromHead(context, output.bucket);
        if (region) checkRegion(context, output.bucket, region);
      }
      throw error;
    }
    // An empty LocationConstraint is us-east-1 (and "EU" an old alias of eu-west-1).
    const constraint = answer.LocationConstraint as string | undefined;
    const region = !constraint ? 'us-east-1' : constraint === 'EU' ? 'eu-west-1' : constraint;
    checkRegion(context, output.bucket, region);
    return `${output.uri} in ${region}`;
  },
};

/** HeadBucket's x-amz-bucket-region, which S3 sends with a 200 and with a 403 alike (HeadBucket API reference). */
async function regionFromHead(context: ProbeContext, bucket: string): Promise<string | undefined> {
  const { HeadBucketCommand } = await context.sdk('s3');
  const s3 = await context.client('s3');
  const head = await context.attempt('s3:ListBucket', async (abortSignal) => {
    try {
      return (await s3.send(new HeadBucketCommand({ Bucket: bucket, ...bucketOwnerCheck(context) }), { abortSignal })).BucketRegion;
    } catch (error) {
      const region = (error as { $response?: { headers?: Record<string, string | undefined> } }).$response?.headers?.['x-amz-bucket-region'];
      if (region) return region;
      throw error;
    }
  });
  return head.ok ? head.value : undefined;
}

/** Athena writes query results only to a bucket in its own region. */
function checkRegion(context: ProbeContext, bucket: string, region: string): void {
  const { connection } = context;
  context.facts.bucketRegion = region;
  if (region === connection.region) return;
  context.finding('BUCKET_OTHER_REGION', { bucket, region, connectionRegion: connection.region });
  context.fail('s3:GetBucketLocation', { code: 'BucketInOtherRegion', category: 'config', message: `the bucket is in ${region}, the connection in ${connection.region}` });
}
