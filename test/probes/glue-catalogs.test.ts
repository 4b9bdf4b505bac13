// glue-catalogs: what Glue lists under the root of the catalog's owner.
import { describe, expect, it } from 'vitest';
import { glueCatalogs } from '../../src/probes/glue-catalogs.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

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

  it('fails on a refusal of glue:GetCatalogs', async () => {
    const run = await runProbe(glueCatalogs, { answers: { GetCatalogsCommand: () => Promise.reject(accessDenied('glue:GetCatalogs')) } });
    expect(endedWith(run)).toBe('glue:GetCatalogs permission');
    expect(run.findings).toEqual([]);
  });
});
