// Every AWS error is classified here, once: its category, who denied it and why, and a message
// in our own words (catalogue/error-words.ts, catalogue/query-failures.ts), by AWS's codes
// (catalogue/aws-errors.ts). Raw AWS messages never leave this file: they can name a person's session.
import { type AwsAction, isAwsAction } from '../catalogue/actions.js';
import type { ConnectFailure } from '../catalogue/endpoints.js';
import {
  AUTH_CODES,
  CERTIFICATE_CODES,
  CONFIG_CODES,
  GENERIC_NAMES,
  NETWORK_CODES,
  NOT_FOUND_CODES,
  PERMISSION_CODES,
  THROTTLING_CODES,
  TIMEOUT_CODES,
  TRANSIENT_NETWORK_CODES,
  requestQuotaOf,
} from '../catalogue/aws-errors.js';
import { ERROR_WORDS, deniedByWords } from '../catalogue/error-words.js';
import { QUERY_FAILURE_WORDS as WORDS } from '../catalogue/query-failures.js';
import type { PolicyType } from '../catalogue/remediation.js';

export type ErrorCategory = 'auth' | 'permission' | 'not-found' | 'config' | 'network' | 'throttled' | 'timeout' | 'service' | 'internal';
// Who refused: the catalogue's kinds of policy, each with the words of its fix.
export { POLICY_TYPES, type PolicyType } from '../catalogue/remediation.js';

export interface ClassifiedError {
  code: string;
  category: ErrorCategory;
  /** Safe to show: our words plus the safe facts (action, policy type), never AWS's raw text. */
  message: string;
  httpStatus?: number;
  requestId?: string;
  deniedBy?: { policyType: PolicyType; explicit: boolean };
  /** A denial another service relayed (KMS behind S3, Glue behind Athena): the catalogued action actually refused. */
  relayedAction?: string;
  /**
   * Another action of the called service that AWS named as refused: one call needing two
   * permissions (a PutObject with a canned ACL needs s3:PutObjectAcl as well, S3 API Reference,
   * PutObject). The action called was granted; this one was not.
   */
  refusedAction?: string;
  /** The KMS action refused behind another service's call (S3 with SSE-KMS): 'kms:GenerateDataKey', 'kms:Decrypt'. */
  kmsAction?: string;
  /** The kind of resource refused, from the ARN in the message ('glue:table', 's3:object'); never the ARN itself. */
  resourceType?: string;
  /** The host a network error concerns. */
  host?: string;
  /**
   * How a network error failed to connect, when no connection was made at all: the marks of a VPC
   * with no way to the service (no endpoint, no route out, no proxy). Absent for failures of a
   * connection once made (a reset) and for TLS refusals, which a missing endpoint does not cause.
   */
  connectFailure?: ConnectFailure;
  /** A failure of a query, or of Athena starting one: which of the paths Athena takes for the caller it concerns. */
  path?: QueryFailurePath;
}



export const isCertificateError = (code: string) => CERTIFICATE_CODES.has(code);

const CONNECT_FAILURES = new Map<string, ConnectFailure>([
  // getaddrinfo: the name does not exist, or no resolver answered (a VPC's resolver knows no
  // private name for a service without an interface endpoint with private DNS).
  ['ENOTFOUND', 'dns'],
  ['EAI_AGAIN', 'dns'],
  ['EHOSTUNREACH', 'no-route'],
  ['ENETUNREACH', 'no-route'],
  ['ENETDOWN', 'no-route'],
  ['ECONNREFUSED', 'refused'],
  // undici's connect timeout; Node's ETIMEDOUT only when it is connect's (a read's is no connect failure).
  ['UND_ERR_CONNECT_TIMEOUT', 'connect-timeout'],
]);

/**
 * @smithy/node-http-handler's own connection timeout (connectionTimeout, 3 s here): a TimeoutError
 * without a code, in the words of its setConnectionTimeout ("the request socket did not establish a
 * connection with the server within the configured timeout of N ms"; before 4.x, "Socket timed out
 * without establishing a connection within N ms").
 */
const HANDLER_CONNECT_TIMEOUT = /did not establish a connection|without establishing a connection/i;

// Looked for only in the clause that says why, so that a principal or resource named after a policy
// type cannot mislead.
const POLICY_PHRASES: Array<[RegExp, PolicyType]> = [
  [/service control polic/i, 'scp'],
  [/resource control polic/i, 'rcp'],
  [/permissions? boundar/i, 'boundary'],
  [/session polic/i, 'session'],
  [/VPC endpoint polic/i, 'vpc-endpoint'],
  [/resource-based polic/i, 'resource'],
  [/identity-based polic/i, 'identity'],
];
const WHY_CLAUSE = /with an (?:explicit|implicit) deny|because no /i;

/** Reads who denied a request from AWS's access-denied text; the action is never taken from it. */
export function parseDenial(message: string): { policyType: PolicyType; explicit: boolean } {
  // Glue, Athena and Lake Formation say so when Lake Formation, not IAM, refused (or hid) a name.
  if (/Insufficient Lake Formation permission/i.test(message)) return { policyType: 'lake-formation', explicit: false };
  const at = message.search(WHY_CLAUSE);
  if (at < 0) return { policyType: 'unknown', explicit: false };
  const clause = message.slice(at);
  const explicit = /^with an explicit deny/i.test(clause);
  const policyType = POLICY_PHRASES.find(([pattern]) => pattern.test(clause))?.[1] ?? 'unknown';
  return { policyType, explicit };
}

type ErrorLike = Error & {
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $response?: { statusCode?: number; headers?: Record<string, string | undefined> };
  Code?: string;
  code?: string;
  hostname?: string;
  address?: string;
  syscall?: string;
  host?: string;
  cause?: unknown;
  errors?: unknown[];
};

/** A Node network error anywhere in the chain (cause, AggregateError), with the host it concerns. */
function networkFailure(error: unknown, depth = 0): { code: string; host?: string; connectFailure?: ConnectFailure } | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined;
  const e = error as ErrorLike;
  const nested = [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) {
    const connectTimeout = e.code === 'ETIMEDOUT' && (e.syscall === 'connect' || /^connect ETIMEDOUT/.test(e.message ?? ''));
    const failure = CONNECT_FAILURES.get(e.code) ?? (connectTimeout ? 'connect-timeout' : undefined);
    const connectFailure = failure ? { connectFailure: failure } : {};
    const host = e.hostname ?? e.address ?? e.host ?? /(?:getaddrinfo|connect) [A-Z_]+ ([^\s:]+)/.exec(e.message ?? '')?.[1];
    if (host) return { code: e.code, host, ...connectFailure };
    // Node's AggregateError (one failure per address family) keeps the addresses on its members.
    const inner = nested.map((n) => networkFailure(n, depth + 1)).find((found) => found?.host);
    return { code: e.code, ...(inner?.host ? { host: inner.host } : {}), ...connectFailure };
  }
  for (const n of nested) {
    const found = networkFailure(n, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function codeOf(e: ErrorLike, status: number | undefined): string {
  const named = e.Code ?? e.name;
  if (named && !GENERIC_NAMES.has(named) && !/^\d{3}$/.test(named)) return named;
  switch (status) {
    case 403:
      return 'AccessDenied';
    case 404:
      return 'NotFound';
    case 301:
      return 'PermanentRedirect';
    case undefined:
      return 'Unknown';
    default:
      return `Http${status}`;
  }
}

/**
 * Classifies anything a call can throw. `action` is the one the probe called; `host`, the endpoint
 * it was sent to, names the place of a network error that does not say (TLS errors never do).
 */
export function classifyError(error: unknown, context: { action: string; host?: string }): ClassifiedError {
  const { action } = context;
  if (typeof error !== 'object' || error === null) {
    return { code: 'InternalError', category: 'internal', message: ERROR_WORDS.internal(action) };
  }
  const e = error as ErrorLike;
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const requestId = e.$metadata?.requestId;
  const base = { ...(status ? { httpStatus: status } : {}), ...(requestId ? { requestId } : {}) };

  // The SDK's HTTP handler names a reset socket a TimeoutError (ECONNRESET and EPIPE are in its
  // timeout codes, @smithy/node-http-handler): a reset is a network failure, and retried as one.
  const reset = typeof e.code === 'string' && TRANSIENT_NETWORK_CODES.has(e.code);
  // It names a connection never made in time a TimeoutError too (its own connection timeout, or
  // connect's ETIMEDOUT): nothing reached the host, a network failure, not a slow answer.
  const connectTimeout = e.name === 'TimeoutError' && (HANDLER_CONNECT_TIMEOUT.test(e.message ?? '') || (e.code === 'ETIMEDOUT' && e.syscall === 'connect'));
  if (connectTimeout) {
    const host = e.address ?? context.host;
    return { ...base, code: 'ETIMEDOUT', category: 'network', message: `Network error ETIMEDOUT (no connection in time) calling ${action}${host ? ` at ${host}` : ''}`, ...(host ? { host } : {}), connectFailure: 'connect-timeout' };
  }
  if (!reset && (e.name === 'AbortError' || e.name === 'TimeoutError' || e.code === 'ABORT_ERR')) {
    return { ...base, code: 'Timeout', category: 'timeout', message: ERROR_WORDS.deadline(action) };
  }
  // The service's own credential chain found nothing (no env keys, profile, task or instance role).
  // Before the network check: the chain's instance-metadata attempt can carry a network cause.
  if (e.name === 'CredentialsProviderError') {
    return { ...base, code: NO_SERVICE_IDENTITY, category: 'config', message: ERROR_WORDS.noServiceIdentity(action) };
  }
  const network = networkFailure(e);
  if (network) {
    const host = network.host ?? context.host;
    const message = isCertificateError(network.code)
      ? ERROR_WORDS.certificate(network.code, host ?? 'the endpoint', action)
      : ERROR_WORDS.network(network.code, action, host);
    return { ...base, code: network.code, category: 'network', message, ...(host ? { host } : {}), ...(network.connectFailure ? { connectFailure: network.connectFailure } : {}) };
  }

  const code = codeOf(e, status);
  const text = typeof e.message === 'string' ? e.message : '';

  // STS deactivated in the region for this account (STS API reference, common errors): an account setting, not a permission.
  if (code === 'RegionDisabledException') {
    return { ...base, code, category: 'config', message: ERROR_WORDS.stsRegionDisabled(action) };
  }
  if (AUTH_CODES.has(code)) {
    return { ...base, code, category: 'auth', message: ERROR_WORDS.authentication(action, code) };
  }
  // StartQueryExecution refuses to start when the output bucket cannot be checked, as an
  // InvalidRequestException with AthenaErrorCode INSUFFICIENT_PERMISSIONS (public reports:
  // pyathena-dev/PyAthena#67, hashicorp/terraform-provider-aws#39716). Athena allowed its own call:
  // what was refused is S3, on the results bucket, or the bucket is missing. AWS documents no
  // action for it: s3:GetBucketLocation is named, and the fix grants the bucket's reads beside it.
  if (OUTPUT_BUCKET_UNVERIFIED.test(text)) {
    return { ...base, code, category: 'permission', message: WORDS.outputBucket, deniedBy: parseDenial(text), relayedAction: 's3:GetBucketLocation', path: 'results' };
  }
  // A denial is a denial under any code: Athena wraps Glue's refusals in a MetadataException. A bare
  // 403 already reads AccessDenied (codeOf); a named 403 that is no denial (S3's InvalidObjectState) is not one.
  // Athena relays a Glue call Lake Formation refused inside a MetadataException: a denial all the same.
  if (PERMISSION_CODES.has(code) || /not authorized to perform|Insufficient Lake Formation permission/i.test(text)) {
    return { ...base, ...denial(code, text, action) };
  }
  // Athena answers a missing workgroup or catalog with InvalidRequestException "WorkGroup x is not
  // found" (as public reports of the error show), not with a not-found code.
  if (NOT_FOUND_CODES.has(code) || status === 404 || (code === 'InvalidRequestException' && /\b(is|was) not found\b|does not exist/i.test(text))) {
    return { ...base, code, category: 'not-found', message: ERROR_WORDS.notFound(action) };
  }
  if (THROTTLING_CODES.has(code) || status === 429) {
    return { ...base, code, category: 'throttled', message: ERROR_WORDS.throttled(action, requestQuotaOf(action)) };
  }
  if (TIMEOUT_CODES.has(code)) {
    return { ...base, code, category: 'timeout', message: ERROR_WORDS.awsTimeout(action) };
  }
  if (CONFIG_CODES.has(code) || status === 301 || status === 307) {
    return { ...base, code, category: 'config', message: ERROR_WORDS.rejected(action, code, bucketRegionOf(e)) };
  }
  if (e.$fault === 'server' || (status !== undefined && status >= 500)) {
    return { ...base, code, category: 'service', message: ERROR_WORDS.serviceFailed(action, code) };
  }
  if (e.$fault === 'client' || (status !== undefined && status >= 400)) {
    return { ...base, code, category: 'config', message: ERROR_WORDS.invalid(action, code) };
  }
  return { ...base, code: 'InternalError', category: 'internal', message: ERROR_WORDS.internal(action) };
}

/** The region S3 names in its x-amz-bucket-region header (a safe fact worth saying), when it is a region's name. */
function bucketRegionOf(e: ErrorLike): string | undefined {
  const region = e.$response?.headers?.['x-amz-bucket-region'];
  return region && /^[a-z0-9-]{1,30}$/.test(region) ? region : undefined;
}

function denial(code: string, text: string, action: string): ClassifiedError {
  const deniedBy = parseDenial(text);
  const named = /not authorized to perform:?\s*([a-z0-9-]+:[A-Za-z0-9]+)/.exec(text)?.[1];
  // Only another service's action counts as relayed; another of the same service's that AWS names is
  // the one refused of a call needing two (s3:PutObjectAcl for a PutObject with x-amz-acl).
  const foreign = named && named.split(':')[0] !== action.split(':')[0] ? named : undefined;
  const sibling = named && COMPANIONS[action]?.includes(named) ? named : undefined;
  // S3 relays KMS's refusal to decrypt as "The ciphertext refers to a customer master key that does
  // not exist, does not exist in this region, or you are not allowed to access" (a 403 AccessDenied).
  const ciphertext = /ciphertext refers to a customer master key/i.test(text) ? 'kms:Decrypt' : undefined;
  const kmsAction = foreign?.startsWith('kms:') ? foreign : (ciphertext ?? (code.startsWith('KMS.') ? kmsActionFor(action) : undefined));
  const relayed = [foreign, kmsAction].find((candidate) => candidate !== undefined && isAwsAction(candidate));
  const refused = foreign ?? kmsAction ?? sibling ?? action;
  return {
    code,
    category: 'permission',
    message: ERROR_WORDS.denied(refused, action, deniedBy),
    deniedBy,
    ...(relayed ? { relayedAction: relayed } : {}),
    ...(sibling && !relayed ? { refusedAction: sibling } : {}),
    ...(kmsAction ? { kmsAction } : {}),
    ...resourceTypeOf(text),
  };
}

/**
 * Permissions a call needs besides its own, which AWS names when it refuses them: a PutObject (and a
 * CreateMultipartUpload, checked as s3:PutObject) that sends x-amz-acl needs s3:PutObjectAcl too
 * (S3 API Reference, PutObject and CreateMultipartUpload, Permissions).
 */
const COMPANIONS: Record<string, readonly string[]> = { 's3:PutObject': ['s3:PutObjectAcl'] };

// When KMS's refusal comes back as a bare KMS.* code: what S3 needed the key for.
function kmsActionFor(action: string): string | undefined {
  if (/PutObject|CreateMultipartUpload|UploadPart/.test(action)) return 'kms:GenerateDataKey';
  if (/GetObject/.test(action)) return 'kms:Decrypt';
  return undefined;
}

function resourceTypeOf(text: string): { resourceType?: string } {
  const arn = /on resource:\s*"?(arn:[^\s"]+)/.exec(text)?.[1];
  if (!arn) return {};
  const [, , service = '', , , ...rest] = arn.split(':');
  const path = rest.join(':');
  if (service === 's3') return { resourceType: path.includes('/') ? 's3:object' : 's3:bucket' };
  const type = path.split('/')[0];
  return type ? { resourceType: `${service}:${type}` } : {};
}

// --- Failed queries ------------------------------------------------------------------------------

/** "Unable to verify/create output bucket <name>": StartQueryExecution's refusal to start. */
const OUTPUT_BUCKET_UNVERIFIED = /Unable to verify\/create output bucket/i;

/**
 * Which path a failed query met its refusal on, of those Athena takes for the caller: writing the
 * results location, reading the table's data, the Glue catalog, Lake Formation, a KMS key; 'query'
 * where the failure does not say (Athena's own, or an S3 refusal that names no location).
 */
export const QUERY_FAILURE_PATHS = ['results', 'table-data', 'catalog', 'lake-formation', 'kms', 'query'] as const;
export type QueryFailurePath = (typeof QUERY_FAILURE_PATHS)[number];

/** A query refused reading a table's data: the fix names the table's location, not the results bucket. */
export const TABLE_DATA_DENIED = 'TableDataDenied';

/** A Lake Formation permission a failed query was refused for want of, and what it is on. */
export interface LakeFormationNeed {
  permission: 'DESCRIBE' | 'SELECT' | 'CREATE_DATABASE';
  /** The catalog (CREATE_DATABASE), a database (DESCRIBE) or a table (SELECT), by the name AWS gave. */
  on: { catalog: true } | { database: string } | { table: string };
}

/** A failed query, classified: the action refused (another service's, where Athena relayed it) and the path it concerns. */
export interface QueryFailure extends ClassifiedError {
  action: AwsAction;
  path: QueryFailurePath;
  /** Where Lake Formation refused: the grant that lifts it. */
  lakeFormation?: LakeFormationNeed;
}

/** What GetQueryExecution says of a query that did not succeed (QueryExecutionStatus, botocore athena model). */
export interface QueryStatus {
  StateChangeReason?: string;
  /** ErrorCategory 1 system, 2 user, 3 other; ErrorType as in the Athena User Guide's "Athena error catalog". */
  AthenaError?: { ErrorCategory?: number; ErrorType?: number; ErrorMessage?: string };
}

/**
 * ErrorType values the Athena User Guide's "Athena error catalog" lists (error type reference), for
 * failures whose prose says nothing more: 401 and 402 "Failed to write query results to Amazon S3",
 * 1500 "Permission error", 1501 "Amazon S3 permission error", 234 "Lake Formation error", 1306
 * "Amazon S3 bucket not found", 1400 to 1406 throttling (1401 Glue, 1403 S3, 1404 to 1406 Athena),
 * 206 and 210 "Query timed out".
 */
const ERROR_TYPES = {
  resultsWrite: new Set([401, 402]),
  permission: 1500,
  s3Permission: 1501,
  lakeFormation: 234,
  bucketNotFound: 1306,
  throttled: { 1400: 'AWS', 1401: 'AWS Glue', 1402: 'AWS Glue', 1403: 'Amazon S3', 1404: 'Athena', 1405: 'Athena', 1406: 'Athena' } as Record<number, string>,
  timedOut: new Set([206, 210]),
} as const;

const LAKE_FORMATION = { policyType: 'lake-formation', explicit: false } as const;
/** Glue's names: printable, and shown only where they are the customer's own (a database, a table). */
const NAME = String.raw`[^\s()'"]{1,255}`;

/**
 * Classifies a failed query by its cause, from Athena's prose and AthenaError: the action refused
 * and its path. A refusal Athena relays from another service is that service's action, as AWS
 * names it (the one exception to "the missing action is the one the probe called"): Glue's
 * "User: … is not authorized to perform: glue:GetDatabase on resource: …:database/default" is
 * glue:GetDatabase on a glue:database, never athena:StartQueryExecution. Lake Formation's
 * "Required Describe on default" is DESCRIBE on the default database, which Athena looks up for
 * every query ("The DESCRIBE permission is required on the default database", Athena User Guide,
 * considerations for querying data registered with Lake Formation); "Required Create Database on
 * Catalog", CREATE_DATABASE on the caller's catalog, where Athena creates default when missing.
 * S3's refusals name their path: reading the table's data ("Permission denied on S3 path: s3://…",
 * "AmazonS3Exception: Access Denied (…) (Path: s3://…)") or writing the results ("Access denied
 * when writing output to url: …", "Access denied when writing to location: …"). ErrorCategory 2
 * is the user's: an answer to act on, never "run again".
 */
export function classifyQueryFailure(status: QueryStatus): QueryFailure {
  const reason = [status.StateChangeReason, status.AthenaError?.ErrorMessage].filter(Boolean).join(' ');
  const type = status.AthenaError?.ErrorType;
  const deniedBy = parseDenial(reason);
  const refused = (action: AwsAction, path: QueryFailurePath, message: string, extra: Partial<QueryFailure> = {}): QueryFailure => ({
    code: 'QueryFailed',
    category: 'permission',
    action,
    path,
    message: `${message}${deniedByWords(extra.deniedBy ?? deniedBy)}`,
    deniedBy,
    ...extra,
  });
  const named = /not authorized to perform:?\s*([a-z0-9-]+:[A-Za-z0-9]+)/.exec(reason)?.[1];
  const catalogued = named && isAwsAction(named) ? named : undefined;
  const writing = /Access denied when writing (?:output )?to (?:url|location)/i.test(reason) || ERROR_TYPES.resultsWrite.has(type ?? -1);

  // KMS first: S3 and Athena relay its refusal inside their own ("… writing output to url … (… kms:GenerateDataKey …)").
  if (named?.startsWith('kms:')) {
    const action = named === 'kms:Decrypt' ? 'kms:Decrypt' : 'kms:GenerateDataKey';
    return refused(action, 'kms', WORDS.kmsRefused(action), { relayedAction: action, kmsAction: action, ...resourceTypeOf(reason) });
  }
  if (/ciphertext refers to a customer master key/i.test(reason)) return refused('kms:Decrypt', 'kms', WORDS.kmsCiphertext, { relayedAction: 'kms:Decrypt', kmsAction: 'kms:Decrypt' });
  if (/Error Code: KMS\.(?:NotFoundException|KMSInvalidStateException|DisabledException)/.test(reason)) {
    const action = writing ? 'kms:GenerateDataKey' : 'kms:Decrypt';
    return { code: 'QueryFailed', category: 'config', action, path: 'kms', message: WORDS.kmsKeyState, kmsAction: action };
  }

  const lakeFormation = lakeFormationNeedOf(reason);
  if (lakeFormation) {
    const { need, action, message } = lakeFormation;
    return refused(action, 'lake-formation', message, { deniedBy: LAKE_FORMATION, lakeFormation: need, ...(action === 'lakeformation:GetDataAccess' ? {} : { relayedAction: action }) });
  }
  if (named === 'lakeformation:GetDataAccess') return refused('lakeformation:GetDataAccess', 'lake-formation', WORDS.lakeFormationDataAccess);
  if (named?.startsWith('glue:')) {
    // A Glue action the catalogue does not hold is still named in the words; the fix then grants what Athena relays.
    const action = catalogued ?? 'athena:StartQueryExecution';
    return refused(action, 'catalog', WORDS.relayedRefusal(named, resourceTypeOf(reason).resourceType), { ...(catalogued ? { relayedAction: catalogued } : {}), ...resourceTypeOf(reason) });
  }

  if (writing || named === 's3:PutObject' || OUTPUT_BUCKET_UNVERIFIED.test(reason)) {
    const action = OUTPUT_BUCKET_UNVERIFIED.test(reason) && !writing ? 's3:GetBucketLocation' : 's3:PutObject';
    return refused(action, 'results', action === 's3:PutObject' ? WORDS.resultsWrite : WORDS.outputBucket, { relayedAction: action });
  }
  const onDataPath = /Permission denied on S3 path|\(Path: s3a?:\/\/|Error opening Hive split s3a?:\/\//i.test(reason);
  if (onDataPath || named === 's3:GetObject' || named === 's3:ListBucket') {
    const action = named === 's3:ListBucket' ? 's3:ListBucket' : 's3:GetObject';
    return refused(action, 'table-data', WORDS.tableData, { code: TABLE_DATA_DENIED, relayedAction: action });
  }
  // An S3 refusal that names no location (public reports show "PERMISSION_DENIED: Access Denied
  // (Service: S3, Status Code: 403)" for a results bucket, aws/context-ontology-accelerator#38, and
  // the same words for table data): either may be it, so the fix names both.
  if (/Access Denied \(Service: (?:Amazon )?S3\b|PERMISSION_DENIED/i.test(reason) || type === ERROR_TYPES.s3Permission) {
    return refused('s3:GetObject', 'query', WORDS.s3Unnamed, { code: TABLE_DATA_DENIED });
  }
  if (catalogued) return refused(catalogued, 'query', WORDS.relayedRefusal(catalogued, resourceTypeOf(reason).resourceType), { ...resourceTypeOf(reason) });
  if (type === ERROR_TYPES.lakeFormation) return refused('lakeformation:GetDataAccess', 'lake-formation', WORDS.lakeFormationDataAccess, { deniedBy: LAKE_FORMATION });
  if (type === ERROR_TYPES.permission) return refused('athena:StartQueryExecution', 'query', WORDS.permissionUnnamed);

  const failed = (category: ErrorCategory, path: QueryFailurePath, message: string): QueryFailure => ({ code: 'QueryFailed', category, action: 'athena:StartQueryExecution', path, message });
  const throttledBy = type === undefined ? undefined : ERROR_TYPES.throttled[type];
  if (throttledBy) return failed('throttled', type === 1401 || type === 1402 ? 'catalog' : 'query', WORDS.throttled(throttledBy));
  if (ERROR_TYPES.timedOut.has(type ?? -1)) return failed('timeout', 'query', WORDS.timedOut);
  if (type === ERROR_TYPES.bucketNotFound) return failed('not-found', 'query', WORDS.bucketNotFound);
  if (status.AthenaError?.ErrorCategory === 2) return failed('config', 'query', WORDS.userError);
  return failed('service', 'query', WORDS.failed);
}

/**
 * Lake Formation's refusal, as the grant that lifts it: "Required Describe on <database>", "Required
 * Create Database on Catalog" (public report: aws-solutions/workload-discovery-on-aws#228), "on
 * <name> (Database name: <name>)" for a database (awslabs/sagemaker-explaining-credit-decisions#8),
 * else "on <table>" for a table's data.
 */
function lakeFormationNeedOf(reason: string): { need: LakeFormationNeed; action: AwsAction; message: string } | undefined {
  const refusal = /Insufficient Lake Formation permission\(s\)(.*)$/is.exec(reason)?.[1];
  if (refusal === undefined) return undefined;
  if (/^:\s*Required Create Database on Catalog\b/i.test(refusal)) return { need: { permission: 'CREATE_DATABASE', on: { catalog: true } }, action: 'glue:CreateDatabase', message: WORDS.lakeFormationCreateDatabase };
  const described = new RegExp(`^:\\s*Required Describe on (${NAME})`, 'i').exec(refusal)?.[1] ?? new RegExp(`\\(Database name: (${NAME})\\)`, 'i').exec(refusal)?.[1];
  if (described) {
    const message = described === 'default' ? WORDS.lakeFormationDescribeDefault : WORDS.lakeFormationDescribe(described);
    return { need: { permission: 'DESCRIBE', on: { database: described } }, action: 'glue:GetDatabase', message };
  }
  const table = new RegExp(`^\\s*on (${NAME})`, 'i').exec(refusal)?.[1];
  return { need: { permission: 'SELECT', on: { table: table ?? '' } }, action: 'lakeformation:GetDataAccess', message: WORDS.lakeFormationSelect };
}

/** The code of a role or ambient run on a service with no AWS identity of its own. */
export const NO_SERVICE_IDENTITY = 'NoServiceIdentity';

/** AWS answered no (the customer must act), as opposed to "could not tell". */
export function isAnswer(category: ErrorCategory): boolean {
  return category === 'auth' || category === 'permission' || category === 'not-found' || category === 'config';
}

/**
 * "AWS said no" or "could not tell", decided once: as an action's evidence (failed / error) and as
 * a probe's outcome (fail / error).
 */
export function verdictOf(classified: Pick<ClassifiedError, 'category'>): { evidence: 'failed' | 'error'; outcome: 'fail' | 'error' } {
  return isAnswer(classified.category) ? { evidence: 'failed', outcome: 'fail' } : { evidence: 'error', outcome: 'error' };
}

export function isDenial(classified: ClassifiedError): boolean {
  return classified.category === 'permission';
}
