// Our SigV4 hash must agree with Node's own SHA-256 and HMAC for every key form the SDK passes.
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sha256 } from '../../src/aws/sha256.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('Sha256', () => {
  it('hashes like node:crypto, in pieces and after reset', async () => {
    const hash = new Sha256();
    hash.update('Preflight ');
    hash.update(new TextEncoder().encode('checks'));
    expect(hex(await hash.digest())).toBe(createHash('sha256').update('Preflight checks').digest('hex'));
    hash.reset();
    hash.update('');
    expect(hex(await hash.digest())).toBe(createHash('sha256').digest('hex'));
  });

  it('computes HMACs like node:crypto with string, byte-array, sub-array and ArrayBuffer keys, the same key object reused', async () => {
    const backing = new Uint8Array(40).map((_, i) => i * 7);
    const keys = ['AWS4wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', backing.subarray(4, 36), backing.slice(0, 32).buffer];
    for (const key of keys) {
      const expected = createHmac('sha256', typeof key === 'string' ? key : Buffer.from(key instanceof ArrayBuffer ? new Uint8Array(key) : key)).update('20261130').digest('hex');
      for (let round = 0; round < 2; round++) {
        const hmac = new Sha256(key);
        hmac.update('20261130');
        expect(hex(await hmac.digest())).toBe(expected);
      }
    }
  });
});
