// Which resource ARNs each action is authorised against (Service Authorization Reference), so
// that a remediation policy grants exactly what the product touches and no more.
import type { AwsAction } from './actions.js';

export interface ResourceScope {
  partition?: 'aws' | 'aws-cn' | 'aws-us-gov';
  region: string;
  accountId: string;
  glueCatalogId?: string;
  /** Databases the product reads; empty or absent: all of them. */
  databases?: readonly string[];
  workgroup?: string;
  dataCatalog?: string;
  bucket?: string;
  /** '' or 'a/b/'. */
  prefix?: string;
  kmsKeyArns?: readonly string[];
}

type ResourceRule = (scope: Required<Pick<ResourceScope, 'partition'>> & ResourceScope) => string[];

const glue = (s: ResourceScope & { partition: string }) => `arn:${s.partition}:glue:${s.region}:${s.glueCatalogId ?? s.accountId}`;
const databasesOf = (s: ResourceScope) => (s.databases?.length ? s.databases : ['*']);
const catalog: ResourceRule = (s) => [`${glue(s)}:catalog`];
const databases: ResourceRule = (s) => [...catalog(s), ...databasesOf(s).map((d) => `${glue(s)}:database/${d}`)];
const tables: ResourceRule = (s) => [...databases(s), ...databasesOf(s).map((d) => `${glue(s)}:table/${d}/*`)];
const tableVersions: ResourceRule = (s) => [...tables(s), ...databasesOf(s).map((d) => `${glue(s)}:tableVersion/${d}/*/*`)];
const functions: ResourceRule = (s) => [...databases(s), ...databasesOf(s).map((d) => `${glue(s)}:userDefinedFunction/${d}/*`)];
// SearchTables looks through the whole catalog.
const allDatabases: ResourceRule = (s) => [...catalog(s), `${glue(s)}:database/*`];
const everyTable: ResourceRule = (s) => [...allDatabases(s), `${glue(s)}:table/*/*`];

const athena = (s: ResourceScope & { partition: string }) => `arn:${s.partition}:athena:${s.region}:${s.accountId}`;
const workgroup: ResourceRule = (s) => [`${athena(s)}:workgroup/${s.workgroup ?? '*'}`];
const dataCatalog: ResourceRule = (s) => [`${athena(s)}:datacatalog/${s.dataCatalog ?? 'AwsDataCatalog'}`];

const bucket: ResourceRule = (s) => [`arn:${s.partition}:s3:::${s.bucket ?? '*'}`];
const objects: ResourceRule = (s) => [`arn:${s.partition}:s3:::${s.bucket ?? '*'}/${s.bucket ? (s.prefix ?? '') : ''}*`];
// Without a known key, the narrowest honest pattern is every key of the account in the region.
const keys: ResourceRule = (s) => (s.kmsKeyArns?.length ? [...s.kmsKeyArns] : [`arn:${s.partition}:kms:${s.region}:${s.accountId}:key/*`]);
const anything: ResourceRule = () => ['*'];

const RULES: Record<AwsAction, ResourceRule> = {
  'sts:GetCallerIdentity': anything,
  'sts:AssumeRole': anything,
  'glue:GetDatabases': databases,
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
  'glue:SearchTables': everyTable,
  'glue:GetDataCatalogEncryptionSettings': catalog,
  'athena:ListWorkGroups': anything,
  'athena:ListDataCatalogs': anything,
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
  'cloudtrail:LookupEvents': anything,
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
  'lakeformation:GetDataAccess': anything,
  'lakeformation:GetDataLakeSettings': anything,
  'lakeformation:ListPermissions': anything,
};

export function resourcesFor(action: AwsAction, scope: ResourceScope): string[] {
  return RULES[action]({ ...scope, partition: scope.partition ?? 'aws' });
}
