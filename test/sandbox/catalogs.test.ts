// Catalogs beyond the account's default: named catalogs under the root, another
// account's catalog behind its resource policy, Lake Formation shares and resource links, and
// Athena data catalogs over other catalogs; with the SDK and with botocore (the AWS CLI).
import { AthenaClient, GetDataCatalogCommand } from '@aws-sdk/client-athena';
import {
  GetCatalogCommand,
  GetCatalogsCommand,
  GetDatabaseCommand,
  GetDatabasesCommand,
  GetPartitionsCommand,
  GetTableCommand,
  GetTablesCommand,
  GetUserDefinedFunctionsCommand,
  GlueClient,
} from '@aws-sdk/client-glue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { loadScenario } from '../../src/sandbox/scenario.js';
import { awsCli, clientConfig, userCredentials } from '../support/sandbox.js';

const ACCOUNT = '123456789012';
const PARTNER = '999988887777';
const S3_TABLES = 's3tablescatalog/acme-tables';
const arn = (account: string, rest: string) => `arn:aws:glue:eu-west-1:${account}:${rest}`;

/** Starts each named built-in scenario once for the file. */
function sandboxes<const N extends string>(...names: N[]) {
  const started = {} as Record<N, Sandbox>;
  beforeAll(async () => {
    for (const name of names) started[name] = await startSandbox({ scenario: name });
  });
  afterAll(async () => {
    for (const name of names) await started[name]?.close();
  });
  return started;
}

const running = sandboxes(
  'cross-account-catalog',
  'cross-account-catalog-denied',
  'named-catalog',
  'named-catalog-denied',
  'lake-formation-shared-database',
  'lake-formation-share-revoked',
  'athena-catalog-other-account',
);
type Running = keyof typeof running;

const glue = (scenario: Running, user = 'analyst') => new GlueClient(clientConfig(running[scenario], userCredentials(running[scenario], user)));
const athena = (scenario: Running, user = 'analyst') => new AthenaClient(clientConfig(running[scenario], userCredentials(running[scenario], user)));
const cli = (scenario: Running, args: string[], user = 'analyst') => awsCli(running[scenario], userCredentials(running[scenario], user), args);
const names = (list: Array<{ Name?: string }> | undefined) => (list ?? []).map((item) => item.Name);

describe('CatalogId: another account, a path, an account-qualified path', () => {
  it('reads another account its resource policy opens to the caller, shapes carrying the owner', async () => {
    const client = glue('cross-account-catalog');
    const databases = await client.send(new GetDatabasesCommand({ CatalogId: PARTNER }));
    expect(databases.DatabaseList?.map((d) => [d.Name, d.CatalogId])).toEqual([['sales', PARTNER]]);
    const tables = await client.send(new GetTablesCommand({ CatalogId: PARTNER, DatabaseName: 'sales' }));
    expect(names(tables.TableList)).toEqual(['orders', 'customers']);
    expect(tables.TableList?.every((t) => t.CatalogId === PARTNER)).toBe(true);
    const partitions = await client.send(new GetPartitionsCommand({ CatalogId: PARTNER, DatabaseName: 'sales', TableName: 'orders' }));
    expect(partitions.Partitions).toHaveLength(2);
    // Without CatalogId, the caller's own catalog: today's databases, not the partner's.
    const own = await client.send(new GetDatabasesCommand({}));
    expect(own.DatabaseList?.every((d) => d.CatalogId === ACCOUNT)).toBe(true);
  });

  it('refuses another account whose resource policy does not name the caller, in IAM words', async () => {
    const error = await glue('cross-account-catalog-denied').send(new GetDatabasesCommand({ CatalogId: PARTNER })).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'AccessDeniedException' });
    expect((error as Error).message).toBe(
      `User: arn:aws:iam::${ACCOUNT}:user/analyst is not authorized to perform: glue:GetDatabases on resource: ${arn(PARTNER, 'catalog')} because no resource-based policy allows the glue:GetDatabases action`,
    );
  });

  it('refuses another account on the identity side when the caller has no grant of its own', async () => {
    // named-catalog's analyst names only its own account's ARNs; the partner is not in that scenario.
    const error = await glue('named-catalog').send(new GetDatabasesCommand({ CatalogId: PARTNER })).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/because no identity-based policy allows the glue:GetDatabases action$/);
  });

  it('reads a named catalog by path and by <account>:<path>, on the multi-catalog ARNs', async () => {
    const client = glue('named-catalog');
    for (const catalogId of [S3_TABLES, `${ACCOUNT}:${S3_TABLES}`]) {
      const databases = await client.send(new GetDatabasesCommand({ CatalogId: catalogId }));
      expect(databases.DatabaseList?.map((d) => [d.Name, d.CatalogId])).toEqual([['analytics', `${ACCOUNT}:${S3_TABLES}`]]);
      const table = await client.send(new GetTableCommand({ CatalogId: catalogId, DatabaseName: 'analytics', Name: 'events' }));
      expect(table.Table).toMatchObject({ Name: 'events', DatabaseName: 'analytics', CatalogId: `${ACCOUNT}:${S3_TABLES}` });
    }
    const missing = await client.send(new GetDatabasesCommand({ CatalogId: 's3tablescatalog/nope' })).catch((e: Error) => e);
    // The analyst's policy names catalog/s3tablescatalog/acme-tables only: an unknown sibling is refused first.
    expect((missing as Error).message).toContain(`on resource: ${arn(ACCOUNT, 'catalog/s3tablescatalog/nope')} because no identity-based policy allows`);
  });

  it('refuses a named catalog to a policy naming only the default catalog, on the catalog ARN', async () => {
    const client = glue('named-catalog-denied');
    const error = await client.send(new GetTablesCommand({ CatalogId: S3_TABLES, DatabaseName: 'analytics' })).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'AccessDeniedException' });
    expect((error as Error).message).toBe(
      `User: arn:aws:iam::${ACCOUNT}:user/analyst is not authorized to perform: glue:GetTables on resource: ${arn(ACCOUNT, 'catalog/s3tablescatalog')} because no identity-based policy allows the glue:GetTables action`,
    );
    // The default catalog is still readable with the same policy.
    expect((await client.send(new GetDatabasesCommand({}))).DatabaseList?.length).toBeGreaterThan(0);
  });

  it('answers a missing named catalog with EntityNotFoundException to a caller allowed everywhere', async () => {
    const error = await glue('athena-catalog-other-account').send(new GetDatabasesCommand({ CatalogId: 'sales_rs' })).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'EntityNotFoundException' });
  });
});

describe('GetCatalogs and GetCatalog', () => {
  it('lists the top level, the whole tree with Recursive, the root with IncludeRoot, containers out with HasDatabases', async () => {
    const client = glue('named-catalog');
    const top = await client.send(new GetCatalogsCommand({}));
    expect(top.CatalogList?.map((c) => c.CatalogId)).toEqual([`${ACCOUNT}:s3tablescatalog`, `${ACCOUNT}:sales_rs`]);
    const all = await client.send(new GetCatalogsCommand({ Recursive: true, IncludeRoot: true }));
    expect(all.CatalogList?.map((c) => [c.CatalogId, c.Name, c.ResourceArn])).toEqual([
      [ACCOUNT, ACCOUNT, arn(ACCOUNT, 'catalog')],
      [`${ACCOUNT}:s3tablescatalog`, 's3tablescatalog', arn(ACCOUNT, 'catalog/s3tablescatalog')],
      [`${ACCOUNT}:${S3_TABLES}`, 'acme-tables', arn(ACCOUNT, `catalog/${S3_TABLES}`)],
      [`${ACCOUNT}:sales_rs`, 'sales_rs', arn(ACCOUNT, 'catalog/sales_rs')],
    ]);
    const children = await client.send(new GetCatalogsCommand({ ParentCatalogId: 's3tablescatalog', HasDatabases: true }));
    expect(children.CatalogList?.map((c) => c.Name)).toEqual(['acme-tables']);
    const holders = await client.send(new GetCatalogsCommand({ Recursive: true, HasDatabases: true }));
    expect(holders.CatalogList?.map((c) => c.Name)).toEqual(['acme-tables', 'sales_rs']);
    const paged = await client.send(new GetCatalogsCommand({ Recursive: true, MaxResults: 2 }));
    expect(paged.CatalogList).toHaveLength(2);
    const rest = await client.send(new GetCatalogsCommand({ Recursive: true, MaxResults: 2, NextToken: paged.NextToken }));
    expect(rest.CatalogList?.map((c) => c.Name)).toEqual(['sales_rs']);
    expect(rest.NextToken).toBeUndefined();
    const refused = await client.send(new GetCatalogsCommand({ ParentCatalogId: 's3tablescatalog', IncludeRoot: true })).catch((e: Error) => e);
    expect(refused).toMatchObject({ name: 'InvalidInputException' });
  });

  it('checks GetCatalogs on the root catalog only, and GetCatalog on the root, the ancestors and the catalog', async () => {
    // The denied scenario's policy names the root catalog: listing works, reading a named catalog does not.
    const client = glue('named-catalog-denied');
    expect((await client.send(new GetCatalogsCommand({}))).CatalogList?.length).toBe(2);
    const error = await client.send(new GetCatalogCommand({ CatalogId: S3_TABLES })).catch((e: Error) => e);
    expect((error as Error).message).toContain(`glue:GetCatalog on resource: ${arn(ACCOUNT, 'catalog/s3tablescatalog')} because no identity-based policy allows`);
    const allowed = await glue('named-catalog').send(new GetCatalogCommand({ CatalogId: `${ACCOUNT}:${S3_TABLES}` }));
    expect(allowed.Catalog).toMatchObject({ CatalogId: `${ACCOUNT}:${S3_TABLES}`, Name: 'acme-tables', Description: expect.stringContaining('acme-tables') });
    const missing = await glue('named-catalog').send(new GetCatalogCommand({ CatalogId: 's3tablescatalog/acme-tables/nope' })).catch((e: Error) => e);
    // catalog/s3tablescatalog/acme-tables/nope is no ARN the analyst's policy names.
    expect(missing).toMatchObject({ name: 'AccessDeniedException' });
    const absent = await glue('athena-catalog-other-account').send(new GetCatalogCommand({ CatalogId: 'nope' })).catch((e: Error) => e);
    expect(absent).toMatchObject({ name: 'EntityNotFoundException' });
  });

  it('reads another account default catalog through its resource policy, or refuses it', async () => {
    const allowed = await glue('cross-account-catalog').send(new GetCatalogCommand({ CatalogId: PARTNER }));
    expect(allowed.Catalog).toMatchObject({ CatalogId: PARTNER, ResourceArn: arn(PARTNER, 'catalog') });
    const listed = await glue('cross-account-catalog').send(new GetCatalogsCommand({ ParentCatalogId: PARTNER, IncludeRoot: true }));
    expect(listed.CatalogList?.map((c) => c.CatalogId)).toEqual([PARTNER]);
    const denied = await glue('cross-account-catalog-denied').send(new GetCatalogCommand({ CatalogId: PARTNER })).catch((e: Error) => e);
    expect((denied as Error).message).toMatch(/glue:GetCatalog on resource: arn:aws:glue:eu-west-1:999988887777:catalog because no resource-based policy allows/);
  });

  it('is parsed by botocore: get-catalogs, get-catalog and a refusal', async () => {
    const list = await cli('named-catalog', ['glue', 'get-catalogs', '--recursive', '--include-root']);
    expect(list.ok).toBe(true);
    expect(list.json.CatalogList.map((c: { Name: string }) => c.Name)).toEqual([ACCOUNT, 's3tablescatalog', 'acme-tables', 'sales_rs']);
    expect(list.json.CatalogList[2].CreateTime).toBeTruthy();
    const one = await cli('named-catalog', ['glue', 'get-catalog', '--catalog-id', S3_TABLES]);
    expect(one.json.Catalog).toMatchObject({ CatalogId: `${ACCOUNT}:${S3_TABLES}`, ResourceArn: arn(ACCOUNT, `catalog/${S3_TABLES}`) });
    const refused = await cli('cross-account-catalog-denied', ['glue', 'get-catalog', '--catalog-id', PARTNER]);
    expect(refused.errorCode).toBe('AccessDeniedException');
    expect(refused.stderr).toContain('because no resource-based policy allows the glue:GetCatalog action');
  });
});

describe('Lake Formation shares and resource links', () => {
  it('lists local databases by default, shared ones with FOREIGN, both with ALL', async () => {
    const client = glue('lake-formation-shared-database');
    const local = await client.send(new GetDatabasesCommand({}));
    expect(local.DatabaseList?.map((d) => [d.Name, d.CatalogId])).toEqual([
      ['web', ACCOUNT],
      ['sales_link', ACCOUNT],
      ['default', ACCOUNT],
    ]);
    expect(local.DatabaseList?.[1]?.TargetDatabase).toEqual({ CatalogId: PARTNER, DatabaseName: 'sales', Region: 'eu-west-1' });
    const foreign = await client.send(new GetDatabasesCommand({ ResourceShareType: 'FOREIGN' }));
    expect(foreign.DatabaseList?.map((d) => [d.Name, d.CatalogId])).toEqual([['sales', PARTNER]]);
    const all = await client.send(new GetDatabasesCommand({ ResourceShareType: 'ALL' }));
    expect(all.DatabaseList?.map((d) => `${d.CatalogId}/${d.Name}`)).toEqual([`${ACCOUNT}/web`, `${ACCOUNT}/sales_link`, `${ACCOUNT}/default`, `${PARTNER}/sales`]);
  });

  it('no longer lists a revoked share, and keeps the link', async () => {
    const all = await glue('lake-formation-share-revoked').send(new GetDatabasesCommand({ ResourceShareType: 'ALL' }));
    expect(all.DatabaseList?.map((d) => d.Name)).toEqual(['web', 'sales_link', 'default']);
    const link = await glue('lake-formation-share-revoked').send(new GetDatabaseCommand({ Name: 'sales_link' }));
    expect(link.Database?.TargetDatabase).toMatchObject({ CatalogId: PARTNER, DatabaseName: 'sales' });
  });

  it('reads the target tables through a link, from the owner, and the shared catalog directly', async () => {
    const client = glue('lake-formation-shared-database');
    const tables = await client.send(new GetTablesCommand({ DatabaseName: 'sales_link' }));
    expect(tables.TableList?.map((t) => [t.Name, t.DatabaseName, t.CatalogId])).toEqual([
      ['orders', 'sales', PARTNER],
      ['customers', 'sales', PARTNER],
    ]);
    const partitions = await client.send(new GetPartitionsCommand({ DatabaseName: 'sales_link', TableName: 'orders' }));
    expect(partitions.Partitions?.map((p) => p.Values)).toEqual([['2026-11-23'], ['2026-11-24']]);
    const direct = await client.send(new GetTableCommand({ CatalogId: PARTNER, DatabaseName: 'sales', Name: 'customers' }));
    expect(direct.Table?.CatalogId).toBe(PARTNER);
    // The share carries tables, not functions: the owner's resource side does not allow them.
    const functions = await client.send(new GetUserDefinedFunctionsCommand({ DatabaseName: 'sales_link', Pattern: '*' })).catch((e: Error) => e);
    expect((functions as Error).message).toMatch(/userDefinedFunction\/sales\/\* because no resource-based policy allows/);
  });

  it('refuses reads through a link whose share is gone, in Lake Formation words', async () => {
    const client = glue('lake-formation-share-revoked');
    for (const command of [new GetTablesCommand({ DatabaseName: 'sales_link' }), new GetTableCommand({ DatabaseName: 'sales_link', Name: 'orders' })]) {
      const error = await client.send(command as GetTablesCommand).catch((e: Error) => e);
      expect(error).toMatchObject({ name: 'AccessDeniedException', message: 'Insufficient Lake Formation permission(s) on sales' });
    }
    const direct = await client.send(new GetTablesCommand({ CatalogId: PARTNER, DatabaseName: 'sales' })).catch((e: Error) => e);
    expect((direct as Error).message).toMatch(/because no resource-based policy allows the glue:GetTables action$/);
  });

  it('checks a link read on the link itself too', async () => {
    // The partner side is allowed (identity on its ARNs, the share on its side); the link's own
    // ARN in this account is not: the link is checked as well as its target.
    const sandbox = await startSandbox({
      scenario: {
        extends: 'lake-formation-shared-database',
        name: 'link-denied-locally',
        users: [
          {
            name: 'analyst',
            accessKeyId: 'AKIALINKDENIEDLOCAL1',
            secretAccessKey: 'sandbox/analyst/secret/not-a-real-key',
            policies: [{ Statement: [{ Effect: 'Allow', Action: 'glue:*', Resource: [arn(PARTNER, '*'), arn(ACCOUNT, 'catalog'), arn(ACCOUNT, 'database/web')] }] }],
          },
        ],
      },
    });
    try {
      const client = new GlueClient(clientConfig(sandbox, userCredentials(sandbox, 'analyst')));
      const error = await client.send(new GetTablesCommand({ DatabaseName: 'sales_link' })).catch((e: Error) => e);
      expect((error as Error).message).toContain(`on resource: ${arn(ACCOUNT, 'database/sales_link')} because no identity-based policy allows`);
    } finally {
      await sandbox.close();
    }
  });

  it('is parsed by botocore: get-databases --resource-share-type ALL and a Lake Formation refusal', async () => {
    const all = await cli('lake-formation-shared-database', ['glue', 'get-databases', '--resource-share-type', 'ALL']);
    expect(all.ok).toBe(true);
    expect(all.json.DatabaseList.map((d: { Name: string; CatalogId: string }) => `${d.CatalogId}/${d.Name}`)).toEqual([`${ACCOUNT}/web`, `${ACCOUNT}/sales_link`, `${ACCOUNT}/default`, `${PARTNER}/sales`]);
    expect(all.json.DatabaseList[1].TargetDatabase).toEqual({ CatalogId: PARTNER, DatabaseName: 'sales', Region: 'eu-west-1' });
    const refused = await cli('lake-formation-share-revoked', ['glue', 'get-tables', '--database-name', 'sales_link']);
    expect(refused.errorCode).toBe('AccessDeniedException');
    expect(refused.stderr).toContain('Insufficient Lake Formation permission(s) on sales');
  });
});

describe('Athena data catalogs over other catalogs', () => {
  it('returns a registered catalog its parameters, the default its account, a named Glue catalog by path', async () => {
    const client = athena('athena-catalog-other-account');
    const partner = await client.send(new GetDataCatalogCommand({ Name: 'partner' }));
    expect(partner.DataCatalog).toMatchObject({ Name: 'partner', Type: 'GLUE', Parameters: { 'catalog-id': PARTNER } });
    const own = await client.send(new GetDataCatalogCommand({ Name: 'AwsDataCatalog' }));
    expect(own.DataCatalog?.Parameters).toEqual({ 'catalog-id': ACCOUNT });
    const named = await athena('named-catalog').send(new GetDataCatalogCommand({ Name: S3_TABLES }));
    expect(named.DataCatalog).toMatchObject({ Type: 'GLUE', Parameters: { 'catalog-id': `${ACCOUNT}:${S3_TABLES}` } });
    const missing = await athena('named-catalog').send(new GetDataCatalogCommand({ Name: 's3tablescatalog/nope' })).catch((e: Error) => e);
    expect(missing).toMatchObject({ name: 'InvalidRequestException' });
  });

  it('refuses GetDataCatalog without athena:GetDataCatalog on the datacatalog ARN', async () => {
    // This analyst may do anything but athena:*.
    const sandbox = await startSandbox({
      scenario: {
        extends: 'athena-catalog-other-account',
        name: 'athena-catalog-denied',
        users: [{ name: 'analyst', accessKeyId: 'AKIAATHENACATDENIED1', secretAccessKey: 'sandbox/analyst/secret/not-a-real-key', policies: [{ Statement: [{ Effect: 'Allow', NotAction: 'athena:*', Resource: '*' }] }] }],
      },
    });
    try {
      const error = await new AthenaClient(clientConfig(sandbox, userCredentials(sandbox, 'analyst'))).send(new GetDataCatalogCommand({ Name: 'partner' })).catch((e: Error) => e);
      expect((error as Error).message).toMatch(/athena:GetDataCatalog/);
    } finally {
      await sandbox.close();
    }
  });

  it('is parsed by botocore: get-data-catalog with parameters', async () => {
    const result = await cli('athena-catalog-other-account', ['athena', 'get-data-catalog', '--name', 'partner']);
    expect(result.json.DataCatalog.Parameters).toEqual({ 'catalog-id': PARTNER });
  });
});

// Import declarations are hoisted: this block's own, kept with it so the file above stays as it was.
import {
  GetDatabaseCommand as AthenaGetDatabaseCommand,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetTableMetadataCommand,
  ListDatabasesCommand,
  ListTableMetadataCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';

describe('Athena reads the Glue catalog its data catalog names', () => {
  const glueMessage = (account: string, action: string, resource: string, policy: 'identity' | 'resource') =>
    `User: arn:aws:iam::${ACCOUNT}:user/analyst is not authorized to perform: ${action} on resource: ${arn(account, resource)} because no ${policy}-based policy allows the ${action} action`;

  it('lists, gets and lists the tables of a named catalog by its path, on its own databases', async () => {
    const client = athena('named-catalog');
    const databases = await client.send(new ListDatabasesCommand({ CatalogName: S3_TABLES }));
    expect(names(databases.DatabaseList)).toEqual(['analytics']);
    const database = await client.send(new AthenaGetDatabaseCommand({ CatalogName: S3_TABLES, DatabaseName: 'analytics' }));
    expect(database.Database).toMatchObject({ Name: 'analytics', Description: 'S3 Tables namespace analytics' });
    const tables = await client.send(new ListTableMetadataCommand({ CatalogName: S3_TABLES, DatabaseName: 'analytics' }));
    expect(names(tables.TableMetadataList)).toEqual(['events']);
    const table = await client.send(new GetTableMetadataCommand({ CatalogName: S3_TABLES, DatabaseName: 'analytics', TableName: 'events' }));
    expect(table.TableMetadata?.Columns?.map((c) => c.Name)).toEqual(['event_id', 'occurred_at']);
    // AwsDataCatalog is still the account's default catalog, on its own ARNs, which this policy does not name.
    const elsewhere = await client.send(new AthenaGetDatabaseCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'analytics' })).catch((e: Error) => e);
    expect(elsewhere).toMatchObject({ name: 'MetadataException', message: expect.stringContaining(glueMessage(ACCOUNT, 'glue:GetDatabase', 'database/analytics', 'identity')) });
  });

  it('refuses a named catalog to a policy naming only the default catalog: Glue refusal on its ARN chain, in a MetadataException', async () => {
    const client = athena('named-catalog-denied');
    const refusals: Array<[string, () => Promise<unknown>]> = [
      ['glue:GetDatabases', () => client.send(new ListDatabasesCommand({ CatalogName: S3_TABLES }))],
      ['glue:GetDatabase', () => client.send(new AthenaGetDatabaseCommand({ CatalogName: S3_TABLES, DatabaseName: 'analytics' }))],
      ['glue:GetTables', () => client.send(new ListTableMetadataCommand({ CatalogName: S3_TABLES, DatabaseName: 'analytics' }))],
    ];
    for (const [action, send] of refusals) {
      const error = await send().catch((e: Error) => e);
      expect(error).toMatchObject({ name: 'MetadataException' });
      // The root catalog is allowed; the first ARN of the named catalog's chain no statement names is refused.
      expect((error as Error).message).toMatch(
        new RegExp(`^${glueMessage(ACCOUNT, action, 'catalog/s3tablescatalog', 'identity').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(Service: AmazonDataCatalog; Status Code: 400; Error Code: AccessDeniedException; Request ID: [^;]+; Proxy: null\\)$`),
      );
    }
    // Glue answers the same read with the same refusal.
    const direct = await glue('named-catalog-denied').send(new GetDatabasesCommand({ CatalogId: S3_TABLES })).catch((e: Error) => e);
    expect((direct as Error).message).toBe(glueMessage(ACCOUNT, 'glue:GetDatabases', 'catalog/s3tablescatalog', 'identity'));
    // The same policy still reads the default catalog through Athena.
    expect(names((await client.send(new ListDatabasesCommand({ CatalogName: 'AwsDataCatalog' }))).DatabaseList)).toContain('sales');
  });

  it('reads another account catalog registered as a GLUE data catalog, with the owner tables', async () => {
    const client = athena('cross-account-catalog');
    expect(names((await client.send(new ListDatabasesCommand({ CatalogName: 'partner' }))).DatabaseList)).toEqual(['sales']);
    const database = await client.send(new AthenaGetDatabaseCommand({ CatalogName: 'partner', DatabaseName: 'sales' }));
    expect(database.Database?.Description).toBe("The partner's sales data");
    // The partner's sales has two tables; this account's own sales has three.
    expect(names((await client.send(new ListTableMetadataCommand({ CatalogName: 'partner', DatabaseName: 'sales' }))).TableMetadataList)).toEqual(['orders', 'customers']);
    expect(names((await client.send(new ListTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'sales' }))).TableMetadataList)).toEqual([
      'orders',
      'customers',
      'daily_revenue',
    ]);
    const orders = await client.send(new GetTableMetadataCommand({ CatalogName: 'partner', DatabaseName: 'sales', TableName: 'orders' }));
    expect(orders.TableMetadata?.Columns?.map((c) => c.Name)).toEqual(['order_id', 'amount']);
  });

  it('refuses another account catalog whose resource policy does not name the caller, in a MetadataException', async () => {
    const client = athena('cross-account-catalog-denied');
    const refusals: Array<[string, () => Promise<unknown>]> = [
      ['glue:GetDatabases', () => client.send(new ListDatabasesCommand({ CatalogName: 'partner' }))],
      ['glue:GetDatabase', () => client.send(new AthenaGetDatabaseCommand({ CatalogName: 'partner', DatabaseName: 'sales' }))],
      ['glue:GetTables', () => client.send(new ListTableMetadataCommand({ CatalogName: 'partner', DatabaseName: 'sales' }))],
      ['glue:GetTable', () => client.send(new GetTableMetadataCommand({ CatalogName: 'partner', DatabaseName: 'sales', TableName: 'orders' }))],
    ];
    for (const [action, send] of refusals) {
      const error = await send().catch((e: Error) => e);
      expect(error).toMatchObject({ name: 'MetadataException' });
      expect((error as Error).message.startsWith(`${glueMessage(PARTNER, action, 'catalog', 'resource')} (Service: AmazonDataCatalog;`)).toBe(true);
    }
    // The caller's own catalog is unaffected.
    expect(names((await client.send(new ListDatabasesCommand({ CatalogName: 'AwsDataCatalog' }))).DatabaseList)).toEqual(['sales', 'marketing', 'entertainment', 'default']);
  });

  it('follows a resource link to the shared target, and relays Lake Formation refusal once the share is gone', async () => {
    const shared = await athena('lake-formation-shared-database').send(new ListTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'sales_link' }));
    expect(names(shared.TableMetadataList)).toEqual(['orders', 'customers']);
    const revoked = await athena('lake-formation-share-revoked')
      .send(new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'sales_link', TableName: 'orders' }))
      .catch((e: Error) => e);
    expect(revoked).toMatchObject({ name: 'MetadataException', message: expect.stringMatching(/^Insufficient Lake Formation permission\(s\) on sales \(Service: AmazonDataCatalog;.*Error Code: AccessDeniedException;/) });
  });

  describe('queries', () => {
    // Sandbox time moved on by polling, so nothing here sleeps (as test/sandbox/athena.test.ts does).
    let movedOnMs = 0;
    const clock = () => Date.now() + movedOnMs;
    type Queried = 'named-catalog' | 'named-catalog-denied' | 'cross-account-catalog' | 'cross-account-catalog-denied' | 'named-catalog-with-default';
    const queried = {} as Record<Queried, Sandbox>;
    beforeAll(async () => {
      for (const name of ['named-catalog', 'named-catalog-denied', 'cross-account-catalog', 'cross-account-catalog-denied'] as const) {
        queried[name] = await startSandbox({ scenario: name, clock });
      }
      // named-catalog's analyst, also allowed to read the root catalog's default database, which every query reads.
      const base = loadScenario('named-catalog');
      const analyst = base.users.find((u) => u.name === 'analyst')!;
      const defaultDatabase = { Effect: 'Allow' as const, Action: 'glue:GetDatabase', Resource: [arn(ACCOUNT, 'catalog'), arn(ACCOUNT, 'database/default')] };
      queried['named-catalog-with-default'] = await startSandbox({
        scenario: { ...base, extends: undefined, name: 'named-catalog-with-default', users: [{ ...analyst, policies: [...analyst.policies, { Version: '2012-10-17', Statement: [defaultDatabase] }] }] },
        clock,
      });
    });
    afterAll(async () => {
      for (const sandbox of Object.values(queried)) await sandbox.close();
    });

    async function run(scenario: keyof typeof queried, query: string, context: { Catalog?: string; Database?: string }) {
      const client = new AthenaClient(clientConfig(queried[scenario], userCredentials(queried[scenario], 'analyst')));
      const { QueryExecutionId } = await client.send(new StartQueryExecutionCommand({ QueryString: query, WorkGroup: 'primary', QueryExecutionContext: context }));
      for (let attempt = 0; attempt < 100; attempt++) {
        const { QueryExecution } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId }));
        const state = QueryExecution!.Status!.State!;
        if (state === 'FAILED') return { state, reason: QueryExecution!.Status!.StateChangeReason!, header: [] as string[] };
        if (state === 'SUCCEEDED') {
          const { ResultSet } = await client.send(new GetQueryResultsCommand({ QueryExecutionId }));
          return { state, reason: '', header: ResultSet!.Rows![0]!.Data!.map((d) => d.VarCharValue!) };
        }
        movedOnMs += 50;
      }
      throw new Error(`query ${QueryExecutionId} did not finish in 5 s of sandbox time`);
    }

    it('reads the named catalog of QueryExecutionContext.Catalog, and of a catalog named in the SQL', async () => {
      const fromContext = await run('named-catalog-with-default', 'SELECT * FROM events', { Catalog: S3_TABLES, Database: 'analytics' });
      expect(fromContext).toMatchObject({ state: 'SUCCEEDED', header: ['event_id', 'occurred_at', 'day'] });
      const fromSql = await run('named-catalog-with-default', `SELECT event_id FROM "${S3_TABLES}".analytics.events`, {});
      expect(fromSql).toMatchObject({ state: 'SUCCEEDED', header: ['event_id'] });
      // Without a catalog, AwsDataCatalog: the default catalog's ARNs, which this policy does not name.
      const fromDefault = await run('named-catalog-with-default', 'SELECT * FROM analytics.events', {});
      expect(fromDefault.reason).toBe(`Insufficient permissions to execute the query. ${glueMessage(ACCOUNT, 'glue:GetTable', 'database/analytics', 'identity')}`);
      const missingTable = await run('named-catalog-with-default', 'SELECT * FROM nope', { Catalog: S3_TABLES, Database: 'analytics' });
      expect(missingTable.reason).toBe(`TABLE_NOT_FOUND: line 1:15: Table '${S3_TABLES}.analytics.nope' does not exist`);
      const unknown = await run('named-catalog-with-default', 'SELECT * FROM nowhere.analytics.events', {});
      expect(unknown.reason).toBe("CATALOG_NOT_FOUND: line 1:15: Catalog 'nowhere' not found");
    });

    it('fails every query of a policy that names only the S3 Tables catalog: Athena reads the root catalog\'s default database first', async () => {
      // Whatever the query's catalog, Athena reads the caller's own root catalog and its default
      // database: an S3 Tables selection does not move them under the child catalog.
      const denied = await run('named-catalog', 'SELECT * FROM events', { Catalog: S3_TABLES, Database: 'analytics' });
      expect(denied).toMatchObject({
        state: 'FAILED',
        reason: `Insufficient permissions to execute the query. ${glueMessage(ACCOUNT, 'glue:GetDatabase', 'database/default', 'identity')}`,
      });
    });

    it('reads another account tables through its data catalog, and fails when its resource policy does not allow', async () => {
      const allowed = await run('cross-account-catalog', 'SELECT * FROM orders', { Catalog: 'partner', Database: 'sales' });
      // The partner's orders, not this account's (order_id, customer_id, amount, currency, dt).
      expect(allowed).toMatchObject({ state: 'SUCCEEDED', header: ['order_id', 'amount', 'dt'] });
      const denied = await run('cross-account-catalog-denied', 'SELECT * FROM orders', { Catalog: 'partner', Database: 'sales' });
      expect(denied).toMatchObject({ state: 'FAILED', reason: `Insufficient permissions to execute the query. ${glueMessage(PARTNER, 'glue:GetTable', 'catalog', 'resource')}` });
      // The same caller's own catalog still answers.
      expect(await run('cross-account-catalog-denied', 'SELECT * FROM orders', { Database: 'sales' })).toMatchObject({ state: 'SUCCEEDED' });
    });

    it('fails a query on a named catalog the identity policy does not name, on its ARN chain', async () => {
      const denied = await run('named-catalog-denied', 'SELECT * FROM events', { Catalog: S3_TABLES, Database: 'analytics' });
      expect(denied).toMatchObject({ state: 'FAILED', reason: `Insufficient permissions to execute the query. ${glueMessage(ACCOUNT, 'glue:GetTable', 'catalog/s3tablescatalog', 'identity')}` });
    });
  });

  it('is parsed by botocore: list-databases on a named catalog, list-table-metadata refused by another account', async () => {
    const listed = await cli('named-catalog', ['athena', 'list-databases', '--catalog-name', S3_TABLES]);
    expect(listed.ok).toBe(true);
    expect(listed.json.DatabaseList.map((d: { Name: string }) => d.Name)).toEqual(['analytics']);
    const tables = await cli('cross-account-catalog', ['athena', 'list-table-metadata', '--catalog-name', 'partner', '--database-name', 'sales']);
    expect(tables.json.TableMetadataList.map((t: { Name: string }) => t.Name)).toEqual(['orders', 'customers']);
    const refused = await cli('cross-account-catalog-denied', ['athena', 'list-table-metadata', '--catalog-name', 'partner', '--database-name', 'sales']);
    expect(refused.errorCode).toBe('MetadataException');
    expect(refused.stderr).toContain(`glue:GetTables on resource: ${arn(PARTNER, 'catalog')} because no resource-based policy allows the glue:GetTables action`);
  });
});
