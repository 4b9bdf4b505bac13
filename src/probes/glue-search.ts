import type { Probe } from './types.js';

export const glueSearch: Probe = {
  id: 'glue-search',
  service: 'glue',
  actions: ['glue:SearchTables'],
  informs: ['search'],
  resources: { 'glue:SearchTables': 'tables' },
  roles: { search: { core: ['glue:SearchTables'] } },
  async run(context) {
    await context.send('glue:SearchTables', 'SearchTablesCommand', { CatalogId: context.connection.catalogId, SearchText: '', MaxResults: 1 });
  },
};
