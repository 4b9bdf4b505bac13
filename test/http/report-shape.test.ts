// The report shape once: the response schema is an allow-list (a field it does not declare is never
// served), so what POST /preflight answers must be the whole of what the engine built, optional
// fields included. The engine's own object is taken from the run the route made (runPreflight
// wrapped, nothing in production changed) and compared with the served JSON.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type * as Engine from '../../src/preflight/engine.js';
import type { PreflightReport } from '../../src/preflight/types.js';
import { REDACTED_PATHS } from '../../src/app.js';
import { FLAT_FIELDS, FlatRequestSchema, PreflightRequestSchema } from '../../src/schemas/request.js';
import { type Harness, sampleRequest, startHarness } from '../support/service.js';

const built = vi.hoisted(() => [] as PreflightReport[]);
vi.mock('../../src/preflight/engine.js', async (importOriginal) => {
  const engine = await importOriginal<typeof Engine>();
  return {
    ...engine,
    runPreflight: async (...args: Parameters<typeof engine.runPreflight>) => {
      const report = await engine.runPreflight(...args);
      built.push(report);
      return report;
    },
  };
});

const harnesses: Harness[] = [];
afterEach(() => void (built.length = 0));
afterAll(() => Promise.all(harnesses.map((harness) => harness.close())));

async function harnessFor(scenario: Parameters<typeof startHarness>[0]) {
  const harness = await startHarness(scenario);
  harnesses.push(harness);
  return harness;
}

/** Every field path in a JSON value, array items as `*`: 'remediation.trustPolicy.Statement.*.Sid'. */
function paths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => paths(item, `${prefix}*.`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => [`${prefix}${key}`, ...paths(item, `${prefix}${key}.`)]);
}

/** Posts the body and returns the served report, after checking it is the engine's report as JSON.stringify would write it. */
async function servedMatchesBuilt(harness: Harness, body: unknown) {
  const response = await harness.preflight(body);
  expect(response.status).toBe(200);
  expect(built).toHaveLength(1);
  // What JSON.stringify writes of the engine's object (undefined fields left out, as on the wire),
  // deep-equal to what the schema's serialiser wrote: a field the schema does not declare, or
  // declares otherwise (an integer rounded, an enum or a nested object cut), shows here.
  expect(response.body).toStrictEqual(JSON.parse(JSON.stringify(built[0])));
  return response.body as PreflightReport;
}

describe('the served report is the engine report, whole', () => {
  it('for a connection with every grant, canonical and flat requests', async () => {
    const harness = await harnessFor('full-access');
    const report = await servedMatchesBuilt(harness, sampleRequest(harness.sandbox));
    expect(paths(report)).toEqual(expect.arrayContaining(['requestId', 'identity.arn', 'connection.accessKeyId', 'connection.workgroup', 'connection.outputLocation', 'probes.*.detail']));
    built.length = 0;
    const canonical = sampleRequest(harness.sandbox) as { region: string; accountId: string; credentials: { accessKeyId: string; secretAccessKey: string } };
    await servedMatchesBuilt(harness, {
      aws_region: canonical.region,
      aws_account_id: canonical.accountId,
      access_key_id: canonical.credentials.accessKeyId,
      access_key_secret: canonical.credentials.secretAccessKey,
    });
  });

  it('for a KMS key that refuses: errors, who denied them, skips and capability remediation', async () => {
    const harness = await harnessFor('kms-denied');
    const report = await servedMatchesBuilt(harness, sampleRequest(harness.sandbox));
    expect(paths(report)).toEqual(
      expect.arrayContaining(['probes.*.error.deniedBy.policyType', 'probes.*.error.requestId', 'capabilities.*.reasons.*.deniedBy', 'capabilities.*.remediation.statements.*.Condition', 'capabilities.*.impact', 'remediation.policy.Statement']),
    );
  });

  it('for a role that cannot be assumed: the trust policy to give it, and what was skipped for want of it', async () => {
    const harness = await harnessFor('full-access');
    const report = await servedMatchesBuilt(harness, sampleRequest(harness.sandbox, { credentials: { type: 'role', roleArn: 'arn:aws:iam::123456789012:role/PreflightReadOnly', externalId: 'not-the-id' } }));
    expect(report.remediation.trustPolicy).toBeDefined();
    expect(paths(report)).toEqual(expect.arrayContaining(['connection.roleArn', 'connection.externalIdGiven', 'capabilities.*.skipReason', 'probes.*.skipReason', 'findings.*.probe']));
  });

  it("for a remediation over IAM's quota: the numbered policies", async () => {
    const harness = await harnessFor({
      extends: 'full-access',
      name: 'no-glue-many-databases',
      description: 'no Glue rights at all, and a connection limited to many long-named databases',
      users: [{ name: 'analyst', accessKeyId: 'AKIANOGLUE0000000001', secretAccessKey: 'sandbox/analyst/secret/no/glue/00000', policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 'glue:*', Resource: '*' }] }] }],
    });
    const databases = Array.from({ length: 40 }, (_, i) => `analytics_${String(i).padStart(3, '0')}_customer_events_history`);
    const report = await servedMatchesBuilt(harness, sampleRequest(harness.sandbox, { glue: { databases } }));
    expect(report.remediation.policies!.length).toBeGreaterThan(1);
  });
});

describe('the flat format, from its one table', () => {
  it('documents every field of the table but its undocumented aliases, in its order', () => {
    expect(Object.keys(FlatRequestSchema.properties)).toEqual(FLAT_FIELDS.filter((f) => f.documented !== false).map((f) => f.name));
  });

  it('keeps every secret out of the logs, by its flat name too', () => {
    // A flat field is secret when its canonical field is write-only (the schema says so for the documented ones).
    const secretPaths = new Set(['/credentials/secretAccessKey', '/credentials/sessionToken', '/credentials/externalId']);
    const canonicalSecrets = PreflightRequestSchema.properties.credentials.anyOf.flatMap((branch) => Object.entries(branch.properties).filter(([, field]) => (field as { writeOnly?: boolean }).writeOnly).map(([name]) => `/credentials/${name}`));
    expect(new Set(canonicalSecrets)).toEqual(secretPaths);
    for (const { name, path } of FLAT_FIELDS) {
      const documented = (FlatRequestSchema.properties as Record<string, { writeOnly?: boolean }>)[name];
      if (documented) expect(documented.writeOnly === true, name).toBe(secretPaths.has(path));
      if (secretPaths.has(path)) expect(REDACTED_PATHS, name).toContain(`*.${name}`);
    }
  });
});
