// s3-put-marker: writes the marker exactly as Athena writes results, and proves the key S3 used for it.
import { describe, expect, it } from 'vitest';
import { s3PutMarker } from '../../src/probes/s3-put-marker.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

const request = { athena: { outputLocation: 's3://acme-results/athena/' } };
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/results';
const KEY_MARKER = 'athena/preflight-marker-run000000001.txt';

describe('s3-put-marker', () => {
  it("passes writing the marker with the workgroup's headers; an SSE-KMS answer proves kms:GenerateDataKey", async () => {
    const run = await runProbe(s3PutMarker, {
      request,
      facts: { workgroup: { name: 'primary', state: 'ENABLED', enforced: false, managedResults: false, encryption: { option: 'SSE_KMS', kmsKey: KEY } } },
      answers: { PutObjectCommand: () => ({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY }) },
    });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: `wrote s3://acme-results/${KEY_MARKER}` });
    expect(run.sent[0]!.input).toMatchObject({ Bucket: 'acme-results', Key: KEY_MARKER, IfNoneMatch: '*', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY });
    expect(run.facts).toMatchObject({ markerKey: KEY_MARKER, markerWritten: true, markerAnswered: true, markerEncryption: { algorithm: 'aws:kms', kmsKeyId: KEY } });
    expect(run.evidence.get('kms:GenerateDataKey')).toMatchObject({ state: 'granted' });
    expect(run.evidence.get('s3:PutObjectAcl')).toMatchObject({ state: 'untested' });
  });

  it('fails on a refusal of s3:PutObject, leaving nothing to clean up', async () => {
    const run = await runProbe(s3PutMarker, { request, answers: { PutObjectCommand: () => Promise.reject(accessDenied('s3:PutObject')) } });
    expect(endedWith(run)).toBe('s3:PutObject permission');
    expect(run.facts).toMatchObject({ markerRefused: true });
    expect(run.facts.markerKey).toBeUndefined();
  });
});
