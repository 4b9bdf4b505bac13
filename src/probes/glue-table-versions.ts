import { catalogIdFor } from '../preflight/facts.js';
import type { Probe } from './types.js';

export const glueTableVersions: Probe = {
  id: 'glue-table-versions',
  service: 'glue',
  actions: ['glue:GetTableVersions'],
  informs: ['schema-history'],
  resources: { 'glue:GetTableVersions': 'tables' },
  roles: { 'schema-history': { core: ['glue:GetTableVersions'] } },
  after: ['glue-tables'],
  skipWhen: ({ facts }) => (facts.sampleTable ? undefined : { reason: 'no-sample', detail: 'no table visible to read versions of' }),
  async run(context) {
    const { database, name } = context.facts.sampleTable!;
    const page = await context.send('glue:GetTableVersions', 'GetTableVersionsCommand', { CatalogId: catalogIdFor(context, database), DatabaseName: database, TableName: name, MaxResults: 1 });
    context.facts.tableVersionId = page.TableVersions?.[0]?.VersionId;
  },
};
