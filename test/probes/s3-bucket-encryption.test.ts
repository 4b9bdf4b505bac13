// s3-bucket-encryption: the output bucket's default encryption, which tells whether a KMS key protects results.
import { describe, expect, it } from 'vitest';
import { s3BucketEncryption } from '../../src/probes/s3-bucket-encryption.js';
import { accessDenied, awsError, endedWith, runProbe } from './fake-run.js';

const request = { athena: { outputLocation: 's3://acme-results/athena/' } };
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/bucket-default';

describe('s3-bucket-encryption', () => {
  it('passes and keeps the default key; a bucket without default encryption passes with nothing to keep', async () => {
    const run = await runProbe(s3BucketEncryption, {
      request,
      answers: { GetBucketEncryptionCommand: () => ({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY } }] } }) },
    });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: `default encryption aws:kms with ${KEY}` });
    expect(run.facts.bucketEncryption).toEqual({ algorithm: 'aws:kms', kmsKeyId: KEY });
    const none = await runProbe(s3BucketEncryption, { request, answers: { GetBucketEncryptionCommand: () => Promise.reject(awsError('ServerSideEncryptionConfigurationNotFoundError', 404)) } });
    expect(none).toMatchObject({ error: undefined, detail: 'no default encryption' });
    expect(none.facts.bucketEncryption).toBeUndefined();
  });

  it('fails on a refusal of s3:GetEncryptionConfiguration', async () => {
    const run = await runProbe(s3BucketEncryption, { request, answers: { GetBucketEncryptionCommand: () => Promise.reject(accessDenied('s3:GetEncryptionConfiguration')) } });
    expect(endedWith(run)).toBe('s3:GetEncryptionConfiguration permission');
  });
});
