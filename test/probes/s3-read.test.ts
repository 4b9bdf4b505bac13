// s3-read: reads the marker back, which also proves kms:Decrypt when S3 decrypted it with the results' key.
import { describe, expect, it } from 'vitest';
import { s3Read } from '../../src/probes/s3-read.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

const request = { athena: { outputLocation: 's3://acme-results/athena/' } };
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/results';
const marker = () => ({ markerWritten: true, markerKey: 'athena/preflight-marker.txt' });

describe('s3-read', () => {
  it('passes reading the marker: an SSE-KMS marker proves kms:Decrypt, a plain one leaves it untested', async () => {
    const kms = await runProbe(s3Read, { request, facts: marker(), answers: { GetObjectCommand: () => ({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY }) } });
    expect(kms).toMatchObject({ error: undefined, findings: [], detail: 'read s3://acme-results/athena/preflight-marker.txt' });
    expect(kms.sent[0]!.input).toEqual({ Bucket: 'acme-results', Key: 'athena/preflight-marker.txt', Range: 'bytes=0-63' });
    expect(kms.evidence.get('kms:Decrypt')).toMatchObject({ state: 'granted' });
    const plain = await runProbe(s3Read, { request, facts: marker(), answers: { GetObjectCommand: () => ({ ServerSideEncryption: 'AES256' }) } });
    expect(plain.evidence.get('kms:Decrypt')).toMatchObject({ state: 'untested', why: 'the object read is not encrypted with SSE-KMS' });
  });

  it("fails on a refusal of s3:GetObject, and names kms:Decrypt when S3 relays KMS's refusal", async () => {
    const refused = await runProbe(s3Read, { request, facts: marker(), answers: { GetObjectCommand: () => Promise.reject(accessDenied('s3:GetObject')) } });
    expect(endedWith(refused)).toBe('s3:GetObject permission');
    const relayed = await runProbe(s3Read, { request, facts: marker(), answers: { GetObjectCommand: () => Promise.reject(accessDenied('kms:Decrypt')) } });
    expect(relayed.error).toMatchObject({ classified: { category: 'permission', relayedAction: 'kms:Decrypt' } });
  });
});
