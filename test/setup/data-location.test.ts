// The tables' data location for query-execution: Athena reads an ungoverned table's data with the
// caller's rights, so setupPolicies grants query-execution the data location's read (table-data's
// grant, scoped the same way, once when both are asked for); without dataLocation the setup still
// answers, and warns, in every form it is read in (JSON, Markdown, the CLI's stderr).
import { describe, expect, it } from 'vitest';
import { capabilityById } from '../../src/catalogue/capabilities.js';
import { type ResourceScope, setupPolicies } from '../../src/catalogue/remediation.js';
import { markdownText } from '../../src/catalogue/quote.js';
import { renderSetupMarkdown } from '../../src/setup/markdown.js';
import { cliInProcess as cli } from '../support/cli.js';
import { SETUP_EXTERNAL_ID as EXTERNAL_ID, SETUP_PRINCIPAL as PRINCIPAL, setupFor, setupRoute } from '../support/setup-route.js';

describe('setupPolicies: the data location for query-execution', () => {
  const scope: ResourceScope = { region: 'eu-west-1', accountId: '123456789012', workgroup: 'primary', bucket: 'acme-athena-results', prefix: 'primary/' };
  const data = { bucket: 'acme-data-lake', prefix: 'sales/' };
  const dataKey = 'arn:aws:kms:eu-west-1:123456789012:key/data';
  const [queries, table, metadata] = (['query-execution', 'table-data', 'metadata'] as const).map(capabilityById);
  const statementsOf = (policies: ReturnType<typeof setupPolicies>) => policies.identityPolicies.flatMap((p) => p.document.Statement);
  /** Every (action, resource, condition) a policy set grants, once per statement that grants it. */
  const grants = (policies: ReturnType<typeof setupPolicies>) =>
    statementsOf(policies).flatMap((s) => s.Action.flatMap((action) => s.Resource.map((arn) => JSON.stringify([action, arn, s.Condition ?? null]))));
  const set = (items: string[]) => [...new Set(items)].sort();

  it("grants query-execution exactly what table-data gets on the data location, on top of its own grants", () => {
    for (const dataScope of [data, { ...data, kmsKeyArns: [dataKey] }]) {
      const withData = grants(setupPolicies([queries!], scope, dataScope));
      expect(set(withData)).toEqual(set([...grants(setupPolicies([queries!], scope)), ...grants(setupPolicies([table!], scope, dataScope))]));
    }
  });

  it('reads the data location by its prefix: ListBucket under it, GetObject on its objects, Decrypt of its key through S3 only', () => {
    const statements = statementsOf(setupPolicies([queries!], scope, { ...data, kmsKeyArns: [dataKey] }));
    const on = (arn: string) => statements.filter((s) => s.Resource.includes(arn));
    expect(on('arn:aws:s3:::acme-data-lake')).toEqual([expect.objectContaining({ Action: ['s3:ListBucket'], Condition: { StringLike: { 's3:prefix': ['sales/', 'sales/*'] } } })]);
    expect(on('arn:aws:s3:::acme-data-lake/sales/*').flatMap((s) => s.Action)).toEqual(['s3:GetObject']);
    expect(on(dataKey)).toEqual([expect.objectContaining({ Action: ['kms:Decrypt'], Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } } })]);
  });

  it('grants the data location once when table-data is asked for too: no grant in two statements, no statement twice', () => {
    const both = setupPolicies([metadata!, queries!, table!], scope, { ...data, kmsKeyArns: [dataKey] });
    const all = grants(both);
    expect(all.length).toBeGreaterThan(0);
    expect(all).toEqual([...new Set(all)]);
    const sids = statementsOf(both).map((s) => s.Sid);
    expect(sids).toEqual([...new Set(sids)]);
    const dataGrants = all.filter((g) => g.includes('acme-data-lake') || g.includes(dataKey));
    expect(set(dataGrants)).toEqual(set(grants(setupPolicies([table!], scope, { ...data, kmsKeyArns: [dataKey] }))));
    // The same as query-execution alone with the data location, and metadata's own grants.
    expect(set(all)).toEqual(set([...grants(setupPolicies([metadata!, queries!], scope, { ...data, kmsKeyArns: [dataKey] }))]));
  });

  it('without a data location, query-execution names no bucket but the results location', () => {
    const buckets = statementsOf(setupPolicies([queries!], scope)).flatMap((s) => s.Resource).filter((arn) => arn.startsWith('arn:aws:s3:::'));
    expect(buckets.length).toBeGreaterThan(0);
    expect(buckets.every((arn) => arn.startsWith('arn:aws:s3:::acme-athena-results'))).toBe(true);
  });

  it('gives a capability that reads no data nothing on the data location', () => {
    expect(grants(setupPolicies([metadata!], scope, data)).filter((g) => g.includes('acme-data-lake'))).toEqual([]);
  });
});

const BODY = {
  region: 'eu-west-1',
  accountId: '123456789012',
  externalId: EXTERNAL_ID,
  capabilities: ['metadata', 'query-results', 'query-execution'],
  athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/primary/' },
};
const ARGS = ['setup', '--region', 'eu-west-1', '--account', '123456789012', '--external-id', EXTERNAL_ID, '--trusted-principal', PRINCIPAL, '--capabilities', 'metadata,query-results,query-execution', '--workgroup', 'primary', '--output', 's3://acme-athena-results/primary/'];

describe('the setup warns of query-execution without dataLocation', () => {
  const route = setupRoute();

  it('warns, still answering the role, and grants no data location', () => {
    const setup = setupFor(BODY);
    expect(setup.warnings).toEqual([expect.stringMatching(/^query-execution: Athena reads the tables' data with the caller's rights; without dataLocation .*: give dataLocation \(s3:\/\/bucket\/prefix\/ of the tables\)$/)]);
    expect(setup.policies.length).toBeGreaterThan(0);
    expect(JSON.stringify(setup.policies)).not.toContain('acme-data-lake');
  });

  it('warns of nothing with dataLocation, nor where no query runs', () => {
    const withData = setupFor({ ...BODY, dataLocation: 's3://acme-data-lake/sales/' });
    expect(withData.warnings).toEqual([]);
    expect(JSON.stringify(withData.policies)).toContain('arn:aws:s3:::acme-data-lake/sales/*');
    expect(setupFor({ ...BODY, capabilities: ['metadata', 'query-results'] }).warnings).toEqual([]);
  });

  it('POST /setup answers the warning as JSON (the schema keeps it) and in Markdown', async () => {
    const warnings = setupFor(BODY).warnings;
    const json = await route(BODY);
    expect(json.statusCode).toBe(200);
    expect(json.json().warnings).toEqual(warnings);
    expect((await route({ ...BODY, dataLocation: 's3://acme-data-lake/' })).json().warnings).toEqual([]);
    const markdown = await route(BODY, 'text/markdown');
    expect(markdown.body).toContain(`**Warnings**\n\n- ${markdownText(warnings[0]!)}\n`);
    expect(renderSetupMarkdown(setupFor({ ...BODY, dataLocation: 's3://acme-data-lake/' }))).not.toContain('Warnings');
  });

  it('preflight setup prints the warning to stderr, the setup alone to stdout', async () => {
    const warnings = setupFor(BODY).warnings;
    const run = await cli([...ARGS, '--format', 'cloudformation']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`preflight: warning: ${warnings[0]}\n`);
    expect(run.stdout).toBe(setupFor(BODY).cloudFormation.yaml);
    const quiet = await cli([...ARGS, '--data-location', 's3://acme-data-lake/', '--format', 'json']);
    expect(quiet).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(quiet.stdout).warnings).toEqual([]);
  });
});
