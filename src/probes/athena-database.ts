import type { ProbeDefinition } from './types.js';

export const athenaDatabase: ProbeDefinition = {
  id: 'athena-database',
  service: 'athena',
  actions: ['athena:GetDatabase'],
  informs: ['athena-catalog'],
  dependsOn: ['athena-databases'],
  requires: ['sts-caller-identity'],
  skipUnless: ({ facts }) => (facts.athenaDatabase ? undefined : { reason: 'no-sample', detail: 'no database in the Athena catalog' }),
  async run(context) {
    const { GetDatabaseCommand } = await context.sdk('athena');
    const athena = await context.client('athena');
    const { connection } = context;
    await context.call('athena:GetDatabase', (abortSignal) =>
      athena.send(new GetDatabaseCommand({ CatalogName: connection.catalog, DatabaseName: context.facts.athenaDatabase!, WorkGroup: connection.workgroup }), { abortSignal }),
    );
  },
};
