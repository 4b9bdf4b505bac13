import type { Probe } from './types.js';

export const athenaTableMetadataList: Probe = {
  id: 'athena-table-metadata-list',
  service: 'athena',
  actions: ['athena:ListTableMetadata'],
  informs: ['athena-catalog'],
  resources: { 'athena:ListTableMetadata': 'data-catalog' },
  roles: { 'athena-catalog': { core: ['athena:ListTableMetadata'] } },
  after: ['athena-databases'],
  skipWhen: ({ facts }) => (facts.athenaDatabase ? undefined : { reason: 'no-sample', detail: 'no database in the Athena catalog' }),
  async run(context) {
    const { connection } = context;
    const page = await context.send('athena:ListTableMetadata', 'ListTableMetadataCommand', {
      CatalogName: connection.catalog,
      DatabaseName: context.facts.athenaDatabase!,
      WorkGroup: connection.workgroup,
      MaxResults: 10,
    });
    context.facts.athenaTable = page.TableMetadataList?.[0]?.Name;
    return `${page.TableMetadataList?.length ?? 0} tables on the first page`;
  },
};
