// Which Glue catalog Athena's queries really read: a GLUE data catalog's catalog-id.
import { describe, expect, it } from 'vitest';
import { athenaDataCatalog } from '../../src/probes/athena-data-catalog.js';
import { awsError, runProbe } from './fake-run.js';

const dataCatalog = (Type: string, Parameters: Record<string, string> = {}) => ({ GetDataCatalogCommand: () => ({ DataCatalog: { Name: 'x', Type, Parameters } }) });

describe('athena-data-catalog', () => {
  it('is quiet when Athena reads the catalog the preflight checked, however it is written', async () => {
    expect((await runProbe(athenaDataCatalog, { answers: dataCatalog('GLUE', { 'catalog-id': '123456789012' }) })).findings).toEqual([]);
    const named = await runProbe(athenaDataCatalog, {
      request: { athena: { catalog: 's3tablescatalog/acme' }, glue: { catalogId: 's3tablescatalog/acme' } },
      answers: dataCatalog('GLUE', { 'catalog-id': '123456789012:s3tablescatalog/acme' }),
    });
    expect(named.findings).toEqual([]);
    expect(named.facts.athenaGlueCatalogId).toBe('123456789012:s3tablescatalog/acme');
  });

  it("finds ATHENA_CATALOG_MISMATCH when the data catalog reads another account's catalog", async () => {
    const run = await runProbe(athenaDataCatalog, { request: { athena: { catalog: 'partner' } }, answers: dataCatalog('GLUE', { 'catalog-id': '999988887777' }) });
    expect(run.findings.map((f) => [f.code, f.message])).toEqual([
      [
        'ATHENA_CATALOG_MISMATCH',
        'Athena\'s data catalog "partner" reads Glue catalog 999988887777, but this preflight checked Glue catalog 123456789012: queries will see other databases and need other grants than the ones checked.',
      ],
    ]);
  });

  it('finds it too when the connection checks another account while Athena reads its own', async () => {
    const run = await runProbe(athenaDataCatalog, { request: { glue: { catalogId: '999988887777' } }, answers: dataCatalog('GLUE', { 'catalog-id': '123456789012' }) });
    expect(run.findings.map((f) => f.code)).toEqual(['ATHENA_CATALOG_MISMATCH']);
  });

  it('reads "not found" for a Glue catalog path as no description, not as a refusal (undocumented: both answers accepted)', async () => {
    const run = await runProbe(athenaDataCatalog, {
      request: { athena: { catalog: 's3tablescatalog/acme' }, glue: { catalogId: 's3tablescatalog/acme' } },
      answers: { GetDataCatalogCommand: () => { throw awsError('InvalidRequestException', 400, 'Catalog s3tablescatalog/acme is not found'); } },
    });
    expect(run.error).toBeUndefined();
    expect(run.evidence.get('athena:GetDataCatalog')?.state).toBe('granted');
    expect(run.findings).toEqual([]);
    // A registered name (no path) that is not there stays a failure.
    const missing = await runProbe(athenaDataCatalog, { request: { athena: { catalog: 'partnr' } }, answers: { GetDataCatalogCommand: () => { throw awsError('InvalidRequestException', 400, 'Catalog partnr is not found'); } } });
    expect(missing.evidence.get('athena:GetDataCatalog')?.state).toBe('failed');
  });

  it('says nothing of a catalog that is not Glue (Lambda, Hive)', async () => {
    const run = await runProbe(athenaDataCatalog, { request: { athena: { catalog: 'dynamo' } }, answers: dataCatalog('LAMBDA', { function: 'arn:aws:lambda:eu-west-1:123456789012:function:f' }) });
    expect(run.findings).toEqual([]);
    expect(run.detail).toBe('dynamo is a LAMBDA catalog');
  });
});
