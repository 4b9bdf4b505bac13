// Which resource ARNs each action is authorised against (Service Authorization Reference, and the
// Glue and Athena guides where the reference is silent), so that a remediation policy grants what
// the product touches and no more. Where a scope value is unknown, the narrowest wildcard stands in.
import type { AwsAction } from './actions.js';

export interface ResourceScope {
  partition?: 'aws' | 'aws-cn' | 'aws-us-gov';
  region: string;
  accountId: string;
  /** The Glue catalog's owner when it is another account's catalog. */
  glueCatalogId?: string;
  /** Databases the product reads; empty or absent: all of them. */
  databases?: readonly string[];
  workgroup?: string;
  /** Athena data catalog name; AwsDataCatalog when absent. */
  dataCatalog?: string;
  bucket?: string;
  /** '' or 'a/b/'. */
  prefix?: string;
  kmsKeyArns?: readonly string[];
  /** The role the service assumes (role mode). */
  roleArn?: string;
}

type Scope = ResourceScope & { partition: string };

/** A named kind of resource set: the name becomes part of a statement's Sid. */
export interface ResourceRule {
  name: string;
  arns: (scope: Scope) => string[];
}

const rule = (name: string, arns: ResourceRule['arns']): ResourceRule => ({ name, arns });

const gluePrefix = (s: Scope) => `arn:${s.partition}:glue:${s.region}:${s.glueCatalogId ?? s.accountId}`;
const databasesOf = (s: Scope) => (s.databases?.length ? s.databases : ['*']);
const perDatabase = (s: Scope, arn: (database: string) => string) => databasesOf(s).map(arn);

// Glue checks a Data Catalog action on the resource and every ancestor: catalog > database > table/function.
const catalog = rule('Catalog', (s) => [`${gluePrefix(s)}:catalog`]);
const databases = rule('Databases', (s) => [...catalog.arns(s), ...perDatabase(s, (d) => `${gluePrefix(s)}:database/${d}`)]);
// Listing databases is checked against every database (Athena's guide: SHOW DATABASES needs database/*).
const databaseList = rule('DatabaseList', (s) => [...catalog.arns(s), `${gluePrefix(s)}:database/*`]);
const tables = rule('Tables', (s) => [...databases.arns(s), ...perDatabase(s, (d) => `${gluePrefix(s)}:table/${d}/*`)]);
// The reference requires only the table for version reads; tableVersion is added as the vendors'
// guides do, so that a policy keyed on version ARNs (or a future check of them) still matches.
const tableVersions = rule('TableVersions', (s) => [...tables.arns(s), ...perDatabase(s, (d) => `${gluePrefix(s)}:tableVersion/${d}/*/*`)]);
const functions = rule('Functions', (s) => [...databases.arns(s), ...perDatabase(s, (d) => `${gluePrefix(s)}:userDefinedFunction/${d}/*`)]);
// SearchTables looks through the whole catalog, whatever databases the product is limited to.
const wholeCatalog = rule('Search', (s) => [...catalog.arns(s), `${gluePrefix(s)}:database/*`, `${gluePrefix(s)}:table/*/*`]);

const athenaPrefix = (s: Scope) => `arn:${s.partition}:athena:${s.region}:${s.accountId}`;
// Unknown workgroup: any of the account's in the region (query history may span workgroups).
const workgroup = rule('Workgroup', (s) => [`${athenaPrefix(s)}:workgroup/${s.workgroup ?? '*'}`]);
// Athena's catalog actions take the data catalog alone, not the workgroup (reference: datacatalog*).
const dataCatalog = rule('DataCatalog', (s) => [`${athenaPrefix(s)}:datacatalog/${s.dataCatalog ?? 'AwsDataCatalog'}`]);

// S3 ARNs carry neither region nor account. An unknown bucket can only be "any bucket".
const bucket = rule('Bucket', (s) => [`arn:${s.partition}:s3:::${s.bucket ?? '*'}`]);
const objects = rule('Objects', (s) => [`arn:${s.partition}:s3:::${s.bucket ? `${s.bucket}/${(s.prefix ?? '').replace(/^\/+/, '')}` : '*/'}*`]);

// "*" would grant every key of every account that trusts this one; without a known key, the
// narrowest honest pattern is every key of this account in this region.
const keys = rule('Keys', (s) => (s.kmsKeyArns?.length ? [...s.kmsKeyArns] : [`arn:${s.partition}:kms:${s.region}:${s.accountId}:key/*`]));
const role = rule('Role', (s) => [s.roleArn ?? `arn:${s.partition}:iam::${s.accountId}:role/*`]);
// These actions support no resource-level permission: "*" is the only value IAM accepts.
const anyResource = rule('AnyResource', () => ['*']);

const RULES: Record<AwsAction, ResourceRule> = {
  'sts:GetCallerIdentity': anyResource,
  'sts:AssumeRole': role,
  'glue:GetDatabases': databaseList,
  'glue:GetDatabase': databases,
  'glue:GetTables': tables,
  'glue:GetTable': tables,
  'glue:GetPartitions': tables,
  'glue:GetPartition': tables,
  'glue:BatchGetPartition': tables,
  'glue:GetTableVersions': tableVersions,
  'glue:GetTableVersion': tableVersions,
  'glue:GetUserDefinedFunctions': functions,
  'glue:GetUserDefinedFunction': functions,
  'glue:SearchTables': wholeCatalog,
  'glue:GetDataCatalogEncryptionSettings': catalog,
  'athena:ListWorkGroups': anyResource,
  'athena:ListDataCatalogs': anyResource,
  'athena:GetWorkGroup': workgroup,
  'athena:ListQueryExecutions': workgroup,
  'athena:BatchGetQueryExecution': workgroup,
  'athena:GetQueryExecution': workgroup,
  'athena:StartQueryExecution': workgroup,
  'athena:StopQueryExecution': workgroup,
  'athena:GetQueryResults': workgroup,
  'athena:GetDataCatalog': dataCatalog,
  'athena:ListDatabases': dataCatalog,
  'athena:GetDatabase': dataCatalog,
  'athena:ListTableMetadata': dataCatalog,
  'athena:GetTableMetadata': dataCatalog,
  'cloudtrail:LookupEvents': anyResource,
  's3:GetBucketLocation': bucket,
  's3:ListBucket': bucket,
  's3:ListBucketMultipartUploads': bucket,
  's3:GetEncryptionConfiguration': bucket,
  's3:GetLifecycleConfiguration': bucket,
  's3:PutObject': objects,
  's3:GetObject': objects,
  's3:DeleteObject': objects,
  's3:AbortMultipartUpload': objects,
  's3:ListMultipartUploadParts': objects,
  'kms:GenerateDataKey': keys,
  'kms:Decrypt': keys,
  'kms:DescribeKey': keys,
  'lakeformation:GetDataAccess': anyResource,
  'lakeformation:GetDataLakeSettings': anyResource,
  'lakeformation:ListPermissions': anyResource,
};

const withDefaults = (scope: ResourceScope): Scope => ({ ...scope, partition: scope.partition ?? 'aws' });

/** The resource ARNs `action` must be allowed on, sorted and without duplicates. */
export function resourcesFor(action: AwsAction, scope: ResourceScope): string[] {
  return [...new Set(RULES[action].arns(withDefaults(scope)))].sort();
}

/** The kind of resource set an action is checked against ('Tables', 'Workgroup', …). */
export function resourceKindOf(action: AwsAction): string {
  return RULES[action].name;
}
