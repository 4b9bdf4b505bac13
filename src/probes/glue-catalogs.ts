import type { Probe } from './types.js';

/**
 * The catalogs under the checked catalog owner's root (Glue multi-catalog: S3 Tables, federated and
 * Redshift-managed catalogs; Glue API, GetCatalogs with Recursive). For a catalog under the root
 * the product lists them, so it is judged (capabilities.ts, namedCatalogCore); for the default
 * catalog it only tells what else there is, and a refusal changes no verdict.
 */
export const glueCatalogs: Probe = {
  id: 'glue-catalogs',
  service: 'glue',
  actions: ['glue:GetCatalogs'],
  informs: ['metadata'],
  resources: { 'glue:GetCatalogs': 'catalog-list' },
  roles: { metadata: { namedCatalogCore: ['glue:GetCatalogs'] } },
  async run(context) {
    const { connection } = context;
    const parent = connection.catalogOwner !== connection.accountId ? { ParentCatalogId: connection.catalogOwner } : {};
    const page = await context.send('glue:GetCatalogs', 'GetCatalogsCommand', { ...parent, Recursive: true, MaxResults: 50 });
    const catalogs = (page.CatalogList ?? []).map(catalogPath).filter((path): path is string => Boolean(path));
    context.facts.catalogs = catalogs;
    const others = catalogs.filter((path) => path !== connection.catalogName && !connection.catalogName?.startsWith(`${path}/`));
    if (!connection.catalogName && others.length) context.finding('OTHER_CATALOGS', { checked: connection.catalogId, catalogs: others });
    return `${catalogs.length}${page.NextToken ? '+' : ''} catalogs under the root`;
  },
};

/**
 * A listed catalog's path under the root. Its ARN says it exactly (`…:catalog/s3tablescatalog/b`);
 * how Glue fills CatalogId for a child catalog (`<account>:<path>` or the path) is not documented,
 * so either is read, and the name alone is the last resort.
 */
function catalogPath(catalog: { ResourceArn?: string; CatalogId?: string; Name?: string }): string | undefined {
  const fromArn = /:catalog\/(.+)$/.exec(catalog.ResourceArn ?? '')?.[1];
  if (fromArn) return fromArn;
  const id = catalog.CatalogId?.replace(/^\d{12}:/, '');
  if (id && !/^\d{12}$/.test(id)) return id;
  return catalog.Name && !/^\d{12}$/.test(catalog.Name) ? catalog.Name : undefined;
}
