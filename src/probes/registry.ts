// The ordered registry: its order is the report's order, and every dependency points backwards.
import { athenaBatchQueryExecution } from './athena-batch-query-execution.js';
import { athenaDataCatalog } from './athena-data-catalog.js';
import { athenaDatabase } from './athena-database.js';
import { athenaDatabases } from './athena-databases.js';
import { athenaQuery } from './athena-query.js';
import { athenaQueryExecution } from './athena-query-execution.js';
import { athenaQueryExecutions } from './athena-query-executions.js';
import { athenaTableMetadata } from './athena-table-metadata.js';
import { athenaTableMetadataList } from './athena-table-metadata-list.js';
import { athenaWorkgroup } from './athena-workgroup.js';
import { athenaWorkgroups } from './athena-workgroups.js';
import { cloudtrailLookup } from './cloudtrail-lookup.js';
import { glueBatchPartition } from './glue-batch-partition.js';
import { glueDatabase } from './glue-database.js';
import { glueDatabases } from './glue-databases.js';
import { glueFunction } from './glue-function.js';
import { glueFunctions } from './glue-functions.js';
import { gluePartition } from './glue-partition.js';
import { gluePartitions } from './glue-partitions.js';
import { glueSearch } from './glue-search.js';
import { glueTable } from './glue-table.js';
import { glueTableVersion } from './glue-table-version.js';
import { glueTableVersions } from './glue-table-versions.js';
import { glueTables } from './glue-tables.js';
import { kmsDataKey } from './kms-data-key.js';
import { kmsDescribeKey } from './kms-describe-key.js';
import { lakeformationDataAccess } from './lakeformation-data-access.js';
import { lakeformationSettings } from './lakeformation-settings.js';
import { s3BucketEncryption } from './s3-bucket-encryption.js';
import { s3BucketLocation } from './s3-bucket-location.js';
import { s3DeleteMarker } from './s3-delete-marker.js';
import { s3Lifecycle } from './s3-lifecycle.js';
import { s3List } from './s3-list.js';
import { s3Multipart } from './s3-multipart.js';
import { s3PutMarker } from './s3-put-marker.js';
import { s3Read } from './s3-read.js';
import { s3TableData } from './s3-table-data.js';
import { stsAssumeRole } from './sts-assume-role.js';
import { stsCallerIdentity } from './sts-caller-identity.js';
import { stsExternalId } from './sts-external-id.js';
import type { ProbeDefinition } from './types.js';

export const PROBES: readonly ProbeDefinition[] = [
  stsAssumeRole,
  stsExternalId,
  stsCallerIdentity,
  glueDatabases,
  glueDatabase,
  glueTables,
  glueTable,
  gluePartitions,
  gluePartition,
  glueBatchPartition,
  glueTableVersions,
  glueTableVersion,
  glueFunctions,
  glueFunction,
  glueSearch,
  athenaWorkgroups,
  athenaWorkgroup,
  athenaQueryExecutions,
  athenaBatchQueryExecution,
  athenaQueryExecution,
  cloudtrailLookup,
  athenaDataCatalog,
  athenaDatabases,
  athenaDatabase,
  athenaTableMetadataList,
  athenaTableMetadata,
  s3BucketLocation,
  s3List,
  s3BucketEncryption,
  s3Lifecycle,
  s3PutMarker,
  s3Read,
  s3Multipart,
  s3DeleteMarker,
  s3TableData,
  kmsDescribeKey,
  kmsDataKey,
  athenaQuery,
  lakeformationSettings,
  lakeformationDataAccess,
];
