// kms-describe-key: describes the key that protects query results (supporting evidence only).
import { describe, expect, it } from 'vitest';
import { kmsDescribeKey } from '../../src/probes/kms-describe-key.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/results';
const facts = () => ({ workgroup: { name: 'primary', state: 'ENABLED', enforced: true, managedResults: false, encryption: { option: 'SSE_KMS', kmsKey: KEY } } });

describe('kms-describe-key', () => {
  it("passes describing the workgroup's results key", async () => {
    const run = await runProbe(kmsDescribeKey, { facts: facts(), answers: { DescribeKeyCommand: () => ({ KeyMetadata: { Arn: KEY, KeyState: 'Enabled' } }) } });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: `${KEY} is Enabled` });
    expect(run.sent[0]!.input).toEqual({ KeyId: KEY });
  });

  it('fails on a refusal of kms:DescribeKey', async () => {
    const run = await runProbe(kmsDescribeKey, { facts: facts(), answers: { DescribeKeyCommand: () => Promise.reject(accessDenied('kms:DescribeKey')) } });
    expect(endedWith(run)).toBe('kms:DescribeKey permission');
  });
});
