// How Athena writes results, as the probes reproduce it: the headers of a result write, from the
// workgroup's result configuration (Athena API reference, ResultConfiguration).
import { describe, expect, it } from 'vitest';
import type { RunFacts } from '../../../src/preflight/facts.js';
import { resultWriteSettings } from '../../../src/probes/helpers/athena-results.js';

const W = 'arn:aws:kms:eu-west-1:123456789012:key/workgroup';
const B = 'arn:aws:kms:eu-west-1:123456789012:key/bucket';
const workgroup = (extra: Partial<NonNullable<RunFacts['workgroup']>>): RunFacts['workgroup'] => ({ name: 'wg', state: 'ENABLED', enforced: false, managedResults: false, ...extra });
const facts = (extra: RunFacts): { facts: RunFacts } => ({ facts: { bucketEncryption: { algorithm: 'aws:kms', kmsKeyId: B }, ...extra } });

describe('the result write settings', () => {
  it('sends what the workgroup says: SSE_S3, SSE_KMS with its key, the ACL, the expected owner', () => {
    expect(resultWriteSettings(facts({ workgroup: workgroup({ encryption: { option: 'SSE_S3' } }) }))).toEqual({ ServerSideEncryption: 'AES256' });
    expect(resultWriteSettings(facts({ workgroup: workgroup({ encryption: { option: 'SSE_KMS', kmsKey: W }, acl: 'BUCKET_OWNER_FULL_CONTROL', expectedBucketOwner: '123456789012' }) }))).toEqual({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: W,
      ACL: 'bucket-owner-full-control',
      ExpectedBucketOwner: '123456789012',
    });
  });

  it('sends no SSE header for CSE_KMS (Athena encrypts before writing) nor without workgroup encryption', () => {
    expect(resultWriteSettings(facts({ workgroup: workgroup({ encryption: { option: 'CSE_KMS', kmsKey: W } }) }))).toEqual({});
    expect(resultWriteSettings(facts({ workgroup: workgroup({}) }))).toEqual({});
  });
});
