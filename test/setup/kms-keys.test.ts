// `encryption` without kmsKeys: the only scope left for its KMS actions is every key of the account
// in the region (key/*), since KMS's key-use actions take a key ARN and nothing narrows an unnamed
// one. The setup still answers (the page's KMS field is empty by default, and refusing would make
// its default setup fail), and warns, in every form it is read in, as for query-execution without
// dataLocation (test/setup/data-location.test.ts); given keys or aliases, nothing is on key/*.
import { describe, expect, it } from 'vitest';
import { markdownText } from '../../src/catalogue/quote.js';
import type { Setup } from '../../src/setup/generate.js';
import { cliInProcess as cli } from '../support/cli.js';
import { SETUP_EXTERNAL_ID, SETUP_PRINCIPAL as PRINCIPAL, setupFor, setupRoute } from '../support/setup-route.js';
const EVERY_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/*';
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1f0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
const ALIAS = 'arn:aws:kms:eu-west-1:123456789012:alias/athena-results';
const BODY = {
  region: 'eu-west-1',
  accountId: '123456789012',
  externalId: SETUP_EXTERNAL_ID,
  capabilities: ['metadata', 'query-results', 'encryption'],
  athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/primary/' },
};
const ARGS = ['setup', '--region', 'eu-west-1', '--account', '123456789012', '--external-id', SETUP_EXTERNAL_ID, '--trusted-principal', PRINCIPAL, '--capabilities', 'metadata,query-results,encryption', '--workgroup', 'primary', '--output', 's3://acme-athena-results/primary/'];

/** The KMS grants on every key: (action, condition) of each statement with key/* as a resource. */
const onEveryKey = (setup: Setup) =>
  setup.policies.flatMap((p) => p.document.Statement).filter((s) => s.Resource.includes(EVERY_KEY)).map((s) => ({ actions: s.Action, condition: s.Condition ?? null }));

describe('the setup warns of encryption without kmsKeys', () => {
  it('grants the KMS actions on every key of the account, and says so', () => {
    const setup = setupFor(BODY);
    const grants = onEveryKey(setup);
    expect(grants.flatMap((g) => g.actions).sort()).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey']);
    expect(grants.every((g) => g.condition === null)).toBe(true);
    expect(setup.warnings).toEqual([
      'encryption: without kmsKeys this role may use every KMS key of account 123456789012 in eu-west-1 (kms:Decrypt, kms:DescribeKey, kms:GenerateDataKey on key/*): give kmsKeys (the ARNs or aliases of the keys that protect the query results), or leave encryption out if none does',
    ]);
  });

  it('warns of nothing once the keys are named, by ARN or by alias, nor without encryption', () => {
    const withKey = setupFor({ ...BODY, kmsKeys: [KEY] });
    expect(onEveryKey(withKey)).toEqual([]);
    expect(withKey.warnings).toEqual([]);
    // An alias is granted on key/* narrowed to the keys it names (kms:ResourceAliases): scoped, no warning.
    const byAlias = setupFor({ ...BODY, kmsKeys: [ALIAS] });
    expect(onEveryKey(byAlias).length).toBeGreaterThan(0);
    expect(onEveryKey(byAlias).every((g) => JSON.stringify(g.condition).includes('kms:ResourceAliases'))).toBe(true);
    expect(byAlias.warnings).toEqual([]);
    const withoutEncryption = setupFor({ ...BODY, capabilities: ['metadata', 'query-results'] });
    expect(JSON.stringify(withoutEncryption.policies)).not.toContain('kms:');
    expect(withoutEncryption.warnings).toEqual([]);
  });

  it('warns once with both warnings when query-execution lacks its data location too', () => {
    const setup = setupFor({ ...BODY, capabilities: ['metadata', 'query-results', 'query-execution', 'encryption'] });
    expect(setup.warnings.map((w) => w.slice(0, w.indexOf(':')))).toEqual(['query-execution', 'encryption']);
  });

  describe('in every form', () => {
    const route = setupRoute();

    it('POST /setup answers it as JSON and in Markdown', async () => {
      const [warning] = setupFor(BODY).warnings;
      const json = await route(BODY);
      expect(json.statusCode).toBe(200);
      expect(json.json().warnings).toEqual([warning]);
      expect((await route(BODY, 'text/markdown')).body).toContain(`**Warnings**\n\n- ${markdownText(warning!)}\n`);
      expect((await route({ ...BODY, kmsKeys: [KEY] })).json().warnings).toEqual([]);
    });

    it('preflight setup prints it to stderr, the setup alone to stdout', async () => {
      const run = await cli([...ARGS, '--format', 'cloudformation']);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe(`preflight: warning: ${setupFor(BODY).warnings[0]}\n`);
      expect(run.stdout).toBe(setupFor(BODY).cloudFormation.yaml);
      expect(await cli([...ARGS, '--kms-keys', KEY, '--format', 'json'])).toMatchObject({ code: 0, stderr: '' });
    });
  });
});
