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
  resources: { 'athena:GetDataCatalog': 'data-catalog' },
  roles: { 'athena-catalog': { extended: ['athena:GetDataCatalog'] } },
  async run(context) {
    const { connection } = context;
    // A name with a path (s3tablescatalog/<bucket>) is a Glue catalog Athena shows by itself: no
    // registered data catalog can be named so (127 letters, digits, _, @ and -; "the remainder of
    // the length … is reserved for use by Athena", Athena API, DataCatalog.Name). Whether
    // GetDataCatalog describes one is not documented: an answer that it does not exist is read as
    // no description, not as a missing catalog (the Glue probes judge the catalog itself).
    const mounted = connection.catalog.includes('/');
    const answer = await context.send(
      'athena:GetDataCatalog',
      'GetDataCatalogCommand',
      { Name: connection.catalog, WorkGroup: connection.workgroup },
      mounted ? { acceptCodes: ['InvalidRequestException', 'ResourceNotFoundException', 'EntityNotFoundException'] } : {},
    );
    if (!answer) return `${connection.catalog} is a Glue catalog Athena does not describe`;
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
