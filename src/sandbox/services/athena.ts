// Athena over awsJson1.1: workgroups, query history, the catalog APIs JDBC/ODBC drivers use, and
// queries that really "run": they read the Glue catalog with the caller's rights, write their CSV
// to the sandbox's S3, and fail as Athena does when the caller cannot write there, use the key,
// or read Lake Formation-governed data. The Glue catalog read is the one the data catalog names
// (its own account's, a named catalog, another account's): see glueCatalogOf.
//
// Every call Athena makes for its caller (Glue, S3, KMS, Lake Formation) is a forward access
// session: authorized as the caller, with aws:CalledVia athena.amazonaws.com and aws:ViaAWSService
// true, without the caller's network keys and past no VPC endpoint (Athena User Guide, "Control
// access to Amazon S3 from Athena"; IAM User Guide, "Forward access sessions"). A bucket policy that
// admits only the caller's VPC endpoint or address range refuses Athena's reads and writes.
import { ATHENA_SERVICE_PRINCIPAL } from '../../iam/context.js';
import { hasLakeFormationPermission, isDataLakeAdmin, isDatabaseVisible, isGoverned, isTableVisible, kmsDecision, lakeFormationPrincipal, resolveKmsKey } from '../governance.js';
import { accessDeniedMessage } from '../../iam/evaluate.js';
import { intField, jsonService, paginate, stringField } from '../protocols.js';
import type { ScenarioDatabase, ScenarioTable, ScenarioWorkGroup } from '../scenario.js';
import { etagOf, type QueryExecutionRecord, type SandboxState, type StoredObject } from '../state.js';
import { type AuthorizeOptions, AwsError, type ServiceCall } from '../types.js';
import { authorizationIn, type CatalogRef, catalogArns, namedCatalogPaths, requireShare, resolveCatalog } from './glue-catalogs.js';
import { requireCatalogKey } from './glue.js';

type Input = Record<string, unknown>;
type Database = ScenarioDatabase;
type Encryption = NonNullable<QueryExecutionRecord['encryption']>;

const QUEUED_MS = 20;
/** A query runs 50–150 ms of sandbox time in all, queueing included. */
const MIN_RUN_MS = 50;
const RUN_JITTER_MS = 100;
const CREATED = new Date('2026-01-10T12:00:00Z');
const ENGINE_VERSION = { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' };
/** Athena error catalog: ErrorCategory 2 is USER; the types are those of the failures modelled here. */
const ERROR_TYPE = { userError: 1000, tableNotFound: 1110, entityNotFound: 1301, permission: 1500, s3Permission: 1501 } as const;
const STATEMENT = /^[\s(]*(select|with|values|table|show|describe|desc|explain|create|drop|alter|msck|insert|delete|update|merge|unload|use|prepare|execute|deallocate|optimize|vacuum)\b/i;

/** ClientRequestToken → query execution id, per sandbox: StartQueryExecution is idempotent. */
const startedByToken = new WeakMap<SandboxState, Map<string, string>>();

function invalid(message: string, athenaErrorCode?: string): AwsError {
  // Athena sends the code twice, as AthenaErrorCode (modelled) and ErrorCode.
  return new AwsError('InvalidRequestException', message, 400, athenaErrorCode ? { fields: { AthenaErrorCode: athenaErrorCode, ErrorCode: athenaErrorCode } } : {});
}

function required(input: Input, name: string): string {
  const value = stringField(input, name, { required: true, code: 'InvalidRequestException' })!;
  if (value === '') throw invalid(`1 validation error detected: Value '' at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must have length greater than or equal to 1`);
  return value;
}

function pageSize(input: Input, min: number, max: number): number {
  // MaxResults 0 is in ListQueryExecutions' range; it means "the default", not an endless run of empty pages.
  return intField(input, 'MaxResults', min, max, 'InvalidRequestException') || max;
}

function page<T>(items: readonly T[], input: Input, min: number, max: number) {
  return paginate(items, input.NextToken, pageSize(input, min, max), 'InvalidRequestException');
}

function workgroupArn(call: ServiceCall, name: string): string {
  return `arn:aws:athena:${call.region}:${call.state.accountId}:workgroup/${name}`;
}

function findWorkgroup(call: ServiceCall, name: string, notFound = `WorkGroup ${name} is not found.`): ScenarioWorkGroup {
  const workgroup = call.state.scenario.athena.workgroups.find((w) => w.name === name);
  if (!workgroup) throw invalid(notFound);
  return workgroup;
}

function findExecution(call: ServiceCall, id: string): QueryExecutionRecord {
  const execution = call.state.queryExecutions.get(id);
  if (!execution) throw invalid(`QueryExecution ${id} was not found`);
  return execution;
}

/** Athena's calls for its caller record Athena in aws:CalledVia. */
const VIA_ATHENA = [ATHENA_SERVICE_PRINCIPAL] as const;

/** Whether the caller may, through Athena (a forward access session), perform an action Athena makes for it. */
function allowedForAthena(call: ServiceCall, action: string, resource: string, options: AuthorizeOptions = {}): boolean {
  return call.isAuthorized(action, resource, { ...options, forwardedBy: VIA_ATHENA });
}

/**
 * IAM's refusal of an action Athena performs with the caller's rights (Glue, S3, Lake Formation), in
 * IAM's words; with options, on another account's resource behind its resource policy.
 */
function refusal(call: ServiceCall, action: string, resource: string, options: AuthorizeOptions = {}): string | undefined {
  const decision = call.decide(action, resource, { ...options, forwardedBy: VIA_ATHENA });
  return decision.allowed ? undefined : accessDeniedMessage(call.caller.arn, action, resource, decision.denial);
}

/** The bucket a location names, and how a request on it is authorized (its policy, its owner). */
function bucketOf(call: ServiceCall, name: string) {
  const bucket = call.state.scenario.s3.buckets.find((b) => b.name === name);
  return { bucket, options: { resourcePolicy: bucket?.policy, resourceAccountId: bucket?.accountId ?? call.state.accountId } };
}

/** S3's refusal as Athena's engine relays it, with S3's request ids (AWS SDK for Java's AmazonS3Exception text). */
function s3Exception(call: ServiceCall, status: number, code: string, message: string): string {
  const extended = Buffer.from(`sandbox-${call.requestId}`).toString('base64');
  return `${message} (Service: Amazon S3; Status Code: ${status}; Error Code: ${code}; Request ID: ${call.requestId.slice(0, 16).toUpperCase().replace(/-/g, '')}; S3 Extended Request ID: ${extended}; Proxy: null), S3 Extended Request ID: ${extended}`;
}

// ---- The Glue catalog behind a data catalog ---------------------------------------------------

interface DataCatalog {
  name: string;
  type: 'GLUE' | 'LAMBDA' | 'HIVE';
  description?: string;
  parameters?: Record<string, string>;
}

function knownCatalog(call: ServiceCall, name: string): DataCatalog | undefined {
  // AwsDataCatalog, the account's Glue catalog, exists in every account.
  const registered = call.state.scenario.athena.dataCatalogs.find((c) => c.name === name) ?? (name === 'AwsDataCatalog' ? { name, type: 'GLUE' as const } : undefined);
  if (registered) return registered;
  // A Glue named catalog (multi-catalog) is reachable from Athena by its path, e.g.
  // `s3tablescatalog/acme-tables` (Athena User Guide, "Register S3 table bucket catalogs and query
  // Tables from Athena"). That GetDataCatalog answers for it with type GLUE and catalog-id
  // `<account>:<path>` is not documented: the sandbox's reading.
  const path = name.toLowerCase();
  if (!namedCatalogPaths(call.state).includes(path)) return undefined;
  return { name, type: 'GLUE', parameters: { 'catalog-id': `${call.state.accountId}:${path}` } };
}

/**
 * A catalog named in SQL: identifiers are case-insensitive there (`awsdatacatalog.sales.orders`),
 * unlike the API's CatalogName, which the sandbox matches as registered.
 */
function catalogInQuery(call: ServiceCall, name: string): DataCatalog | undefined {
  const lower = name.toLowerCase();
  if (lower === 'awsdatacatalog') return knownCatalog(call, 'AwsDataCatalog');
  return call.state.scenario.athena.dataCatalogs.find((c) => c.name.toLowerCase() === lower) ?? knownCatalog(call, name);
}

/**
 * The Glue catalog a data catalog reads. A GLUE data catalog names it by its `catalog-id` parameter
 * (Athena User Guide, "Register a Data Catalog from another account": another account's catalog is
 * registered as a GLUE catalog with catalog-id = the owner's account id); AwsDataCatalog and a GLUE
 * catalog registered without one read the account's own; a named catalog's path resolves through
 * the catalog-id knownCatalog gives it. LAMBDA and HIVE catalogs read no Glue catalog in AWS; the
 * sandbox models no connector, and keeps reading the account's default catalog for them.
 */
function glueCatalogOf(call: ServiceCall, catalog: DataCatalog): CatalogRef {
  return resolveCatalog(call.state, catalog.type === 'GLUE' ? catalog.parameters?.['catalog-id'] : undefined);
}

/** Lake Formation governance is modelled on the scenario account's default catalog, as in glue.ts. */
function governed(ref: CatalogRef): boolean {
  return ref.owner === 'local' && !ref.path;
}

/**
 * Glue's side of a read Athena makes for the caller: IAM on each of the catalog's resources and,
 * in another account's catalog, its owner's resource policy or Lake Formation share (Athena User
 * Guide, "Configure cross-account access to AWS Glue data catalogs"; Glue Developer Guide,
 * "Granting cross-account access": the identity must be allowed by both the owner and its own
 * account). Throws Glue's error, unwrapped.
 */
function glueAuthorize(call: ServiceCall, ref: CatalogRef, action: string, resources: readonly string[]): void {
  for (const resource of resources) {
    const why = refusal(call, action, resource, authorizationIn(call, ref, action, resource));
    if (why) throw new AwsError('AccessDeniedException', why);
  }
}

/**
 * A database Athena names, as Glue finds it: EntityNotFoundException when the catalog has none of
 * that name, Lake Formation's refusal when governance hides it (default catalog only).
 */
function findDatabase(call: ServiceCall, ref: CatalogRef, name: string): Database {
  const database = ref.databases.find((d) => d.name === name.toLowerCase());
  if (!database) throw new AwsError('EntityNotFoundException', 'Entity Not Found');
  if (governed(ref) && !isDatabaseVisible(call.state, call.caller, database.name)) {
    throw new AwsError('AccessDeniedException', `Insufficient Lake Formation permission(s): Required Describe on ${database.name}`);
  }
  return database;
}

/**
 * A read through a resource link goes on to its target, as Glue's GetTables and GetTable do
 * (Lake Formation Developer Guide, "Creating resource links": queries and Glue reads through a link
 * act on the target): the owner must share it with the caller, and the target's ARNs are checked
 * too. Throws Glue's error, unwrapped.
 */
function throughLink(call: ServiceCall, ref: CatalogRef, database: Database, action: string, resources: (arn: ReturnType<typeof catalogArns>, database: string) => string[]) {
  const link = database.targetDatabase;
  if (!link) return { ref, database };
  const target = resolveCatalog(call.state, link.catalogId);
  const name = link.name.toLowerCase();
  requireShare(call, target, name);
  glueAuthorize(call, target, action, resources(catalogArns(call.region, target), name));
  const found = target.databases.find((d) => d.name === name);
  if (!target.exists || !found) throw new AwsError('EntityNotFoundException', 'Entity Not Found');
  return { ref: target, database: found };
}

// ---- Query state and shapes -------------------------------------------------------------------

/** A query's state moves on with sandbox time, computed when read: queued, running, then its outcome. */
function currentState(call: ServiceCall, execution: QueryExecutionRecord): QueryExecutionRecord['state'] {
  if (execution.finishesAt === undefined || execution.state === 'CANCELLED') return execution.state;
  const now = call.state.now();
  if (now < execution.submittedAt.getTime() + QUEUED_MS) return 'QUEUED';
  if (now < execution.finishesAt) return 'RUNNING';
  return execution.state;
}

function statementType(query: string): 'DDL' | 'DML' | 'UTILITY' {
  const keyword = STATEMENT.exec(query)?.[1]?.toLowerCase();
  if (keyword && ['create', 'drop', 'alter', 'msck'].includes(keyword)) return 'DDL';
  if (keyword && ['show', 'describe', 'desc', 'explain'].includes(keyword)) return 'UTILITY';
  return 'DML';
}

function encryptionShape(encryption: Encryption | undefined) {
  return encryption ? { EncryptionConfiguration: { EncryptionOption: encryption.option, ...(encryption.kmsKey ? { KmsKey: encryption.kmsKey } : {}) } } : {};
}

function workgroupConfiguration(workgroup: ScenarioWorkGroup) {
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

function executionShape(call: ServiceCall, execution: QueryExecutionRecord) {
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

// ---- Running a query --------------------------------------------------------------------------

interface Failure {
  reason: string;
  type: number;
}

interface Result {
  header: string[];
  rows: string[][];
}

/** "line:column" of an offset in the query, as the engine's messages give it. */
function position(query: string, offset: number): string {
  const before = query.slice(0, offset).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

function unquote(identifier: string): string {
  return identifier.trim().replace(/^"(.*)"$/, '$1').toLowerCase();
}

/** Splits on commas outside parentheses and string literals. */
function splitTopLevel(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === ',') {
      items.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  items.push(text.slice(start).trim());
  return items;
}

function sampleValue(type: string, n: number): string {
  if (/int|decimal|double|float|real/.test(type)) return String(n * 7);
  if (/timestamp/.test(type)) return `2026-11-2${n} 10:00:00.000`;
  if (/^date/.test(type)) return `2026-11-2${n}`;
  if (/boolean/.test(type)) return n % 2 ? 'true' : 'false';
  return `value-${n}`;
}

/** What a constant expression evaluates to, near enough: literals as themselves, anything else a sample. */
function literalValue(expression: string, n: number): string {
  if (/^-?\d+(\.\d+)?$/.test(expression) || /^(true|false)$/i.test(expression)) return expression.toLowerCase();
  const text = /^'((?:[^']|'')*)'$/.exec(expression);
  if (text) return text[1]!.replace(/''/g, "'");
  if (/^count\s*\(/i.test(expression)) return '2';
  return `value-${n}`;
}

interface TableReference {
  /** The catalog the SQL names (`catalog.database.table`), lower case; undefined: the context's. */
  catalog?: string;
  database: string;
  table: string;
  /** Where the reference starts, "line:column". */
  at: string;
}

/** The tables a query reads (FROM and JOIN), qualified with the context database. */
function tableReferences(query: string, contextDatabase: string): TableReference[] {
  const pattern = /\b(?:from|join)\s+((?:"[^"]+"|[\w-]+)(?:\s*\.\s*(?:"[^"]+"|[\w-]+)){0,2})/gi;
  // FROM inside extract(…), substring(…) and trim(…) names no table.
  const inFunction = (offset: number) => /\b(?:extract|substring|trim|overlay|position)\s*\([^()]*$/i.test(query.slice(0, offset));
  return [...query.matchAll(pattern)].filter((match) => !inFunction(match.index!)).map((match) => {
    const parts = match[1]!.split('.').map(unquote);
    const [database, table] = parts.length === 1 ? [contextDatabase, parts[0]!] : [parts.at(-2)!, parts.at(-1)!];
    return { ...(parts.length === 3 ? { catalog: parts[0]! } : {}), database, table, at: position(query, match.index! + match[0].length - match[1]!.length) };
  });
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
  let read: { ref: CatalogRef; database: Database };
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

/** Evaluates the query over the catalog: the columns of a SELECT and a couple of rows of sample values. */
function evaluateQuery(call: ServiceCall, query: string, contextCatalog: string, contextDatabase: string): Result | Failure {
  const tables: ScenarioTable[] = [];
  for (const reference of tableReferences(query, contextDatabase)) {
    const read = readTable(call, reference, contextCatalog);
    if ('reason' in read) return read;
    tables.push(read);
  }
  const selectList = /^[\s(]*select\s+(?:distinct\s+)?([\s\S]+?)(?=\s+from\s|\s+where\s|\s+group\s|\s+order\s|\s+limit\s|\s*;?\s*$)/i.exec(query);
  if (!selectList) return { header: [], rows: [] };
  const columns = tables.flatMap((t) => [...t.columns, ...t.partitionKeys]);
  const items = splitTopLevel(selectList[1]!);
  const limit = Number(/\blimit\s+(\d+)\s*;?\s*$/i.exec(query)?.[1] ?? Infinity);
  const aggregated = items.some((item) => /^(count|sum|avg|min|max)\s*\(/i.test(item)) && !/\bgroup\s+by\b/i.test(query);
  const rowCount = Math.min(tables.length && !aggregated ? 2 : 1, limit);
  const output: Array<{ name: string; value: (n: number) => string }> = [];
  for (const [index, item] of items.entries()) {
    if (item === '*' || item.endsWith('.*')) {
      output.push(...columns.map((c) => ({ name: c.name, value: (n: number) => sampleValue(c.type, n) })));
      continue;
    }
    // CASE … END ends with a keyword, not an alias.
    const alias = /\bend$/i.test(item) ? null : /\s+(?:as\s+)?("?)([A-Za-z_]\w*)\1$/i.exec(item);
    const expression = alias ? item.slice(0, alias.index).trim() : item;
    const column = columns.find((c) => c.name === unquote(expression).replace(/^\w+\./, ''));
    if (!column && /^"?[A-Za-z_][\w.]*"?$/.test(expression) && !/^(true|false|null|current_\w+|localtime|localtimestamp)$/i.test(expression)) {
      return { reason: `COLUMN_NOT_FOUND: line ${position(query, selectList.index + selectList[0].indexOf(item))}: Column '${unquote(expression)}' cannot be resolved`, type: ERROR_TYPE.userError };
    }
    output.push({ name: alias?.[2] ?? column?.name ?? `_col${index}`, value: (n) => (column ? sampleValue(column.type, n) : literalValue(expression, n)) });
  }
  return {
    header: output.map((o) => o.name),
    rows: Array.from({ length: rowCount }, (_, i) => output.map((o) => o.value(i + 1))),
  };
}

function parseS3Url(url: string): { bucket: string; key: string } {
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

function malformed(query: string): AwsError | undefined {
  if (STATEMENT.test(query)) return undefined;
  const token = /\S+/.exec(query)!;
  return invalid(
    `line ${position(query, token.index)}: mismatched input '${token[0]}'. Expecting: 'ALTER', 'ANALYZE', 'CALL', 'CREATE', 'DEALLOCATE', 'DELETE', 'DESC', 'DESCRIBE', 'DROP', 'EXECUTE', 'EXPLAIN', 'GRANT', 'INSERT', 'MERGE', 'PREPARE', 'RESET', 'REVOKE', 'SET', 'SHOW', 'UNLOAD', 'UPDATE', 'USE', <query>`,
    'MALFORMED_QUERY',
  );
}

function csv(result: Result): string {
  const line = (cells: string[]) => cells.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',');
  return result.header.length ? [result.header, ...result.rows].map((cells) => `${line(cells)}\n`).join('') : '';
}

function parseCsv(text: string): string[][] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => [...line.matchAll(/(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g)].map((m) => (m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!)));
}

function startQueryExecution(input: Input, call: ServiceCall) {
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

  const syntaxError = malformed(query);
  if (syntaxError) throw syntaxError;
  const settings = resultSettings(workgroup, input.ResultConfiguration as Input | undefined);
  const { outputLocation, encryption } = settings;
  if (outputLocation) verifyOutputBucket(call, outputLocation);
  const context = (input.QueryExecutionContext ?? {}) as { Database?: unknown; Catalog?: unknown };
  const database = typeof context.Database === 'string' ? context.Database : undefined;

  const id = call.state.nextId();
  const resultUrl = outputLocation ? `${outputLocation.replace(/\/?$/, '/')}${id}.csv` : undefined;
  const catalog = typeof context.Catalog === 'string' ? context.Catalog : 'AwsDataCatalog';
  const evaluated = defaultDatabaseFailure(call) ?? evaluateQuery(call, query, catalog, (database ?? 'default').toLowerCase());
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

function getQueryResults(input: Input, call: ServiceCall) {
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

// ---- The catalog APIs ---------------------------------------------------------------------------

/** Athena reads the Glue catalog with the caller's rights and relays Glue's errors inside a MetadataException. */
function glueError(call: ServiceCall, code: string, message: string): AwsError {
  return new AwsError('MetadataException', `${message} (Service: AmazonDataCatalog; Status Code: 400; Error Code: ${code}; Request ID: ${call.requestId}; Proxy: null)`);
}

/** Runs Glue's side of a catalog API and relays its errors as Athena does, inside a MetadataException. */
function relayed<T>(call: ServiceCall, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof AwsError && error.code !== 'MetadataException') throw glueError(call, error.code, error.message);
    throw error;
  }
}

/** Glue's checks on the catalog's resources, then its key: Glue decrypts an encrypted catalog for Athena with the caller's rights too. */
function requireGlue(call: ServiceCall, ref: CatalogRef, action: string, resources: readonly string[]): void {
  glueAuthorize(call, ref, action, resources);
  // The encryption setting modelled is the scenario account's (glue.catalogEncryption); another
  // account's catalog encryption is not.
  if (ref.owner === 'local') requireCatalogKey(call, VIA_ATHENA);
}

/**
 * Authorises a catalog action on the datacatalog ARN and resolves the Glue catalog behind it. A
 * data catalog whose Glue catalog does not exist (catalog-id of an account the scenario does not
 * model) is answered as Glue answers it: refused on its ARNs first, else not found.
 */
function catalogFor(call: ServiceCall, input: Input, glueAction: string): CatalogRef {
  const name = required(input, 'CatalogName');
  call.authorize(`athena:${call.operation}`, `arn:aws:athena:${call.region}:${call.state.accountId}:datacatalog/${name}`);
  const catalog = knownCatalog(call, name);
  if (!catalog) throw new AwsError('MetadataException', `Catalog ${name} was not found`);
  const ref = glueCatalogOf(call, catalog);
  if (!ref.exists) {
    relayed(call, () => glueAuthorize(call, ref, glueAction, catalogArns(call.region, ref).chain));
    throw glueError(call, 'EntityNotFoundException', 'Entity Not Found');
  }
  return ref;
}

function tableMetadata(table: ScenarioTable) {
  return {
    Name: table.name,
    CreateTime: CREATED,
    LastAccessTime: CREATED,
    TableType: table.type,
    Columns: table.columns.map((c) => ({ Name: c.name, Type: c.type, ...(c.comment ? { Comment: c.comment } : {}) })),
    PartitionKeys: table.partitionKeys.map((c) => ({ Name: c.name, Type: c.type })),
    Parameters: { ...(table.type === 'VIRTUAL_VIEW' ? {} : { classification: 'parquet' }), ...(table.location ? { location: table.location } : {}) },
  };
}

export const athena = jsonService({
  signingName: 'athena',
  targetPrefix: 'AmazonAthena',
  throttling: { code: 'TooManyRequestsException', status: 400, message: 'Rate exceeded' },
  serverError: { code: 'InternalServerException', status: 500, message: 'Internal server error' },
  denialMessage(call, action, _resource, standard) {
    return call.state.scenario.athena.legacyDenialMessages
      ? `You are not authorized to perform: ${action} on the resource. After your AWS administrator or you have updated your permissions, please try again.`
      : standard;
  },
  operations: {
    ListWorkGroups(input, call) {
      call.authorize('athena:ListWorkGroups', '*');
      const { page: workgroups, nextToken } = page(call.state.scenario.athena.workgroups, input, 1, 50);
      return {
        WorkGroups: workgroups.map((w) => ({ Name: w.name, State: w.state, Description: w.description ?? '', CreationTime: CREATED, EngineVersion: ENGINE_VERSION })),
        NextToken: nextToken,
      };
    },

    GetWorkGroup(input, call) {
      const name = required(input, 'WorkGroup');
      call.authorize('athena:GetWorkGroup', workgroupArn(call, name));
      const workgroup = findWorkgroup(call, name);
      return { WorkGroup: { Name: workgroup.name, State: workgroup.state, Configuration: workgroupConfiguration(workgroup), Description: workgroup.description ?? '', CreationTime: CREATED } };
    },

    ListQueryExecutions(input, call) {
      const name = stringField(input, 'WorkGroup', { code: 'InvalidRequestException' }) ?? 'primary';
      call.authorize('athena:ListQueryExecutions', workgroupArn(call, name));
      findWorkgroup(call, name);
      const ids = [...call.state.queryExecutions.values()]
        .filter((execution) => execution.workgroup === name)
        .sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime())
        .map((execution) => execution.id);
      const { page: pageIds, nextToken } = page(ids, input, 0, 50);
      return { QueryExecutionIds: pageIds, NextToken: nextToken };
    },

    BatchGetQueryExecution(input, call) {
      const ids = input.QueryExecutionIds;
      if (!Array.isArray(ids) || ids.length < 1 || ids.length > 50 || ids.some((id) => typeof id !== 'string')) {
        throw invalid("1 validation error detected: Value at 'queryExecutionIds' failed to satisfy constraint: Member must have length between 1 and 50");
      }
      const found: QueryExecutionRecord[] = [];
      const unprocessed: Array<{ QueryExecutionId: string; ErrorCode: string; ErrorMessage: string }> = [];
      for (const id of ids as string[]) {
        const execution = call.state.queryExecutions.get(id);
        if (execution) found.push(execution);
        else unprocessed.push({ QueryExecutionId: id, ErrorCode: 'INVALID_INPUT', ErrorMessage: `QueryExecution ${id} was not found` });
      }
      // Each execution is read under its own workgroup's ARN.
      for (const workgroup of new Set(found.map((e) => e.workgroup))) call.authorize('athena:BatchGetQueryExecution', workgroupArn(call, workgroup));
      return { QueryExecutions: found.map((execution) => executionShape(call, execution)), UnprocessedQueryExecutionIds: unprocessed };
    },

    GetQueryExecution(input, call) {
      const execution = findExecution(call, required(input, 'QueryExecutionId'));
      call.authorize('athena:GetQueryExecution', workgroupArn(call, execution.workgroup));
      return { QueryExecution: executionShape(call, execution) };
    },

    StartQueryExecution: startQueryExecution,

    StopQueryExecution(input, call) {
      const execution = findExecution(call, required(input, 'QueryExecutionId'));
      call.authorize('athena:StopQueryExecution', workgroupArn(call, execution.workgroup));
      const state = currentState(call, execution);
      if (state === 'QUEUED' || state === 'RUNNING') {
        execution.state = 'CANCELLED';
        execution.stateChangeReason = 'Query was cancelled by the user';
        execution.completedAt = new Date(call.state.now());
        // A cancelled query leaves no results behind.
        if (execution.outputLocation) {
          const { bucket, key } = parseS3Url(execution.outputLocation);
          call.state.objects.get(bucket)?.delete(key);
          call.state.objects.get(bucket)?.delete(`${key}.metadata`);
        }
      }
      return {};
    },

    GetQueryResults: getQueryResults,

    ListDataCatalogs(input, call) {
      call.authorize('athena:ListDataCatalogs', '*');
      const catalogs = call.state.scenario.athena.dataCatalogs.length ? call.state.scenario.athena.dataCatalogs : [knownCatalog(call, 'AwsDataCatalog')!];
      const { page: pageCatalogs, nextToken } = page(catalogs, input, 2, 50);
      return { DataCatalogsSummary: pageCatalogs.map((c) => ({ CatalogName: c.name, Type: c.type })), NextToken: nextToken };
    },

    GetDataCatalog(input, call) {
      const name = required(input, 'Name');
      call.authorize('athena:GetDataCatalog', `arn:aws:athena:${call.region}:${call.state.accountId}:datacatalog/${name}`);
      const catalog = knownCatalog(call, name);
      if (!catalog) throw invalid(`Catalog ${name} was not found`);
      // Parameters as registered; a GLUE catalog over another account's catalog carries its catalog-id
      // (Athena User Guide, "Register a Data Catalog from another account").
      return { DataCatalog: { Name: catalog.name, Type: catalog.type, Description: catalog.description ?? '', Parameters: catalog.parameters ?? { 'catalog-id': call.state.accountId } } };
    },

    ListDatabases(input, call) {
      const ref = catalogFor(call, input, 'glue:GetDatabases');
      const arn = catalogArns(call.region, ref);
      // Athena lists through glue:GetDatabases with the caller's rights, filtered the same way.
      const readable = relayed(call, () => {
        requireGlue(call, ref, 'glue:GetDatabases', arn.chain);
        const found = ref.databases.filter(
          (d) => allowedForAthena(call, 'glue:GetDatabases', arn.database(d.name), authorizationIn(call, ref, 'glue:GetDatabases', arn.database(d.name))) && (!governed(ref) || isDatabaseVisible(call.state, call.caller, d.name)),
        );
        if (found.length === 0) requireGlue(call, ref, 'glue:GetDatabases', [arn.database('*')]);
        return found;
      });
      const { page: databases, nextToken } = page(readable, input, 1, 50);
      return { DatabaseList: databases.map((d) => ({ Name: d.name, Description: d.description ?? '', Parameters: {} })), NextToken: nextToken };
    },

    GetDatabase(input, call) {
      const ref = catalogFor(call, input, 'glue:GetDatabase');
      const name = required(input, 'DatabaseName');
      const arn = catalogArns(call.region, ref);
      // Glue's GetDatabase answers a resource link with the link itself, not its target.
      const database = relayed(call, () => {
        requireGlue(call, ref, 'glue:GetDatabase', [...arn.chain, arn.database(name.toLowerCase())]);
        return findDatabase(call, ref, name);
      });
      return { Database: { Name: database.name, Description: database.description ?? '', Parameters: {} } };
    },

    ListTableMetadata(input, call) {
      const ref = catalogFor(call, input, 'glue:GetTables');
      const name = required(input, 'DatabaseName').toLowerCase();
      const arn = catalogArns(call.region, ref);
      const linked = relayed(call, () => {
        requireGlue(call, ref, 'glue:GetTables', [...arn.chain, arn.database(name), arn.table(name, '*')]);
        return throughLink(call, ref, findDatabase(call, ref, name), 'glue:GetTables', (target, db) => [...target.chain, target.database(db), target.table(db, '*')]);
      });
      const { database } = linked;
      const expression = stringField(input, 'Expression', { code: 'InvalidRequestException' });
      // Athena hands the expression to Glue's GetTables, where '*' is the wildcard.
      const pattern = expression ? new RegExp(`^${expression.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i') : undefined;
      // Governed tables the caller may not see are left out silently, as Glue does.
      const visible = database.tables.filter((t) => (!governed(linked.ref) || isTableVisible(call.state, call.caller, database.name, t.name)) && (!pattern || pattern.test(t.name)));
      const { page: tables, nextToken } = page(visible, input, 1, 50);
      return { TableMetadataList: tables.map(tableMetadata), NextToken: nextToken };
    },

    GetTableMetadata(input, call) {
      const ref = catalogFor(call, input, 'glue:GetTable');
      const databaseName = required(input, 'DatabaseName').toLowerCase();
      const tableName = required(input, 'TableName').toLowerCase();
      const arn = catalogArns(call.region, ref);
      const table = relayed(call, () => {
        requireGlue(call, ref, 'glue:GetTable', [...arn.chain, arn.database(databaseName), arn.table(databaseName, tableName)]);
        const linked = throughLink(call, ref, findDatabase(call, ref, databaseName), 'glue:GetTable', (target, db) => [...target.chain, target.database(db), target.table(db, tableName)]);
        const found = linked.database.tables.find((t) => t.name === tableName);
        if (!found) throw new AwsError('EntityNotFoundException', 'Entity Not Found');
        if (governed(linked.ref) && !isTableVisible(call.state, call.caller, linked.database.name, found.name)) {
          throw new AwsError('AccessDeniedException', `Insufficient Lake Formation permission(s) on ${found.name}`);
        }
        return found;
      });
      return { TableMetadata: tableMetadata(table) };
    },
  },
});
