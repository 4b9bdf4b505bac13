// glue-databases: one page of databases; an empty listing is a finding with its two usual causes.
import { describe, expect, it } from 'vitest';
import { glueDatabases } from '../../src/probes/glue-databases.js';
import { runProbe } from './fake-run.js';

const listing = (...names: string[]) => ({ GetDatabasesCommand: () => ({ DatabaseList: names.map((Name) => ({ Name })) }) });
const identity = { accountId: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/PreflightReadOnly/preflight-1', userId: 'AROA' };

describe('glue-databases', () => {
  it('passes with the databases as a fact, and no finding', async () => {
    const run = await runProbe(glueDatabases, { answers: listing('default', 'sales') });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: '2 databases on the first page' });
    expect(run.facts.databases).toEqual(['default', 'sales']);
  });

  it("finds NO_DATABASES_VISIBLE, each cause with its fix naming the caller's role", async () => {
    const run = await runProbe(glueDatabases, { facts: { identity }, answers: listing() });
    expect(run.error).toBeUndefined();
    const grant = `aws lakeformation grant-permissions --region eu-west-1 --principal DataLakePrincipalIdentifier=arn:aws:iam::123456789012:role/PreflightReadOnly --permissions DESCRIBE --resource '{"Database":{"Name":"<database>"}}'`;
    expect(run.findings).toEqual([
      {
        code: 'NO_DATABASES_VISIBLE',
        severity: 'high',
        message: 'Glue listed no database in catalog 123456789012: nothing can be ingested.',
        remediation:
          'If databases exist, one of two things hides them. (1) The identity policy allows glue:GetDatabases on the catalog but not on arn:aws:glue:eu-west-1:123456789012:database/*: Glue leaves out of listings what a policy does not allow, so allow glue:GetDatabases on those ARNs too. ' +
          `(2) Lake Formation hides databases the principal has no grant on: grant DESCRIBE (add SELECT to query them): ${grant}`,
        commands: [grant],
        probe: 'glue-databases',
      },
    ]);
  });

  it('finds nothing empty when the connection names its databases', async () => {
    expect((await runProbe(glueDatabases, { request: { glue: { databases: ['sales'] } }, answers: listing() })).findings).toEqual([]);
  });
});

describe('glue-databases beyond the local catalog', () => {
  it('asks for shared databases in the account\'s own catalog (ResourceShareType ALL), and reads each in its owner\'s catalog', async () => {
    const run = await runProbe(glueDatabases, {
      answers: {
        GetDatabasesCommand: () => ({
          DatabaseList: [
            { Name: 'web', CatalogId: '123456789012' },
            { Name: 'sales', CatalogId: '999988887777' },
          ],
        }),
      },
    });
    expect(run.sent[0]!.input).toMatchObject({ CatalogId: '123456789012', ResourceShareType: 'ALL' });
    expect(run.facts.databases).toEqual(['web', 'sales']);
    expect(run.facts.databaseCatalogs).toEqual({ sales: '999988887777' });
    expect(run.findings.map((f) => [f.code, f.message])).toEqual([['SHARED_DATABASES', 'Glue lists 1 database shared from other accounts: sales (account 999988887777).']]);
  });

  it("does not ask for shared databases in another account's catalog or a catalog under the root", async () => {
    for (const catalogId of ['999988887777', 's3tablescatalog/acme']) {
      const run = await runProbe(glueDatabases, { request: { glue: { catalogId } }, answers: listing('ns') });
      expect(run.sent[0]!.input).not.toHaveProperty('ResourceShareType');
      expect(run.sent[0]!.input.CatalogId).toBe(catalogId === '999988887777' ? catalogId : '123456789012:s3tablescatalog/acme');
      expect(run.findings).toEqual([]);
    }
  });

  it('follows a resource link to the account that owns its target (RESOURCE_LINK)', async () => {
    const run = await runProbe(glueDatabases, {
      answers: {
        GetDatabasesCommand: () => ({
          DatabaseList: [{ Name: 'sales_link', CatalogId: '123456789012', TargetDatabase: { CatalogId: '999988887777', DatabaseName: 'sales', Region: 'eu-west-1' } }],
        }),
      },
    });
    expect(run.facts.resourceLinks).toEqual([{ database: 'sales_link', target: { accountId: '999988887777', catalogId: '999988887777', database: 'sales', region: 'eu-west-1' } }]);
    expect(run.findings.map((f) => f.code)).toEqual(['RESOURCE_LINK']);
    expect(run.findings[0]!.remediation).toContain('arn:aws:glue:<region>:999988887777:database/sales');
  });

  it('words NO_DATABASES_VISIBLE with the ARNs of a catalog under the root', async () => {
    const run = await runProbe(glueDatabases, { request: { glue: { catalogId: 's3tablescatalog/acme' } }, facts: { identity }, answers: listing() });
    expect(run.findings[0]!.remediation).toContain('arn:aws:glue:eu-west-1:123456789012:database/s3tablescatalog/acme/*');
  });
});
