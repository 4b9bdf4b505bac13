// Written by `npm run generate` (scripts/probe-index.ts) from the probe files, src/probes/<id>.ts:
// every probe under its own id, in the report's order (src/catalogue/probe-index.ts's PROBE_IDS),
// each after every probe it waits for. Edit the probes, not this.
import type { ProbeId } from '../catalogue/probe-index.js';
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
import { glueCatalog } from './glue-catalog.js';
import { glueCatalogEncryption } from './glue-catalog-encryption.js';
import { glueCatalogs } from './glue-catalogs.js';
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
import { s3BucketPolicy } from './s3-bucket-policy.js';
import { s3DataBucketPolicy } from './s3-data-bucket-policy.js';
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
import type { Probe } from './types.js';

export const PROBES_BY_ID: { readonly [Id in ProbeId]: Probe } = {
  'sts-assume-role': stsAssumeRole,
  'sts-external-id': stsExternalId,
  'sts-caller-identity': stsCallerIdentity,
  'glue-catalogs': glueCatalogs,
  'glue-catalog': glueCatalog,
  'glue-databases': glueDatabases,
  'glue-database': glueDatabase,
  'glue-tables': glueTables,
  'glue-table': glueTable,
  'glue-partitions': gluePartitions,
  'glue-partition': gluePartition,
  'glue-batch-partition': glueBatchPartition,
  'glue-table-versions': glueTableVersions,
  'glue-table-version': glueTableVersion,
  'glue-functions': glueFunctions,
  'glue-function': glueFunction,
  'glue-search': glueSearch,
  'glue-catalog-encryption': glueCatalogEncryption,
  'athena-workgroups': athenaWorkgroups,
  'athena-workgroup': athenaWorkgroup,
  'athena-query-executions': athenaQueryExecutions,
  'athena-batch-query-execution': athenaBatchQueryExecution,
  'athena-query-execution': athenaQueryExecution,
  'cloudtrail-lookup': cloudtrailLookup,
  'athena-data-catalog': athenaDataCatalog,
  'athena-databases': athenaDatabases,
  'athena-database': athenaDatabase,
  'athena-table-metadata-list': athenaTableMetadataList,
  'athena-table-metadata': athenaTableMetadata,
  's3-bucket-location': s3BucketLocation,
  's3-list': s3List,
  's3-bucket-encryption': s3BucketEncryption,
  's3-lifecycle': s3Lifecycle,
  's3-put-marker': s3PutMarker,
  's3-read': s3Read,
  's3-multipart': s3Multipart,
  's3-delete-marker': s3DeleteMarker,
  's3-bucket-policy': s3BucketPolicy,
  's3-table-data': s3TableData,
  's3-data-bucket-policy': s3DataBucketPolicy,
  'kms-describe-key': kmsDescribeKey,
  'kms-data-key': kmsDataKey,
  'athena-query': athenaQuery,
  'lakeformation-settings': lakeformationSettings,
  'lakeformation-data-access': lakeformationDataAccess,
};

export const PROBES: readonly Probe[] = Object.values(PROBES_BY_ID);
