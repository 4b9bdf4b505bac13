import type { ProbeDefinition } from './types.js';

export const glueTableVersions: ProbeDefinition = {
  id: 'glue-table-versions',
  service: 'glue',
  actions: ['glue:GetTableVersions'],
  informs: ['schema-history'],
  dependsOn: ['glue-tables'],
  requires: ['sts-caller-identity'],
  skipUnless: ({ facts }) => (facts.sampleTable ? undefined : { reason: 'no-sample', detail: 'no table visible to read versions of' }),
  async run(context) {
    const { GetTableVersionsCommand } = await context.sdk('glue');
    const glue = await context.client('glue');
    const { database, name } = context.facts.sampleTable!;
    const page = await context.call('glue:GetTableVersions', (abortSignal) =>
      glue.send(new GetTableVersionsCommand({ CatalogId: context.connection.catalogId, DatabaseName: database, TableName: name, MaxResults: 1 }), { abortSignal }),
    );
    context.facts.tableVersionId = page.TableVersions?.[0]?.VersionId;
  },
};
