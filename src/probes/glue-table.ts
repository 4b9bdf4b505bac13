import type { ProbeDefinition } from './types.js';

export const glueTable: ProbeDefinition = {
  id: 'glue-table',
  service: 'glue',
  actions: ['glue:GetTable'],
  informs: ['metadata'],
  dependsOn: ['glue-tables'],
  requires: ['sts-caller-identity'],
  skipUnless: ({ facts }) => (facts.sampleTable ? undefined : { reason: 'no-sample', detail: 'no table visible to describe' }),
  async run(context) {
    const { GetTableCommand } = await context.sdk('glue');
    const glue = await context.client('glue');
    const { database, name } = context.facts.sampleTable!;
    await context.call('glue:GetTable', (abortSignal) =>
      glue.send(new GetTableCommand({ CatalogId: context.connection.catalogId, DatabaseName: database, Name: name }), { abortSignal }),
    );
    return `described ${database}.${name}`;
  },
};
