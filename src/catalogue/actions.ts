// Every IAM action the product exercises or asks for, as one union: a typo fails the type check.
// These are IAM action names, which are not always API names: S3's GetBucketEncryption API is
// authorised by `s3:GetEncryptionConfiguration`, its GetBucketLifecycleConfiguration API by
// `s3:GetLifecycleConfiguration` (Service Authorization Reference).
export const AWS_ACTIONS = [
  'sts:GetCallerIdentity',
  'sts:AssumeRole',
  'glue:GetDatabases',
  'glue:GetDatabase',
  // Athena creates the caller's default database when it is missing: asked for only when refused.
  'glue:CreateDatabase',
  'glue:GetTables',
  'glue:GetTable',
  'glue:GetPartitions',
  'glue:GetPartition',
  'glue:BatchGetPartition',
  'glue:GetTableVersions',
  'glue:GetTableVersion',
  'glue:GetUserDefinedFunctions',
  'glue:GetUserDefinedFunction',
  'glue:SearchTables',
  'glue:GetDataCatalogEncryptionSettings',
  // Glue's multi-catalog reads (S3 Tables, federated and Redshift-managed catalogs under the root).
  'glue:GetCatalogs',
  'glue:GetCatalog',
  'athena:ListWorkGroups',
  'athena:GetWorkGroup',
  'athena:ListQueryExecutions',
  'athena:BatchGetQueryExecution',
  'athena:GetQueryExecution',
  'athena:StartQueryExecution',
  'athena:StopQueryExecution',
  'athena:GetQueryResults',
  // No API of its own: the JDBC and ODBC drivers fetch results through it (Athena User Guide, JDBC driver permissions).
  'athena:GetQueryResultsStream',
  'athena:ListDataCatalogs',
  'athena:GetDataCatalog',
  'athena:ListDatabases',
  'athena:GetDatabase',
  'athena:ListTableMetadata',
  'athena:GetTableMetadata',
  'cloudtrail:LookupEvents',
  's3:GetBucketLocation',
  's3:ListBucket',
  's3:PutObject',
  // A PutObject that sends a canned ACL (x-amz-acl) needs it as well (S3 API Reference, PutObject, Permissions).
  's3:PutObjectAcl',
  's3:GetObject',
  's3:DeleteObject',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
  's3:ListBucketMultipartUploads',
  's3:GetEncryptionConfiguration',
  // Read to judge Athena's own requests against the bucket policy (they carry other keys than ours).
  's3:GetBucketPolicy',
  's3:GetLifecycleConfiguration',
  'kms:GenerateDataKey',
  'kms:Decrypt',
  'kms:DescribeKey',
  'lakeformation:GetDataAccess',
  'lakeformation:GetDataLakeSettings',
  'lakeformation:ListPermissions',
] as const;

export type AwsAction = (typeof AWS_ACTIONS)[number];

export function isAwsAction(value: string): value is AwsAction {
  return (AWS_ACTIONS as readonly string[]).includes(value);
}

/** The IAM service prefix of an action: 'glue' for 'glue:GetTables'. */
export function serviceOf(action: string): string {
  return action.slice(0, action.indexOf(':'));
}
