import { describe, expect, it } from 'vitest';
import { AWS_ACTIONS } from '../../src/catalogue/actions.js';
import { CAPABILITIES, CAPABILITY_IDS } from '../../src/catalogue/capabilities.js';
import { buildRemediationPolicy, buildTrustPolicy, remediationSummary, statementsFor } from '../../src/catalogue/remediation.js';
import type { ResourceScope } from '../../src/catalogue/resources.js';

const scope: ResourceScope = {
  region: 'ap-south-1',
  accountId: '123456789012',
  databases: ['entertainment'],
  workgroup: 'skoot',
  bucket: 'skoot-athena-results',
  prefix: 'results/',
  kmsKeyArns: ['arn:aws:kms:ap-south-1:123456789012:key/1f0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f'],
};

function expectValidIam(policy: { Version: string; Statement: Array<{ Sid?: string; Effect: string; Action: string[]; Resource: string[] }> }) {
  expect(policy.Version).toBe('2012-10-17');
  expect(policy.Statement.length).toBeGreaterThan(0);
  const sids = policy.Statement.map((s) => s.Sid);
  expect(new Set(sids).size).toBe(sids.length);
  for (const statement of policy.Statement) {
    expect(statement.Sid).toMatch(/^[A-Za-z0-9]+$/);
    expect(statement.Effect).toBe('Allow');
    expect(statement.Action.length).toBeGreaterThan(0);
    expect(statement.Resource.length).toBeGreaterThan(0);
    for (const action of statement.Action) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
    for (const resource of statement.Resource) expect(resource === '*' || resource.startsWith('arn:aws:')).toBe(true);
  }
  expect(JSON.parse(JSON.stringify(policy))).toEqual(policy);
}

describe('the catalogue', () => {
  it('lists every capability once, in the contract\'s order, with known actions', () => {
    expect(CAPABILITIES.map((c) => c.id)).toEqual([...CAPABILITY_IDS]);
    for (const capability of CAPABILITIES) {
      expect(capability.core.length).toBeGreaterThan(0);
      for (const action of [...capability.core, ...capability.extended]) expect(AWS_ACTIONS).toContain(action);
    }
    expect(CAPABILITIES.filter((c) => !c.requestedByDefault).map((c) => c.id)).toEqual(['query-execution']);
  });
});

describe('remediation policies', () => {
  it('are valid IAM JSON for every action of every capability', () => {
    const everything = CAPABILITIES.flatMap((c) => [...c.core, ...c.extended]);
    expectValidIam(buildRemediationPolicy(everything, scope));
  });

  it('scope each action to the real resources, never "*" where an ARN exists', () => {
    const policy = buildRemediationPolicy(['glue:GetTables', 'athena:ListQueryExecutions', 's3:PutObject', 's3:ListBucket', 'kms:Decrypt', 'athena:ListWorkGroups', 'cloudtrail:LookupEvents'], scope);
    const resourcesOf = (action: string) => policy.Statement.find((s) => s.Action.includes(action))!.Resource;
    expect(resourcesOf('glue:GetTables')).toEqual([
      'arn:aws:glue:ap-south-1:123456789012:catalog',
      'arn:aws:glue:ap-south-1:123456789012:database/entertainment',
      'arn:aws:glue:ap-south-1:123456789012:table/entertainment/*',
    ]);
    expect(resourcesOf('athena:ListQueryExecutions')).toEqual(['arn:aws:athena:ap-south-1:123456789012:workgroup/skoot']);
    expect(resourcesOf('s3:PutObject')).toEqual(['arn:aws:s3:::skoot-athena-results/results/*']);
    expect(resourcesOf('s3:ListBucket')).toEqual(['arn:aws:s3:::skoot-athena-results']);
    expect(resourcesOf('kms:Decrypt')).toEqual(scope.kmsKeyArns);
    // These two take no resource-level permission: "*" is the only correct value.
    expect(resourcesOf('athena:ListWorkGroups')).toEqual(['*']);
    expect(resourcesOf('cloudtrail:LookupEvents')).toEqual(['*']);
  });

  it('group actions that share resources and stay deterministic', () => {
    const a = statementsFor(['glue:GetTable', 'glue:GetTables', 'glue:GetPartitions'], scope);
    const b = statementsFor(['glue:GetPartitions', 'glue:GetTables', 'glue:GetTable', 'glue:GetTable'], scope);
    expect(a).toEqual(b);
    expect(a).toHaveLength(1);
    expect(a[0]!.Action).toEqual(['glue:GetPartitions', 'glue:GetTable', 'glue:GetTables']);
  });

  it('fall back to the narrowest pattern when a resource is unknown', () => {
    const policy = buildRemediationPolicy(['kms:GenerateDataKey', 'glue:GetDatabase'], { region: 'eu-west-1', accountId: '123456789012' });
    expect(policy.Statement.find((s) => s.Action.includes('kms:GenerateDataKey'))!.Resource).toEqual(['arn:aws:kms:eu-west-1:123456789012:key/*']);
    expect(policy.Statement.find((s) => s.Action.includes('glue:GetDatabase'))!.Resource).toContain('arn:aws:glue:eu-west-1:123456789012:database/*');
  });

  it('write a trust policy that enforces the external ID', () => {
    const trust = buildTrustPolicy({ trustedPrincipalArn: 'arn:aws:iam::999999999999:role/preflight', externalId: 'acme-7f3c2a' });
    expect(trust.Statement[0]).toMatchObject({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:role/preflight' }, Action: ['sts:AssumeRole'], Condition: { StringEquals: { 'sts:ExternalId': 'acme-7f3c2a' } } });
  });

  it('say who must act when an Allow cannot help', () => {
    const summary = remediationSummary({ title: 'Query history' }, ['athena:ListQueryExecutions'], [{ action: 'athena:ListQueryExecutions', policyType: 'scp', explicit: true }]);
    expect(summary).toMatch(/explicit deny in a service control policy/);
    expect(summary).toMatch(/Organizations administrator/);
    expect(remediationSummary({ title: 'Query history' }, ['athena:ListQueryExecutions'], [])).toBe('Allow athena:ListQueryExecutions to restore query history.');
  });
});
