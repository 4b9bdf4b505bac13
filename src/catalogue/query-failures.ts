// What a failed Athena query is said to have met, in our words. Athena reports a refusal in prose
// (QueryExecutionStatus.StateChangeReason, AthenaError.ErrorMessage): preflight/classify.ts reads
// it, and a reader sees these sentences instead, since AWS's text can name a person's session.

export const QUERY_FAILURE_WORDS = {
  /** Athena asked another service (Glue) for the caller and was refused: the action and the kind of resource refused. */
  relayedRefusal: (action: string, resourceType: string | undefined) => `Athena was refused ${action}${resourceType ? ` on a ${resourceType}` : ''} while it ran the query for this principal`,
  resultsWrite: 'the query could not write its results to the output location (s3:PutObject)',
  outputBucket:
    "Athena could not verify the output location's bucket before running the query (s3:GetBucketLocation, s3:ListBucket on it): it is refused to this principal, does not exist, or is in another region",
  tableData: "the query could not read the table's data on S3 (s3:ListBucket and s3:GetObject on its location)",
  s3Unnamed: "S3 refused the query without saying where: the table's data or the output location (s3:ListBucket and s3:GetObject on the data, s3:PutObject on the results)",
  kmsRefused: (action: string) => `the query could not use its KMS key (${action})`,
  kmsCiphertext: 'the query could not decrypt data with its key (kms:Decrypt)',
  kmsKeyState: "the query's KMS key is disabled, pending deletion, or not found",
  lakeFormationDescribe: (database: string) => `Lake Formation refused DESCRIBE on the database ${database}, which Athena looks up for the query`,
  lakeFormationDescribeDefault:
    "Lake Formation refused DESCRIBE on the default database, which Athena looks up for every query in this principal's own catalog",
  lakeFormationCreateDatabase: "Lake Formation refused creating a database in this principal's own catalog (CREATE_DATABASE on the catalog): Athena creates the default database when it is missing",
  lakeFormationSelect: 'Lake Formation grants (SELECT) are missing on the queried table',
  lakeFormationDataAccess: 'the query was refused lakeformation:GetDataAccess',
  permissionUnnamed: 'Athena refused the query for want of a permission it did not name',
  throttled: (service: string) => `the query was throttled by ${service}`,
  timedOut: 'the query ran out of time in Athena',
  bucketNotFound: 'an S3 bucket the query uses does not exist',
  userError: "Athena refused the query as written for this account (a user error in Athena's terms)",
  failed: 'the query failed in Athena',
} as const;

/**
 * Who must act where Lake Formation refused a query, by the permission it named: the grant is made
 * in the caller's own catalog for what Athena does there (the default database, creating it).
 */
export const LAKE_FORMATION_NEED_WORDS = {
  describeDefault:
    "a Lake Formation administrator must grant this principal DESCRIBE on the default database of its own account's catalog, which Athena looks up for every query whichever catalog it reads (aws lakeformation grant-permissions)",
  describe: (database: string) => `a Lake Formation administrator must grant this principal DESCRIBE on the database ${database} (aws lakeformation grant-permissions)`,
  createDatabase:
    "the default database is missing from this principal's own account's catalog, and Athena creates it for the first query: a Lake Formation administrator must create it, or grant this principal CREATE_DATABASE on that catalog (aws lakeformation grant-permissions)",
} as const;
