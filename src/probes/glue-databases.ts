import { listingFacts } from './helpers/glue-listing.js';
import type { Probe } from './types.js';

/**
 * One small page of databases: enough to prove the listing and pick samples. In the account's own
 * catalog, databases other accounts share through Lake Formation are asked for too
 * (ResourceShareType ALL: "the databases shared with your account, as well as the databases in
 * your local account", Glue API, GetDatabases); each is read in its owner's catalog, and a
 * resource link through its target (TargetDatabase).
 */
export const glueDatabases: Probe = {
  id: 'glue-databases',
  service: 'glue',
  actions: ['glue:GetDatabases'],
  informs: ['metadata'],
  resources: { 'glue:GetDatabases': 'database-list' },
  roles: { metadata: { core: ['glue:GetDatabases'] } },
  async run(context) {
    const { connection, facts } = context;
    const ownCatalog = connection.catalogId === connection.accountId;
    const page = await context.send('glue:GetDatabases', 'GetDatabasesCommand', {
      CatalogId: connection.catalogId,
      MaxResults: 10,
      ...(ownCatalog ? { ResourceShareType: 'ALL' as const } : {}),
    });
    const listed = (page.DatabaseList ?? []).filter((database) => database.Name);
    const shared = listed.filter((database) => database.CatalogId && database.CatalogId !== connection.catalogId);
    // The account's own databases are sampled first, as before shared ones were asked for; a shared
    // one is read when the connection names it or there are few of the account's own.
    facts.databases = [...listed.filter((database) => !shared.includes(database)), ...shared].map((database) => database.Name!);
    if (shared.length) {
      facts.databaseCatalogs = Object.fromEntries(shared.map((database) => [database.Name!, database.CatalogId!]));
      context.finding('SHARED_DATABASES', { databases: shared.map((database) => ({ name: database.Name!, accountId: ownerOf(database.CatalogId!) })) });
    }
    const links = listed.flatMap((database) =>
      database.TargetDatabase?.CatalogId && database.TargetDatabase.DatabaseName
        ? [
            {
              database: database.Name!,
              target: {
                accountId: ownerOf(database.TargetDatabase.CatalogId),
                catalogId: database.TargetDatabase.CatalogId,
                database: database.TargetDatabase.DatabaseName,
                ...(database.TargetDatabase.Region ? { region: database.TargetDatabase.Region } : {}),
              },
            },
          ]
        : [],
    );
    if (links.length) {
      facts.resourceLinks = links;
      context.finding('RESOURCE_LINK', { links: links.map((link) => ({ database: link.database, accountId: link.target.accountId, target: link.target.database })) });
    }
    // An empty catalog is rare; an empty listing usually means the connection cannot see it.
    if (facts.databases.length === 0 && connection.databases.length === 0) {
      context.finding('NO_DATABASES_VISIBLE', listingFacts(context));
    }
    return `${facts.databases.length}${page.NextToken ? '+' : ''} databases on the first page${shared.length ? `, ${shared.length} shared from other accounts` : ''}`;
  },
};

/** The account that owns a catalog id (`123456789012` or `123456789012:path`). */
const ownerOf = (catalogId: string): string => catalogId.split(':')[0]!;
