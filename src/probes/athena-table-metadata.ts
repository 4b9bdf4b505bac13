import type { ProbeDefinition } from './types.js';

export const athenaTableMetadata: ProbeDefinition = {
  id: 'athena-table-metadata',
  service: 'athena',
  actions: ['athena:GetTableMetadata'],
  informs: ['athena-catalog'],
  dependsOn: ['athena-table-metadata-list'],
  requires: ['athena-table-metadata-list'],
  skipUnless: ({ facts }) => (facts.athenaTable ? undefined : { reason: 'no-sample', detail: 'no table in the sampled Athena database' }),
  async run(context) {
    const { GetTableMetadataCommand } = await context.sdk('athena');
    const athena = await context.client('athena');
    const { connection, facts } = context;
    await context.call('athena:GetTableMetadata', (abortSignal) =>
      athena.send(
        new GetTableMetadataCommand({ CatalogName: connection.catalog, DatabaseName: facts.athenaDatabase!, TableName: facts.athenaTable!, WorkGroup: connection.workgroup }),
        { abortSignal },
      ),
    );
  },
};
