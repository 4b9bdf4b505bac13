// The multi-catalog probes: what Glue lists under the root, and the selected catalog described.
import { describe, expect, it } from 'vitest';
import { glueCatalog } from '../../src/probes/glue-catalog.js';
import { glueCatalogs } from '../../src/probes/glue-catalogs.js';
import { resolveConnection } from '../../src/preflight/connection.js';
import { BASE_REQUEST, awsError, runProbe } from './fake-run.js';

const catalogs = (...entries: Array<Record<string, string>>) => ({ GetCatalogsCommand: () => ({ CatalogList: entries }) });
const S3_TABLES = { Name: 'acme-tables', CatalogId: '123456789012:s3tablescatalog/acme-tables', ResourceArn: 'arn:aws:glue:eu-west-1:123456789012:catalog/s3tablescatalog/acme-tables' };

describe('glue-catalogs', () => {
  it("lists the catalogs under the caller's root, recursively, and tells that only the default was checked (OTHER_CATALOGS)", async () => {
    const run = await runProbe(glueCatalogs, { answers: catalogs(S3_TABLES, { Name: 'sales_rs', CatalogId: '123456789012:sales_rs' }) });
    expect(run.sent[0]!.input).toEqual({ Recursive: true, MaxResults: 50 });
    expect(run.facts.catalogs).toEqual(['s3tablescatalog/acme-tables', 'sales_rs']);
    expect(run.findings.map((f) => [f.code, f.message])).toEqual([
      ['OTHER_CATALOGS', 'Besides 123456789012, Glue lists 2 catalogs under the account\'s root: s3tablescatalog/acme-tables, sales_rs. Only 123456789012 was checked.'],
    ]);
  });

  it('says nothing of the catalog it checks or its parents', async () => {
    const run = await runProbe(glueCatalogs, {
      request: { glue: { catalogId: 's3tablescatalog/acme-tables' } },
      answers: catalogs({ Name: 's3tablescatalog', ResourceArn: 'arn:aws:glue:eu-west-1:123456789012:catalog/s3tablescatalog' }, S3_TABLES),
    });
    expect(run.findings).toEqual([]);
  });

  it("lists under the owner's root for another account's catalog", async () => {
    const run = await runProbe(glueCatalogs, { request: { glue: { catalogId: '999988887777' } }, answers: catalogs() });
    expect(run.sent[0]!.input).toMatchObject({ ParentCatalogId: '999988887777' });
    expect(run.findings).toEqual([]);
  });
});

describe('glue-catalog', () => {
  it('is not applicable to a default catalog, its own or another account\'s', () => {
    const skip = (catalogId?: string) => glueCatalog.skipWhen!({ connection: resolveConnection({ ...BASE_REQUEST, glue: catalogId ? { catalogId } : {} }, { maxRunMs: 20_000 }), facts: {} } as never);
    expect(skip()).toMatchObject({ reason: 'not-applicable' });
    expect(skip('999988887777')).toMatchObject({ reason: 'not-applicable' });
    expect(skip('s3tablescatalog/acme-tables')).toBeUndefined();
  });

  it('describes the selected catalog by <account>:<path>', async () => {
    const run = await runProbe(glueCatalog, { request: { glue: { catalogId: 's3tablescatalog/acme-tables' } }, answers: { GetCatalogCommand: () => ({ Catalog: { Name: 'acme-tables' } }) } });
    expect(run.sent[0]!.input).toEqual({ CatalogId: '123456789012:s3tablescatalog/acme-tables' });
    expect(run.detail).toBe('described catalog 123456789012:s3tablescatalog/acme-tables');
  });

  it('finds CATALOG_NOT_FOUND, naming what Glue lists instead', async () => {
    const run = await runProbe(glueCatalog, {
      request: { glue: { catalogId: 's3tablescatalog/acme' } },
      facts: { catalogs: ['s3tablescatalog/acme-tables'] },
      answers: { GetCatalogCommand: () => { throw awsError('EntityNotFoundException', 400, 'Catalog not found'); } },
    });
    expect(run.findings.map((f) => f.code)).toEqual(['CATALOG_NOT_FOUND']);
    expect(run.findings[0]!.remediation).toContain('Glue lists: s3tablescatalog/acme-tables.');
    expect(run.evidence.get('glue:GetCatalog')?.state).toBe('failed');
  });
});
