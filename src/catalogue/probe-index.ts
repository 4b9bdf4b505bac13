// Written by `npm run generate` (scripts/probe-index.ts) from the probe files, src/probes/<id>.ts:
// edit those, not this (but for the order of PROBE_IDS, which is kept: a new probe goes last, after
// what it waits for). What the catalogue needs of the probes without importing them: their ids in
// the report's order, the actions they call or give a role with the rule of resources.ts IAM
// authorises each on, and each capability's actions by role. test/probes/registry.test.ts fails
// when this is not what the probe files say.

/** The probes' ids, in the report's order. */
export const PROBE_IDS = [
  'sts-assume-role',
  'sts-external-id',
  'sts-caller-identity',
  'glue-catalogs',
  'glue-catalog',
  'glue-databases',
  'glue-database',
  'glue-tables',
  'glue-table',
  'glue-partitions',
  'glue-partition',
  'glue-batch-partition',
  'glue-table-versions',
  'glue-table-version',
  'glue-functions',
  'glue-function',
  'glue-search',
  'glue-catalog-encryption',
  'athena-workgroups',
  'athena-workgroup',
  'athena-query-executions',
  'athena-batch-query-execution',
  'athena-query-execution',
  'cloudtrail-lookup',
  'athena-data-catalog',
  'athena-databases',
  'athena-database',
  'athena-table-metadata-list',
  'athena-table-metadata',
  's3-bucket-location',
  's3-list',
  's3-bucket-encryption',
  's3-lifecycle',
  's3-put-marker',
  's3-read',
  's3-multipart',
  's3-delete-marker',
  's3-bucket-policy',
  's3-table-data',
  's3-data-bucket-policy',
  'kms-describe-key',
  'kms-data-key',
  'athena-query',
  'lakeformation-settings',
  'lakeformation-data-access',
] as const;

export type ProbeId = (typeof PROBE_IDS)[number];

/** Every action a probe calls or gives a role, with what IAM authorises it on: the probes that say so beside it. */
export const PROBE_ACTIONS = {
  'sts:AssumeRole': 'role', // sts-assume-role, sts-external-id
  'sts:GetCallerIdentity': 'any-resource', // sts-caller-identity
  'glue:GetCatalogs': 'catalog-list', // glue-catalogs
  'glue:GetCatalog': 'catalog', // glue-catalog
  'glue:GetDatabases': 'database-list', // glue-databases
  'glue:GetDatabase': 'database-lookup', // glue-database
  'glue:GetTables': 'tables', // glue-tables
  'glue:GetTable': 'tables', // glue-table
  'glue:GetPartitions': 'tables', // glue-partitions
  'glue:GetPartition': 'tables', // glue-partition
  'glue:BatchGetPartition': 'tables', // glue-batch-partition
  'glue:GetTableVersions': 'tables', // glue-table-versions
  'glue:GetTableVersion': 'tables', // glue-table-version
  'glue:GetUserDefinedFunctions': 'functions', // glue-functions
  'glue:GetUserDefinedFunction': 'functions', // glue-function
  'glue:SearchTables': 'tables', // glue-search
  'glue:GetDataCatalogEncryptionSettings': 'root-catalog', // glue-catalog-encryption
  'athena:ListWorkGroups': 'any-resource', // athena-workgroups
  'athena:GetWorkGroup': 'workgroup', // athena-workgroup
  'athena:ListQueryExecutions': 'workgroup', // athena-query-executions
  'athena:BatchGetQueryExecution': 'workgroup', // athena-batch-query-execution
  'athena:GetQueryExecution': 'workgroup', // athena-query-execution, athena-query
  'cloudtrail:LookupEvents': 'any-resource', // cloudtrail-lookup
  'athena:GetDataCatalog': 'data-catalog', // athena-data-catalog
  'athena:ListDatabases': 'data-catalog', // athena-databases
  'athena:GetDatabase': 'data-catalog', // athena-database
  'athena:ListTableMetadata': 'data-catalog', // athena-table-metadata-list
  'athena:GetTableMetadata': 'data-catalog', // athena-table-metadata
  's3:GetBucketLocation': 'bucket', // s3-bucket-location
  's3:ListBucket': 'bucket-listing', // s3-list, s3-table-data
  's3:GetEncryptionConfiguration': 'bucket', // s3-bucket-encryption
  's3:GetLifecycleConfiguration': 'bucket', // s3-lifecycle
  's3:PutObject': 'objects', // s3-put-marker, s3-multipart
  's3:PutObjectAcl': 'objects', // s3-put-marker
  'kms:GenerateDataKey': 'key-use', // s3-put-marker, kms-data-key
  's3:GetObject': 'objects', // s3-read, s3-table-data
  'kms:Decrypt': 'key-use', // s3-read, s3-table-data, kms-data-key
  's3:AbortMultipartUpload': 'objects', // s3-multipart
  's3:ListMultipartUploadParts': 'objects', // s3-multipart
  's3:ListBucketMultipartUploads': 'bucket', // s3-multipart
  's3:DeleteObject': 'objects', // s3-delete-marker
  's3:GetBucketPolicy': 'bucket', // s3-bucket-policy, s3-data-bucket-policy
  'kms:DescribeKey': 'key-metadata', // kms-describe-key
  'athena:StartQueryExecution': 'workgroup', // athena-query
  'athena:GetQueryResults': 'workgroup', // athena-query
  'athena:StopQueryExecution': 'workgroup', // athena-query
  'athena:GetQueryResultsStream': 'workgroup', // athena-query
  'lakeformation:GetDataLakeSettings': 'any-resource', // lakeformation-settings
  'lakeformation:GetDataAccess': 'any-resource', // lakeformation-data-access
} as const;

/** Each capability's actions by role (CapabilityDefinition's lists), in the report's order: the probes that give them beside them. */
export const CAPABILITY_ACTIONS = {
  connection: {
    core: ['sts:GetCallerIdentity'], // sts-caller-identity
    roleModeCore: ['sts:AssumeRole'], // sts-assume-role
  },
  metadata: {
    core: ['glue:GetDatabases', 'glue:GetTables'], // glue-databases, glue-tables
    extended: ['glue:GetDatabase', 'glue:GetTable'], // glue-database, glue-table
    namedCatalogCore: ['glue:GetCatalogs', 'glue:GetCatalog'], // glue-catalogs, glue-catalog
    checkedWith: ['glue:GetDataCatalogEncryptionSettings'], // glue-catalog-encryption
  },
  partitions: {
    core: ['glue:GetPartitions'], // glue-partitions
    extended: ['glue:GetPartition', 'glue:BatchGetPartition'], // glue-partition, glue-batch-partition
  },
  'schema-history': {
    core: ['glue:GetTableVersions'], // glue-table-versions
    extended: ['glue:GetTableVersion'], // glue-table-version
  },
  functions: {
    core: ['glue:GetUserDefinedFunctions'], // glue-functions
    extended: ['glue:GetUserDefinedFunction'], // glue-function
  },
  search: {
    core: ['glue:SearchTables'], // glue-search
  },
  'query-history': {
    core: ['athena:ListQueryExecutions', 'athena:BatchGetQueryExecution'], // athena-query-executions, athena-batch-query-execution
    extended: ['athena:ListWorkGroups', 'athena:GetWorkGroup', 'athena:GetQueryExecution'], // athena-workgroups, athena-workgroup, athena-query-execution
  },
  'user-attribution': {
    core: ['cloudtrail:LookupEvents'], // cloudtrail-lookup
  },
  'athena-catalog': {
    core: ['athena:ListDatabases', 'athena:ListTableMetadata'], // athena-databases, athena-table-metadata-list
    extended: ['athena:GetDataCatalog', 'athena:GetDatabase', 'athena:GetTableMetadata'], // athena-data-catalog, athena-database, athena-table-metadata
  },
  'query-results': {
    core: ['s3:PutObject', 's3:GetObject'], // s3-put-marker, s3-read
    extended: ['s3:GetBucketLocation', 's3:ListBucket', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:ListBucketMultipartUploads'], // s3-bucket-location, s3-list, s3-multipart
    aclWriteCore: ['s3:PutObjectAcl'], // s3-put-marker
    clientSideKeyCore: ['kms:GenerateDataKey', 'kms:Decrypt'], // kms-data-key
    pathProofs: ['s3:GetBucketPolicy'], // s3-bucket-policy
    checkedWith: ['s3:GetLifecycleConfiguration', 's3:DeleteObject', 's3:GetBucketPolicy'], // s3-lifecycle, s3-delete-marker, s3-bucket-policy
  },
  'query-execution': {
    core: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'], // athena-query
    extended: ['athena:StopQueryExecution', 'athena:GetQueryResultsStream'], // athena-query
  },
  encryption: {
    core: ['kms:GenerateDataKey', 'kms:Decrypt'], // s3-put-marker, s3-read, kms-data-key
    extended: ['kms:DescribeKey'], // kms-describe-key
    checkedWith: ['s3:GetEncryptionConfiguration'], // s3-bucket-encryption
  },
  'lake-formation': {
    core: ['lakeformation:GetDataAccess'], // lakeformation-data-access
    checkedWith: ['lakeformation:GetDataLakeSettings'], // lakeformation-settings
  },
  'table-data': {
    core: ['s3:ListBucket', 's3:GetObject'], // s3-table-data
    pathProofs: ['s3:GetBucketPolicy'], // s3-data-bucket-policy
    checkedWith: ['s3:GetBucketPolicy'], // s3-data-bucket-policy
  },
} as const;
