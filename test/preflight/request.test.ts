import { describe, expect, it } from 'vitest';
import { validatePreflightRequest } from '../../src/preflight/request.js';

const valid = {
  region: 'eu-west-1',
  accountId: '123456789012',
  credentials: { type: 'accessKey', accessKeyId: 'AKIAEXAMPLEEXAMPLE01', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
};

describe('preflight request validation', () => {
  it('accepts the canonical shape', () => {
    const result = validatePreflightRequest({ ...valid, athena: { workgroup: 'primary', outputLocation: 's3://bucket/prefix/' }, options: { runQuery: true } });
    expect(result.ok).toBe(true);
  });

  it('normalises the seeds\' flat format', () => {
    const result = validatePreflightRequest({
      aws_region: 'eu-west-1',
      aws_account_id: '123456789012',
      access_key_id: 'AKIAEXAMPLEEXAMPLE01',
      access_key_secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      workgroup: 'skoot',
      s3_staging_dir: 's3://skoot-athena-results/',
    });
    expect(result).toEqual({
      ok: true,
      request: {
        region: 'eu-west-1',
        accountId: '123456789012',
        credentials: { type: 'accessKey', accessKeyId: 'AKIAEXAMPLEEXAMPLE01', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
        athena: { workgroup: 'skoot', outputLocation: 's3://skoot-athena-results/' },
      },
    });
    const role = validatePreflightRequest({ aws_region: 'eu-west-1', aws_account_id: '123456789012', role_arn: 'arn:aws:iam::123456789012:role/x', external_id: 'abc-123' });
    expect(role.ok && role.request.credentials).toEqual({ type: 'role', roleArn: 'arn:aws:iam::123456789012:role/x', externalId: 'abc-123' });
  });

  it.each([
    [{ ...valid, region: 'mars-1' }, '/region'],
    [{ ...valid, accountId: '1234' }, '/accountId'],
    [{ ...valid, credentials: { type: 'role', roleArn: 'arn:aws:iam::123:user/x' } }, '/credentials/roleArn'],
    [{ ...valid, credentials: { type: 'password' } }, '/credentials/type'],
    [{ ...valid, athena: { outputLocation: 'https://bucket/x' } }, '/athena/outputLocation'],
    [{ ...valid, athena: { workgroup: 'no spaces allowed' } }, '/athena/workgroup'],
    [{ ...valid, capabilities: ['metadata', 'teleport'] }, '/capabilities/1'],
    [{ ...valid, endpoint: 'http://169.254.169.254' }, '/endpoint'],
    [{ ...valid, options: { timeoutMs: 5 } }, '/options/timeoutMs'],
    [{ region: 'eu-west-1', accountId: '123456789012' }, '/credentials'],
    [{ aws_region: 'eu-west-1', aws_account_id: '12', access_key_id: 'AKIAEXAMPLEEXAMPLE01', access_key_secret: 'x'.repeat(20) }, '/aws_account_id'],
  ])('names the offending field %#', (body, path) => {
    const result = validatePreflightRequest(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((issue) => issue.path)).toContain(path);
  });

  it('never echoes a secret in an issue', () => {
    const secret = 'SECRET-VALUE-THAT-MUST-NOT-LEAK-0001';
    const result = validatePreflightRequest({ ...valid, credentials: { type: 'accessKey', accessKeyId: 'bad', secretAccessKey: secret, sessionToken: 7 } });
    expect(JSON.stringify(result)).not.toContain(secret);
  });
});
