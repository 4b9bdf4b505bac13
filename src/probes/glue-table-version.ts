import { catalogIdFor } from '../preflight/facts.js';
import type { Probe } from './types.js';

export const glueTableVersion: Probe = {
  id: 'glue-table-version',
  service: 'glue',
  actions: ['glue:GetTableVersion'],
  informs: ['schema-history'],
  resources: { 'glue:GetTableVersion': 'tables' },
  roles: { 'schema-history': { extended: ['glue:GetTableVersion'] } },
  needs: ['glue-table-versions'],
  skipWhen: ({ facts }) => (facts.tableVersionId ? undefined : { reason: 'no-sample', detail: 'the table has no stored version' }),
  async run(context) {
    const { database, name } = context.facts.sampleTable!;
    await context.send('glue:GetTableVersion', 'GetTableVersionCommand', {
      CatalogId: catalogIdFor(context, database),
      DatabaseName: database,
      TableName: name,
      VersionId: context.facts.tableVersionId,
    });
  },
};
