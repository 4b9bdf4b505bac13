// glue-table-version: describes the sampled version of the sampled table.
import { describe, expect, it } from 'vitest';
import { glueTableVersion } from '../../src/probes/glue-table-version.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

const facts = { sampleTable: { database: 'sales', name: 'orders' }, tableVersionId: '3' };

describe('glue-table-version', () => {
  it('passes describing the sampled version', async () => {
    const run = await runProbe(glueTableVersion, { facts: { ...facts }, answers: { GetTableVersionCommand: () => ({ TableVersion: { VersionId: '3' } }) } });
    expect(run).toMatchObject({ error: undefined, findings: [] });
    expect(run.sent[0]!.input).toEqual({ CatalogId: '123456789012', DatabaseName: 'sales', TableName: 'orders', VersionId: '3' });
  });

  it('fails on a refusal of glue:GetTableVersion', async () => {
    const run = await runProbe(glueTableVersion, { facts: { ...facts }, answers: { GetTableVersionCommand: () => Promise.reject(accessDenied('glue:GetTableVersion')) } });
    expect(endedWith(run)).toBe('glue:GetTableVersion permission');
  });
});
