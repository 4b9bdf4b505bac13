// No secret in any log line, response or metric, on every path a request can take.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED_PATHS, buildApp } from '../../src/app.js';
import { createClientFactory } from '../../src/aws/clients.js';
import { PROBES } from '../../src/probes/registry.js';
import type { ProbeDefinition } from '../../src/probes/types.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { CANARY, CANARY_CONNECTION, CANARY_CREDENTIALS, CANARY_SECRETS, CANARY_SERVICE_CREDENTIALS, canaryScenario } from '../support/canary.js';

const { secretAccessKey: SECRET_KEY, sessionToken: SESSION_TOKEN, externalId: EXTERNAL_ID, accessKeyId: ACCESS_KEY_ID, apiKey: API_KEY } = CANARY;
const SECRETS = CANARY_SECRETS;

const captured: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    captured.push(chunk.toString());
    done();
  },
});

const sandboxes: Sandbox[] = [];
afterAll(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
});

async function service(base: string, probes?: readonly ProbeDefinition[]) {
  const sandbox = await startSandbox({ scenario: canaryScenario(`canary-${base}`, base) });
  sandboxes.push(sandbox);
  const clients = createClientFactory({ defaultEndpoint: sandbox.endpoint, s3ForcePathStyle: true });
  const logger = pino({ level: 'trace', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
  const app = await buildApp({
    config: { apiKeys: [API_KEY], authDisabled: false, maxConcurrentRuns: 8 },
    engine: { clients, serviceCredentials: CANARY_SERVICE_CREDENTIALS, allowAmbient: false, maxRunMs: 20_000, probes: probes ?? PROBES },
    logger,
  });
  return app;
}

const { keys, role } = CANARY_CREDENTIALS;
const connection = CANARY_CONNECTION;

const outputs: string[] = [];
async function send(app: Awaited<ReturnType<typeof service>>, body: unknown) {
  const response = await app.inject({
    method: 'POST',
    url: '/preflight',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', 'x-session-token': SESSION_TOKEN },
    payload: JSON.stringify(body),
  });
  outputs.push(response.body, JSON.stringify(response.headers));
  const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${API_KEY}` } });
  outputs.push(metrics.body);
  return response;
}

describe('secrets never leak', () => {
  beforeAll(async () => {
    const full = await service('full-access');
    expect((await send(full, { ...connection, credentials: { ...keys, sessionToken: SESSION_TOKEN } })).statusCode).toBe(200); // refused by AWS: a token on a user key
    expect((await send(full, { ...connection, credentials: keys })).statusCode).toBe(200);
    expect((await send(full, { ...connection, credentials: role })).statusCode).toBe(200);
    // Validation failure, with every secret in the body.
    expect((await send(full, { ...connection, region: 'nowhere', credentials: { ...keys, sessionToken: SESSION_TOKEN, externalId: EXTERNAL_ID } })).statusCode).toBe(400);
    expect((await send(full, { aws_region: 'x', aws_account_id: '1', access_key_id: ACCESS_KEY_ID, access_key_secret: SECRET_KEY, external_id: EXTERNAL_ID })).statusCode).toBe(400);
    // Denials.
    const denied = await service('scp-deny-athena');
    expect((await send(denied, { ...connection, credentials: keys })).statusCode).toBe(200);
    // Timeout.
    const hanging = await service('hanging-athena');
    expect((await send(hanging, { ...connection, credentials: role, options: { timeoutMs: 1000 } })).statusCode).toBe(200);
    // A crash of our own, with the secret in the exception's text.
    const crashing: ProbeDefinition = {
      ...PROBES.find((p) => p.id === 'glue-databases')!,
      skipWhen: () => {
        throw new Error(`crash while holding ${SECRET_KEY} and ${EXTERNAL_ID}`);
      },
    };
    const crash = await service('full-access', PROBES.map((p) => (p.id === crashing.id ? crashing : p)));
    const crashed = await send(crash, { ...connection, credentials: role });
    expect(crashed.statusCode).toBe(500);
    expect(crashed.json()).toMatchObject({ error: 'internal', message: 'internal error' });
  });

  it('took every path and logged it', () => {
    expect(captured.length).toBeGreaterThan(10);
    expect(captured.join('\n')).toContain('preflight finished');
  });

  it.each(SECRETS)('%s appears in no log line, response or metric', (secret) => {
    for (const text of [...captured, ...outputs]) expect(text).not.toContain(secret);
  });

  it('puts the request id in every request log line', () => {
    const lines = captured.map((line) => JSON.parse(line) as { reqId?: string; msg?: string });
    const requestLines = lines.filter((line) => /request|preflight finished/.test(line.msg ?? ''));
    expect(requestLines.length).toBeGreaterThan(0);
    for (const line of requestLines) expect(line.reqId).toBeTruthy();
  });
});
