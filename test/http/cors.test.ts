// CORS on every answer of POST /preflight, the event stream included: the
// stream takes over the raw response, so it must carry the headers the hooks set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, TEST_API_KEY, sampleRequest, startHarness } from '../support/service.js';

const ORIGIN = 'https://onboarding.example.com';
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness('full-access', { config: { corsOrigins: [ORIGIN] } });
});
afterAll(() => harness.close());

const run = (origin: string, accept: string) =>
  harness.app.inject({ method: 'POST', url: '/preflight', headers: { authorization: `Bearer ${TEST_API_KEY}`, origin, accept }, payload: sampleRequest(harness.sandbox) });

describe('CORS on POST /preflight', () => {
  it('the event stream carries the same CORS headers as JSON', async () => {
    const json = await run(ORIGIN, 'application/json');
    expect(json.headers['access-control-allow-origin']).toBe(ORIGIN);
    const stream = await run(ORIGIN, 'text/event-stream');
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.body).toContain('event: report');
    expect(stream.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(stream.headers.vary).toMatch(/origin/i);
    // And the other headers hooks set (the rate limit's).
    expect(stream.headers['x-ratelimit-limit']).toBe(json.headers['x-ratelimit-limit']);
    expect(stream.headers['cache-control']).toBe('no-cache, no-transform');
  });

  it('gives an origin not configured nothing, stream or not', async () => {
    const stream = await run('https://evil.example.net', 'text/event-stream');
    expect(stream.body).toContain('event: report');
    expect(stream.headers['access-control-allow-origin']).toBeUndefined();
  });
});
