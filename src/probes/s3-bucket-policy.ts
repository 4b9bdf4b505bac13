import { resolveOutput } from '../preflight/facts.js';
import { judgeAthenaPath, resultsPathRequests } from './helpers/athena-path.js';
import { needsOutputLocation } from './helpers/athena-results.js';
import type { Probe } from './types.js';

/**
 * Athena writes query results for the caller with other condition keys than ours (aws:CalledVia
 * athena.amazonaws.com, none of the caller's VPC endpoint or VPC): a bucket policy that admits only
 * the company's VPC endpoint passes our marker and refuses every query. The output bucket's policy
 * is read and Athena's requests judged against it, so query-results speaks for Athena's path too.
 */
export const s3BucketPolicy: Probe = {
  id: 's3-bucket-policy',
  service: 's3',
  actions: ['s3:GetBucketPolicy'],
  informs: ['query-results'],
  resources: { 's3:GetBucketPolicy': 'bucket' },
  roles: { 'query-results': { pathProofs: ['s3:GetBucketPolicy'], checkedWith: ['s3:GetBucketPolicy'] } },
  after: ['athena-workgroup', 's3-bucket-location', 's3-put-marker'],
  skipWhen: (context) => {
    const { facts, connection } = context;
    if (facts.bucketRegion && facts.bucketRegion !== connection.region) return { reason: 'not-applicable', detail: 'the bucket is in another region: Athena writes no results there at all' };
    if (facts.markerRefused) return { reason: 'not-applicable', detail: "AWS refused our own write: Athena's path matters once ours works" };
    return needsOutputLocation(context);
  },
  run(context) {
    const output = resolveOutput(context)!;
    return judgeAthenaPath(context, 'results', output.bucket, resultsPathRequests(context, output));
  },
};
