import type { ProbeDefinition } from './types.js';

export const athenaTableMetadataList: ProbeDefinition = {
  id: 'athena-table-metadata-list',
  service: 'athena',
  actions: ['athena:ListTableMetadata'],
  informs: ['athena-catalog'],
  dependsOn: ['athena-databases'],
  requires: ['sts-caller-identity'],
  skipUnless: ({ facts }) => (facts.athenaDatabase ? undefined : { reason: 'no-sample', detail: 'no database in the Athena catalog' }),
  async run(context) {
    const { ListTableMetadataCommand } = await context.sdk('athena');
    const athena = await context.client('athena');
    const { connection } = context;
    const page = await context.call('athena:ListTableMetadata', (abortSignal) =>
      athena.send(
        new ListTableMetadataCommand({ CatalogName: connection.catalog, DatabaseName: context.facts.athenaDatabase!, WorkGroup: connection.workgroup, MaxResults: 10 }),
        { abortSignal },
      ),
    );
    context.facts.athenaTable = page.TableMetadataList?.[0]?.Name;
    return `${page.TableMetadataList?.length ?? 0} tables on the first page`;
  },
};
