// athena-database: describes the sampled database through Athena's catalog API.
import { describe, expect, it } from 'vitest';
import { athenaDatabase } from '../../src/probes/athena-database.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

const facts = { athenaDatabase: 'sales' };

describe('athena-database', () => {
  it('passes describing the sampled database in the connection\'s catalog and workgroup', async () => {
    const run = await runProbe(athenaDatabase, { facts: { ...facts }, answers: { GetDatabaseCommand: () => ({ Database: { Name: 'sales' } }) } });
    expect(run).toMatchObject({ error: undefined, findings: [] });
    expect(run.sent).toEqual([{ command: 'GetDatabaseCommand', input: { CatalogName: 'AwsDataCatalog', DatabaseName: 'sales', WorkGroup: 'primary' } }]);
  });

  it('fails on a refusal of athena:GetDatabase', async () => {
    const run = await runProbe(athenaDatabase, { facts: { ...facts }, answers: { GetDatabaseCommand: () => Promise.reject(accessDenied('athena:GetDatabase')) } });
    expect(endedWith(run)).toBe('athena:GetDatabase permission');
  });
});
