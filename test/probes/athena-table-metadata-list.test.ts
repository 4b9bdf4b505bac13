// athena-table-metadata-list: lists the sampled database's tables through Athena and samples one.
import { describe, expect, it } from 'vitest';
import { athenaTableMetadataList } from '../../src/probes/athena-table-metadata-list.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

const facts = { athenaDatabase: 'sales' };

describe('athena-table-metadata-list', () => {
  it('passes and samples the first table listed', async () => {
    const run = await runProbe(athenaTableMetadataList, { facts: { ...facts }, answers: { ListTableMetadataCommand: () => ({ TableMetadataList: [{ Name: 'orders' }, { Name: 'refunds' }] }) } });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: '2 tables on the first page' });
    expect(run.facts.athenaTable).toBe('orders');
    expect(run.sent[0]!.input).toEqual({ CatalogName: 'AwsDataCatalog', DatabaseName: 'sales', WorkGroup: 'primary', MaxResults: 10 });
  });

  it('fails on a refusal of athena:ListTableMetadata, sampling no table', async () => {
    const run = await runProbe(athenaTableMetadataList, { facts: { ...facts }, answers: { ListTableMetadataCommand: () => Promise.reject(accessDenied('athena:ListTableMetadata')) } });
    expect(endedWith(run)).toBe('athena:ListTableMetadata permission');
    expect(run.facts.athenaTable).toBeUndefined();
  });
});
