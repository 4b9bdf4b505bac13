// POST /setup through the app: the API key, validation naming every field, the trusted principal
// from configuration, JSON and Markdown by Accept, and the external ID in no error and no log line.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { REDACTED_PATHS, buildApp } from '../../src/app.js';
import { createClientFactory } from '../../src/aws/clients.js';
import { buildSetup } from '../../src/setup/generate.js';
import { validateSetupRequest } from '../../src/setup/request.js';
import { TEST_API_KEY, startHarness } from '../support/service.js';
import { PROBES } from '../../src/probes/registry.js';

const API_KEY = 'setup-api-key-0123456789';
const PRINCIPAL = 'arn:aws:iam::999999999999:role/preflight-service';
const EXTERNAL_ID = 'canary-external-id-setup-0005';

const logs: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    logs.push(chunk.toString());
    done();
  },
});

const clients = createClientFactory();
const app = (trustedPrincipal?: string) =>
  buildApp({
    config: { apiKeys: [API_KEY], authDisabled: false, maxConcurrentRuns: 4, trustedPrincipal },
    engine: { clients, allowAmbient: false, maxRunMs: 5000, probes: PROBES },
    logger: pino({ level: 'trace', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink),
  });
let service: Awaited<ReturnType<typeof app>>;
let unconfigured: Awaited<ReturnType<typeof app>>;
beforeAll(async () => {
  service = await app(PRINCIPAL);
  unconfigured = await app(undefined);
});
afterAll(async () => {
  await service.close();
  await unconfigured.close();
  clients.destroy();
  // Whatever happened above, the external ID was never logged.
  expect(logs.length).toBeGreaterThan(0);
  expect(logs.join('\n')).not.toContain(EXTERNAL_ID);
});

const body = {
  region: 'eu-west-1',
  accountId: '123456789012',
  externalId: EXTERNAL_ID,
  capabilities: ['metadata', 'query-history', 'query-results', 'table-data'],
  required: ['metadata'],
  athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/primary/' },
  glue: { databases: ['sales'] },
  dataLocation: 's3://acme-data-lake/sales/',
};

const post = (target: typeof service, payload: unknown, headers: Record<string, string> = {}) =>
  target.inject({ method: 'POST', url: '/setup', headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', ...headers }, payload: JSON.stringify(payload) });

describe('POST /setup', () => {
  it('needs a valid API key', async () => {
    expect((await post(service, body, { authorization: '' })).statusCode).toBe(401);
    expect((await post(service, body, { authorization: 'Bearer wrong-key-wrong-key-0' })).statusCode).toBe(401);
  });

  it('answers the setup as JSON: exactly what the generators make, the trusted principal from configuration', async () => {
    const response = await post(service, body);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const setup = response.json();
    const validation = validateSetupRequest(body);
    if (!validation.ok) throw new Error('bad body');
    // The response schema (an allow-list) drops nothing the generators make.
    expect(setup).toEqual(JSON.parse(JSON.stringify(buildSetup(validation.input, { trustedPrincipalArn: PRINCIPAL }))));
    expect(setup.trustPolicy.Statement[0].Principal).toEqual({ AWS: PRINCIPAL });
    expect(setup.trustPolicy.Statement[0].Condition).toEqual({ StringEquals: { 'sts:ExternalId': EXTERNAL_ID } });
    expect(parseYaml(setup.cloudFormation.yaml, { version: '1.1' })).toEqual(JSON.parse(setup.cloudFormation.json));
    expect(setup.check.credentials).toEqual({ type: 'role', roleArn: 'arn:aws:iam::123456789012:role/PreflightAccess', externalId: EXTERNAL_ID });
  });

  it('answers Markdown for text/markdown', async () => {
    const response = await post(service, body, { accept: 'text/markdown' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/markdown/);
    for (const heading of ['### CloudFormation', '### Terraform', '### aws CLI', '### Then check it']) expect(response.body).toContain(heading);
    expect(response.body).toContain('| Catalog metadata (`metadata`) | Databases, tables and columns from the Glue Data Catalog | yes |');
  });

  it('names every bad field, never the external ID', async () => {
    const response = await post(service, { ...body, region: 'moon-1', externalId: `${EXTERNAL_ID} `, dataLocation: 'nowhere', surprise: true });
    expect(response.statusCode).toBe(400);
    expect(response.json().issues.map((i: { path: string }) => i.path).sort()).toEqual(['/', '/dataLocation', '/externalId', '/region']);
    expect(response.body).not.toContain(EXTERNAL_ID);
    const bad = await service.inject({ method: 'POST', url: '/setup', headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, payload: `{"externalId": "${EXTERNAL_ID}", ` });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).not.toContain(EXTERNAL_ID);
  });

  it('answers 503 not_configured when the service does not know its principal', async () => {
    const response = await post(unconfigured, body);
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ error: 'not_configured', message: expect.stringContaining('PREFLIGHT_TRUSTED_PRINCIPAL') });
  });
});

describe('POST /setup without PREFLIGHT_TRUSTED_PRINCIPAL', () => {
  it("trusts the service's identity as sts:GetCallerIdentity gives it", async () => {
    const harness = await startHarness('full-access');
    try {
      const response = await harness.app.inject({ method: 'POST', url: '/setup', headers: { authorization: `Bearer ${TEST_API_KEY}` }, payload: body });
      expect(response.statusCode).toBe(200);
      expect(response.json().trustPolicy.Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::999999999999:user/preflight-service' });
      expect(response.json().trustedPrincipal).toBe('arn:aws:iam::999999999999:user/preflight-service');
    } finally {
      await harness.close();
    }
  });
});
