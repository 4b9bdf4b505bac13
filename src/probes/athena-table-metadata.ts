import type { Probe } from './types.js';

export const athenaTableMetadata: Probe = {
  id: 'athena-table-metadata',
  service: 'athena',
  actions: ['athena:GetTableMetadata'],
  informs: ['athena-catalog'],
  resources: { 'athena:GetTableMetadata': 'data-catalog' },
  roles: { 'athena-catalog': { extended: ['athena:GetTableMetadata'] } },
  needs: ['athena-table-metadata-list'],
  skipWhen: ({ facts }) => (facts.athenaTable ? undefined : { reason: 'no-sample', detail: 'no table in the sampled Athena database' }),
  async run(context) {
    const { connection, facts } = context;
    await context.send('athena:GetTableMetadata', 'GetTableMetadataCommand', {
      CatalogName: connection.catalog,
      DatabaseName: facts.athenaDatabase!,
      TableName: facts.athenaTable!,
      WorkGroup: connection.workgroup,
    });
  },
};
