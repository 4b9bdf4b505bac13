// Which Data Catalog a Glue request names, its ARNs, and who may read it: the caller's default
// catalog, a named catalog under an account's root catalog (Glue multi-catalog), or another
// account's catalog, reached through its Glue resource policy or a Lake Formation share.
import type { LakeFormationShare, PolicyDocument, PolicyStatement, ScenarioDatabase } from '../scenario.js';
import type { SandboxState } from '../state.js';
import { type AuthorizeOptions, AwsError, type Caller, type ServiceCall } from '../types.js';

export interface CatalogRef {
  /** The account owning the catalog. */
  accountId: string;
  /** Path of a named catalog under the account's root (`s3tablescatalog/acme-tables`); undefined: the default catalog. */
  path?: string;
  /** The CatalogId the catalog's own shapes carry: the account id, or `<account>:<path>`. */
  id: string;
  /** local: the scenario's account; other: one of its otherAccounts; unknown: any other account. */
  owner: 'local' | 'other' | 'unknown';
  exists: boolean;
  databases: readonly ScenarioDatabase[];
  resourcePolicy?: PolicyDocument;
  shares: readonly LakeFormationShare[];
}

/**
 * A CatalogId as Glue takes it: absent, the caller's account; a 12-digit account id, that
 * account's default catalog; `<account>:<path>` or a bare `<path>`, a named catalog under that
 * account's (or the caller's) root. The Lake Formation and Glue guides write a child catalog's id
 * as `<account-id>:<catalog path>` (e.g. `123456789012:s3tablescatalog/amzn-s3-demo-bucket`);
 * the bare path is the sandbox's reading of "a catalog name under the account's root".
 */
export function parseCatalogId(value: string | undefined, defaultAccount: string): { accountId: string; path?: string } {
  if (value === undefined || value === '') return { accountId: defaultAccount };
  if (/^\d{12}$/.test(value)) return { accountId: value };
  const qualified = /^(\d{12}):(.+)$/.exec(value);
  const [accountId, path] = qualified ? [qualified[1]!, qualified[2]!] : [defaultAccount, value];
  // Catalog names are lower case (API reference, GetCatalog: "This should be all lowercase").
  return { accountId, path: path.toLowerCase().replace(/^\/+|\/+$/g, '') };
}

/** Every named catalog path of the scenario's account, with the implied parents (`s3tablescatalog`). */
export function namedCatalogPaths(state: SandboxState): string[] {
  const paths = new Set<string>();
  for (const catalog of state.scenario.glue.catalogs) {
    const segments = catalog.name.split('/');
    segments.forEach((_, index) => paths.add(segments.slice(0, index + 1).join('/')));
  }
  return [...paths].sort();
}

export function resolveCatalog(state: SandboxState, catalogId: string | undefined): CatalogRef {
  const { accountId, path } = parseCatalogId(catalogId, state.accountId);
  const id = path ? `${accountId}:${path}` : accountId;
  if (accountId === state.accountId) {
    const named = path ? state.scenario.glue.catalogs.find((catalog) => catalog.name === path) : undefined;
    return {
      accountId,
      path,
      id,
      owner: 'local',
      exists: !path || namedCatalogPaths(state).includes(path),
      databases: path ? (named?.databases ?? []) : state.scenario.glue.databases,
      shares: [],
    };
  }
  const other = state.scenario.otherAccounts.find((account) => account.accountId === accountId);
  if (!other) return { accountId, path, id, owner: 'unknown', exists: false, databases: [], shares: [] };
  // Other accounts are modelled with their default catalog only.
  return {
    accountId,
    path,
    id,
    owner: 'other',
    exists: !path,
    databases: path ? [] : other.glue.databases,
    resourcePolicy: other.glue.resourcePolicy,
    shares: other.lakeFormationShares,
  };
}

/**
 * A catalog's resource ARNs (Glue Developer Guide, "Specifying AWS Glue resource ARNs"): the
 * default catalog's are `catalog`, `database/D`, `table/D/T`; a named catalog's are
 * `catalog/<path>`, `database/<path>/D`, `table/<path>/D/T` (rows "Federated S3 tables catalog",
 * "table bucket catalog", "database", "table"). The chain is what a catalog-level action is checked
 * on: the root catalog, each ancestor, then the catalog itself. The function ARN of a named catalog
 * (`userDefinedFunction/<path>/D/F`) is not documented: the sandbox follows the pattern.
 */
export function catalogArns(region: string, ref: Pick<CatalogRef, 'accountId' | 'path'>) {
  const prefix = `arn:aws:glue:${region}:${ref.accountId}`;
  const scope = ref.path ? `${ref.path}/` : '';
  const segments = ref.path?.split('/') ?? [];
  return {
    root: `${prefix}:catalog`,
    catalog: ref.path ? `${prefix}:catalog/${ref.path}` : `${prefix}:catalog`,
    chain: [`${prefix}:catalog`, ...segments.map((_, index) => `${prefix}:catalog/${segments.slice(0, index + 1).join('/')}`)],
    database: (database: string) => `${prefix}:database/${scope}${database}`,
    table: (database: string, table: string) => `${prefix}:table/${scope}${database}/${table}`,
    udf: (database: string, name: string) => `${prefix}:userDefinedFunction/${scope}${database}/${name}`,
  };
}

/** Whether a Lake Formation share names the caller: its account, itself, or the role of its session. */
export function shareCoversCaller(share: LakeFormationShare, caller: Caller): boolean {
  return share.principal === caller.accountId || share.principal === caller.arn || (caller.roleArn !== undefined && share.principal === caller.roleArn);
}

/** The databases another account shares with the caller (a grant on any of its tables shares the database too). */
export function sharedDatabaseNames(ref: CatalogRef, caller: Caller): string[] {
  return [...new Set(ref.shares.filter((share) => shareCoversCaller(share, caller)).map((share) => share.database))];
}

/** Whether a share with the caller covers one of the owner's resource ARNs (catalog, database or table). */
function shareCovers(call: ServiceCall, ref: CatalogRef, resource: string): boolean {
  const arn = catalogArns(call.region, ref);
  return ref.shares.some((share) => {
    if (!shareCoversCaller(share, call.caller)) return false;
    if (resource === arn.root || resource === arn.database(share.database)) return true;
    if (share.table === undefined) return false;
    return share.table === '*' ? resource.startsWith(`${arn.table(share.database, '')}`) : resource === arn.table(share.database, share.table);
  });
}

/**
 * The resource side of a cross-account read: the owner's Glue catalog resource policy, and, for
 * what the owner shares through Lake Formation, an allow standing in for it. That stand-in is the
 * sandbox's reading: Lake Formation cross-account grants are carried by RAM and Lake Formation,
 * not by the Glue resource policy (Lake Formation Developer Guide, "Cross-account data sharing"),
 * and the grantee still needs IAM permissions of its own for the Glue calls. The owner's explicit
 * denies keep applying.
 */
function resourceSide(call: ServiceCall, ref: CatalogRef, action: string, resource: string): PolicyDocument | undefined {
  if (!shareCovers(call, ref, resource)) return ref.resourcePolicy;
  const grant: PolicyStatement = { Sid: 'LakeFormationShare', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${call.caller.accountId}:root` }, Action: action, Resource: resource };
  const existing = ref.resourcePolicy ? (Array.isArray(ref.resourcePolicy.Statement) ? ref.resourcePolicy.Statement : [ref.resourcePolicy.Statement]) : [];
  return { Version: '2012-10-17', Statement: [...existing, grant] };
}

/**
 * What an authorization on one of the catalog's resources carries: nothing for the scenario's own
 * catalogs (same-account, as they always were checked); the owner's account and resource side for
 * another account's. For services that make Glue reads with the caller's rights (Athena) and must
 * word Glue's refusal themselves.
 */
export function authorizationIn(call: ServiceCall, ref: CatalogRef, action: string, resource: string): AuthorizeOptions {
  return ref.owner === 'local' ? {} : { resourceAccountId: ref.accountId, resourcePolicy: resourceSide(call, ref, action, resource) };
}

/** Throws the access-denied error unless the caller may perform the action on every resource of the catalog. */
export function authorizeIn(call: ServiceCall, ref: CatalogRef, action: string, resources: readonly string[]): void {
  for (const resource of resources) call.authorize(action, resource, authorizationIn(call, ref, action, resource));
}

/** The same decision without throwing, for listings that leave out what the caller may not read. */
export function allowedIn(call: ServiceCall, ref: CatalogRef, action: string, resource: string): boolean {
  return call.isAuthorized(action, resource, authorizationIn(call, ref, action, resource));
}

/** A named catalog's Glue shape (Catalog); the default catalog's when ref has no path. */
export function catalogShape(region: string, ref: Pick<CatalogRef, 'accountId' | 'path'>, description: string | undefined, created: Date) {
  const arn = catalogArns(region, ref);
  return {
    // `<account>:<path>` as the Lake Formation guide writes a child catalog's id; the API reference
    // shows no example value. The default catalog's entry (IncludeRoot) is named by its account
    // id: undocumented, the sandbox's choice.
    CatalogId: ref.path ? `${ref.accountId}:${ref.path}` : ref.accountId,
    Name: ref.path ? ref.path.split('/').at(-1)! : ref.accountId,
    ResourceArn: arn.catalog,
    ...(description ? { Description: description } : {}),
    Parameters: {},
    CreateTime: created,
    UpdateTime: created,
    CreateTableDefaultPermissions: [],
    CreateDatabaseDefaultPermissions: [],
  };
}

/**
 * Refuses a read through a resource link whose target the owner does not share with the caller,
 * in Lake Formation's words: the fix is a Lake Formation grant by the owner, not an IAM Allow.
 */
export function requireShare(call: ServiceCall, target: CatalogRef, database: string): void {
  if (target.owner !== 'other') return;
  if (!sharedDatabaseNames(target, call.caller).includes(database)) {
    throw new AwsError('AccessDeniedException', `Insufficient Lake Formation permission(s) on ${database}`);
  }
}
