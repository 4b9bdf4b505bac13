// athena-databases: lists databases through Athena's own catalog API and samples one for the next probes.
import { describe, expect, it } from 'vitest';
import { athenaDatabases } from '../../src/probes/athena-databases.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

const listing = () => ({ DatabaseList: [{ Name: 'default' }, { Name: 'sales' }] });

describe('athena-databases', () => {
  it('passes and samples a database the connection names when Athena lists it, else the first listed', async () => {
    const named = await runProbe(athenaDatabases, { request: { glue: { databases: ['sales'] } }, answers: { ListDatabasesCommand: listing } });
    expect(named).toMatchObject({ error: undefined, findings: [], detail: '2 databases on the first page' });
    expect(named.facts.athenaDatabase).toBe('sales');
    expect(named.sent[0]!.input).toEqual({ CatalogName: 'AwsDataCatalog', WorkGroup: 'primary', MaxResults: 10 });
    const unnamed = await runProbe(athenaDatabases, { answers: { ListDatabasesCommand: listing } });
    expect(unnamed.facts.athenaDatabase).toBe('default');
  });

  it("fails on a refusal of athena:ListDatabases (or of Glue's listing, which Athena relays)", async () => {
    const run = await runProbe(athenaDatabases, { answers: { ListDatabasesCommand: () => Promise.reject(accessDenied('athena:ListDatabases')) } });
    expect(endedWith(run)).toBe('athena:ListDatabases permission');
  });
});
