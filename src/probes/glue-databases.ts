import { emptyListingFixes } from './support.js';
import type { Probe } from './types.js';

/** One small page of databases: enough to prove the listing and pick samples. */
export const glueDatabases: Probe = {
  id: 'glue-databases',
  service: 'glue',
  actions: ['glue:GetDatabases'],
  informs: ['metadata'],
  async run(context) {
    const page = await context.send('glue:GetDatabases', 'GetDatabasesCommand', { CatalogId: context.connection.catalogId, MaxResults: 10 });
    context.facts.databases = (page.DatabaseList ?? []).map((database) => database.Name!).filter(Boolean);
    // An empty catalog is rare; an empty listing usually means the connection cannot see it.
    if (context.facts.databases.length === 0 && context.connection.databases.length === 0) {
      context.finding({
        code: 'NO_DATABASES_VISIBLE',
        severity: 'high',
        message: `Glue listed no database in catalog ${context.connection.catalogId}: nothing can be ingested.`,
        remediation: emptyListingFixes(context, 'databases'),
      });
    }
    return `${context.facts.databases.length}${page.NextToken ? '+' : ''} databases on the first page`;
  },
};
