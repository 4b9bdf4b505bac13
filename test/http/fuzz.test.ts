// Property-based: whatever arrives at POST /preflight, the answer is never a 5xx, never a stack
// trace, never an echo of a secret. Bounded: a fixed number of runs, no AWS call reached.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, TEST_API_KEY, startHarness } from '../support/service.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness('full-access');
});
afterAll(() => harness.close());

const SECRET = 'fuzz-secret-value-DO-NOT-ECHO-99';

const nasty = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(SECRET),
  fc.constant('__proto__'),
  fc.constant('a'.repeat(5000)),
  fc.array(fc.string(), { maxLength: 5 }),
);

/** Bodies that look like connections with wrong parts, secrets planted in them. */
const almostValid = fc.record(
  {
    region: fc.oneof(fc.constant('eu-west-1'), nasty),
    accountId: fc.oneof(fc.constant('123456789012'), nasty),
    credentials: fc.oneof(
      fc.record({ type: fc.constantFrom('accessKey', 'role', 'ambient', 'other'), accessKeyId: nasty, secretAccessKey: fc.constant(SECRET), externalId: fc.constant(SECRET), roleArn: nasty }, { requiredKeys: ['type'] }),
      nasty,
    ),
    athena: fc.oneof(fc.record({ workgroup: nasty, outputLocation: nasty }, { requiredKeys: [] }), nasty),
    capabilities: fc.oneof(fc.array(fc.oneof(fc.constantFrom('metadata', 'search', 'nope'), nasty), { maxLength: 4 }), nasty),
    options: fc.oneof(fc.record({ timeoutMs: nasty, runQuery: nasty }, { requiredKeys: [] }), nasty),
    access_key_secret: fc.constant(SECRET),
  },
  { requiredKeys: [] },
);

/** Deep nesting, as text (fast-check itself cannot print such values), to make sure nothing recurses without bound. */
const deep = fc.integer({ min: 50, max: 20_000 }).map((depth) => `${'{"credentials":'.repeat(depth)}"${SECRET}"${'}'.repeat(depth)}`);

async function check(payload: string) {
  const response = await harness.app.inject({ method: 'POST', url: '/preflight', headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' }, payload });
  expect(response.statusCode).toBeLessThan(500);
  expect(response.body).not.toContain(SECRET);
  expect(response.body).not.toMatch(/\bat \S+ \(|node_modules|\.ts:\d+/);
  if (response.statusCode === 400) expect(response.json().issues.length).toBeGreaterThan(0);
}

describe('POST /preflight under arbitrary input', () => {
  it('answers malformed and wrongly typed connections with a 4xx naming fields', async () => {
    await fc.assert(fc.asyncProperty(almostValid, async (body) => check(JSON.stringify(body))), { numRuns: 150 });
  });

  it('survives any JSON value', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (value) => check(JSON.stringify(value))), { numRuns: 150 });
  });

  it('survives deep nesting and text that is not JSON', async () => {
    await fc.assert(fc.asyncProperty(deep, async (text) => check(text)), { numRuns: 10 });
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 300 }), async (text) => check(text)), { numRuns: 100 });
  });
});
