// The KMS keys in play for query results, from the workgroup's result configuration and the
// bucket's default encryption (Athena API reference, ResultConfiguration,
// ManagedQueryResultsConfiguration): the probes test them, the verdict scopes its fix to them.
import { describe, expect, it } from 'vitest';
import { type RunFacts, clientSideKmsKey, resultsKmsKeys } from '../../src/preflight/facts.js';

const W = 'arn:aws:kms:eu-west-1:123456789012:key/workgroup';
const B = 'arn:aws:kms:eu-west-1:123456789012:key/bucket';
const workgroup = (extra: Partial<NonNullable<RunFacts['workgroup']>>): RunFacts['workgroup'] => ({ name: 'wg', state: 'ENABLED', enforced: false, managedResults: false, ...extra });
const facts = (extra: RunFacts): { facts: RunFacts } => ({ facts: { bucketEncryption: { algorithm: 'aws:kms', kmsKeyId: B }, ...extra } });

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
