// lakeformation-data-access: a governed table's data read through Lake Formation, proved only by a query.
import { describe, expect, it } from 'vitest';
import { lakeformationDataAccess } from '../../src/probes/lakeformation-data-access.js';
import { endedWith, runProbe } from './fake-run.js';

const request = { options: { runQuery: true }, athena: { outputLocation: 's3://acme-results/athena/' } };
const governed = () => ({ tables: [{ database: 'sales', name: 'orders', partitioned: false, governed: true }] });

describe('lakeformation-data-access', () => {
  it("passes on athena-query's read of the governed table, with no query of its own; else on its own query", async () => {
    const earlier = await runProbe(lakeformationDataAccess, { request, facts: { ...governed(), governedQuery: { database: 'sales', name: 'orders' } }, answers: {} });
    expect(earlier).toMatchObject({ error: undefined, findings: [], detail: 'athena-query read sales.orders through Lake Formation' });
    expect(earlier.sent).toEqual([]);
    expect(earlier.evidence.get('lakeformation:GetDataAccess')).toMatchObject({ state: 'granted' });
    const own = await runProbe(lakeformationDataAccess, {
      request,
      facts: governed(),
      answers: {
        StartQueryExecutionCommand: () => ({ QueryExecutionId: 'qe-2' }),
        GetQueryExecutionCommand: () => ({ QueryExecution: { Status: { State: 'SUCCEEDED' } } }),
        GetQueryResultsCommand: () => ({ ResultSet: { Rows: [] } }),
      },
    });
    expect(own).toMatchObject({ error: undefined, detail: 'read sales.orders through Lake Formation' });
    expect(own.sent[0]!.input).toMatchObject({ QueryString: 'SELECT * FROM "sales"."orders" LIMIT 1' });
  });

  it("fails with Lake Formation's refusal of the query: the grant it names", async () => {
    const run = await runProbe(lakeformationDataAccess, {
      request,
      facts: governed(),
      answers: {
        StartQueryExecutionCommand: () => ({ QueryExecutionId: 'qe-2' }),
        GetQueryExecutionCommand: () => ({ QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'Insufficient Lake Formation permission(s) on orders' } } }),
      },
    });
    expect(endedWith(run)).toBe('lakeformation:GetDataAccess permission');
    expect(run.facts.queryFailure).toMatchObject({ path: 'lake-formation', lakeFormation: { permission: 'SELECT', on: { table: 'orders' } } });
  });
});
