// What every built-in scenario's sample preflight must find, capability by capability: the table
// test/e2e/scenarios.test.ts runs end to end, and that other tests reuse (policy coverage must agree
// with it where only identity policies refuse). Expected verdicts are derived from IAM semantics and
// the vendors' guides (the one-line reasons), not from what the code happens to print.
import type { PreflightReport } from '../../src/preflight/types.js';

export const NR = 'skipped:not-requested';
export const NA = 'skipped:not-applicable';
export const NC = 'skipped:not-configured';
export const NS = 'skipped:no-sample';

export const ALL_OK = {
  connection: 'ok',
  metadata: 'ok',
  partitions: 'ok',
  'schema-history': 'ok',
  functions: 'ok',
  search: 'ok',
  'query-history': 'ok',
  'user-attribution': 'ok',
  'athena-catalog': 'ok',
  'query-results': 'ok',
  'query-execution': NR,
  encryption: NA,
  'lake-formation': NA,
  'table-data': NR,
};

export interface Expectation {
  overall: PreflightReport['status'];
  capabilities: Record<string, string>;
  findings?: string[];
  /** Request fields beyond the scenario's sample. */
  request?: Record<string, unknown>;
}

export const EXPECTED: Record<string, Expectation> = {
  'full-access': { overall: 'ok', capabilities: ALL_OK },
  'coalesce-glue-only': {
    overall: 'degraded',
    capabilities: {
      ...ALL_OK,
      functions: 'unavailable', // the guide lists the UDF actions but no userDefinedFunction ARN, which Glue checks them against
      'query-history': 'unavailable',
      'user-attribution': 'unavailable',
      'athena-catalog': 'unavailable',
      'query-results': NC, // GetWorkGroup is denied and the connection names no output location: nothing to test
    },
  },
  'coalesce-glue-athena': {
    overall: 'degraded',
    capabilities: { ...ALL_OK, functions: 'unavailable', 'user-attribution': 'unavailable', 'query-results': 'unavailable' /* the guide grants no S3 at all */ },
  },
  'coalesce-full': { overall: 'degraded', capabilities: { ...ALL_OK, functions: 'unavailable', 'query-results': 'unavailable' } },
  qualytics: {
    overall: 'degraded',
    capabilities: {
      ...ALL_OK,
      'schema-history': 'unavailable',
      functions: 'unavailable',
      search: 'unavailable',
      'query-history': 'unavailable', // the JDBC driver's policy has no ListQueryExecutions
      'user-attribution': 'unavailable',
      'athena-catalog': 'degraded', // ListDatabases and ListTableMetadata, but no GetDataCatalog nor athena:GetDatabase
    },
    findings: ['ATHENA_PATH_UNPROVEN', 'MARKER_NOT_DELETED'], // no s3:DeleteObject in the guide
  },
  immuta: {
    overall: 'degraded',
    capabilities: {
      ...ALL_OK,
      partitions: 'degraded', // GetPartitions and GetPartition, no BatchGetPartition
      'schema-history': 'degraded', // GetTableVersions, no GetTableVersion
      functions: 'unavailable',
      search: 'unavailable',
      'query-history': 'degraded', // list and batch-get granted, ListWorkGroups and GetWorkGroup not
      'user-attribution': 'unavailable',
      'athena-catalog': 'unavailable', // only athena actions that do not exist (GetCatalogs, GetTables…)
    },
    findings: ['ATHENA_PATH_UNPROVEN', 'MARKER_NOT_DELETED'],
  },
  'skoot-scope-a': {
    overall: 'degraded',
    capabilities: {
      ...ALL_OK,
      partitions: 'degraded', // only GetPartitions
      'schema-history': 'unavailable',
      functions: 'unavailable',
      search: 'unavailable',
      'query-history': 'unavailable',
      'user-attribution': 'unavailable',
      'athena-catalog': 'unavailable',
      'query-results': 'degraded', // write, read and delete, but no s3:AbortMultipartUpload
    },
    findings: ['ATHENA_PATH_UNPROVEN', 'MULTIPART_UPLOAD_NOT_ABORTED'], // so the upload the preflight started stays open, and the report says which
  },
  'skoot-scope-b': {
    overall: 'degraded',
    capabilities: {
      ...ALL_OK,
      partitions: NS, // the one allowed database has no partitioned table
      'schema-history': 'unavailable',
      functions: 'unavailable',
      search: 'unavailable',
      'query-history': 'unavailable',
      'user-attribution': 'unavailable',
      'athena-catalog': 'unavailable',
      'query-results': 'degraded',
    },
    findings: ['ATHENA_PATH_UNPROVEN', 'MULTIPART_UPLOAD_NOT_ABORTED'],
  },
  'secoda-user': {
    overall: 'failed',
    capabilities: {
      ...ALL_OK,
      metadata: 'unavailable', // glue:GetTables is not in the guide's list
      // No table could be listed to sample: that failure, not an empty account (never a quiet no-sample).
      partitions: 'unavailable',
      'schema-history': 'unavailable',
      functions: 'unavailable',
      'query-history': 'unavailable', // no BatchGetQueryExecution
      'user-attribution': 'unavailable',
      'athena-catalog': 'unavailable',
    },
    findings: ['ATHENA_PATH_UNPROVEN', 'MARKER_NOT_DELETED'],
  },
  'secoda-role': {
    overall: 'failed',
    capabilities: {
      ...ALL_OK,
      metadata: 'unavailable',
      partitions: 'unavailable',
      'schema-history': 'unavailable',
      functions: 'unavailable',
      'query-history': 'unavailable',
      'user-attribution': 'unavailable',
      'athena-catalog': 'unavailable',
    },
    findings: ['ATHENA_PATH_UNPROVEN', 'MARKER_NOT_DELETED'], // and no EXTERNAL_ID_NOT_ENFORCED: the trust policy requires it
  },
  'kms-encrypted-results': { overall: 'ok', capabilities: { ...ALL_OK, encryption: 'ok' }, findings: ['ATHENA_PATH_UNPROVEN'] },
  // The key Athena uses is the workgroup's, sent with the write; the bucket policy requires the header.
  'workgroup-kms-key': {
    overall: 'degraded',
    capabilities: { ...ALL_OK, encryption: 'unavailable', 'query-results': 'unavailable' /* S3 relays KMS's refusal of the workgroup's key */ },
    findings: ['WORKGROUP_ENCRYPTION'],
  },
  // Written with the workgroup's ACL and expected owner, as Athena writes, the bucket policy lets it in.
  'results-bucket-owner-acl': { overall: 'ok', capabilities: ALL_OK },
  // CSE_KMS: Athena calls KMS itself; the direct data-key round trip is refused.
  // With CSE_KMS no result is written without a data key from the workgroup's key: query-results depends on it too.
  'cse-kms-results': { overall: 'degraded', capabilities: { ...ALL_OK, encryption: 'unavailable', 'query-results': 'unavailable' }, findings: ['ATHENA_PATH_UNPROVEN', 'WORKGROUP_ENCRYPTION'] },
  // Glue lists nothing when the policy names only the catalog: never a quiet ok or skip.
  'glue-catalog-only': {
    overall: 'failed',
    capabilities: {
      ...ALL_OK,
      metadata: 'unavailable', // required, and nothing at all is visible
      partitions: 'degraded',
      'schema-history': 'degraded',
      functions: 'degraded',
      search: 'degraded',
      'athena-catalog': 'unavailable', // Athena relays Glue's refusal of the database ARNs
    },
    findings: ['NO_DATABASES_VISIBLE'],
  },
  // The Data Catalog is encrypted with a key the analyst may not use: every Glue read is refused by KMS.
  'encrypted-catalog': {
    overall: 'failed',
    capabilities: {
      ...ALL_OK,
      metadata: 'unavailable',
      partitions: 'unavailable',
      'schema-history': 'unavailable',
      functions: 'unavailable',
      search: 'unavailable',
      'athena-catalog': 'unavailable',
      encryption: 'ok', // the results key, which the analyst may use
    }, findings: ['ATHENA_PATH_UNPROVEN'] },
  'kms-denied': {
    overall: 'degraded',
    capabilities: { ...ALL_OK, 'query-results': 'unavailable' /* S3 relays KMS's refusal of the write */, encryption: 'unavailable' },
  },
  'lake-formation-governed': {
    overall: 'degraded',
    // An empty listing in a governed account is never a quiet ok: what it hides is degraded, with the finding's two causes.
    capabilities: { ...ALL_OK, metadata: 'degraded', partitions: 'degraded', 'schema-history': 'degraded', 'lake-formation': 'unknown' },
    findings: ['LAKE_FORMATION_EMPTY_LISTING', 'NO_TABLES_VISIBLE'],
  },
  // Lake Formation hides the named database itself: refused by name, fixed by a Lake Formation grant.
  'lake-formation-hidden-database': {
    overall: 'failed',
    capabilities: {
      ...ALL_OK,
      metadata: 'unavailable',
      partitions: 'unavailable',
      'schema-history': 'unavailable',
      functions: 'unavailable',
      'athena-catalog': 'unavailable',
      'lake-formation': 'unknown',
    },
  },
  'scp-deny-athena': {
    overall: 'degraded',
    capabilities: { ...ALL_OK, 'query-history': 'unavailable', 'athena-catalog': 'unavailable' /* the output location is given, so S3 works without GetWorkGroup */ },
  },
  'permissions-boundary': {
    overall: 'degraded',
    capabilities: { ...ALL_OK, 'query-history': 'unavailable', 'user-attribution': 'unavailable', 'athena-catalog': 'unavailable', 'query-results': 'unavailable' },
  },
  'external-id-not-enforced': { overall: 'ok', capabilities: ALL_OK, findings: ['EXTERNAL_ID_NOT_ENFORCED'] },
  'bucket-other-region': { overall: 'degraded', capabilities: { ...ALL_OK, 'query-results': 'unavailable' }, findings: ['BUCKET_OTHER_REGION'] },
  'workgroup-enforced-location': { overall: 'ok', capabilities: ALL_OK, findings: ['WORKGROUP_ENFORCED_LOCATION'] },
  'workgroup-disabled': {
    overall: 'degraded',
    capabilities: {
      ...Object.fromEntries(Object.keys(ALL_OK).map((id) => [id, NR])),
      connection: 'ok',
      metadata: 'ok',
      'query-history': NS, // nobody could run a query in a disabled workgroup
      'query-results': 'ok',
      'query-execution': 'unavailable', // InvalidRequestException: the workgroup is disabled
    },
    findings: ['WORKGROUP_DISABLED'],
  },
  'throttled-cloudtrail': {
    overall: 'degraded',
    capabilities: { ...ALL_OK, 'user-attribution': 'unknown' /* throttling outlasted the run's deadline (test/e2e/throttling.test.ts) */ },
    request: { options: { timeoutMs: 3000 } }, // LookupEvents is retried until the deadline: a short one
  },
  // Catalogs beyond the account's default. A cross-account read needs the caller's
  // identity policy and the owner's catalog resource policy both (Glue Developer Guide, "Granting
  // cross-account access"); a catalog under the root is checked with its path in every ARN
  // ("Specifying AWS Glue resource ARNs"); a resource link on the link and on its target.
  'cross-account-catalog': { overall: 'ok', capabilities: ALL_OK },
  'cross-account-catalog-denied': {
    overall: 'failed',
    capabilities: {
      ...ALL_OK,
      // The owner's resource policy names another principal: every Glue read of its catalog is refused.
      metadata: 'unavailable',
      partitions: 'unavailable',
      'schema-history': 'unavailable',
      functions: 'unavailable',
      search: 'unavailable',
      // Athena's "partner" catalog reads the same refusing catalog with the caller's rights.
      'athena-catalog': 'unavailable',
    },
  },
  'named-catalog': { overall: 'ok', capabilities: ALL_OK },
  'named-catalog-denied': {
    overall: 'failed',
    capabilities: {
      ...ALL_OK,
      // The identity policy names the default catalog's ARNs only: nothing under catalog/s3tablescatalog.
      metadata: 'unavailable',
      partitions: 'unavailable',
      'schema-history': 'unavailable',
      functions: 'unavailable',
      search: 'unavailable',
      'athena-catalog': 'unavailable',
    },
  },
  'lake-formation-shared-database': {
    overall: 'degraded',
    capabilities: {
      ...ALL_OK,
      // The share carries the database and its tables, not its functions: reading those in the owner's
      // catalog needs its Glue resource policy, which allows nobody here.
      functions: 'unavailable',
    },
    findings: ['RESOURCE_LINK', 'SHARED_DATABASES'],
  },
  'lake-formation-share-revoked': {
    overall: 'failed',
    capabilities: {
      ...ALL_OK,
      // Reading through the link is refused by Lake Formation once the share is gone, Athena's relayed reads too.
      metadata: 'unavailable',
      partitions: 'unavailable',
      'schema-history': 'unavailable',
      functions: 'unavailable',
      'athena-catalog': 'unavailable',
      'lake-formation': 'unknown',
    },
    findings: ['RESOURCE_LINK'],
  },
  'athena-catalog-other-account': { overall: 'ok', capabilities: ALL_OK, findings: ['ATHENA_CATALOG_MISMATCH'] },
  // Athena acts on the caller's behalf: its requests carry aws:CalledVia athena.amazonaws.com and none
  // of the caller's network keys (Athena User Guide, "Control access to Amazon S3 from Athena").
  'vpce-only-bucket': { overall: 'degraded', capabilities: { ...ALL_OK, 'query-results': 'unavailable' /* our marker came through the VPC endpoint; Athena's writes do not */ } },
  'vpce-only-bucket-athena-exception': { overall: 'ok', capabilities: ALL_OK /* AWS's exception for aws:CalledVia athena.amazonaws.com: nothing to fix */ },
  'source-ip-bucket': { overall: 'degraded', capabilities: { ...ALL_OK, 'query-results': 'unavailable' /* Athena's S3 requests come from an address of its own */ } },
  'bucket-policy-unreadable': { overall: 'ok', capabilities: ALL_OK, findings: ['ATHENA_PATH_UNPROVEN'] /* our path proved; Athena's could not be judged */ },
  'results-acl-no-putobjectacl': { overall: 'degraded', capabilities: { ...ALL_OK, 'query-results': 'unavailable' /* s3:PutObjectAcl, which a write with x-amz-acl needs */ } },
  'cse-kms-no-data-key': {
    overall: 'degraded',
    // The key policy refuses the key outside the company's range: our direct data key passes, Athena's
    // never does, and only a query (or the key policy, which the preflight does not read) shows it.
    capabilities: { ...ALL_OK, partitions: NR, 'schema-history': NR, functions: NR, search: NR, 'query-history': NR, 'user-attribution': NR, 'athena-catalog': NR, 'lake-formation': NR, encryption: 'unavailable', 'query-results': 'unavailable', 'query-execution': 'unavailable' },
    findings: ['ATHENA_PATH_UNPROVEN', 'WORKGROUP_ENCRYPTION'],
    request: { capabilities: ['connection', 'metadata', 'query-results', 'query-execution', 'encryption'], options: { runQuery: true } },
  },
  'query-glue-default-denied': { overall: 'degraded', capabilities: { ...ALL_OK, partitions: NR, 'schema-history': NR, functions: NR, search: NR, 'query-history': NR, 'user-attribution': NR, 'athena-catalog': NR, encryption: NR, 'lake-formation': NR, 'query-execution': 'unavailable' }, findings: ['ATHENA_PATH_UNPROVEN'] },
  'query-table-data-denied': { overall: 'degraded', capabilities: { ...ALL_OK, partitions: NR, 'schema-history': NR, functions: NR, search: NR, 'query-history': NR, 'user-attribution': NR, 'athena-catalog': NR, encryption: NR, 'lake-formation': NR, 'query-execution': 'unavailable', 'table-data': 'unavailable' /* the data bucket admits only the VPC endpoint */ } },
  'lake-formation-default-describe': { overall: 'degraded', capabilities: { ...ALL_OK, partitions: NR, 'schema-history': NR, functions: NR, search: NR, 'query-history': NR, 'user-attribution': NR, 'athena-catalog': NR, encryption: NR, 'query-results': NR, 'query-execution': 'unavailable', 'lake-formation': 'unavailable' } },
  'lake-formation-no-default-database': { overall: 'degraded', capabilities: { ...ALL_OK, partitions: NR, 'schema-history': NR, functions: NR, search: NR, 'query-history': NR, 'user-attribution': NR, 'athena-catalog': NR, encryption: NR, 'query-results': NR, 'query-execution': 'unavailable', 'lake-formation': 'unavailable' } },
  'catalog-encryption-service-role': { overall: 'ok', capabilities: { ...ALL_OK, encryption: 'ok' /* Glue's service role uses the catalog key, not the caller */ }, findings: ['ATHENA_PATH_UNPROVEN'] },
  slow: { overall: 'ok', capabilities: ALL_OK },
  'hanging-athena': { overall: 'degraded', capabilities: { ...ALL_OK, 'query-history': 'unknown', 'athena-catalog': 'unknown' } },
};
