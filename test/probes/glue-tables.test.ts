// glue-tables: one page of tables from a few databases, and the samples later probes use; an empty
// listing is a finding with its two usual causes.
import { describe, expect, it } from 'vitest';
import { glueTables } from '../../src/probes/glue-tables.js';
import { runProbe } from './fake-run.js';

const tables = (byDatabase: Record<string, unknown[]>) => ({ GetTablesCommand: ({ DatabaseName }: Record<string, unknown>) => ({ TableList: byDatabase[DatabaseName as string] ?? [] }) });

describe('glue-tables', () => {
  it('picks a sample table and a partitioned one, and finds nothing', async () => {
    const run = await runProbe(glueTables, {
      request: { glue: { databases: ['sales'] } },
      answers: tables({ sales: [{ Name: 'v', TableType: 'VIRTUAL_VIEW' }, { Name: 'orders', PartitionKeys: [{ Name: 'day' }], StorageDescriptor: { Location: 's3://lake/orders/' } }] }),
    });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: '2 tables in sales' });
    expect(run.facts).toMatchObject({ sampleTable: { database: 'sales', name: 'orders' }, partitionedTable: { database: 'sales', name: 'orders' } });
  });

  it("finds NO_TABLES_VISIBLE in one database, with that database's ARNs and grant", async () => {
    const run = await runProbe(glueTables, { request: { glue: { databases: ['sales'] } }, answers: tables({}) });
    const [finding] = run.findings;
    expect(finding).toMatchObject({ code: 'NO_TABLES_VISIBLE', severity: 'high', probe: 'glue-tables', message: 'Glue listed no table in sales: no table can be ingested from it.' });
    expect(finding!.remediation).toContain('allows glue:GetTables on the catalog but not on arn:aws:glue:eu-west-1:123456789012:table/sales/*');
    // The placeholder is quoted: `<` and `>` are redirections to a shell.
    expect(finding!.remediation).toContain(`'DataLakePrincipalIdentifier=<principal-arn>' --permissions DESCRIBE --resource '{"Table":{"DatabaseName":"sales","TableWildcard":{}}}'`);
  });

  it('finds NO_TABLES_VISIBLE across several databases in the plural, with every table ARN', async () => {
    const run = await runProbe(glueTables, { facts: { databases: ['sales', 'finance'] }, answers: tables({}) });
    const [finding] = run.findings;
    expect(finding!.message).toBe('Glue listed no table in sales, finance: no table can be ingested from them.');
    expect(finding!.remediation).toContain('arn:aws:glue:eu-west-1:123456789012:table/*/*');
  });
});

describe('glue-tables and table resource links', () => {
  it("records a table that is a resource link to another account's table, and says so (RESOURCE_LINK)", async () => {
    const run = await runProbe(glueTables, {
      request: { glue: { databases: ['web'] } },
      answers: {
        GetTablesCommand: () => ({
          TableList: [
            { Name: 'visits', StorageDescriptor: { Location: 's3://acme/web/visits/' } },
            { Name: 'orders_link', TargetTable: { CatalogId: '999988887777', DatabaseName: 'sales', Name: 'orders', Region: 'eu-west-1' } },
          ],
        }),
      },
    });
    expect(run.facts.resourceLinks).toEqual([{ database: 'web', table: 'orders_link', target: { accountId: '999988887777', catalogId: '999988887777', database: 'sales', table: 'orders', region: 'eu-west-1' } }]);
    expect(run.findings.map((f) => [f.code, f.message])).toEqual([['RESOURCE_LINK', 'web.orders_link is a resource link to sales.orders in account 999988887777: reading through it was checked.']]);
  });
});
