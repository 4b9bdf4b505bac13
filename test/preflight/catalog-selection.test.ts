// The catalog selection: every way a customer names a Glue catalog, read as Glue's
// CatalogId, its owner and its path under the owner's root; and what the request refuses.
import { describe, expect, it } from 'vitest';
import { parseCatalogSelection } from '../../src/preflight/connection.js';
import { validatePreflightRequest } from '../../src/preflight/request.js';

const ACCOUNT = '123456789012';

describe('parseCatalogSelection', () => {
  it.each([
    [undefined, { catalogId: ACCOUNT, catalogOwner: ACCOUNT }],
    [ACCOUNT, { catalogId: ACCOUNT, catalogOwner: ACCOUNT }],
    ['999988887777', { catalogId: '999988887777', catalogOwner: '999988887777' }],
    ['s3tablescatalog/acme-tables', { catalogId: `${ACCOUNT}:s3tablescatalog/acme-tables`, catalogOwner: ACCOUNT, catalogName: 's3tablescatalog/acme-tables' }],
    ['999988887777:sales_rs', { catalogId: '999988887777:sales_rs', catalogOwner: '999988887777', catalogName: 'sales_rs' }],
    ['catalog/s3tablescatalog/acme-tables', { catalogId: `${ACCOUNT}:s3tablescatalog/acme-tables`, catalogOwner: ACCOUNT, catalogName: 's3tablescatalog/acme-tables' }],
    ['arn:aws:glue:eu-west-1:999988887777:catalog', { catalogId: '999988887777', catalogOwner: '999988887777' }],
    ['arn:aws:glue:eu-west-1:999988887777:catalog/s3tablescatalog/b', { catalogId: '999988887777:s3tablescatalog/b', catalogOwner: '999988887777', catalogName: 's3tablescatalog/b' }],
  ])('%s', (selection, expected) => {
    expect(parseCatalogSelection(selection, ACCOUNT)).toEqual(expected);
  });
});

describe('glue.catalogId in the request', () => {
  const request = (catalogId: string) => ({ region: 'eu-west-1', accountId: ACCOUNT, credentials: { type: 'ambient' }, glue: { catalogId } });

  it.each(['999988887777', 's3tablescatalog/acme-tables', '999988887777:sales_rs', 'arn:aws:glue:eu-west-1:999988887777:catalog/s3tablescatalog/b'])('takes %s', (catalogId) => {
    expect(validatePreflightRequest(request(catalogId)).ok).toBe(true);
  });

  it.each([
    ['1', 'digits alone: a mistyped account id'],
    ['12345678901', 'eleven digits'],
    ['S3TablesCatalog/x', 'Glue catalog names are lowercase'],
    ['a b', 'a space'],
    ['arn:aws:glue:eu-west-1:999988887777:table/db/t', 'an ARN that is no catalog'],
  ])('refuses %s (%s), naming the field', (catalogId) => {
    const result = validatePreflightRequest(request(catalogId));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((issue) => issue.path)).toEqual(['/glue/catalogId']);
  });

  it("refuses a catalog ARN of another region than the connection's", () => {
    const result = validatePreflightRequest(request('arn:aws:glue:us-east-1:999988887777:catalog'));
    expect(result).toEqual({ ok: false, issues: [{ path: '/glue/catalogId', message: "is a catalog in us-east-1, not in the connection's region eu-west-1" }] });
  });

  it('takes the flat format\'s catalog_id', () => {
    const result = validatePreflightRequest({ aws_region: 'eu-west-1', aws_account_id: ACCOUNT, access_key_id: 'AKIAEXAMPLEEXAMPLE01', access_key_secret: 'secret-secret-secret-01', catalog_id: 's3tablescatalog/acme' });
    expect(result.ok && result.request.glue).toEqual({ catalogId: 's3tablescatalog/acme' });
  });
});
