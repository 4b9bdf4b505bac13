// How Athena writes results, as the probes reproduce it: the headers of a result write and the
// KMS keys in play, from the workgroup's result configuration (Athena API reference,
// ResultConfiguration, ManagedQueryResultsConfiguration).
import { describe, expect, it } from 'vitest';
import { clientSideKmsKey, resultWriteSettings, resultsKmsKeys } from '../../src/probes/support.js';
import type { RunFacts } from '../../src/probes/types.js';

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

describe('the KMS keys of query results', () => {
  it("judges the workgroup's key, never the bucket default's, under SSE_KMS", () => {
    expect(resultsKmsKeys(facts({ workgroup: workgroup({ encryption: { option: 'SSE_KMS', kmsKey: W } }) }))).toEqual([W]);
  });

  it('under CSE_KMS, both the workgroup key and the bucket default (the object is written without SSE headers)', () => {
    const context = facts({ workgroup: workgroup({ encryption: { option: 'CSE_KMS', kmsKey: W } }) });
    expect(resultsKmsKeys(context)).toEqual([W, B]);
    expect(clientSideKmsKey(context)).toBe(W);
  });

  it('none under SSE_S3, the bucket default without workgroup encryption, dual-layer SSE counting as KMS', () => {
    expect(resultsKmsKeys(facts({ workgroup: workgroup({ encryption: { option: 'SSE_S3' } }) }))).toEqual([]);
    expect(resultsKmsKeys(facts({ workgroup: workgroup({}) }))).toEqual([B]);
    expect(resultsKmsKeys({ facts: { workgroup: workgroup({}), markerEncryption: { algorithm: 'aws:kms:dsse', kmsKeyId: B } } })).toEqual([B]);
  });

  it("reads managed query results' own key", () => {
    const context = facts({ workgroup: workgroup({ managedResults: true, managedResultsKmsKey: W }) });
    expect(resultsKmsKeys(context)).toEqual([W]);
    expect(clientSideKmsKey(context)).toBe(W);
  });
});
