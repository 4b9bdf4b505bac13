// Queries that really "run": they read the Glue catalog with the caller's rights, write their CSV
// to the sandbox's S3, and fail as Athena does when the caller cannot write there, use the key, or
// read Lake Formation-governed data; their state moves on with sandbox time.
import { accessDeniedMessage } from '../../iam/evaluate.js';
import { hasLakeFormationPermission, isDataLakeAdmin, isDatabaseVisible, isGoverned, isTableVisible, kmsDecision, lakeFormationPrincipal, resolveKmsKey } from '../governance.js';
import { stringField } from '../protocols.js';
import type { ScenarioDatabase, ScenarioTable, ScenarioWorkGroup } from '../scenario.js';
import { etagOf, type QueryExecutionRecord, type SandboxState, type StoredObject } from '../state.js';
import { AwsError, type ServiceCall } from '../types.js';
import { VIA_ATHENA, allowedForAthena, bucketOf, catalogInQuery, findDatabase, glueAuthorize, glueCatalogOf, governed, refusal, requireGlue, s3Exception, throughLink } from './athena-catalog.js';
import { ENGINE_VERSION, type Input, findExecution, findWorkgroup, invalid, page, required, workgroupArn } from './athena-requests.js';
import { ERROR_TYPE, type Failure, type TableReference, csv, evaluateQuery, malformedMessage, parseCsv, statementType } from './athena-sql.js';
import { type CatalogRef, catalogArns, resolveCatalog } from './glue-catalogs.js';

type Encryption = NonNullable<QueryExecutionRecord['encryption']>;

const QUEUED_MS = 20;
/** A query runs 50–150 ms of sandbox time in all, queueing included. */
const MIN_RUN_MS = 50;
const RUN_JITTER_MS = 100;

/** ClientRequestToken → query execution id, per sandbox: StartQueryExecution is idempotent. */
const startedByToken = new WeakMap<SandboxState, Map<string, string>>();

// ---- Query state and shapes -------------------------------------------------------------------

/** A query's state moves on with sandbox time, computed when read: queued, running, then its outcome. */
export function currentState(call: ServiceCall, execution: QueryExecutionRecord): QueryExecutionRecord['state'] {
  if (execution.finishesAt === undefined || execution.state === 'CANCELLED') return execution.state;
  const now = call.state.now();
  if (now < execution.submittedAt.getTime() + QUEUED_MS) return 'QUEUED';
  if (now < execution.finishesAt) return 'RUNNING';
  return execution.state;
}

function encryptionShape(encryption: Encryption | undefined) {
  return encryption ? { EncryptionConfiguration: { EncryptionOption: encryption.option, ...(encryption.kmsKey ? { KmsKey: encryption.kmsKey } : {}) } } : {};
}

export function workgroupConfiguration(workgroup: ScenarioWorkGroup) {
  return {
    ResultConfiguration: {
      ...(workgroup.outputLocation ? { OutputLocation: workgroup.outputLocation } : {}),
      ...encryptionShape(workgroup.encryption),
      ...(workgroup.aclOption ? { AclConfiguration: { S3AclOption: workgroup.aclOption } } : {}),
      ...(workgroup.expectedBucketOwner ? { ExpectedBucketOwner: workgroup.expectedBucketOwner } : {}),
    },
    ManagedQueryResultsConfiguration: {
      Enabled: workgroup.managedQueryResults,
      ...(workgroup.managedQueryResultsKmsKey ? { EncryptionConfiguration: { KmsKey: workgroup.managedQueryResultsKmsKey } } : {}),
    },
    EnforceWorkGroupConfiguration: workgroup.enforceWorkGroupConfiguration,
    PublishCloudWatchMetricsEnabled: true,
    RequesterPaysEnabled: false,
    EngineVersion: ENGINE_VERSION,
  };
}

export function executionShape(call: ServiceCall, execution: QueryExecutionRecord) {
  const state = currentState(call, execution);
  const completedAt = execution.completedAt ?? (execution.finishesAt !== undefined ? new Date(execution.finishesAt) : undefined);
  const done = (state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED') && completedAt !== undefined;
  const managed = call.state.scenario.athena.workgroups.find((w) => w.name === execution.workgroup)?.managedQueryResults ?? false;
  const totalMs = done ? completedAt.getTime() - execution.submittedAt.getTime() : 0;
  return {
    QueryExecutionId: execution.id,
    Query: execution.query,
    StatementType: statementType(execution.query),
    ...(managed ? { ManagedQueryResultsConfiguration: { Enabled: true } } : {}),
    ResultConfiguration: { ...(execution.outputLocation ? { OutputLocation: execution.outputLocation } : {}), ...encryptionShape(execution.encryption) },
    QueryExecutionContext: { ...(execution.database ? { Database: execution.database } : {}), Catalog: execution.catalog ?? 'AwsDataCatalog' },
    Status: {
      State: state,
      SubmissionDateTime: execution.submittedAt,
      ...(done ? { CompletionDateTime: completedAt } : {}),
      ...(state === 'FAILED' || state === 'CANCELLED' ? { StateChangeReason: execution.stateChangeReason ?? 'Query failed' } : {}),
      ...(state === 'FAILED' && execution.error
        ? { AthenaError: { ErrorCategory: execution.error.category, ErrorType: execution.error.type, Retryable: false, ErrorMessage: execution.error.message } }
        : {}),
    },
    Statistics: done
      ? { EngineExecutionTimeInMillis: Math.max(totalMs - QUEUED_MS, 0), DataScannedInBytes: 0, TotalExecutionTimeInMillis: totalMs, QueryQueueTimeInMillis: Math.min(QUEUED_MS, totalMs) }
      : {},
    WorkGroup: execution.workgroup,
    EngineVersion: ENGINE_VERSION,
  };
}

/**
 * Athena reads each table through Glue with the caller's rights, in the Glue catalog of the data
 * catalog the SQL (`ownerCatalog.tpch1000.customer`, as the Athena guide's cross-account example
 * queries) or the query's context names, then its data through Lake Formation. That an
 * unknown catalog fails as CATALOG_NOT_FOUND with this text is Trino's wording, not documented by
 * Athena.
 */
function readTable(call: ServiceCall, reference: TableReference, contextCatalog: string): ScenarioTable | Failure {
  const catalogName = reference.catalog ?? contextCatalog;
  const dataCatalog = catalogInQuery(call, catalogName);
  if (!dataCatalog) return { reason: `CATALOG_NOT_FOUND: line ${reference.at}: Catalog '${catalogName.toLowerCase()}' not found`, type: ERROR_TYPE.entityNotFound };
  const ref = glueCatalogOf(call, dataCatalog);
  const tableArns = (arn: ReturnType<typeof catalogArns>, database: string) => [...arn.chain, arn.database(database), arn.table(database, reference.table)];
  let read: { ref: CatalogRef; database: ScenarioDatabase };
  try {
    glueAuthorize(call, ref, 'glue:GetTable', tableArns(catalogArns(call.region, ref), reference.database));
    read = throughLink(call, ref, findDatabase(call, ref, reference.database), 'glue:GetTable', tableArns);
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    if (error.code === 'EntityNotFoundException') return { reason: `SCHEMA_NOT_FOUND: line ${reference.at}: Schema '${reference.database}' does not exist`, type: ERROR_TYPE.entityNotFound };
    return { reason: `Insufficient permissions to execute the query. ${error.message}`, type: ERROR_TYPE.permission };
  }
  const { database } = read;
  const table = database.tables.find((t) => t.name === reference.table);
  if (!table) {
    return { reason: `TABLE_NOT_FOUND: line ${reference.at}: Table '${catalogName.toLowerCase()}.${reference.database}.${reference.table}' does not exist`, type: ERROR_TYPE.tableNotFound };
  }
  const lakeFormationDenial = `Insufficient permissions to execute the query. Insufficient Lake Formation permission(s) on ${table.name}`;
  // Glue's GetTable refuses a governed table the caller may not even see; reading data asks Lake Formation.
  if (governed(read.ref) && !isTableVisible(call.state, call.caller, database.name, table.name)) return { reason: lakeFormationDenial, type: ERROR_TYPE.permission };
  if (governed(read.ref) && isGoverned(call.state, database.name, table.name)) {
    const why = refusal(call, 'lakeformation:GetDataAccess', '*');
    if (why) return { reason: `Insufficient permissions to execute the query. ${why}`, type: ERROR_TYPE.permission };
    if (!hasLakeFormationPermission(call.state, call.caller, database.name, table.name, 'SELECT')) return { reason: lakeFormationDenial, type: ERROR_TYPE.permission };
  } else if (table.location?.startsWith('s3://')) {
    const denied = dataReadRefused(call, table.location);
    if (denied) return denied;
  }
  return table;
}

/**
 * An ungoverned table's data is read from S3 with the caller's rights, through Athena: listing its
 * location, then reading its objects. A refused listing fails the query with "Permission denied on
 * S3 path: s3://…" (as public reports of this failure quote it); a refused read with S3's exception
 * and the object's path (AWS Knowledge Center, "Why do I get an Access Denied error when I run a
 * query in Amazon Athena?": "com.amazonaws.services.s3.model.AmazonS3Exception: Access Denied
 * (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: …) … (Path:
 * s3://my-athena-source-bucket/athena_data.csv)"). Both are error type 1500 (permission).
 */
function dataReadRefused(call: ServiceCall, location: string): Failure | undefined {
  const { bucket: bucketName, key: prefix } = parseS3Url(location);
  const { options } = bucketOf(call, bucketName);
  if (!allowedForAthena(call, 's3:ListBucket', `arn:aws:s3:::${bucketName}`, { ...options, context: { 's3:prefix': prefix } })) {
    return { reason: `Permission denied on S3 path: ${location}`, type: ERROR_TYPE.permission };
  }
  const first = [...(call.state.objects.get(bucketName)?.keys() ?? [])].sort().find((key) => key.startsWith(prefix));
  if (first && !allowedForAthena(call, 's3:GetObject', `arn:aws:s3:::${bucketName}/${first}`, options)) {
    return {
      reason: `com.amazonaws.services.s3.model.AmazonS3Exception: ${s3Exception(call, 403, 'AccessDenied', 'Access Denied')} (Path: s3://${bucketName}/${first})`,
      type: ERROR_TYPE.permission,
    };
  }
  return undefined;
}

/**
 * Every query starts in the caller's own account's Data Catalog and its `default` database,
 * whichever catalog the query reads: Athena reads them for the caller (glue:GetDatabase on the
 * catalog and database/default: Athena User Guide, "Configure access to databases and tables in the
 * AWS Glue Data Catalog", section "Configure AWS Glue access to your catalog and database per AWS
 * Region"), Lake Formation must let the caller see `default` where it governs it ("The DESCRIBE
 * permission is required on the default database", Athena User Guide, "Considerations and
 * limitations for querying data registered with Lake Formation"), and Athena creates `default` when
 * it is missing (glue:CreateDatabase; under Lake Formation, CREATE_DATABASE on the catalog, refused
 * as "Insufficient Lake Formation permission(s): Required Create Database on Catalog", as public
 * reports of Glue's CreateDatabase quote it). The sandbox's Athena serves its own account's
 * principals only; a principal of another account is not checked here.
 */
function defaultDatabaseFailure(call: ServiceCall): Failure | undefined {
  const { state, caller } = call;
  if (caller.accountId !== state.accountId) return undefined;
  const ref = resolveCatalog(state, undefined);
  const arn = catalogArns(call.region, ref);
  const resources = [arn.root, arn.database('default')];
  const denied = (message: string): Failure => ({ reason: `Insufficient permissions to execute the query. ${message}`, type: ERROR_TYPE.permission });
  try {
    requireGlue(call, ref, 'glue:GetDatabase', resources);
  } catch (error) {
    if (error instanceof AwsError) return denied(error.message);
    throw error;
  }
  if (ref.databases.some((database) => database.name === 'default')) {
    return isDatabaseVisible(state, caller, 'default') ? undefined : denied('Insufficient Lake Formation permission(s): Required Describe on default');
  }
  for (const resource of resources) {
    const why = refusal(call, 'glue:CreateDatabase', resource);
    if (why) return denied(why);
  }
  const { lakeFormation } = state.scenario;
  const principal = lakeFormationPrincipal(caller);
  if (!lakeFormation.databaseCreators.some((creator) => creator === 'IAM_ALLOWED_PRINCIPALS' || creator === principal) && !isDataLakeAdmin(state, caller)) {
    return denied('Insufficient Lake Formation permission(s): Required Create Database on Catalog');
  }
  // Created as any new database: governed when new databases get no IAM_ALLOWED_PRINCIPALS grant, and
  // then its creator holds every permission on it (Lake Formation Developer Guide, "Implicit Lake
  // Formation permissions": "Database creators have all database permissions on databases that they create").
  const governedFromStart = !lakeFormation.iamAllowedPrincipalsByDefault;
  state.scenario.glue.databases.push({ name: 'default', description: 'Default Hive database', tables: [], functions: [], registeredWithLakeFormation: governedFromStart });
  if (governedFromStart) lakeFormation.grants.push({ principal, database: 'default', permissions: ['ALL'] });
  return undefined;
}


export function parseS3Url(url: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match) throw invalid(`Invalid S3 location: ${url}`);
  return { bucket: match[1]!, key: match[2]! };
}

/** How the result object is encrypted: the query's option, else the bucket's default, as any S3 write. */
function objectEncryption(call: ServiceCall, encryption: Encryption | undefined, bucketName: string): StoredObject['sse'] {
  const keyArn = (reference: string | undefined) => (reference ? (resolveKmsKey(call.state, reference)?.arn ?? reference) : undefined);
  if (encryption?.option === 'SSE_S3') return { algorithm: 'AES256' };
  if (encryption) return { algorithm: 'aws:kms', kmsKeyArn: keyArn(encryption.kmsKey) };
  const defaults = call.state.scenario.s3.buckets.find((b) => b.name === bucketName)?.encryption;
  if (defaults?.algorithm.startsWith('aws:kms')) return { algorithm: defaults.algorithm as 'aws:kms', kmsKeyArn: keyArn(defaults.kmsKeyId) };
  return defaults ? { algorithm: 'AES256' } : undefined;
}

/**
 * Athena writes results with the caller's rights (through Athena: aws:CalledVia, no network keys)
 * and the result configuration's headers: SSE_S3 and SSE_KMS as x-amz-server-side-encryption (with
 * the key), the ACL option as x-amz-acl, and the expected bucket owner. Bucket policies see exactly
 * these. A write with an ACL needs s3:PutObjectAcl too (S3 API Reference, PutObject, Permissions).
 * The failure is Athena's "Access denied when writing output to url" sentence, as public reports
 * quote it; for a refusal other than s3:PutObject's the sandbox adds the refusing service's own
 * error after it, so that the action refused is named (undocumented: Athena's exact wording there
 * is not published).
 */
function writeFailure(call: ServiceCall, url: string, settings: ResultSettings): Failure | undefined {
  const { encryption } = settings;
  const { bucket: bucketName, key } = parseS3Url(url);
  const { options } = bucketOf(call, bucketName);
  const denied = `Access denied when writing output to url: ${url} . Please ensure you are allowed to access the S3 bucket. If you are encrypting query results with KMS key, please ensure you are allowed to access your KMS key`;
  const failed = (detail?: string): Failure => ({ reason: detail ? `${denied} (${detail})` : denied, type: ERROR_TYPE.s3Permission });
  const headers: Record<string, string> = {
    ...(encryption?.option === 'SSE_S3' ? { 's3:x-amz-server-side-encryption': 'AES256' } : {}),
    ...(encryption?.option === 'SSE_KMS' ? { 's3:x-amz-server-side-encryption': 'aws:kms', ...(encryption.kmsKey ? { 's3:x-amz-server-side-encryption-aws-kms-key-id': encryption.kmsKey } : {}) } : {}),
    ...(settings.acl ? { 's3:x-amz-acl': 'bucket-owner-full-control' } : {}),
  };
  if (settings.expectedBucketOwner && settings.expectedBucketOwner !== options.resourceAccountId) return failed();
  const objectArn = `arn:aws:s3:::${bucketName}/${key}`;
  const write = { ...options, context: headers, forwardedBy: VIA_ATHENA };
  if (!call.isAuthorized('s3:PutObject', objectArn, write)) return failed();
  if (settings.acl) {
    const acl = call.decide('s3:PutObjectAcl', objectArn, { ...write, context: { 's3:x-amz-acl': 'bucket-owner-full-control' } });
    if (!acl.allowed) {
      // S3 quotes the resource in its access-denied text.
      const message = accessDeniedMessage(call.caller.arn, 's3:PutObjectAcl', objectArn, acl.denial).replace(`on resource: ${objectArn}`, `on resource: "${objectArn}"`);
      return failed(s3Exception(call, 403, 'AccessDenied', message));
    }
  }
  const keyArn = objectEncryption(call, encryption, bucketName)?.kmsKeyArn;
  if (!keyArn) return undefined;
  // SSE-KMS is S3 calling KMS for Athena's caller; CSE-KMS is Athena calling KMS itself before the write.
  const clientSide = encryption?.option === 'CSE_KMS';
  const { decision, missing } = kmsDecision(call.state, call.caller, 'kms:GenerateDataKey', keyArn, { service: clientSide ? 'athena' : 's3', calledVia: VIA_ATHENA });
  const state = resolveKmsKey(call.state, keyArn)?.key.state;
  const service = clientSide ? 'AWSKMS' : 'Amazon S3';
  if (missing || state !== 'Enabled') return failed(`Service: ${service}; Status Code: 400; Error Code: ${clientSide ? '' : 'KMS.'}${missing ? 'NotFoundException' : 'KMSInvalidStateException'}; Key: ${keyArn}`);
  if (!decision.allowed) {
    const message = accessDeniedMessage(call.caller.arn, 'kms:GenerateDataKey', keyArn, decision.denial);
    return failed(clientSide ? `${message} (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException; Request ID: ${call.requestId}; Proxy: null)` : `${message} (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied)`);
  }
  return undefined;
}

interface ResultSettings {
  outputLocation?: string;
  encryption?: Encryption;
  acl?: 'BUCKET_OWNER_FULL_CONTROL';
  expectedBucketOwner?: string;
}

/** Where the results go and how they are written: an enforced workgroup's settings win over the request's. */
function resultSettings(workgroup: ScenarioWorkGroup, requested: Input | undefined): ResultSettings {
  if (requested !== undefined && (typeof requested !== 'object' || requested === null || Array.isArray(requested))) {
    throw new AwsError('SerializationException', 'Start of list found where not expected');
  }
  if (workgroup.managedQueryResults) return { encryption: workgroup.encryption };
  const requestedEncryption = requested?.EncryptionConfiguration as { EncryptionOption?: unknown; KmsKey?: unknown } | undefined;
  const option = requestedEncryption?.EncryptionOption;
  if (option !== undefined && option !== 'SSE_S3' && option !== 'SSE_KMS' && option !== 'CSE_KMS') {
    throw invalid(`1 validation error detected: Value '${String(option)}' at 'resultConfiguration.encryptionConfiguration.encryptionOption' failed to satisfy constraint: Member must satisfy enum value set: [SSE_S3, SSE_KMS, CSE_KMS]`);
  }
  const fromRequest = option ? { option, ...(typeof requestedEncryption?.KmsKey === 'string' ? { kmsKey: requestedEncryption.KmsKey } : {}) } : undefined;
  const outputLocation = workgroup.enforceWorkGroupConfiguration
    ? workgroup.outputLocation
    : typeof requested?.OutputLocation === 'string'
      ? requested.OutputLocation
      : workgroup.outputLocation;
  const encryption = workgroup.enforceWorkGroupConfiguration ? workgroup.encryption : (fromRequest ?? workgroup.encryption);
  if (!outputLocation) throw invalid('No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.');
  const requestedAcl = (requested?.AclConfiguration as { S3AclOption?: unknown } | undefined)?.S3AclOption === 'BUCKET_OWNER_FULL_CONTROL' ? 'BUCKET_OWNER_FULL_CONTROL' : undefined;
  const requestedOwner = typeof requested?.ExpectedBucketOwner === 'string' ? requested.ExpectedBucketOwner : undefined;
  const enforced = workgroup.enforceWorkGroupConfiguration;
  return {
    outputLocation,
    encryption,
    acl: enforced ? workgroup.aclOption : (requestedAcl ?? workgroup.aclOption),
    expectedBucketOwner: enforced ? workgroup.expectedBucketOwner : (requestedOwner ?? workgroup.expectedBucketOwner),
  };
}

/**
 * Checks Athena makes before accepting a query: the bucket must exist, Athena must be able to ask
 * its region for the caller (s3:GetBucketLocation, through Athena), and it must be in the
 * workgroup's region. A refused or failed GetBucketLocation is "Unable to verify/create output
 * bucket", as public reports of a missing s3:GetBucketLocation grant quote it.
 */
function verifyOutputBucket(call: ServiceCall, outputLocation: string): void {
  const { bucket: name } = parseS3Url(outputLocation);
  const { bucket, options } = bucketOf(call, name);
  if (!bucket || !allowedForAthena(call, 's3:GetBucketLocation', `arn:aws:s3:::${name}`, options)) throw invalid(`Unable to verify/create output bucket ${name}`);
  if ((bucket.region ?? call.state.region) !== call.region) {
    throw invalid(
      'The S3 location provided to save your query results is invalid. Please check your S3 location is correct and is in the same region and try again. If you continue to see the issue, contact customer support for further assistance.',
    );
  }
}

export function startQueryExecution(input: Input, call: ServiceCall) {
  const query = required(input, 'QueryString');
  const workgroupName = stringField(input, 'WorkGroup', { code: 'InvalidRequestException' }) ?? 'primary';
  call.authorize('athena:StartQueryExecution', workgroupArn(call, workgroupName));
  const workgroup = findWorkgroup(call, workgroupName, 'WorkGroup is not found');
  if (workgroup.state === 'DISABLED') throw invalid(`Unable to submit query. WorkGroup ${workgroupName} is disabled.`);

  const token = stringField(input, 'ClientRequestToken', { code: 'InvalidRequestException' });
  if (token !== undefined && (token.length < 32 || token.length > 128)) {
    throw invalid(`1 validation error detected: Value '${token}' at 'clientRequestToken' failed to satisfy constraint: Member must have length between 32 and 128`);
  }
  const tokens = startedByToken.get(call.state) ?? new Map<string, string>();
  startedByToken.set(call.state, tokens);
  const earlier = token === undefined ? undefined : call.state.queryExecutions.get(tokens.get(token) ?? '');
  if (earlier) {
    if (earlier.query !== query || earlier.workgroup !== workgroupName) throw invalid('Idempotent parameters do not match', 'IDEMPOTENT_PARAMETER_MISMATCH');
    return { QueryExecutionId: earlier.id };
  }

  const malformedWords = malformedMessage(query);
  const syntaxError = malformedWords === undefined ? undefined : invalid(malformedWords, 'MALFORMED_QUERY');
  if (syntaxError) throw syntaxError;
  const settings = resultSettings(workgroup, input.ResultConfiguration as Input | undefined);
  const { outputLocation, encryption } = settings;
  if (outputLocation) verifyOutputBucket(call, outputLocation);
  const context = (input.QueryExecutionContext ?? {}) as { Database?: unknown; Catalog?: unknown };
  const database = typeof context.Database === 'string' ? context.Database : undefined;

  const id = call.state.nextId();
  const resultUrl = outputLocation ? `${outputLocation.replace(/\/?$/, '/')}${id}.csv` : undefined;
  const catalog = typeof context.Catalog === 'string' ? context.Catalog : 'AwsDataCatalog';
  const evaluated = defaultDatabaseFailure(call) ?? evaluateQuery(query, (database ?? 'default').toLowerCase(), (reference) => readTable(call, reference, catalog));
  const failure = 'reason' in evaluated ? evaluated : resultUrl ? writeFailure(call, resultUrl, settings) : undefined;
  const result = 'reason' in evaluated ? undefined : evaluated;
  const submittedAt = new Date(call.state.now());
  call.state.queryExecutions.set(id, {
    id,
    workgroup: workgroupName,
    query,
    state: failure ? 'FAILED' : 'SUCCEEDED',
    ...(failure ? { stateChangeReason: failure.reason, error: { category: 2, type: failure.type, message: failure.reason } } : {}),
    database,
    catalog,
    submittedAt,
    outputLocation: resultUrl,
    encryption,
    finishesAt: submittedAt.getTime() + MIN_RUN_MS + Math.floor(call.state.random() * RUN_JITTER_MS),
    resultRows: result && result.header.length ? [result.header, ...result.rows] : [],
    userArn: call.caller.arn,
    startedInSandbox: true,
  });
  if (token !== undefined) tokens.set(token, id);
  // A failed query leaves no results behind, whatever made it fail (its write, its key).
  if (result && resultUrl && !failure) {
    const { bucket, key } = parseS3Url(resultUrl);
    const sse = objectEncryption(call, encryption, bucket);
    const objects = call.state.objects.get(bucket)!;
    const body = Buffer.from(csv(result));
    const metadata = Buffer.from(JSON.stringify({ columns: result.header }));
    objects.set(key, { body, etag: etagOf(body), lastModified: submittedAt, contentType: 'text/csv', ...(sse ? { sse } : {}) });
    objects.set(`${key}.metadata`, { body: metadata, etag: etagOf(metadata), lastModified: submittedAt, contentType: 'application/octet-stream', ...(sse ? { sse } : {}) });
  }
  return { QueryExecutionId: id };
}

export function getQueryResults(input: Input, call: ServiceCall) {
  const execution = findExecution(call, required(input, 'QueryExecutionId'));
  call.authorize('athena:GetQueryResults', workgroupArn(call, execution.workgroup));
  const state = currentState(call, execution);
  if (state === 'QUEUED' || state === 'RUNNING') throw invalid(`Query has not yet finished. Current state: ${state}`);
  if (state === 'FAILED') throw invalid(execution.stateChangeReason ?? 'Query failed');
  if (state === 'CANCELLED') throw invalid('Query was cancelled');
  let rows = execution.resultRows ?? [['_col0'], ['1']];
  if (execution.outputLocation) {
    // The results are read back from S3 with the caller's rights (and key), through Athena.
    const { bucket: bucketName, key } = parseS3Url(execution.outputLocation);
    const { options } = bucketOf(call, bucketName);
    const object = call.state.objects.get(bucketName)?.get(key);
    const noAccess = invalid(
      'You do not seem to have access to the S3 location of your query results. Please confirm your account has access to the S3 location where your query results are saved and try again. If specifying an expected bucket owner, confirm the bucket is owned by the expected account. If you are using KMS to encrypt query results, please ensure you have permission to access your KMS key. If you continue to see this issue, please contact customer support.',
    );
    if (!allowedForAthena(call, 's3:GetObject', `arn:aws:s3:::${bucketName}/${key}`, options)) throw noAccess;
    if (object?.sse?.kmsKeyArn && !kmsDecision(call.state, call.caller, 'kms:Decrypt', object.sse.kmsKeyArn, { service: 's3', calledVia: VIA_ATHENA }).decision.allowed) throw noAccess;
    if (object) rows = parseCsv(object.body.toString('utf8'));
  }
  const { page: pageRows, nextToken } = page(rows, input, 1, 1000);
  return {
    UpdateCount: 0,
    ResultSet: {
      Rows: pageRows.map((row) => ({ Data: row.map((value) => ({ VarCharValue: value })) })),
      ResultSetMetadata: {
        ColumnInfo: (rows[0] ?? []).map((name) => ({ CatalogName: 'hive', SchemaName: '', TableName: '', Name: name, Label: name, Type: 'varchar', Precision: 2147483647, Scale: 0, Nullable: 'UNKNOWN', CaseSensitive: true })),
      },
    },
    NextToken: nextToken,
  };
}

