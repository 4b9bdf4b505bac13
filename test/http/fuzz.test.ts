// Property-based: whatever arrives at POST /preflight, the answer is never a 5xx, never a stack
// trace, never an echo of a secret. Bounded: a fixed number of runs, no AWS call reached.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, TEST_API_KEY, startHarness } from '../support/service.js';

let harness: Harness;
beforeAll(async () => {
  // The fuzzer sends hundreds of requests a second: no rate limit between it and the validation.
  harness = await startHarness('full-access', { config: { rateLimitPerMinute: 1_000_000 } });
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

/** A body as JSON text from its entries, in their order (an object literal would drop or reorder some keys, __proto__ above all). */
const text = (entries: Array<[string, unknown]>) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`).join(',')}}`;

const FLAT: Array<[string, unknown]> = [
  ['aws_region', 'eu-west-1'],
  ['aws_account_id', '123456789012'],
  ['access_key_id', 'AKIAEXAMPLEEXAMPLE01'],
  ['access_key_secret', SECRET],
  ['workgroup', 'primary'],
  ['s3_staging_dir', 's3://bucket/prefix/'],
];
// __proto__ is not among them: Fastify's JSON parser refuses such a body (400) before validation sees it.
const BUILT_INS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'toLocaleString'];

/** The seeds' flat format with a field named like a built-in property, or a canonical section that is not an object, anywhere among the flat fields. */
const flatWithStrangers = fc
  .tuple(
    fc.shuffledSubarray(FLAT, { minLength: 1 }),
    fc.oneof(fc.tuple(fc.constantFrom(...BUILT_INS), nasty), fc.tuple(fc.constantFrom('credentials', 'athena'), fc.oneof(fc.constant(SECRET), fc.boolean(), fc.integer(), fc.array(fc.constant(SECRET), { maxLength: 2 })))),
    fc.nat(),
  )
  .map(([flat, stranger, at]) => {
    const entries = [...flat];
    entries.splice(at % (entries.length + 1), 0, stranger);
    // A name the request does not know (constructor, __proto__) is not repeated: the body's root is named.
    return { payload: text(entries), path: (BUILT_INS as readonly string[]).includes(stranger[0]) ? '/' : `/${stranger[0]}` };
  });

const DEEP_FIELDS: Array<[string, (deep: string) => string]> = [
  ['/capabilities', (deep) => `{"region":"eu-west-1","capabilities":${deep}}`],
  ['/required', (deep) => `{"region":"eu-west-1","required":${deep}}`],
  ['/glue/databases', (deep) => `{"region":"eu-west-1","glue":{"databases":${deep}}}`],
  ['/credentials', (deep) => `{"region":"eu-west-1","credentials":${deep}}`],
  ['/athena', (deep) => `{"region":"eu-west-1","athena":${deep}}`],
  ['/', (deep) => `{"region":"eu-west-1","unknown":${deep}}`],
  ['/access_key_secret', (deep) => `{"aws_region":"eu-west-1","access_key_secret":${deep}}`],
];
/** Arrays nested thousands of levels deep in one field, named by the issues (or an item of it: the first item is an array where a string belongs). */
const deepArrays = fc.tuple(fc.constantFrom(...DEEP_FIELDS), fc.integer({ min: 1000, max: 20_000 }), fc.constantFrom('', `"${SECRET}"`, '1')).map(([[path, body], depth, inner]) => ({
  payload: body(`${'['.repeat(depth)}${inner}${']'.repeat(depth)}`),
  path,
}));

async function check(payload: string) {
  const response = await harness.app.inject({ method: 'POST', url: '/preflight', headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' }, payload });
  expect(response.statusCode).toBeLessThan(500);
  expect(response.body).not.toContain(SECRET);
  expect(response.body).not.toMatch(/\bat \S+ \(|node_modules|\.ts:\d+/);
  if (response.statusCode === 400) expect(response.json().issues.length).toBeGreaterThan(0);
  return response;
}

/** Fixed, so that a failure is the same failure on the next run. */
const SEED = 1414;

describe('POST /preflight under arbitrary input', () => {
  it('answers malformed and wrongly typed connections with a 4xx naming fields', async () => {
    await fc.assert(fc.asyncProperty(almostValid, async (body) => void (await check(JSON.stringify(body)))), { numRuns: 150, seed: SEED });
  });

  it('survives any JSON value', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (value) => void (await check(JSON.stringify(value)))), { numRuns: 150, seed: SEED });
  });

  it('answers flat bodies with built-in property names or non-object sections with a 400 naming that field', async () => {
    await fc.assert(
      fc.asyncProperty(flatWithStrangers, async ({ payload, path }) => {
        const response = await check(payload);
        expect(response.statusCode).toBe(400);
        expect(response.json().issues.map((issue: { path: string }) => issue.path)).toContain(path);
      }),
      { numRuns: 150, seed: SEED },
    );
  });

  it('answers arrays nested thousands of levels deep with a 400 naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(deepArrays, async ({ payload, path }) => {
        const response = await check(payload);
        expect(response.statusCode).toBe(400);
        const paths: string[] = response.json().issues.map((issue: { path: string }) => issue.path);
        expect(paths.some((named) => named === path || named.startsWith(`${path}/`)), paths.join(' ')).toBe(true);
      }),
      { numRuns: 30, seed: SEED },
    );
  });

  it('survives deep nesting and text that is not JSON', async () => {
    await fc.assert(fc.asyncProperty(deep, async (text) => void (await check(text))), { numRuns: 10, seed: SEED });
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 300 }), async (text) => void (await check(text))), { numRuns: 100, seed: SEED });
  });
});
