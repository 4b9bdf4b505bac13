// The setup request is judged as POST /preflight judges the same fields, every bad field named,
// and the external ID never repeated in an issue.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAPABILITIES } from '../../src/catalogue/capabilities.js';
import { validateSetupRequest } from '../../src/setup/request.js';

const EXTERNAL_ID = 'canary-external-id-0003';
const valid = {
  region: 'eu-west-1',
  accountId: '123456789012',
  externalId: EXTERNAL_ID,
  athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/primary/' },
};

describe('validateSetupRequest', () => {
  it('takes a minimal request, the capabilities a preflight checks by default', () => {
    const result = validateSetupRequest(valid);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.input.capabilities).toEqual(CAPABILITIES.filter((c) => c.requestedByDefault).map((c) => c.id));
    expect(result.input.required).toEqual(['connection', 'metadata']);
    expect(result.input.externalId).toBe(EXTERNAL_ID);
  });

  it('names every bad field, in the preflight’s words for the shared ones', () => {
    const result = validateSetupRequest({
      region: 'europe',
      accountId: '12345',
      externalId: 'has spaces, a secret nonetheless',
      roleName: 'no/slashes',
      capabilities: ['metadata', 'telepathy'],
      athena: { outputLocation: 'https://bucket' },
      glue: { databases: ['a b'] },
      dataLocation: 'bucket/prefix',
      kmsKeys: ['alias/x'],
      options: { selfCheck: 'yes', other: 1 },
      credentials: { type: 'ambient' },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.issues.map((i) => i.path).sort();
    expect(paths).toEqual(
      ['/credentials', '/region', '/accountId', '/externalId', '/roleName', '/capabilities/1', '/athena/outputLocation', '/glue/databases/0', '/dataLocation', '/kmsKeys/0', '/options/selfCheck', '/options'].sort(),
    );
    expect(result.issues.find((i) => i.path === '/region')!.message).toBe('must be an AWS region such as eu-west-1');
    expect(JSON.stringify(result.issues)).not.toContain('has spaces');
  });

  it('never repeats the external ID, whatever is wrong around it', () => {
    for (const body of [{ ...valid, externalId: `${EXTERNAL_ID} ` }, { ...valid, externalId: EXTERNAL_ID, region: 1 }, { ...valid, capabilities: ['table-data'] }]) {
      const result = validateSetupRequest(body);
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).not.toContain(EXTERNAL_ID);
    }
  });

  it('requires the external ID, and the locations that scope a grant', () => {
    const { externalId: _, ...withoutId } = valid;
    expect(validateSetupRequest(withoutId)).toMatchObject({ ok: false, issues: [{ path: '/externalId', message: expect.stringMatching(/^is required/) }] });
    expect(validateSetupRequest({ ...valid, athena: { workgroup: 'primary' } })).toMatchObject({ ok: false, issues: [{ path: '/athena/outputLocation', message: expect.stringContaining('query-results') }] });
    expect(validateSetupRequest({ ...valid, athena: {}, capabilities: ['metadata'] }).ok).toBe(true);
    expect(validateSetupRequest({ ...valid, capabilities: ['table-data'] })).toMatchObject({ ok: false, issues: [{ path: '/dataLocation' }] });
    expect(validateSetupRequest({ ...valid, capabilities: ['metadata'], required: ['search'] })).toMatchObject({ ok: false, issues: [{ path: '/required/0' }] });
  });

  it('refuses what is not an object', () => {
    expect(validateSetupRequest([])).toEqual({ ok: false, issues: [{ path: '/', message: 'the body must be a JSON object' }] });
  });
});

// Property-based: whatever the body, validation answers (never throws), names at most 20 issues,
// and never repeats an external ID that is wrong, wherever it sits.
describe('validateSetupRequest, on any body', () => {
  const SECRET = 'fuzz secret value DO-NOT-ECHO 99';
  const nasty = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(SECRET), fc.constant('__proto__'), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 2 }));
  const body = fc.record(
    {
      region: fc.oneof(fc.constant('eu-west-1'), nasty),
      accountId: fc.oneof(fc.constant('123456789012'), nasty),
      externalId: fc.oneof(fc.constant(SECRET), fc.constant(`${SECRET}x`), fc.constant(['acme', SECRET]), fc.constant({ id: SECRET })),
      roleName: nasty,
      capabilities: fc.oneof(fc.array(fc.constantFrom('metadata', 'table-data', 'query-results', 'nope'), { maxLength: 4 }), nasty),
      required: nasty,
      athena: fc.oneof(fc.record({ workgroup: nasty, outputLocation: nasty }, { requiredKeys: [] }), nasty),
      glue: fc.oneof(fc.record({ databases: nasty }, { requiredKeys: [] }), nasty),
      dataLocation: nasty,
      kmsKeys: nasty,
      options: fc.oneof(fc.record({ selfCheck: nasty, [SECRET]: nasty }, { requiredKeys: [] }), nasty),
      extra: nasty,
    },
    { requiredKeys: ['externalId'] },
  );

  it('answers, within 20 issues, never echoing the external ID', () => {
    fc.assert(
      fc.property(body, (value) => {
        const result = validateSetupRequest(value);
        if (result.ok) return;
        expect(result.issues.length).toBeGreaterThan(0);
        expect(result.issues.length).toBeLessThanOrEqual(20);
        for (const issue of result.issues) expect(issue.message).not.toContain('DO-NOT-ECHO');
        if (value.externalId !== undefined) expect(JSON.stringify(result.issues.filter((i) => i.path === '/externalId'))).not.toContain('DO-NOT-ECHO');
      }),
      { numRuns: 300 },
    );
  });
});

// A terminal acts on ESC and CSI; YAML 1.1 (CloudFormation) reads U+0085, U+2028 and U+2029 as
// line breaks; U+202E reverses what follows. None reaches a template: the request is refused.
describe('characters no reader sees as written', () => {
  it.each(['\u001b', '\u0007', '\u0085', '\u2028', '\u202e', '\u009b'])('are refused in every field a template is built from: %j', (control) => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['/dataLocation', { capabilities: ['table-data'], dataLocation: `s3://data-1/x${control}/` }],
      ['/glue/databases/0', { glue: { databases: [`sales${control}`] } }],
      ['/athena/outputLocation', { athena: { outputLocation: `s3://results-1/${control}/` } }],
      ['/athena/workgroup', { athena: { workgroup: `w${control}` } }],
      ['/externalId', { externalId: `id${control}` }],
    ];
    for (const [path, change] of cases) {
      const result = validateSetupRequest({ ...valid, ...change });
      expect(result.ok, path).toBe(false);
      if (!result.ok) expect(result.issues.map((issue) => issue.path)).toContain(path);
    }
  });

  it('never reach the CloudFormation YAML from any name a request may carry', async () => {
    const { buildSetup } = await import('../../src/setup/generate.js');
    const names = fc.sample(fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }), { numRuns: 200, seed: 27 });
    let built = 0;
    for (const name of names) {
      const result = validateSetupRequest({ ...valid, capabilities: ['metadata'], glue: { databases: [name] } });
      if (!result.ok) continue;
      built++;
      const setup = buildSetup(result.input, { trustedPrincipalArn: 'arn:aws:iam::999999999999:role/preflight-service' });
      expect(setup.cloudFormation.yaml).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    }
    expect(built).toBeGreaterThan(20);
  });
});
