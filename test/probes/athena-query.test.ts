// athena-query: one real query on a sampled table (only with options.runQuery), its failure by cause and path.
import { describe, expect, it } from 'vitest';
import { athenaQuery } from '../../src/probes/athena-query.js';
import { endedWith, runProbe } from './fake-run.js';

const request = { options: { runQuery: true }, athena: { outputLocation: 's3://acme-results/athena/' } };
const facts = () => ({ tables: [{ database: 'sales', name: 'orders', partitioned: false, governed: false, location: 's3://acme-lake/sales/orders/' }], sampleTable: { database: 'sales', name: 'orders' } });
const started = { StartQueryExecutionCommand: () => ({ QueryExecutionId: 'qe-1' }) };

describe('athena-query', () => {
  it("passes running the query to completion, which proves Athena's own path to the results and the table's data", async () => {
    const run = await runProbe(athenaQuery, {
      request,
      facts: facts(),
      answers: { ...started, GetQueryExecutionCommand: () => ({ QueryExecution: { Status: { State: 'SUCCEEDED' } } }), GetQueryResultsCommand: () => ({ ResultSet: { Rows: [{}, {}] } }) },
    });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: 'query qe-1 read sales.orders: 2 rows' });
    expect(run.sent[0]!.input).toEqual({
      QueryString: 'SELECT * FROM "sales"."orders" LIMIT 1',
      WorkGroup: 'primary',
      QueryExecutionContext: { Catalog: 'AwsDataCatalog' },
      ResultConfiguration: { OutputLocation: 's3://acme-results/athena/' },
    });
    expect(run.facts.queryProvedAthenaPath).toEqual({ results: true, data: true });
  });

  it("fails where the query failed, naming the table data's refusal as S3's action", async () => {
    const run = await runProbe(athenaQuery, {
      request,
      facts: facts(),
      answers: {
        ...started,
        GetQueryExecutionCommand: () => ({ QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'Permission denied on S3 path: s3://acme-lake/sales/orders/part-0.parquet' } } }),
      },
    });
    expect(endedWith(run)).toBe('s3:GetObject permission');
    expect(run.facts.queryFailure).toMatchObject({ action: 's3:GetObject', path: 'table-data', code: 'TableDataDenied' });
    expect(run.facts.queryProvedAthenaPath).toBeUndefined();
  });
});
