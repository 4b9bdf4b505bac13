// Catalogs beyond the account's default, end to end: the service's SDK clients sign
// real requests to the sandbox, which holds another account's catalog (with its Glue resource
// policy), a catalog under the root (S3 Tables) and a Lake Formation share through a resource link.
// What each report must name: the catalog it checked, and the account whose owner must act.
import { afterAll, describe, expect, it } from 'vitest';
import type { PreflightReport } from '../../src/preflight/types.js';
import { loadScenario } from '../../src/sandbox/scenario.js';
import { type Harness, runSample, sampleRequest, startHarness } from '../support/service.js';

const harnesses: Harness[] = [];
afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
});

const run = (scenario: Parameters<typeof startHarness>[0], extra: Record<string, unknown> = {}) => runSample(harnesses, scenario, extra);

const capability = (report: PreflightReport, id: string) => report.capabilities.find((c) => c.id === id)!;
const OWNER = '999988887777';
const ANALYST = 'arn:aws:iam::123456789012:user/analyst';

describe("another account's catalog", () => {
  it('reads it with the owner account in every call, and names it in the report', async () => {
    const { report } = await run('cross-account-catalog');
    expect(report.connection.catalog).toEqual({ id: OWNER, accountId: OWNER });
    expect(capability(report, 'metadata').status).toBe('ok');
    expect(report.probes.find((p) => p.id === 'glue-databases')!.outcome).toBe('pass');
    expect(report.remediation.otherAccounts).toBeUndefined();
  });

  it("says the owner must act when its catalog's resource policy refuses: the statement for it, and this account's identity grants on its ARNs", async () => {
    const { report } = await run('cross-account-catalog-denied');
    const metadata = capability(report, 'metadata');
    expect(metadata.status).toBe('unavailable');
    expect(metadata.reasons[0]).toMatchObject({ action: 'glue:GetDatabases', deniedBy: { policyType: 'resource', explicit: false } });
    expect(metadata.remediation!.summary).toContain(`the owner of account ${OWNER} must allow this principal`);
    // This account's side: the reads, on the owner's ARNs; and the default database Athena looks up
    // in this account's own root catalog, whichever catalog the connection selects.
    const identityArns = metadata.remediation!.statements.flatMap((s) => s.Resource);
    expect(identityArns.length).toBeGreaterThan(0);
    const OWN = ['arn:aws:glue:eu-west-1:123456789012:catalog', 'arn:aws:glue:eu-west-1:123456789012:database/default'];
    expect(identityArns.every((arn) => arn.startsWith(`arn:aws:glue:eu-west-1:${OWNER}:`) || OWN.includes(arn))).toBe(true);
    expect(identityArns.filter((arn) => arn.endsWith('/default'))).toEqual(OWN.slice(1));
    // The owner's side, once per account in the report.
    const [fix, ...more] = report.remediation.otherAccounts!;
    expect(more).toEqual([]);
    expect(fix!.accountId).toBe(OWNER);
    expect(fix!.summary).toContain('aws glue put-resource-policy');
    // It replaces the whole policy: read it with its hash, merge, and write it back on that hash.
    expect(fix!.commands).toEqual([
      'aws glue get-resource-policy --region eu-west-1',
      expect.stringMatching(/^aws glue put-resource-policy --region eu-west-1 --policy-in-json file:\/\/policy\.json --policy-hash-condition /),
      'aws glue put-resource-policy --region eu-west-1 --policy-in-json file://policy.json --policy-exists-condition NOT_EXIST',
    ]);
    const statements = fix!.resourcePolicy!.Statement;
    expect(statements.every((s) => s.Principal.AWS === ANALYST && s.Effect === 'Allow')).toBe(true);
    expect(statements.flatMap((s) => s.Action)).toEqual(expect.arrayContaining(['glue:GetDatabases', 'glue:GetTables']));
    expect(statements.flatMap((s) => s.Resource).every((arn) => arn.startsWith(`arn:aws:glue:eu-west-1:${OWNER}:`))).toBe(true);
    expect(new Set(statements.map((s) => s.Sid)).size).toBe(statements.length);
    expect(report.remediation.notes.join(' ')).toContain(OWNER);
  });

  it("finds that Athena's data catalog reads another catalog than the one checked", async () => {
    const { report } = await run('athena-catalog-other-account');
    const finding = report.findings.find((f) => f.code === 'ATHENA_CATALOG_MISMATCH')!;
    expect(finding.message).toContain(`"partner" reads Glue catalog ${OWNER}`);
    expect(finding.remediation).toContain(`glue.catalogId ${OWNER}`);
    // Checking the catalog Athena reads makes the finding go.
    const again = await run('cross-account-catalog');
    expect(again.report.findings.map((f) => f.code)).not.toContain('ATHENA_CATALOG_MISMATCH');
  });
});

describe('a catalog under the root (S3 Tables)', () => {
  it('describes it and reads it by <account>:<path>', async () => {
    const { report } = await run('named-catalog');
    expect(report.connection.catalog).toEqual({ id: '123456789012:s3tablescatalog/acme-tables', accountId: '123456789012', name: 's3tablescatalog/acme-tables' });
    expect(report.probes.find((p) => p.id === 'glue-catalog')).toMatchObject({ outcome: 'pass', detail: 'described catalog 123456789012:s3tablescatalog/acme-tables' });
    expect(capability(report, 'metadata').status).toBe('ok');
  });

  it('grants the catalog, its parent and what is under them by path when the identity policy names only the default catalog', async () => {
    const { report } = await run('named-catalog-denied');
    const metadata = capability(report, 'metadata');
    expect(metadata.status).toBe('unavailable');
    expect(metadata.missingActions).toEqual(expect.arrayContaining(['glue:GetCatalog', 'glue:GetDatabases']));
    expect(metadata.reasons.every((r) => r.deniedBy?.policyType === 'identity')).toBe(true);
    const arns = report.remediation.policy!.Statement.flatMap((s) => s.Resource);
    expect(arns).toEqual(
      expect.arrayContaining([
        'arn:aws:glue:eu-west-1:123456789012:catalog/s3tablescatalog',
        'arn:aws:glue:eu-west-1:123456789012:catalog/s3tablescatalog/acme-tables',
        'arn:aws:glue:eu-west-1:123456789012:database/s3tablescatalog/acme-tables/*',
      ]),
    );
    expect(report.remediation.otherAccounts).toBeUndefined();
  });

  it('finds a catalog that is not there, and lists what is', async () => {
    // With Glue reads on every catalog (else IAM refuses before Glue looks: a named ARN matches no other).
    const scenario = structuredClone(loadScenario('named-catalog'));
    scenario.users[0]!.policies.push({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'glue:Get*', Resource: '*' }] } as (typeof scenario.users)[number]['policies'][number]);
    const { report } = await run(scenario, { glue: { catalogId: 's3tablescatalog/no-such-bucket' } });
    expect(capability(report, 'metadata').status).toBe('unavailable');
    const finding = report.findings.find((f) => f.code === 'CATALOG_NOT_FOUND')!;
    expect(finding.message).toContain('123456789012:s3tablescatalog/no-such-bucket');
    expect(finding.remediation).toContain('s3tablescatalog/acme-tables');
  });

  it("tells, checking the default catalog, that the account has others", async () => {
    const { report } = await run('named-catalog', { glue: {}, athena: { workgroup: 'primary' } });
    expect(report.findings.find((f) => f.code === 'OTHER_CATALOGS')!.message).toContain('s3tablescatalog/acme-tables');
  });
});

describe('a database shared through Lake Formation, read through a resource link', () => {
  it('counts the shared database, follows the link to its owner, and reads the tables there', async () => {
    const { report } = await run('lake-formation-shared-database');
    expect(report.probes.find((p) => p.id === 'glue-databases')!.detail).toContain('shared from other accounts');
    expect(report.findings.find((f) => f.code === 'RESOURCE_LINK')!.message).toBe(`sales_link is a resource link to sales in account ${OWNER}: reading through it was checked.`);
    expect(capability(report, 'metadata').status).toBe('ok');
    // Functions are not part of the share: the owner's resource policy must allow them.
    const functions = capability(report, 'functions');
    expect(functions.remediation!.otherAccounts![0]!.resourcePolicy!.Statement.flatMap((s) => s.Resource)).toContain(`arn:aws:glue:eu-west-1:${OWNER}:userDefinedFunction/sales/*`);
  });

  it("names the owner and the grants on both sides when the share is gone", async () => {
    const { report } = await run('lake-formation-share-revoked');
    const metadata = capability(report, 'metadata');
    expect(metadata.status).toBe('unavailable');
    expect(metadata.reasons.some((r) => r.deniedBy?.policyType === 'lake-formation')).toBe(true);
    const fix = report.remediation.otherAccounts!.find((f) => f.accountId === OWNER)!;
    expect(fix.summary).toContain(`the owner of ${OWNER} must share sales with account 123456789012`);
    // The owner shares with the account; this account's administrator then grants its principal, and DESCRIBE on the link.
    expect(fix.commands).toEqual([
      expect.stringContaining(`--principal DataLakePrincipalIdentifier=123456789012 --permissions DESCRIBE --permissions-with-grant-option DESCRIBE --resource '{"Database":{"CatalogId":"${OWNER}","Name":"sales"}}'`),
      expect.stringContaining(`--principal DataLakePrincipalIdentifier=123456789012 --permissions DESCRIBE SELECT`),
      // Outside one organization, the share waits as an AWS RAM invitation this account accepts.
      expect.stringMatching(new RegExp(`^aws ram get-resource-share-invitations --region eu-west-1 --query .*${OWNER}`)),
      expect.stringMatching(/^aws ram accept-resource-share-invitation --region eu-west-1 --resource-share-invitation-arn /),
      expect.stringContaining(`--principal DataLakePrincipalIdentifier=${ANALYST} --permissions DESCRIBE SELECT --resource '{"Table":{"CatalogId":"${OWNER}","DatabaseName":"sales","TableWildcard":{}}}'`),
      expect.stringContaining(`--principal DataLakePrincipalIdentifier=${ANALYST} --permissions DESCRIBE --resource '{"Database":{"Name":"sales_link"}}'`),
    ]);
    // No IAM Allow lifts a Lake Formation refusal.
    expect(metadata.remediation!.statements).toEqual([]);
  });
});

describe('the catalog selection in the request', () => {
  it('takes the seeds\' flat format (catalog_id) and a catalog ARN', async () => {
    const harness = await startHarness('named-catalog');
    harnesses.push(harness);
    const { glue: _glue, ...canonical } = sampleRequest(harness.sandbox);
    const user = harness.sandbox.scenario.users.find((u) => u.name === 'analyst')!;
    const flat = await harness.preflight({
      aws_region: 'eu-west-1',
      aws_account_id: '123456789012',
      access_key_id: user.accessKeyId,
      access_key_secret: user.secretAccessKey,
      catalog: 's3tablescatalog/acme-tables',
      catalog_id: 's3tablescatalog/acme-tables',
    });
    expect(flat.status).toBe(200);
    expect((flat.body as PreflightReport).connection.catalog!.id).toBe('123456789012:s3tablescatalog/acme-tables');
    const byArn = await harness.preflight({ ...canonical, glue: { catalogId: 'arn:aws:glue:eu-west-1:123456789012:catalog/s3tablescatalog/acme-tables' } });
    expect((byArn.body as PreflightReport).connection.catalog).toMatchObject({ accountId: '123456789012', name: 's3tablescatalog/acme-tables' });
  });

  it('names the field when the selection is not a catalog, or is a catalog of another region', async () => {
    const harness = await startHarness('named-catalog');
    harnesses.push(harness);
    const bad = await harness.preflight(sampleRequest(harness.sandbox, { glue: { catalogId: 'Not A Catalog' } }));
    expect(bad.status).toBe(400);
    expect((bad.body as { issues: Array<{ path: string }> }).issues.map((i) => i.path)).toEqual(['/glue/catalogId']);
    const elsewhere = await harness.preflight(sampleRequest(harness.sandbox, { glue: { catalogId: 'arn:aws:glue:us-east-1:123456789012:catalog/s3tablescatalog/acme-tables' } }));
    expect(elsewhere.status).toBe(400);
    expect(JSON.stringify(elsewhere.body)).toContain("not in the connection's region eu-west-1");
  });
});
