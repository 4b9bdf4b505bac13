import type { Probe } from './types.js';

export const athenaDatabases: Probe = {
  id: 'athena-databases',
  service: 'athena',
  actions: ['athena:ListDatabases'],
  informs: ['athena-catalog'],
  resources: { 'athena:ListDatabases': 'data-catalog' },
  roles: { 'athena-catalog': { core: ['athena:ListDatabases'] } },
  async run(context) {
    const { connection } = context;
    const page = await context.send('athena:ListDatabases', 'ListDatabasesCommand', { CatalogName: connection.catalog, WorkGroup: connection.workgroup, MaxResults: 10 });
    const names = (page.DatabaseList ?? []).map((database) => database.Name!);
    context.facts.athenaDatabase = connection.databases.find((name) => names.includes(name)) ?? connection.databases[0] ?? names[0];
    return `${names.length} databases on the first page`;
  },
};
