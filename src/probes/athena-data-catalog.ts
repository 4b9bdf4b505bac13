import { CONNECTION_GATE } from './support.js';
import type { ProbeDefinition } from './types.js';

export const athenaDataCatalog: ProbeDefinition = {
  id: 'athena-data-catalog',
  service: 'athena',
  actions: ['athena:GetDataCatalog'],
  informs: ['athena-catalog'],
  dependsOn: CONNECTION_GATE,
  async run(context) {
    const { GetDataCatalogCommand } = await context.sdk('athena');
    const athena = await context.client('athena');
    await context.call('athena:GetDataCatalog', (abortSignal) =>
      athena.send(new GetDataCatalogCommand({ Name: context.connection.catalog, WorkGroup: context.connection.workgroup }), { abortSignal }),
    );
  },
};
