import { catalogIdFor } from '../preflight/facts.js';
import type { Probe } from './types.js';

export const glueTable: Probe = {
  id: 'glue-table',
  service: 'glue',
  actions: ['glue:GetTable'],
  informs: ['metadata'],
  resources: { 'glue:GetTable': 'tables' },
  roles: { metadata: { extended: ['glue:GetTable'] } },
  after: ['glue-tables'],
  skipWhen: ({ facts }) => (facts.sampleTable ? undefined : { reason: 'no-sample', detail: 'no table visible to describe' }),
  async run(context) {
    const { database, name } = context.facts.sampleTable!;
    await context.send('glue:GetTable', 'GetTableCommand', { CatalogId: catalogIdFor(context, database), DatabaseName: database, Name: name });
    return `described ${database}.${name}`;
  },
};
