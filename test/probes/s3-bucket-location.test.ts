// s3-bucket-location: where the output bucket lives; Athena writes results only in its own region.
import { describe, expect, it } from 'vitest';
import { s3BucketLocation } from '../../src/probes/s3-bucket-location.js';
import { awsError, endedWith, runProbe } from './fake-run.js';

const output = { athena: { outputLocation: 's3://acme-results/athena/' } };
const OTHER_REGION = {
  code: 'BUCKET_OTHER_REGION',
  severity: 'high',
  message: 'The output bucket acme-results is in us-west-2, but the connection is in eu-west-1: Athena writes query results only to a bucket in its own region.',
  remediation: 'Use an output bucket in eu-west-1.',
  probe: 's3-bucket-location',
};

describe('s3-bucket-location', () => {
  it("passes on a bucket in the connection's region, reading S3's aliases for it", async () => {
    const here = await runProbe(s3BucketLocation, { request: output, answers: { GetBucketLocationCommand: () => ({ LocationConstraint: 'EU' }) } });
    expect(here).toMatchObject({ error: undefined, findings: [], detail: 's3://acme-results/athena/ in eu-west-1' });
    expect(here.facts).toMatchObject({ bucketRegion: 'eu-west-1', output: { bucket: 'acme-results', prefix: 'athena/', source: 'request' } });
    const virginia = await runProbe(s3BucketLocation, { request: { ...output, region: 'us-east-1' }, answers: { GetBucketLocationCommand: () => ({}) } });
    expect(virginia).toMatchObject({ error: undefined, findings: [], detail: 's3://acme-results/athena/ in us-east-1' });
  });

  it('finds BUCKET_OTHER_REGION and fails the location as a configuration error', async () => {
    const run = await runProbe(s3BucketLocation, { request: output, answers: { GetBucketLocationCommand: () => ({ LocationConstraint: 'us-west-2' }) } });
    expect(run.findings).toEqual([OTHER_REGION]);
    expect(endedWith(run)).toBe('s3:GetBucketLocation config');
    expect(run.evidence.get('s3:GetBucketLocation')).toMatchObject({ state: 'failed', error: { code: 'BucketInOtherRegion' } });
  });

  it("finds the other region through HeadBucket when GetBucketLocation is refused, from its answer or its refusal's header", async () => {
    const refused = () => Promise.reject(awsError('AccessDenied', 403));
    const answered = await runProbe(s3BucketLocation, { request: output, answers: { GetBucketLocationCommand: refused, HeadBucketCommand: () => ({ BucketRegion: 'us-west-2' }) } });
    expect(answered.findings).toEqual([OTHER_REGION]);
    expect(endedWith(answered)).toBe('s3:GetBucketLocation config');
    const header = await runProbe(s3BucketLocation, {
      request: output,
      answers: { GetBucketLocationCommand: refused, HeadBucketCommand: () => Promise.reject(awsError('Forbidden', 403, 'Forbidden', { 'x-amz-bucket-region': 'us-west-2' })) },
    });
    expect(header.findings).toEqual([OTHER_REGION]);
    const unknown = await runProbe(s3BucketLocation, { request: output, answers: { GetBucketLocationCommand: refused, HeadBucketCommand: refused } });
    expect(unknown.findings).toEqual([]);
    expect(endedWith(unknown)).toBe('s3:GetBucketLocation permission');
  });

  it('finds BUCKET_NOT_FOUND for a bucket that does not exist', async () => {
    const run = await runProbe(s3BucketLocation, { request: output, answers: { GetBucketLocationCommand: () => Promise.reject(awsError('NoSuchBucket', 404)) } });
    expect(endedWith(run)).toBe('s3:GetBucketLocation not-found');
    expect(run.findings).toEqual([
      { code: 'BUCKET_NOT_FOUND', severity: 'high', message: 'The output bucket acme-results does not exist.', remediation: "Create the bucket in the connection's region, or correct the output location.", probe: 's3-bucket-location' },
    ]);
  });
});
