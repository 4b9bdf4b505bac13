// The HTTP surface: authentication, validation that names fields, refusals, isolation of runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, TEST_API_KEY, sampleRequest, startHarness } from '../support/service.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness('full-access');
});
afterAll(() => harness.close());

const post = (payload: unknown, headers: Record<string, string> = { authorization: `Bearer ${TEST_API_KEY}` }) =>
  harness.app.inject({ method: 'POST', url: '/preflight', headers: { 'content-type': 'application/json', ...headers }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });

describe('POST /preflight', () => {
  it('needs a valid API key', async () => {
    expect((await post(sampleRequest(harness.sandbox), {})).statusCode).toBe(401);
    expect((await post(sampleRequest(harness.sandbox), { authorization: 'Bearer wrong-key-wrong-key-0' })).statusCode).toBe(401);
    expect((await post(sampleRequest(harness.sandbox))).statusCode).toBe(200);
  });

  it('answers bad input with 400 naming each field, before any AWS call', async () => {
    const calls = harness.sandbox.state.nextId();
    const response = await post({ ...sampleRequest(harness.sandbox), region: 'moon-1', accountId: 'abc', surprise: true });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error).toBe('invalid_request');
    expect(body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['/', '/accountId', '/region']);
    // The sandbox saw no request in between: its id counter moved by exactly one (ours).
    expect(harness.sandbox.state.nextId().slice(-4)).toBe((Number.parseInt(calls.slice(-4), 16) + 1).toString(16).padStart(4, '0'));
  });

  it('says the body is not JSON, without a stack trace', async () => {
    const response = await post('{"region": ');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'invalid_request', issues: [{ path: '/', message: 'the body is not valid JSON' }] });
  });

  it('refuses ambient credentials unless enabled', async () => {
    const response = await post({ ...sampleRequest(harness.sandbox), credentials: { type: 'ambient' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0]).toMatchObject({ path: '/credentials/type' });
  });

  it('refuses endpoint URLs from callers: requests never choose where AWS calls go', async () => {
    const response = await post({ ...sampleRequest(harness.sandbox), endpoint: 'http://169.254.169.254/' });
    expect(response.statusCode).toBe(400);
    expect(response.json().issues).toEqual([{ path: '/', message: 'has a field that is not part of the request (its name is not repeated: it could be a secret)' }]);
  });

  it('keeps concurrent runs with different keys apart', async () => {
    const other = await startHarness({
      extends: 'full-access',
      name: 'two-users',
      description: 'two analysts',
      users: [
        ...harness.sandbox.scenario.users,
        { name: 'second', accessKeyId: 'AKIASECONDANALYST001', secretAccessKey: 'sandbox/second/secret/not-real', policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'glue:*', Resource: '*' }] }] },
      ],
    });
    try {
      const second = other.sandbox.scenario.users.find((u) => u.name === 'second')!;
      const bodies = Array.from({ length: 8 }, (_, i) =>
        i % 2 === 0
          ? sampleRequest(other.sandbox)
          : sampleRequest(other.sandbox, { credentials: { type: 'accessKey', accessKeyId: second.accessKeyId, secretAccessKey: second.secretAccessKey } }),
      );
      const reports = await Promise.all(bodies.map((body) => other.preflight(body)));
      reports.forEach((response, i) => {
        expect(response.body.identity.arn).toBe(i % 2 === 0 ? 'arn:aws:iam::123456789012:user/analyst' : 'arn:aws:iam::123456789012:user/second');
        expect(response.body.capabilities.find((c: { id: string }) => c.id === 'query-history').status).toBe(i % 2 === 0 ? 'ok' : 'unavailable');
      });
    } finally {
      await other.close();
    }
  });

  it('assumes a role with a session name the customer can find in CloudTrail', async () => {
    const response = await harness.preflight(
      sampleRequest(harness.sandbox, { credentials: { type: 'role', roleArn: 'arn:aws:iam::123456789012:role/PreflightReadOnly', externalId: 'acme-7f3c2a', sessionName: 'onboarding-acme' } }),
    );
    expect(response.status).toBe(200);
    expect(response.body.identity.arn).toBe('arn:aws:sts::123456789012:assumed-role/PreflightReadOnly/onboarding-acme');
    expect(response.body.connection).toMatchObject({ credentialType: 'role', externalIdGiven: true });
    expect(JSON.stringify(response.body)).not.toContain('acme-7f3c2a');
  });

  it('reports a wrong external ID as a failed connection, and an account mismatch', async () => {
    const wrongId = await harness.preflight(sampleRequest(harness.sandbox, { credentials: { type: 'role', roleArn: 'arn:aws:iam::123456789012:role/PreflightReadOnly', externalId: 'not-the-id' } }));
    expect(wrongId.body.status).toBe('failed');
    expect(wrongId.body.capabilities[0]).toMatchObject({ id: 'connection', status: 'unavailable', missingActions: ['sts:AssumeRole'] });
    // The fix is the role's trust policy, never an Allow of sts:GetCallerIdentity (it needs no permission).
    expect(wrongId.body.capabilities[0].remediation).toMatchObject({ summary: expect.stringMatching(/trust policy/), statements: [] });
    expect(wrongId.body.remediation.policy).toBeNull();
    const denied = wrongId.body.findings.find((f: { code: string }) => f.code === 'ASSUME_ROLE_DENIED');
    expect(denied.remediation).toContain('"AWS":"arn:aws:iam::999999999999:user/preflight-service"');
    // The fix as a document to copy, with the customer's own external ID left for them to fill in.
    expect(wrongId.body.remediation.trustPolicy.Statement[0]).toMatchObject({
      Principal: { AWS: 'arn:aws:iam::999999999999:user/preflight-service' },
      Action: ['sts:AssumeRole'],
      Condition: { StringEquals: { 'sts:ExternalId': '<your-external-id>' } },
    });
    expect(JSON.stringify(wrongId.body)).not.toContain('not-the-id');
    const mismatch = await harness.preflight(sampleRequest(harness.sandbox, { accountId: '210987654321' }));
    expect(mismatch.body.status).toBe('failed');
    expect(mismatch.body.findings.map((f: { code: string }) => f.code)).toEqual(['ACCOUNT_MISMATCH']);
  });

  it('serves its API description and a docs page', async () => {
    const yaml = await harness.app.inject({ method: 'GET', url: '/openapi.yaml' });
    expect(yaml.headers['content-type']).toMatch(/yaml/);
    expect(yaml.body).toContain('/preflight:');
    const docs = await harness.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(docs.statusCode);
  });

  it('answers health checks without a key and without AWS', async () => {
    expect((await harness.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await harness.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });
});

describe('ambient credentials, when the operator enables them', () => {
  it('run with the service\'s own identity', async () => {
    const ambient = await startHarness('full-access', { allowAmbient: true });
    try {
      const response = await ambient.preflight(sampleRequest(ambient.sandbox, { credentials: { type: 'ambient' }, accountId: '999999999999' }));
      expect(response.status).toBe(200);
      expect(response.body.identity.arn).toBe('arn:aws:iam::999999999999:user/preflight-service');
      expect(response.body.connection).toMatchObject({ credentialType: 'ambient' });
    } finally {
      await ambient.close();
    }
  });
});
