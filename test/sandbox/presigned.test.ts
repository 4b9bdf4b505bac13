// Query-string authentication (presigned URLs), checked like header signatures.
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { NodeSha256 } from '../support/sha256.js';

let sandbox: Sandbox;
/** Sandbox time runs ahead of real time by this much: a test moves it rather than waiting. */
let aheadMs = 0;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'full-access', clock: () => Date.now() + aheadMs });
});
afterEach(() => {
  aheadMs = 0;
});
afterAll(() => sandbox.close());

async function presign(secretAccessKey: string, expiresIn = 300) {
  const url = new URL(sandbox.endpoint);
  const signer = new SignatureV4({ service: 's3', region: 'eu-west-1', credentials: { accessKeyId: 'AKIASANDBOXANALYST01', secretAccessKey }, sha256: NodeSha256, uriEscapePath: false });
  const request = await signer.presign(
    // S3 presigned URLs always sign UNSIGNED-PAYLOAD, as @aws-sdk/s3-request-presigner arranges.
    {
      method: 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/acme-athena-results/primary/0b5c6e1a-8f3e-4d7a-9b21-1c2d3e4f5a01.csv',
      query: {},
      headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    },
    { expiresIn, unsignableHeaders: new Set(['x-amz-content-sha256']) },
  );
  const query = new URLSearchParams(request.query as Record<string, string>).toString();
  return `${sandbox.endpoint}${request.path}?${query}`;
}

describe('presigned URLs', () => {
  it('serve the object when the signature is right', async () => {
    const response = await fetch(await presign('sandbox/analyst/secret/key/0000000000'));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('"_col0"\n"1843"\n');
  });

  it('expire', async () => {
    const url = await presign('sandbox/analyst/secret/key/0000000000', 60);
    // X-Amz-Date has whole seconds: 30 s into a 60 s URL is inside it whatever the sub-second.
    aheadMs = 30_000;
    expect((await fetch(url)).status).toBe(200);
    aheadMs = 61_000;
    const response = await fetch(url);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Request has expired');
  });

  it('refuse a wrong secret with SignatureDoesNotMatch', async () => {
    const response = await fetch(await presign('not-the-secret-at-all-000000000000'));
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});
