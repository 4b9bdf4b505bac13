import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { authorize } from '../../src/iam/evaluate.js';
import { BUILT_IN_SCENARIO_DIR, ScenarioError, listBuiltInScenarios, loadScenario, parseScenario } from '../../src/sandbox/scenario.js';

const REQUIRED = [
  'full-access',
  'coalesce-glue-only',
  'coalesce-glue-athena',
  'coalesce-full',
  'qualytics',
  'immuta',
  'skoot-scope-a',
  'skoot-scope-b',
  'secoda-user',
  'secoda-role',
  'kms-encrypted-results',
  'kms-denied',
  'lake-formation-governed',
  'scp-deny-athena',
  'permissions-boundary',
  'external-id-not-enforced',
  'bucket-other-region',
  'workgroup-enforced-location',
  'workgroup-disabled',
  'throttled-cloudtrail',
  'slow',
  'hanging-athena',
  // Athena's own path: the caller's calls pass, Athena's for the caller do not.
  'vpce-only-bucket',
  'vpce-only-bucket-athena-exception',
  'source-ip-bucket',
  'bucket-policy-unreadable',
  'results-acl-no-putobjectacl',
  'cse-kms-no-data-key',
  'query-glue-default-denied',
  'query-table-data-denied',
  'lake-formation-default-describe',
  'lake-formation-no-default-database',
  'catalog-encryption-service-role',
];

const minimal = { name: 'tiny', description: 'A tiny account', accountId: '123456789012', region: 'eu-west-1' };
const user = (name: string, accessKeyId = 'AKIAAAAAAAAAAAAAAAAA') => ({ name, accessKeyId, secretAccessKey: 'sandbox/test/secret/key', policies: [] });
const table = (partitions: string[][]) => ({ name: 't', columns: [{ name: 'c', type: 'int' }], partitionKeys: [{ name: 'dt', type: 'string' }], partitions });

describe('built-in scenarios', () => {
  const names = listBuiltInScenarios();

  it('include every scenario the product is tested and demoed on, and no _base', () => {
    expect(names).toEqual(expect.arrayContaining(REQUIRED));
    expect(names).not.toContain('_base');
  });

  describe.each(names)('%s', (name) => {
    const raw = JSON.parse(readFileSync(join(BUILT_IN_SCENARIO_DIR, `${name}.json`), 'utf8')) as Record<string, unknown>;
    const scenario = loadScenario(name);

    it('loads, under its own name, from the shared account', () => {
      expect(scenario.name).toBe(name);
      if (name !== 'full-access') expect(['full-access', '_base']).toContain(raw.extends);
      expect(scenario.accountId).toBe('123456789012');
      expect(scenario.region).toBe('eu-west-1');
    });

    it('says what it models and what a preflight should find', () => {
      expect(scenario.description.length).toBeGreaterThan(80);
      expect(scenario.description).toMatch(/\bok\b|unavailable|degraded|unknown|finding/);
    });

    it('has obviously fake, unique credentials', () => {
      const keys = scenario.users.map((u) => u.accessKeyId);
      for (const key of keys) expect(key).toMatch(/^AKIA[A-Z0-9]{16}$/);
      expect(new Set(keys).size).toBe(keys.length);
      for (const u of scenario.users) {
        expect(u.secretAccessKey.length).toBeGreaterThanOrEqual(16);
        expect(u.secretAccessKey).toContain('sandbox/');
      }
    });

    it('has a realistic catalog, workgroups and a results bucket', () => {
      const tables = scenario.glue.databases.flatMap((d) => d.tables);
      expect(scenario.glue.databases.length).toBeGreaterThanOrEqual(2);
      expect(tables.some((t) => t.partitionKeys.length > 0)).toBe(true);
      expect(tables.some((t) => t.partitionKeys.length === 0 && t.type !== 'VIRTUAL_VIEW')).toBe(true);
      expect(scenario.glue.databases.some((d) => d.functions.length > 0)).toBe(true);
      expect(scenario.athena.workgroups.length).toBeGreaterThanOrEqual(2);
      expect(scenario.athena.workgroups.some((w) => /^s3:\/\/[^/]+\/.+\/$/.test(w.outputLocation ?? ''))).toBe(true);
    });

    it('has a sample connection that names things the scenario has, and no secrets', () => {
      const sample = scenario.sample!;
      expect(sample).toBeDefined();
      const request = sample.request as { athena?: { workgroup?: string; outputLocation?: string }; glue?: { databases?: string[] }; credentials?: unknown };
      expect(request.credentials).toBeUndefined();
      const text = JSON.stringify(sample);
      for (const u of scenario.users) expect(text).not.toContain(u.secretAccessKey);
      if (request.athena?.workgroup) expect(scenario.athena.workgroups.map((w) => w.name)).toContain(request.athena.workgroup);
      for (const database of request.glue?.databases ?? []) expect(scenario.glue.databases.map((d) => d.name)).toContain(database);
      const buckets = scenario.s3.buckets.map((b) => b.name);
      const locations = [request.athena?.outputLocation, ...scenario.athena.workgroups.map((w) => w.outputLocation)].filter(Boolean) as string[];
      for (const location of locations) expect(buckets).toContain(new URL(location).host);
    });

    it('lets the service identity assume a sampled role with the role\'s external ID', () => {
      const [kind, roleName] = scenario.sample!.credentials.split(':');
      if (kind !== 'role') return;
      const role = scenario.roles.find((r) => r.name === roleName)!;
      const service = scenario.users.find((u) => u.serviceIdentity)!;
      const accountId = service.accountId ?? scenario.accountId;
      const decision = authorize(
        {
          action: 'sts:AssumeRole',
          resource: `arn:aws:iam::${role.accountId ?? scenario.accountId}:role/${role.name}`,
          principal: { arn: `arn:aws:iam::${accountId}:user/${service.name}`, accountId },
          resourceAccountId: role.accountId ?? scenario.accountId,
          context: { 'sts:ExternalId': role.externalId },
        },
        { identity: service.policies, resourcePolicy: role.trustPolicy, resourcePolicyRequired: true },
      );
      expect(decision).toEqual({ allowed: true });
    });
  });

  it('model Secoda\'s role as the guide says: trusted by account 482836992928 with an external ID', () => {
    const scenario = loadScenario('secoda-role');
    expect(scenario.users.find((u) => u.serviceIdentity)).toMatchObject({ accountId: '482836992928' });
    const trust = JSON.stringify(scenario.roles[0]!.trustPolicy);
    expect(trust).toContain('arn:aws:iam::482836992928:root');
    expect(trust).toContain('sts:ExternalId');
  });

  it('inject the faults their names promise', () => {
    expect(loadScenario('slow').faults).toEqual([{ latencyMs: 50 }]);
    expect(loadScenario('hanging-athena').faults).toEqual([{ service: 'athena', hang: true }]);
    expect(loadScenario('throttled-cloudtrail').faults).toEqual([{ service: 'cloudtrail', operation: 'LookupEvents', throttle: { probability: 1 } }]);
  });

  it('put the failure modes where the sample looks', () => {
    expect(loadScenario('bucket-other-region').s3.buckets.find((b) => b.name === 'acme-results-us-east-1')?.region).toBe('us-east-1');
    const enforced = loadScenario('workgroup-enforced-location');
    const analytics = enforced.athena.workgroups.find((w) => w.name === 'analytics')!;
    expect(analytics.enforceWorkGroupConfiguration).toBe(true);
    expect(analytics.outputLocation).not.toBe((enforced.sample!.request as { athena: { outputLocation: string } }).athena.outputLocation);
    const disabled = loadScenario('workgroup-disabled');
    expect(disabled.athena.workgroups.find((w) => w.name === (disabled.sample!.request as { athena: { workgroup: string } }).athena.workgroup)?.state).toBe('DISABLED');
    const governed = loadScenario('lake-formation-governed');
    expect(governed.lakeFormation.iamAllowedPrincipalsByDefault).toBe(false);
    expect(governed.glue.databases.find((d) => d.name === 'finance')!.tables.every((t) => t.registeredWithLakeFormation)).toBe(true);
    expect(governed.lakeFormation.grants.some((g) => g.principal.endsWith(':user/analyst'))).toBe(false);
    for (const name of ['kms-encrypted-results', 'kms-denied']) {
      const kms = loadScenario(name);
      expect(kms.s3.buckets.find((b) => b.name === 'acme-athena-results')?.encryption).toMatchObject({ algorithm: 'aws:kms' });
      expect(JSON.stringify(kms.kms.keys[0]!.policy)).toContain('arn:aws:iam::123456789012:root');
    }
  });
});

describe("the scenarios of Athena's own path", () => {
  const statements = (policy: { Statement: unknown } | undefined) => [policy?.Statement ?? []].flat() as Array<Record<string, unknown>>;
  const actionsOf = (scenario: ReturnType<typeof loadScenario>, user: string) =>
    scenario.users.find((u) => u.name === user)!.policies.flatMap((p) => statements(p).flatMap((s) => [s.Action ?? []].flat() as string[]));

  it('put the network and the bucket policy where the sample looks', () => {
    for (const name of ['vpce-only-bucket', 'vpce-only-bucket-athena-exception', 'bucket-policy-unreadable']) {
      const scenario = loadScenario(name);
      const policy = JSON.stringify(scenario.s3.buckets.find((b) => b.name === 'acme-athena-results')!.policy);
      expect(policy, name).toContain(`"aws:SourceVpce":"${scenario.network!.sourceVpce}"`);
      expect(policy.includes('aws:CalledVia'), name).toBe(name === 'vpce-only-bucket-athena-exception');
    }
    expect(JSON.stringify(loadScenario('source-ip-bucket').s3.buckets[0]!.policy)).toContain('"NotIpAddress":{"aws:SourceIp":"198.51.100.0/24"}');
    expect(loadScenario('source-ip-bucket').network).toEqual({ sourceIp: '198.51.100.24' });
    expect(JSON.stringify(loadScenario('query-table-data-denied').s3.buckets.find((b) => b.name === 'acme-data-lake')!.policy)).toContain('aws:SourceVpce');
  });

  it('leave out exactly the grant each one is about', () => {
    expect(actionsOf(loadScenario('bucket-policy-unreadable'), 'analyst')).not.toContain('s3:GetBucketPolicy');
    const acl = loadScenario('results-acl-no-putobjectacl');
    expect(acl.athena.workgroups.find((w) => w.name === 'primary')).toMatchObject({ aclOption: 'BUCKET_OWNER_FULL_CONTROL' });
    expect(actionsOf(acl, 'analyst')).toContain('s3:PutObject');
    expect(actionsOf(acl, 'analyst')).not.toContain('s3:PutObjectAcl');
    const cse = loadScenario('cse-kms-no-data-key');
    expect(cse.athena.workgroups.find((w) => w.name === 'primary')!.encryption).toMatchObject({ option: 'CSE_KMS' });
    expect(JSON.stringify(cse.kms.keys[0]!.policy)).toContain('"NotIpAddress":{"aws:SourceIp":"198.51.100.0/24"}');
    const scoped = JSON.stringify(loadScenario('query-glue-default-denied').users[0]!.policies);
    expect(scoped).toContain('database/sales');
    expect(scoped).not.toMatch(/database\/(default|\*)/);
    const describe = loadScenario('lake-formation-default-describe');
    expect(describe.glue.databases.find((d) => d.name === 'default')).toMatchObject({ registeredWithLakeFormation: true });
    expect(describe.lakeFormation.grants.some((g) => g.database === 'default')).toBe(false);
    const noDefault = loadScenario('lake-formation-no-default-database');
    expect(noDefault.glue.databases.map((d) => d.name)).not.toContain('default');
    expect(noDefault.lakeFormation.databaseCreators).not.toContain('IAM_ALLOWED_PRINCIPALS');
    const serviceRole = loadScenario('catalog-encryption-service-role');
    expect(serviceRole.glue.catalogEncryption).toMatchObject({ mode: 'SSE-KMS-WITH-SERVICE-ROLE', serviceRole: expect.stringMatching(/:role\//) });
    expect(JSON.stringify(serviceRole.users[0]!.policies)).not.toContain(serviceRole.glue.catalogEncryption!.kmsKeyId!.split('/').at(-1));
  });

  it('give every account its default database, but where its absence is the point', () => {
    for (const name of listBuiltInScenarios().filter((n) => n !== 'lake-formation-no-default-database')) {
      expect(loadScenario(name).glue.databases.map((d) => d.name), name).toContain('default');
    }
  });
});

describe('scenario validation', () => {
  it('applies defaults', () => {
    const scenario = parseScenario(minimal);
    expect(scenario.users).toEqual([]);
    expect(scenario.seed).toBe(1);
    expect(scenario.cloudtrail.lookupRatePerSecond).toBe(2);
    expect(scenario.lakeFormation.iamAllowedPrincipalsByDefault).toBe(true);
    expect(scenario.lakeFormation.databaseCreators).toEqual(['IAM_ALLOWED_PRINCIPALS']);
    expect(scenario.network).toBeUndefined();
    expect(parseScenario({ ...minimal, athena: { workgroups: [{ name: 'w' }] } }).athena.workgroups[0]).toMatchObject({ state: 'ENABLED', enforceWorkGroupConfiguration: false });
  });

  it('merges an extended scenario one section deep', () => {
    const workgroups = [{ name: 'primary' }, { name: 'analytics' }, { name: 'extra' }];
    const scenario = parseScenario({ extends: 'full-access', name: 'mine', description: 'full-access with one more workgroup', athena: { workgroups } });
    expect(scenario.athena.workgroups.map((w) => w.name)).toEqual(['primary', 'analytics', 'extra']);
    expect(scenario.athena.dataCatalogs.map((c) => c.name)).toEqual(['AwsDataCatalog']); // kept from _base
    expect(scenario.users.map((u) => u.name)).toContain('analyst'); // kept from full-access
  });

  it.each([
    ['a wrong type', { ...minimal, seed: 'seven' }, '/seed: must be integer'],
    ['an unknown field', { ...minimal, colour: 'blue' }, '/colour'],
    ['an unknown field in a policy statement', { ...minimal, users: [{ ...user('u'), policies: [{ Statement: [{ Effect: 'Allow', Actions: '*', Resource: '*' }] }] }] }, '/users/0/policies/0/Statement/0/Actions'],
    ['a bad account id', { ...minimal, accountId: '1234' }, '/accountId'],
    ['a bad account id of a user', { ...minimal, users: [{ ...user('u'), accountId: '12345678901x' }] }, '/users/0/accountId'],
    ['a bad region', { ...minimal, region: 'Europe' }, '/region'],
    ['a secret that is too short', { ...minimal, users: [{ ...user('u'), secretAccessKey: 'short' }] }, '/users/0/secretAccessKey'],
    ['a duplicate access key id', { ...minimal, users: [user('a'), user('b')] }, '/users/1/accessKeyId'],
    ['a bad policy effect', { ...minimal, users: [{ ...user('u'), policies: [{ Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] }] }] }, '/users/0/policies/0'],
    ['an unknown KMS key on a bucket', { ...minimal, s3: { buckets: [{ name: 'results-bucket', encryption: { algorithm: 'aws:kms', kmsKeyId: 'alias/nope' } }] } }, '/s3/buckets/0/encryption/kmsKeyId: no KMS key alias/nope'],
    ['an unknown KMS key on a workgroup', { ...minimal, athena: { workgroups: [{ name: 'w', encryption: { option: 'SSE_KMS', kmsKey: 'alias/nope' } }] } }, '/athena/workgroups/0/encryption/kmsKey'],
    ['partition values that do not fit the keys', { ...minimal, glue: { databases: [{ name: 'db', tables: [table([['a'], ['a', 'b']])] }] } }, '/glue/databases/0/tables/0/partitions/1: has 2 values for 1 partition keys'],
    ['a table without columns', { ...minimal, glue: { databases: [{ name: 'db', tables: [{ name: 't', columns: [] }] }] } }, '/glue/databases/0/tables/0/columns'],
    ['a fault probability above 1', { ...minimal, faults: [{ throttle: { probability: 2 } }] }, '/faults/0/throttle/probability'],
    ['a base that does not exist', { ...minimal, extends: 'full-acess' }, '/extends names "full-acess"'],
    ['a base that is not a name', { ...minimal, extends: 42 }, '/extends'],
    ['a base given as a path', { ...minimal, extends: '../scenarios/full-access' }, '/extends'],
    ['a sample naming nobody', { ...minimal, sample: { credentials: 'user:ghost', request: {} } }, '/sample/credentials: no user named ghost'],
    ['a role sample without a service identity', { ...minimal, roles: [{ name: 'r', trustPolicy: { Statement: { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: '*' } } }], sample: { credentials: 'role:r', request: {} } }, '/sample/credentials'],
    ['a VPC endpoint detail without the endpoint', { ...minimal, network: { sourceVpc: 'vpc-0a1b2c3d4e5f60718' } }, '/network/sourceVpc: describes a VPC endpoint'],
    ['an endpoint policy without the endpoint', { ...minimal, network: { vpcEndpointPolicy: { Statement: { Effect: 'Allow', Action: '*', Resource: '*', Principal: '*' } } } }, '/network/vpcEndpointPolicy'],
    ['a source address that is not one', { ...minimal, network: { sourceIp: '203.0.113.300' } }, '/network/sourceIp'],
    ['an endpoint id of the wrong shape', { ...minimal, network: { sourceVpce: 'endpoint-1' } }, '/network/sourceVpce'],
    ['a service-role catalog encryption without its role', { ...minimal, glue: { catalogEncryption: { kmsKeyId: 'alias/catalog', mode: 'SSE-KMS-WITH-SERVICE-ROLE' } } }, '/glue/catalogEncryption/serviceRole'],
    ['a catalog encryption role without its mode', { ...minimal, glue: { catalogEncryption: { kmsKeyId: 'alias/catalog', serviceRole: 'arn:aws:iam::123456789012:role/GlueCatalogKey' } } }, '/glue/catalogEncryption/serviceRole'],
    ['a query in a workgroup that does not exist', { ...minimal, athena: { queryExecutions: [{ id: 'q1', workgroup: 'ghost', query: 'SELECT 1', submittedAt: '2026-11-23T09:12:00Z' }] } }, '/athena/queryExecutions/0/workgroup'],
  ])('refuses %s, naming the field', (_what, raw, field) => {
    let error: unknown;
    try {
      parseScenario(raw, 'test.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as Error).message).toContain('test.json');
    expect((error as Error).message).toContain(field);
  });

  it('refuses a file with a mistake, naming the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenario-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...minimal, accountId: 'abc' }));
    expect(() => loadScenario(bad)).toThrow(ScenarioError);
    expect(() => loadScenario(bad)).toThrow(new RegExp(`${bad}.*\\n.*/accountId`));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"name": "x",');
    expect(() => loadScenario(broken)).toThrow(ScenarioError);
    expect(() => loadScenario(broken)).toThrow(broken);
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ extends: 'full-access', name: 'from-file', description: 'full-access, from a file' }));
    expect(loadScenario(good).users.map((u) => u.name)).toContain('analyst');
  });

  it('names an unknown scenario and lists the built-ins', () => {
    expect(() => loadScenario('no-such-scenario')).toThrow(ScenarioError);
    expect(() => loadScenario('no-such-scenario')).toThrow(/no built-in scenario or file named "no-such-scenario" \(built-in: .*full-access/);
  });
});
