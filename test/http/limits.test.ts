// Limits a service that handles other people's credentials must have, and its metrics.
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createClientFactory } from '../../src/aws/clients.js';
import { sampleRequest, serviceIdentityOf } from '../../src/sandbox/sample.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { createCallSlots } from '../../src/preflight/call-slots.js';
import { watchRequests } from '../support/sandbox.js';
import { PROBES } from '../../src/probes/registry.js';

const KEY = 'limits-test-key-0123456789';
const OLD_KEY = 'limits-old-key-0123456789';
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function app(scenario: string, config: Partial<Parameters<typeof buildApp>[0]['config']> = {}) {
  sandbox = await startSandbox({ scenario });
  const clients = createClientFactory({ defaultEndpoint: sandbox.endpoint, s3ForcePathStyle: true });
  const identity = serviceIdentityOf(sandbox);
  return buildApp({
    config: { apiKeys: [KEY, OLD_KEY], authDisabled: false, maxConcurrentRuns: 8, rateLimitPerMinute: 100, ...config },
    engine: { clients, serviceCredentials: identity ? async () => identity : undefined, allowAmbient: false, maxRunMs: 20_000, callSlots: createCallSlots(4), probes: PROBES },
  });
}

const post = (instance: Awaited<ReturnType<typeof app>>, body: unknown, key = KEY) =>
  instance.inject({ method: 'POST', url: '/preflight', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload: typeof body === 'string' ? body : JSON.stringify(body) });

describe('limits', () => {
  it('accepts every configured key, for rotation', async () => {
    const instance = await app('full-access');
    expect((await post(instance, sampleRequest(sandbox!), OLD_KEY)).statusCode).toBe(200);
    expect((await post(instance, sampleRequest(sandbox!), KEY)).statusCode).toBe(200);
  });

  it('rate-limits per key with 429', async () => {
    const instance = await app('full-access', { rateLimitPerMinute: 2 });
    const bad = { region: 'nowhere' };
    expect((await post(instance, bad)).statusCode).toBe(400);
    expect((await post(instance, bad)).statusCode).toBe(400);
    const limited = await post(instance, bad);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: 'rate_limited' });
    // Another key has its own budget.
    expect((await post(instance, bad, OLD_KEY)).statusCode).toBe(400);
  });

  it('refuses runs beyond the concurrency cap with 503 and Retry-After, never a queue', async () => {
    const instance = await app('slow', { maxConcurrentRuns: 1 });
    const requests = watchRequests(sandbox!);
    const running = post(instance, sampleRequest(sandbox!));
    // The second comes once the first is calling AWS, so surely in flight.
    await requests.next();
    const second = await post(instance, sampleRequest(sandbox!));
    const first = await running;
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(503);
    expect(second.headers['retry-after']).toBe('1');
  });

  it('refuses bodies over 64 KiB with a clear error', async () => {
    const instance = await app('full-access');
    const response = await post(instance, { ...sampleRequest(sandbox!), padding: 'x'.repeat(70 * 1024) });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ error: 'invalid_request', issues: [{ path: '/', message: 'the body is larger than 64 KiB' }] });
  });

  it('exposes Prometheus metrics to key holders', async () => {
    const instance = await app('coalesce-glue-only');
    await post(instance, sampleRequest(sandbox!));
    await post(instance, { region: 'nowhere' });
    expect((await instance.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const text = (await instance.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${KEY}` } })).body;
    expect(text).toContain('preflight_run_duration_seconds_count{status="degraded"} 1');
    expect(text).toContain('preflight_probe_outcomes_total{probe="glue-databases",outcome="pass",category="none"} 1');
    expect(text).toContain('preflight_probe_outcomes_total{probe="athena-workgroups",outcome="fail",category="permission"} 1');
    expect(text).toContain('preflight_runs_rejected_total{reason="invalid"} 1');
    expect(text).toContain('preflight_runs_in_flight 0');
    // The run went through the shared call cap (4 at a time), and gave every slot back.
    expect(text).toContain('preflight_aws_calls_in_flight 0');
    expect(text).toContain('preflight_aws_calls_waiting 0');
  });
});

describe('CORS', () => {
  it('is off unless an origin is configured, then allows only that origin', async () => {
    const closed = await app('full-access');
    const preflightOff = await closed.inject({ method: 'OPTIONS', url: '/preflight', headers: { origin: 'https://onboarding.example.com', 'access-control-request-method': 'POST' } });
    expect(preflightOff.headers['access-control-allow-origin']).toBeUndefined();
    await sandbox!.close();
    const open = await app('full-access', { corsOrigins: ['https://onboarding.example.com'] });
    const allowed = await open.inject({ method: 'OPTIONS', url: '/preflight', headers: { origin: 'https://onboarding.example.com', 'access-control-request-method': 'POST' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://onboarding.example.com');
    const other = await open.inject({ method: 'OPTIONS', url: '/preflight', headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
