// glue-table: describes the sampled table, in the catalog its database is in.
import { describe, expect, it } from 'vitest';
import { glueTable } from '../../src/probes/glue-table.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

const facts = { sampleTable: { database: 'sales', name: 'orders' } };

describe('glue-table', () => {
  it('passes describing the sampled table', async () => {
    const run = await runProbe(glueTable, { facts: { ...facts }, answers: { GetTableCommand: () => ({ Table: { Name: 'orders' } }) } });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: 'described sales.orders' });
    expect(run.sent[0]!.input).toEqual({ CatalogId: '123456789012', DatabaseName: 'sales', Name: 'orders' });
  });

  it('fails on a refusal of glue:GetTable', async () => {
    const run = await runProbe(glueTable, { facts: { ...facts }, answers: { GetTableCommand: () => Promise.reject(accessDenied('glue:GetTable')) } });
    expect(endedWith(run)).toBe('glue:GetTable permission');
  });
});
