import { type Probe, isCategory } from './types.js';

/** Describes the catalog under the root the connection names: proves it exists and that the caller may read it. */
export const glueCatalog: Probe = {
  id: 'glue-catalog',
  service: 'glue',
  actions: ['glue:GetCatalog'],
  informs: ['metadata'],
  resources: { 'glue:GetCatalog': 'catalog' },
  roles: { metadata: { namedCatalogCore: ['glue:GetCatalog'] } },
  after: ['glue-catalogs'],
  skipWhen: ({ connection }) =>
    connection.catalogName ? undefined : { reason: 'not-applicable', detail: "the connection reads an account's default catalog, not a catalog under its root" },
  async run(context) {
    const { connection } = context;
    try {
      const answer = await context.send('glue:GetCatalog', 'GetCatalogCommand', { CatalogId: connection.catalogId });
      const federated = answer.Catalog?.FederatedCatalog?.ConnectionName;
      return `described catalog ${connection.catalogId}${federated ? ` (federated through ${federated})` : ''}`;
    } catch (error) {
      if (isCategory(error, 'not-found')) context.finding('CATALOG_NOT_FOUND', { catalogId: connection.catalogId, region: connection.region, listed: context.facts.catalogs });
      throw error;
    }
  },
};
