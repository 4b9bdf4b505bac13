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
    const { connection } = context;
    if (context.facts.databases.length === 0 && connection.databases.length === 0) {
      context.finding('NO_DATABASES_VISIBLE', { region: connection.region, catalogId: connection.catalogId, callerArn: context.facts.identity?.arn });
    }
    return `${context.facts.databases.length}${page.NextToken ? '+' : ''} databases on the first page`;
  },
};
