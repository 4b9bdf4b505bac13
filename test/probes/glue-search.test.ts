// glue-search: one search of the connection's catalog, as catalog search does.
import { describe, expect, it } from 'vitest';
import { glueSearch } from '../../src/probes/glue-search.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

describe('glue-search', () => {
  it("passes searching the connection's catalog", async () => {
    const run = await runProbe(glueSearch, { request: { glue: { catalogId: '444455556666' } }, answers: { SearchTablesCommand: () => ({ TableList: [] }) } });
    expect(run).toMatchObject({ error: undefined, findings: [] });
    expect(run.sent[0]!.input).toEqual({ CatalogId: '444455556666', SearchText: '', MaxResults: 1 });
  });

  it('fails on a refusal of glue:SearchTables', async () => {
    const run = await runProbe(glueSearch, { answers: { SearchTablesCommand: () => Promise.reject(accessDenied('glue:SearchTables')) } });
    expect(endedWith(run)).toBe('glue:SearchTables permission');
  });
});
