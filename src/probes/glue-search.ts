import { CONNECTION_GATE } from './support.js';
import type { ProbeDefinition } from './types.js';

export const glueSearch: ProbeDefinition = {
  id: 'glue-search',
  service: 'glue',
  actions: ['glue:SearchTables'],
  informs: ['search'],
  dependsOn: CONNECTION_GATE,
  async run(context) {
    const { SearchTablesCommand } = await context.sdk('glue');
    const glue = await context.client('glue');
    await context.call('glue:SearchTables', (abortSignal) =>
      glue.send(new SearchTablesCommand({ CatalogId: context.connection.catalogId, SearchText: '', MaxResults: 1 }), { abortSignal }),
    );
  },
};
