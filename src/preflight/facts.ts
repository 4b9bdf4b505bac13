// What probes learn in a run: facts a later probe reads, and that the verdict reads to judge and to
// word its remediation (where results are written, which keys protect them). Shared by the probes
// (src/probes) and the engine: the helpers that read the facts live here, below both.
import type { AwsAction } from '../catalogue/actions.js';
import type { AthenaPathKind } from '../catalogue/athena-path.js';
import type { PolicyStatement } from '../iam/policy.js';
import type { ClassifiedError, QueryFailure } from './classify.js';
import { type ResolvedConnection, type S3Location, parseS3Uri } from './connection.js';

/** Facts that probes learn and later probes use; each is written by the probe named beside it. */
export interface RunFacts {
  identity?: { accountId: string; arn: string; userId: string }; // sts-caller-identity
  /** Role mode: the service's own principal (a role, not its session), for the trust policy. */
  servicePrincipalArn?: string; // sts-assume-role
  databases?: string[]; // glue-databases
  /** Catalog paths Glue listed under the checked catalog's root (s3tablescatalog/bucket, …). */
  catalogs?: string[]; // glue-catalogs
  /** Databases listed in another account's catalog (shared through Lake Formation): the CatalogId to read each with. */
  databaseCatalogs?: Record<string, string>; // glue-databases
  /**
   * Resource links read, and what each points to in its owner's catalog: a database that is a link
   * (glue-databases, TargetDatabase), or a table that is one (glue-tables, TargetTable: `table` set).
   */
  resourceLinks?: Array<{ database: string; table?: string; target: { accountId: string; catalogId: string; database: string; table?: string; region?: string } }>; // glue-databases, glue-tables
  /** The Glue catalog Athena's data catalog reads (its catalog-id parameter). */
  athenaGlueCatalogId?: string; // athena-data-catalog
  tables?: Array<{ database: string; name: string; partitioned: boolean; governed: boolean; location?: string }>; // glue-tables
  sampleTable?: { database: string; name: string }; // glue-tables
  partitionedTable?: { database: string; name: string }; // glue-tables
  partitionValues?: string[]; // glue-partitions
  tableVersionId?: string; // glue-table-versions
  sampleFunction?: { database: string; name: string }; // glue-functions
  workgroup?: {
    name: string;
    state: string;
    outputLocation?: string;
    enforced: boolean;
    encryption?: { option: string; kmsKey?: string };
    /** ResultConfiguration.AclConfiguration.S3AclOption: Athena sends it as x-amz-acl with every result write. */
    acl?: string;
    /** ResultConfiguration.ExpectedBucketOwner: Athena sends it with every call to the output bucket. */
    expectedBucketOwner?: string;
    managedResults: boolean;
    /** The key that encrypts managed query results, if any. */
    managedResultsKmsKey?: string;
  }; // athena-workgroup
  queryExecutionId?: string; // athena-query-executions
  athenaDatabase?: string; // athena-databases
  athenaTable?: string; // athena-table-metadata-list
  /** The output location Athena will really use (the workgroup's when enforced). */
  output?: { bucket: string; prefix: string; uri: string; source: 'request' | 'workgroup' }; // s3 probes via resolveOutput
  bucketRegion?: string; // s3-bucket-location
  bucketEncryption?: { algorithm: string; kmsKeyId?: string }; // s3-bucket-encryption
  /** How S3 encrypted the marker: proof of the encryption really applied, whoever configured it. */
  markerEncryption?: { algorithm: string; kmsKeyId?: string }; // s3-put-marker
  markerKey?: string; // s3-put-marker
  markerWritten?: boolean; // s3-put-marker
  /** AWS refused the marker's write (a denial, a missing bucket): our own path already fails. */
  markerRefused?: boolean; // s3-put-marker
  /** False when S3 never answered the marker's write: it may apply it after our delete. */
  markerAnswered?: boolean; // s3-put-marker
  dataLakeSettings?: { iamAllowedByDefault: boolean; admins: number }; // lakeformation-settings
  /** The table athena-query read, and where its data lives. */
  queriedTable?: { database: string; name: string; location?: string }; // athena-query
  /** How the run's query failed, by cause and path (results, table data, catalog, Lake Formation, KMS). */
  queryFailure?: QueryFailure; // athena-query, lakeformation-data-access (runQuery)
  /** The governed table athena-query read, and how that failed if it did. */
  governedQuery?: { database: string; name: string; failure?: ClassifiedError & { action: AwsAction } }; // athena-query
  /** Where the sampled table's data lives, and the key that encrypts the object read. */
  tableData?: { table: string; bucket: string; prefix: string; kmsKeyId?: string }; // s3-table-data
  /** The paths a query that went through proved by taking them: its results written and read, a table's data read. */
  queryProvedAthenaPath?: Partial<Record<AthenaPathKind, true>>; // athena-query
  /**
   * Athena's own requests judged against the bucket policy, for the results and the table data:
   * the statements to merge where it refuses them, or why that went unproven.
   */
  athenaPaths?: Partial<Record<AthenaPathKind, { bucket: string; fix?: PolicyStatement[]; unproven?: { code: string; why: string } }>>; // s3-bucket-policy, s3-data-bucket-policy
  /** The key that encrypts the Glue Data Catalog at rest with SSE-KMS: Glue reads need kms:Decrypt on it (not with SSE-KMS-WITH-SERVICE-ROLE, where Glue's role uses it). */
  catalogKmsKey?: string; // glue-catalog-encryption
}

/** The CatalogId to read a database with: its owner's for a database shared from another account, else the connection's. */
export function catalogIdFor(context: { connection: ResolvedConnection; facts: RunFacts }, database: string): string {
  return context.facts.databaseCatalogs?.[database] ?? context.connection.catalogId;
}

/** Athena writes where the workgroup says when it enforces its configuration, else where the client says. */
export function resolveOutput(context: { connection: ResolvedConnection; facts: RunFacts }): (S3Location & { source: 'request' | 'workgroup' }) | undefined {
  const workgroup = context.facts.workgroup;
  if (workgroup?.enforced && workgroup.outputLocation) return { ...parseS3Uri(workgroup.outputLocation), source: 'workgroup' };
  if (context.connection.outputLocation) return { ...context.connection.outputLocation, source: 'request' };
  if (workgroup?.outputLocation) return { ...parseS3Uri(workgroup.outputLocation), source: 'workgroup' };
  return undefined;
}

/** S3's SSE algorithms that encrypt with a KMS key (aws:kms:dsse is dual-layer SSE-KMS). */
export const isKmsAlgorithm = (algorithm: string | undefined): boolean => algorithm?.startsWith('aws:kms') ?? false;

/** The bucket's default KMS key, as the marker's answer showed it or the bucket's settings say. */
function bucketDefaultKmsKey(facts: RunFacts): string | undefined {
  for (const encryption of [facts.markerEncryption, facts.bucketEncryption]) {
    if (isKmsAlgorithm(encryption?.algorithm) && encryption?.kmsKeyId) return encryption.kmsKeyId;
  }
  return undefined;
}

/**
 * The KMS keys Athena's result writes use, the one Athena itself names first: the workgroup's key
 * for SSE_KMS (sent with the write, so the bucket default is not used); for CSE_KMS the workgroup's
 * key and, since the already-encrypted object is written without SSE headers, the bucket default's
 * too; for SSE_S3 none; without workgroup encryption, the bucket default's. Managed query results
 * use the key of their own configuration.
 */
export function resultsKmsKeys(context: { facts: RunFacts }): string[] {
  const workgroup = context.facts.workgroup;
  if (workgroup?.managedResults) return workgroup.managedResultsKmsKey ? [workgroup.managedResultsKmsKey] : [];
  const encryption = workgroup?.encryption;
  const bucketKey = bucketDefaultKmsKey(context.facts);
  switch (encryption?.option) {
    case 'SSE_S3':
      return [];
    case 'SSE_KMS':
      return encryption.kmsKey ? [encryption.kmsKey] : [];
    case 'CSE_KMS':
      return [...(encryption.kmsKey ? [encryption.kmsKey] : []), ...(bucketKey ? [bucketKey] : [])];
    default:
      return bucketKey ? [bucketKey] : [];
  }
}

/** The key Athena itself encrypts with directly (CSE_KMS, managed query results): S3 is not in between. */
export function clientSideKmsKey(context: { facts: RunFacts }): string | undefined {
  const workgroup = context.facts.workgroup;
  if (workgroup?.managedResults) return workgroup.managedResultsKmsKey;
  return workgroup?.encryption?.option === 'CSE_KMS' ? workgroup.encryption.kmsKey : undefined;
}

/** Whether a KMS key reference (id, ARN, alias) names the same key as another, as far as can be told without KMS. */
export function sameKmsKey(a: string, b: string): boolean {
  const bare = (reference: string) => reference.replace(/^arn:aws[\w-]*:kms:[^:]*:\d{12}:/, '').replace(/^key\//, '');
  return bare(a) === bare(b);
}
