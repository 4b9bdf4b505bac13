// glue-table-versions: lists the sampled table's versions and samples the first.
import { describe, expect, it } from 'vitest';
import { glueTableVersions } from '../../src/probes/glue-table-versions.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

const facts = { sampleTable: { database: 'sales', name: 'orders' } };

describe('glue-table-versions', () => {
  it('passes listing one version of the sampled table, whose id the next probe reads', async () => {
    const run = await runProbe(glueTableVersions, { facts: { ...facts }, answers: { GetTableVersionsCommand: () => ({ TableVersions: [{ VersionId: '3' }] }) } });
    expect(run).toMatchObject({ error: undefined, findings: [] });
    expect(run.facts.tableVersionId).toBe('3');
    expect(run.sent[0]!.input).toEqual({ CatalogId: '123456789012', DatabaseName: 'sales', TableName: 'orders', MaxResults: 1 });
  });

  it('fails on a refusal of glue:GetTableVersions', async () => {
    const run = await runProbe(glueTableVersions, { facts: { ...facts }, answers: { GetTableVersionsCommand: () => Promise.reject(accessDenied('glue:GetTableVersions')) } });
    expect(endedWith(run)).toBe('glue:GetTableVersions permission');
    expect(run.facts.tableVersionId).toBeUndefined();
  });
});
