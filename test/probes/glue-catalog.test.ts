// glue-catalog: the selected catalog under an account's root, described.
import { describe, expect, it } from 'vitest';
import { resolveConnection } from '../../src/preflight/connection.js';
import { glueCatalog } from '../../src/probes/glue-catalog.js';
import { BASE_REQUEST, awsError, runProbe } from './fake-run.js';

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
