// kms-data-key: with CSE_KMS, a data key generated and decrypted directly, as Athena does with results.
import { describe, expect, it } from 'vitest';
import { kmsDataKey } from '../../src/probes/kms-data-key.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/cse';
const facts = () => ({ workgroup: { name: 'primary', state: 'ENABLED', enforced: true, managedResults: false, encryption: { option: 'CSE_KMS', kmsKey: KEY } } });
const ciphertext = new Uint8Array([1, 2, 3]);

describe('kms-data-key', () => {
  it('passes generating a data key and decrypting it', async () => {
    const run = await runProbe(kmsDataKey, { facts: facts(), answers: { GenerateDataKeyCommand: () => ({ KeyId: KEY, CiphertextBlob: ciphertext }), DecryptCommand: () => ({ KeyId: KEY }) } });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: `generated and decrypted a data key with ${KEY}` });
    expect(run.sent).toEqual([
      { command: 'GenerateDataKeyCommand', input: { KeyId: KEY, KeySpec: 'AES_256' } },
      { command: 'DecryptCommand', input: { CiphertextBlob: ciphertext, KeyId: KEY } },
    ]);
  });

  it('fails on a refusal of kms:GenerateDataKey, before any decrypt', async () => {
    const run = await runProbe(kmsDataKey, { facts: facts(), answers: { GenerateDataKeyCommand: () => Promise.reject(accessDenied('kms:GenerateDataKey')) } });
    expect(endedWith(run)).toBe('kms:GenerateDataKey permission');
    expect(run.sent.map((s) => s.command)).toEqual(['GenerateDataKeyCommand']);
  });
});
