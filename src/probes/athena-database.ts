import type { Probe } from './types.js';

export const athenaDatabase: Probe = {
  id: 'athena-database',
  service: 'athena',
  actions: ['athena:GetDatabase'],
  informs: ['athena-catalog'],
  resources: { 'athena:GetDatabase': 'data-catalog' },
  roles: { 'athena-catalog': { extended: ['athena:GetDatabase'] } },
  after: ['athena-databases'],
  skipWhen: ({ facts }) => (facts.athenaDatabase ? undefined : { reason: 'no-sample', detail: 'no database in the Athena catalog' }),
  async run(context) {
    const { connection } = context;
    await context.send('athena:GetDatabase', 'GetDatabaseCommand', { CatalogName: connection.catalog, DatabaseName: context.facts.athenaDatabase!, WorkGroup: connection.workgroup });
  },
};
