import { catalogIdFor } from '../preflight/facts.js';
import { listingFacts } from './helpers/glue-listing.js';
import type { Probe, RunFacts } from './types.js';

const DATABASES_TO_SAMPLE = 3;

/**
 * One page of tables from a few databases: proves the listing and picks the samples every later
 * Glue probe uses (a table, a partitioned table, the governed ones), at a cost that does not grow
 * with the catalog.
 */
export const glueTables: Probe = {
  id: 'glue-tables',
  service: 'glue',
  actions: ['glue:GetTables'],
  informs: ['metadata'],
  resources: { 'glue:GetTables': 'tables' },
  roles: { metadata: { core: ['glue:GetTables'] } },
  after: ['glue-databases'],
  skipWhen: ({ connection, facts }) =>
    connection.databases.length || facts.databases?.length ? undefined : { reason: 'no-sample', detail: 'no database to list tables from' },
  async run(context) {
    const { connection, facts } = context;
    const databases = (connection.databases.length ? connection.databases : facts.databases!).slice(0, DATABASES_TO_SAMPLE);
    const pages = await Promise.all(
      databases.map((database) => context.send('glue:GetTables', 'GetTablesCommand', { CatalogId: catalogIdFor(context, database), DatabaseName: database, MaxResults: 25 })),
    );
    const tables: Array<NonNullable<RunFacts['tables']>[number] & { view: boolean }> = pages.flatMap((page, index) =>
      (page.TableList ?? []).map((table) => ({
        database: databases[index]!,
        name: table.Name!,
        partitioned: (table.PartitionKeys?.length ?? 0) > 0,
        governed: table.IsRegisteredWithLakeFormation === true,
        ...(table.StorageDescriptor?.Location ? { location: table.StorageDescriptor.Location } : {}),
        view: table.TableType === 'VIRTUAL_VIEW',
      })),
    );
    facts.tables = tables.map(({ view: _view, ...table }) => table);
    // Tables that are resource links to another account's table (TargetTable): read through, checked on both.
    const links = pages.flatMap((page, index) =>
      (page.TableList ?? []).flatMap((table) => {
        const target = table.TargetTable;
        if (!target?.CatalogId || !target.DatabaseName || !target.Name || !table.Name) return [];
        const accountId = target.CatalogId.split(':')[0]!;
        return [{ database: databases[index]!, table: table.Name, target: { accountId, catalogId: target.CatalogId, database: target.DatabaseName, table: target.Name, ...(target.Region ? { region: target.Region } : {}) } }];
      }),
    );
    if (links.length) {
      facts.resourceLinks = [...(facts.resourceLinks ?? []), ...links];
      context.finding('RESOURCE_LINK', { links: links.map((link) => ({ database: `${link.database}.${link.table}`, accountId: link.target.accountId, target: `${link.target.database}.${link.target.table}` })) });
    }
    if (tables.length === 0) {
      context.finding('NO_TABLES_VISIBLE', { ...listingFacts(context), databases });
    }
    const sample = tables.find((t) => !t.view && !t.governed) ?? tables.find((t) => !t.view) ?? tables[0];
    if (sample) facts.sampleTable = { database: sample.database, name: sample.name };
    const partitioned = tables.find((t) => t.partitioned && !t.governed) ?? tables.find((t) => t.partitioned);
    if (partitioned) facts.partitionedTable = { database: partitioned.database, name: partitioned.name };
    return `${tables.length} tables in ${databases.join(', ')}`;
  },
};
