// s3-list: lists the output location, as Athena and the product read results back.
import { describe, expect, it } from 'vitest';
import { s3List } from '../../src/probes/s3-list.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

const request = { athena: { outputLocation: 's3://acme-results/athena/' } };

describe('s3-list', () => {
  it("passes listing under the output prefix, with the workgroup's expected bucket owner", async () => {
    const run = await runProbe(s3List, {
      request,
      facts: { workgroup: { name: 'primary', state: 'ENABLED', enforced: false, managedResults: false, expectedBucketOwner: '123456789012' } },
      answers: { ListObjectsV2Command: () => ({ KeyCount: 0 }) },
    });
    expect(run).toMatchObject({ error: undefined, findings: [] });
    expect(run.sent[0]!.input).toEqual({ Bucket: 'acme-results', Prefix: 'athena/', MaxKeys: 1, ExpectedBucketOwner: '123456789012' });
  });

  it('fails on a refusal of s3:ListBucket', async () => {
    const run = await runProbe(s3List, { request, answers: { ListObjectsV2Command: () => Promise.reject(accessDenied('s3:ListBucket')) } });
    expect(endedWith(run)).toBe('s3:ListBucket permission');
  });
});
