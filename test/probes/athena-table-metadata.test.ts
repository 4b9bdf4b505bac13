// athena-table-metadata: describes the sampled table through Athena's catalog API.
import { describe, expect, it } from 'vitest';
import { athenaTableMetadata } from '../../src/probes/athena-table-metadata.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

const facts = { athenaDatabase: 'sales', athenaTable: 'orders' };

describe('athena-table-metadata', () => {
  it('passes describing the sampled table', async () => {
    const run = await runProbe(athenaTableMetadata, { facts: { ...facts }, answers: { GetTableMetadataCommand: () => ({ TableMetadata: { Name: 'orders' } }) } });
    expect(run).toMatchObject({ error: undefined, findings: [] });
    expect(run.sent).toEqual([{ command: 'GetTableMetadataCommand', input: { CatalogName: 'AwsDataCatalog', DatabaseName: 'sales', TableName: 'orders', WorkGroup: 'primary' } }]);
  });

  it('fails on a refusal of athena:GetTableMetadata', async () => {
    const run = await runProbe(athenaTableMetadata, { facts: { ...facts }, answers: { GetTableMetadataCommand: () => Promise.reject(accessDenied('athena:GetTableMetadata')) } });
    expect(endedWith(run)).toBe('athena:GetTableMetadata permission');
  });
});
