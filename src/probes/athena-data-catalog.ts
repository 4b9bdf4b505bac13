import { parseCatalogSelection } from '../preflight/connection.js';
import type { Probe } from './types.js';

/**
 * The workgroup's data catalog as Athena describes it. A GLUE data catalog names the Glue catalog
 * its queries read in its `catalog-id` parameter (Athena API, DataCatalog.Parameters; Athena User
 * Guide, "Register a Data Catalog from another account"): where that is not the catalog the Glue
 * probes checked, queries see other databases under other grants than the ones checked.
 */
export const athenaDataCatalog: Probe = {
  id: 'athena-data-catalog',
  service: 'athena',
  actions: ['athena:GetDataCatalog'],
  informs: ['athena-catalog'],
  async run(context) {
    const { connection } = context;
    const answer = await context.send('athena:GetDataCatalog', 'GetDataCatalogCommand', { Name: connection.catalog, WorkGroup: connection.workgroup });
    const glueCatalogId = answer.DataCatalog?.Type === 'GLUE' ? answer.DataCatalog.Parameters?.['catalog-id'] : undefined;
    if (!glueCatalogId) return `${connection.catalog} is a ${answer.DataCatalog?.Type ?? 'data'} catalog`;
    context.facts.athenaGlueCatalogId = glueCatalogId;
    // The same catalog however it is written: an account id, `<account>:<path>`, or a path under the account.
    if (parseCatalogSelection(glueCatalogId, connection.accountId).catalogId !== connection.catalogId) {
      context.finding('ATHENA_CATALOG_MISMATCH', { dataCatalog: connection.catalog, athenaCatalogId: glueCatalogId, checked: connection.catalogId });
    }
    return `${connection.catalog} reads Glue catalog ${glueCatalogId}`;
  },
};
