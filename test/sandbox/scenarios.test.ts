import { describe, expect, it } from 'vitest';
import { ScenarioError, listBuiltInScenarios, loadScenario, parseScenario } from '../../src/sandbox/scenario.js';

const minimal = { name: 'tiny', description: 'A tiny account', accountId: '123456789012', region: 'eu-west-1' };

describe('scenarios', () => {
  it('loads every built-in scenario, with the seeds and failure modes the product is tested on', () => {
    const names = listBuiltInScenarios();
    for (const required of [
      'full-access', 'coalesce-glue-only', 'coalesce-glue-athena', 'coalesce-full', 'qualytics', 'immuta', 'skoot-scope-a', 'skoot-scope-b',
      'secoda-user', 'secoda-role', 'kms-encrypted-results', 'kms-denied', 'lake-formation-governed', 'scp-deny-athena', 'permissions-boundary',
      'external-id-not-enforced', 'bucket-other-region', 'workgroup-enforced-location', 'workgroup-disabled', 'throttled-cloudtrail', 'slow', 'hanging-athena',
    ]) {
      expect(names).toContain(required);
    }
    for (const name of names) {
      const scenario = loadScenario(name);
      expect(scenario.name).toBe(name);
      expect(scenario.description.length).toBeGreaterThan(40);
      expect(scenario.sample, `${name} has a sample connection`).toBeDefined();
    }
  });

  it('applies defaults', () => {
    const scenario = parseScenario(minimal);
    expect(scenario.users).toEqual([]);
    expect(scenario.cloudtrail.lookupRatePerSecond).toBe(2);
    expect(scenario.lakeFormation.iamAllowedPrincipalsByDefault).toBe(true);
  });

  it.each([
    ['a wrong type', { ...minimal, seed: 'seven' }, '/seed'],
    ['an unknown field', { ...minimal, colour: 'blue' }, 'colour'],
    ['a bad account id', { ...minimal, accountId: '1234' }, '/accountId'],
    ['an unknown KMS key', { ...minimal, s3: { buckets: [{ name: 'results-bucket', encryption: { algorithm: 'aws:kms', kmsKeyId: 'alias/nope' } }] } }, '/s3/buckets/0/encryption/kmsKeyId'],
    [
      'partition values that do not fit the keys',
      { ...minimal, glue: { databases: [{ name: 'db', tables: [{ name: 't', columns: [{ name: 'c', type: 'int' }], partitionKeys: [{ name: 'dt', type: 'string' }], partitions: [['a', 'b']] }] }] } },
      '/glue/databases/0/tables/0/partitions/0',
    ],
    ['a base that does not exist', { ...minimal, extends: 'no-such-base' }, '/extends'],
    ['a sample naming nobody', { ...minimal, sample: { credentials: 'user:ghost', request: {} } }, '/sample/credentials'],
    ['a bad policy effect', { ...minimal, users: [{ name: 'u', accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: 'x'.repeat(20), policies: [{ Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] }] }] }, '/users/0/policies/0'],
  ])('refuses %s, naming the field', (_what, raw, field) => {
    expect(() => parseScenario(raw, 'test.json')).toThrow(ScenarioError);
    expect(() => parseScenario(raw, 'test.json')).toThrow(field);
  });

  it('names the file and the JSON error of a broken file', () => {
    expect(() => loadScenario('/nonexistent/file.json')).toThrow(/no built-in scenario or file/);
  });
});
