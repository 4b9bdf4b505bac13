import type { Probe } from './types.js';

export const athenaDataCatalog: Probe = {
  id: 'athena-data-catalog',
  service: 'athena',
  actions: ['athena:GetDataCatalog'],
  informs: ['athena-catalog'],
  async run(context) {
    await context.send('athena:GetDataCatalog', 'GetDataCatalogCommand', { Name: context.connection.catalog, WorkGroup: context.connection.workgroup });
  },
};
