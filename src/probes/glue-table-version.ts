import type { ProbeDefinition } from './types.js';

export const glueTableVersion: ProbeDefinition = {
  id: 'glue-table-version',
  service: 'glue',
  actions: ['glue:GetTableVersion'],
  informs: ['schema-history'],
  dependsOn: ['glue-table-versions'],
  requires: ['glue-table-versions'],
  skipUnless: ({ facts }) => (facts.tableVersionId ? undefined : { reason: 'no-sample', detail: 'the table has no stored version' }),
  async run(context) {
    const { GetTableVersionCommand } = await context.sdk('glue');
    const glue = await context.client('glue');
    const { database, name } = context.facts.sampleTable!;
    await context.call('glue:GetTableVersion', (abortSignal) =>
      glue.send(
        new GetTableVersionCommand({ CatalogId: context.connection.catalogId, DatabaseName: database, TableName: name, VersionId: context.facts.tableVersionId }),
        { abortSignal },
      ),
    );
  },
};
