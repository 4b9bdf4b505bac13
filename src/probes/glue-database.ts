import { type Probe, isCategory } from './types.js';

/** Describes the databases the connection names (or the first one listed). */
export const glueDatabase: Probe = {
  id: 'glue-database',
  service: 'glue',
  actions: ['glue:GetDatabase'],
  informs: ['metadata'],
  resources: { 'glue:GetDatabase': 'database-lookup' },
  roles: { metadata: { extended: ['glue:GetDatabase'] } },
  after: ['glue-databases'],
  skipWhen: ({ connection, facts }) =>
    connection.databases.length || facts.databases?.length ? undefined : { reason: 'no-sample', detail: 'no database to describe' },
  async run(context) {
    const { connection } = context;
    const targets = connection.databases.length ? connection.databases : [context.facts.databases![0]!];
    const describe = async (name: string) => {
      try {
        await context.send('glue:GetDatabase', 'GetDatabaseCommand', { CatalogId: connection.catalogId, Name: name });
      } catch (error) {
        if (isCategory(error, 'not-found')) {
          context.finding('DATABASE_NOT_FOUND', { database: name, catalogId: connection.catalogId, region: connection.region });
        }
        throw error;
      }
    };
    await Promise.all(targets.map(describe));
    return `described ${targets.join(', ')}`;
  },
};
