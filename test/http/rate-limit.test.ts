// Rate limits an attacker cannot reset: counters per verified API key, and per client address for
// every request without a valid key, on every route behind the key (a guessed key or report id
// spends the address's budget, wherever it is tried).
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createClientFactory } from '../../src/aws/clients.js';
import { PROBES } from '../../src/probes/registry.js';

const KEY = 'rate-limit-key-0123456789';
const OTHER_KEY = 'rate-limit-other-key-0123456789';
const ADDRESS_COUNTERS = 20;

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function app(config: { authDisabled?: boolean } = {}) {
  const clients = createClientFactory();
  const instance = await buildApp({
    config: { apiKeys: [KEY, OTHER_KEY], authDisabled: config.authDisabled ?? false, maxConcurrentRuns: 1, rateLimitPerMinute: 3 },
    // A body that fails validation is answered 400 before any AWS call: no sandbox needed.
    engine: { clients, allowAmbient: false, maxRunMs: 1000, probes: PROBES },
    addressCounters: ADDRESS_COUNTERS,
  });
  close = async () => {
    await instance.close();
    clients.destroy();
  };
  return instance;
}

type App = Awaited<ReturnType<typeof app>>;
const post = (instance: App, key: string, remoteAddress = '10.0.0.1') =>
  instance.inject({ method: 'POST', url: '/preflight', remoteAddress, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload: '{"region":"nowhere"}' });
const randomToken = () => randomBytes(18).toString('base64url');

/** Every route behind the key besides the POSTs, and what each answers within the budget (the store is off: 404). */
const READ_ROUTES: Array<[string, number]> = [
  ['/preflight/a1b2c3d4e5f6', 404],
  [`/connections/${'0'.repeat(24)}/runs`, 404],
  ['/preflight/a1b2c3d4e5f6/diff/a1b2c3d4e5f7', 404],
  ['/metrics', 200],
];
const read = (instance: App, url: string, key: string | undefined, remoteAddress = '10.0.0.1') =>
  instance.inject({ method: 'GET', url, remoteAddress, headers: key ? { authorization: `Bearer ${key}` } : {} });

describe('rate limits', () => {
  it.each(READ_ROUTES)('GET %s counts against the key’s budget, and wrong keys against the address’s', async (url, answer) => {
    const instance = await app();
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await read(instance, url, KEY)).statusCode);
    expect(codes).toEqual([answer, answer, answer, 429]);
    const limited = await read(instance, url, KEY);
    expect(limited.json()).toMatchObject({ error: 'rate_limited', message: expect.stringContaining('per API key') });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    // Guessing keys (or, with any key, report ids) from one address: a budget, then 429.
    const guesses = [];
    for (let i = 0; i < 5; i++) guesses.push((await read(instance, url, randomToken(), '10.6.0.1')).statusCode);
    expect(guesses).toEqual([401, 401, 401, 429, 429]);
    expect((await read(instance, url, undefined, '10.6.0.1')).statusCode).toBe(429);
    // Another key is untouched by both.
    expect((await read(instance, url, OTHER_KEY, '10.6.0.1')).statusCode).toBe(answer);
  });

  it('is one budget across the routes: reads spend what runs would, and failed attempts anywhere count together', async () => {
    const instance = await app();
    expect((await read(instance, '/metrics', KEY)).statusCode).toBe(200);
    expect((await read(instance, '/preflight/a1b2c3d4e5f6', KEY)).statusCode).toBe(404);
    expect((await post(instance, KEY)).statusCode).toBe(400);
    expect((await read(instance, `/connections/${'0'.repeat(24)}/runs`, KEY)).statusCode).toBe(429);
    expect((await post(instance, KEY)).statusCode).toBe(429);

    const codes = [];
    for (const [url] of READ_ROUTES) codes.push((await read(instance, url, randomToken(), '10.7.0.1')).statusCode);
    expect(codes).toEqual([401, 401, 401, 429]);
    expect((await post(instance, randomToken(), '10.7.0.1')).statusCode).toBe(429);
    // Refused reads are no refused runs: the runs' counter counts the two POSTs refused.
    const metrics = (await read(instance, '/metrics', OTHER_KEY)).body;
    expect(metrics).toMatch(/^preflight_runs_rejected_total\{reason="rate-limited"\} 2$/m);
  });


  it('a flood of bad keys neither resets a real key’s counter nor goes unlimited', async () => {
    const instance = await app();
    for (let i = 0; i < 3; i++) expect((await post(instance, KEY)).statusCode).toBe(400);
    expect((await post(instance, KEY)).statusCode).toBe(429);

    // More made-up tokens than the counters kept, each from its own address: before, each token
    // had a counter of its own and the oldest (the real key's) was dropped.
    for (let i = 0; i < 3 * ADDRESS_COUNTERS; i++) {
      expect((await post(instance, randomToken(), `10.1.${i >> 8}.${i & 255}`)).statusCode).toBe(401);
    }
    const still = await post(instance, KEY, '10.2.0.1');
    expect(still.statusCode).toBe(429);
    expect(still.json()).toMatchObject({ error: 'rate_limited', message: expect.stringContaining('per API key') });

    // Bad tokens from one address share that address's budget, whatever the token.
    const fromOne = [];
    for (let i = 0; i < 10; i++) fromOne.push((await post(instance, randomToken(), '10.3.0.1')).statusCode);
    expect(fromOne).toEqual([401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
    const limited = await post(instance, randomToken(), '10.3.0.1');
    expect(limited.json()).toMatchObject({ error: 'rate_limited', message: expect.stringContaining('per address') });
    expect(limited.headers['retry-after']).toBeDefined();
    // No header at all counts the same way.
    const bare = await instance.inject({ method: 'POST', url: '/preflight', remoteAddress: '10.3.0.1', payload: {} });
    expect(bare.statusCode).toBe(429);

    // A valid key from that address has its own budget, and spending it costs the address nothing.
    for (let i = 0; i < 3; i++) expect((await post(instance, OTHER_KEY, '10.3.0.1')).statusCode).toBe(400);
    expect((await post(instance, OTHER_KEY, '10.3.0.1')).statusCode).toBe(429);
    expect((await post(instance, randomToken(), '10.4.0.1')).statusCode).toBe(401);
  });

  it('counts per address, whatever the token, when authentication is disabled', async () => {
    const instance = await app({ authDisabled: true });
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await post(instance, randomToken(), '10.5.0.1')).statusCode);
    expect(codes).toEqual([400, 400, 400, 429, 429]);
    expect((await post(instance, randomToken(), '10.5.0.2')).statusCode).toBe(400);
  });
});
