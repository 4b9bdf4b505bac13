import { describe, expect, it } from 'vitest';
import { AWS_ACTIONS, isAwsAction } from '../../src/catalogue/actions.js';
import { actionsOf, assumeRoleAction, CAPABILITIES, CAPABILITY_IDS, type CapabilityId, capabilityById } from '../../src/catalogue/capabilities.js';
import { resolveConnection } from '../../src/preflight/connection.js';
import type { ActionResult, ProbeReport } from '../../src/preflight/types.js';
import { type Evidence, decideStatus } from '../../src/preflight/verdict.js';
import { PROBES } from '../../src/probes/registry.js';

/**
 * A run of every probe, each passing with all its calls granted, on an account where every
 * capability applies (a KMS key on the results, a governed table sampled, the query allowed);
 * `refused` (of the probes that inform `capability`) refused for want of a permission.
 */
function runEvidence(capability?: CapabilityId, refused?: string): Evidence {
  const result = (probe: (typeof PROBES)[number], action: string): ActionResult =>
    probe.informs.includes(capability!) && action === refused
      ? { state: 'failed', probe: probe.id, error: { code: 'AccessDenied', category: 'permission', message: `Access denied for ${action}`, deniedBy: { policyType: 'identity', explicit: false } } }
      : { state: 'granted', probe: probe.id };
  return {
    connection: resolveConnection(
      { region: 'eu-west-1', accountId: '123456789012', credentials: { type: 'accessKey', accessKeyId: 'AKIAEXAMPLEEXAMPLE01', secretAccessKey: 'secret-secret-secret-01' }, capabilities: [...CAPABILITY_IDS], options: { runQuery: true } },
      { maxRunMs: 30_000 },
    ),
    facts: {
      workgroup: { name: 'primary', state: 'ENABLED', enforced: false, managedResults: false, encryption: { option: 'SSE_KMS', kmsKey: 'arn:aws:kms:eu-west-1:123456789012:key/results' } },
      tables: [{ database: 'sales', name: 'orders', partitioned: false, governed: true }],
    },
    actions: new Map(),
    actionsByProbe: new Map(PROBES.map((probe) => [probe.id, new Map(probe.actions.map((action) => [action, result(probe, action)]))])),
    probes: new Map(PROBES.map((probe): [string, ProbeReport] => [probe.id, { id: probe.id, service: probe.service, actions: [...probe.actions], outcome: 'pass', startedAtMs: 0, durationMs: 1 }])),
    skipCauses: new Map(),
    findings: [],
    registry: PROBES,
  };
}

describe('the capability catalogue', () => {
  it("lists every capability once, in the contract's order", () => {
    expect(CAPABILITIES.map((c) => c.id)).toEqual([...CAPABILITY_IDS]);
    expect(new Set(CAPABILITY_IDS).size).toBe(CAPABILITY_IDS.length);
  });

  // The contract, as behaviour: with every probe's calls granted a capability is ok; one of its core
  // actions refused makes it unavailable, one of its extended actions degraded (the actions are the
  // probes' roles: src/probes/<id>.ts).
  it.each(CAPABILITY_IDS)('%s: ok when all is granted, unavailable for any core action refused, degraded for any extended one', (id) => {
    const capability = capabilityById(id);
    expect(decideStatus(capability, runEvidence()).status).toBe('ok');
    for (const action of capability.core) expect(decideStatus(capability, runEvidence(id, action)).status, action).toBe('unavailable');
    const called = capability.extended.filter((action) => PROBES.some((probe) => probe.informs.includes(id) && probe.actions.includes(action)));
    expect(called.length + capability.core.length).toBeGreaterThan(0);
    for (const action of called) expect(decideStatus(capability, runEvidence(id, action)).status, action).toBe('degraded');
  });

  it('uses only known actions, each once per capability', () => {
    for (const capability of CAPABILITIES) {
      const actions = actionsOf(capability);
      expect(new Set(actions).size).toBe(actions.length);
      for (const action of actions) expect(isAwsAction(action)).toBe(true);
    }
    expect(new Set(AWS_ACTIONS).size).toBe(AWS_ACTIONS.length);
  });

  it('knows the actions the engine calls outside the table', () => {
    for (const action of [
      'lakeformation:GetDataAccess',
      'sts:AssumeRole',
      'sts:GetCallerIdentity',
      's3:DeleteObject',
      'glue:GetDataCatalogEncryptionSettings',
      'athena:ListDataCatalogs',
      's3:GetEncryptionConfiguration',
      's3:GetLifecycleConfiguration',
      'lakeformation:GetDataLakeSettings',
      'lakeformation:ListPermissions',
    ]) {
      expect(isAwsAction(action)).toBe(true);
    }
    // GetBucketEncryption is the S3 API; IAM authorises it as s3:GetEncryptionConfiguration.
    expect(isAwsAction('s3:GetBucketEncryption')).toBe(false);
  });

  it('requests everything by default except the query that costs money and reading table data', () => {
    expect(CAPABILITIES.filter((c) => !c.requestedByDefault).map((c) => c.id)).toEqual(['query-execution', 'table-data']);
  });

  it("keeps the service's own AssumeRole out of every customer capability", () => {
    expect(assumeRoleAction).toBe('sts:AssumeRole');
    for (const capability of CAPABILITIES) expect(actionsOf(capability)).not.toContain(assumeRoleAction);
  });

  it('says in one sentence what is lost, with a title and a feature', () => {
    for (const capability of CAPABILITIES) {
      expect(capability.title.length).toBeGreaterThan(0);
      expect(capability.feature.length).toBeGreaterThan(0);
      expect(capability.impact).toMatch(/^[A-Z][^.]*\.$/);
    }
    expect(capabilityById('query-history').impact).toBe('Query popularity and lineage will be missing.');
  });

  it('tells that Lake Formation needs grants no IAM policy can carry', () => {
    const note = capabilityById('lake-formation').remediationNote ?? '';
    expect(note).toMatch(/DESCRIBE/);
    expect(note).toMatch(/SELECT/);
  });

  it('finds a capability by id and refuses an unknown one', () => {
    expect(capabilityById('search').id).toBe('search');
    expect(() => capabilityById('nope' as CapabilityId)).toThrow(/unknown capability/);
  });
});

describe("README's table of capabilities", () => {
  it('is the catalogue\'s, as generated (run `npm run openapi` after changing the catalogue)', async () => {
    const { readFileSync } = await import('node:fs');
    const { capabilitiesTable, withCapabilitiesTable } = await import('../../src/catalogue/capabilities.js');
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain(capabilitiesTable());
    expect(withCapabilitiesTable(readme)).toBe(readme);
    // Every capability has its row, with its conditional core said.
    expect(capabilitiesTable()).toMatch(/\| `query-results` \|.*\(\+ `s3:PutObjectAcl` when the workgroup sends an ACL/);
  });
});
