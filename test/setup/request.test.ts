// The setup request is judged as POST /preflight judges the same fields, every bad field named,
// and the external ID never repeated in an issue.
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
      ['/credentials', '/region', '/accountId', '/externalId', '/roleName', '/capabilities/1', '/athena/outputLocation', '/glue/databases/0', '/dataLocation', '/kmsKeys/0', '/options/selfCheck', '/options/other'].sort(),
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
