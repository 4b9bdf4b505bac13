import { CONNECTION_GATE } from './support.js';
import type { ProbeDefinition } from './types.js';

export const athenaDatabases: ProbeDefinition = {
  id: 'athena-databases',
  service: 'athena',
  actions: ['athena:ListDatabases'],
  informs: ['athena-catalog'],
  dependsOn: CONNECTION_GATE,
  async run(context) {
    const { ListDatabasesCommand } = await context.sdk('athena');
    const athena = await context.client('athena');
    const { connection } = context;
    const page = await context.call('athena:ListDatabases', (abortSignal) =>
      athena.send(new ListDatabasesCommand({ CatalogName: connection.catalog, WorkGroup: connection.workgroup, MaxResults: 10 }), { abortSignal }),
    );
    const names = (page.DatabaseList ?? []).map((database) => database.Name!);
    context.facts.athenaDatabase = connection.databases.find((name) => names.includes(name)) ?? connection.databases[0] ?? names[0];
    return `${names.length} databases on the first page`;
  },
};
