// Every AWS error is classified here, once: its category, who denied it and why, and a message
// in our own words. Raw AWS messages never leave this file: they can name a person's session.
import { isAwsAction } from '../catalogue/actions.js';
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
}

const AUTH_CODES = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidToken',
  'TokenRefreshRequired',
  'RequestExpired',
  'RequestTimeTooSkewed',
]);
const PERMISSION_CODES = new Set(['AccessDenied', 'AccessDeniedException', 'KMS.AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError', 'Forbidden', 'AllAccessDisabled']);
const NOT_FOUND_CODES = new Set([
  'EntityNotFoundException',
  'ResourceNotFoundException',
  'NoSuchBucket',
  'NoSuchKey',
  'NotFound',
  'NotFoundException',
  'NoSuchEntity',
  'NoSuchUpload',
  'KMS.NotFoundException',
]);
const CONFIG_CODES = new Set([
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
  'IllegalLocationConstraintException',
  'InvalidRequestException',
  'InvalidRequest',
  'ValidationException',
  'ValidationError',
  'InvalidParameterValue',
  'InvalidParameterException',
  'InvalidInputException',
  'InvalidLookupAttributesException',
  'MetadataException',
  'DisabledException',
  'KMS.DisabledException',
  'KMSInvalidStateException',
  'KMS.KMSInvalidStateException',
  'PreconditionFailed',
]);
const THROTTLING_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'SlowDown',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'BandwidthLimitExceeded',
  'PriorRequestNotComplete',
]);
/**
 * Request quotas AWS documents per action. The account's other tools spend the same quota, so a
 * throttled call of such an action is tried again at the quota's pace until the run's deadline
 * (engine.ts), and only then reported, saying the quota is shared. Other throttling is a burst,
 * retried a few times with short jittered backoff.
 */
export interface RequestQuota {
  requestsPerSecond: number;
  /** What the quota is counted over. */
  per: string;
}
const REQUEST_QUOTAS = new Map<string, RequestQuota>([
  // AWS CloudTrail API Reference, LookupEvents: "The rate of lookup requests is limited to two per
  // second, per account, per Region. If this limit is exceeded, a throttling error occurs."
  // https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html; also
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html
  ['cloudtrail:LookupEvents', { requestsPerSecond: 2, per: 'account and region' }],
]);

export const requestQuotaOf = (action: string): RequestQuota | undefined => REQUEST_QUOTAS.get(action);

function throttledWords(action: string): string {
  const quota = requestQuotaOf(action);
  if (!quota) return `${action} was throttled by AWS`;
  return `${action} was throttled by AWS (quota shared with other tools: ${quota.requestsPerSecond} requests a second per ${quota.per})`;
}

const TIMEOUT_CODES = new Set(['RequestTimeout', 'RequestTimeoutException']);
/** TLS refusals: trying again does not help; trusting the right CA (or fixing the endpoint) does. */
const CERTIFICATE_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);
/** Failures of a connection already made, which the SDK's own standard retry strategy also retries. */
const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);
/** Calls that change nothing: retrying one after a reset cannot apply anything twice. */
const READ_ONLY_ACTION = /^[a-z0-9-]+:(Get|List|Describe|Lookup|Search|BatchGet|Head)/;
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'ECONNABORTED',
  'EPROTO',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  ...CERTIFICATE_CODES,
]);

export const isCertificateError = (code: string) => CERTIFICATE_CODES.has(code);

function certificateMessage(code: string, host: string, action: string): string {
  const prefix = `The TLS certificate of ${host}`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `${prefix} is for another host (${code}) calling ${action}: check the endpoint URL`;
  if (code === 'CERT_HAS_EXPIRED') return `${prefix} has expired (${code}) calling ${action}`;
  return `${prefix} is not trusted (${code}) calling ${action}: behind a proxy that re-signs TLS, give the service that proxy's CA (AWS_CA_BUNDLE)`;
}

// Names the SDK gives an error whose answer carried no code (S3 HEAD has no body): only the status is left.
const GENERIC_NAMES = new Set(['Error', 'Unknown', 'UnknownError']);

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
  host?: string;
  cause?: unknown;
  errors?: unknown[];
};

/** A Node network error anywhere in the chain (cause, AggregateError), with the host it concerns. */
function networkFailure(error: unknown, depth = 0): { code: string; host?: string } | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined;
  const e = error as ErrorLike;
  const nested = [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) {
    const host = e.hostname ?? e.address ?? e.host ?? /(?:getaddrinfo|connect) [A-Z_]+ ([^\s:]+)/.exec(e.message ?? '')?.[1];
    if (host) return { code: e.code, host };
    // Node's AggregateError (one failure per address family) keeps the addresses on its members.
    const inner = nested.map((n) => networkFailure(n, depth + 1)).find((found) => found?.host);
    return { code: e.code, ...(inner?.host ? { host: inner.host } : {}) };
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
    return { code: 'InternalError', category: 'internal', message: `${action} failed inside the preflight itself` };
  }
  const e = error as ErrorLike;
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const requestId = e.$metadata?.requestId;
  const base = { ...(status ? { httpStatus: status } : {}), ...(requestId ? { requestId } : {}) };

  // The SDK's HTTP handler names a reset socket a TimeoutError (ECONNRESET and EPIPE are in its
  // timeout codes, @smithy/node-http-handler): a reset is a network failure, and retried as one.
  const reset = typeof e.code === 'string' && TRANSIENT_NETWORK_CODES.has(e.code);
  if (!reset && (e.name === 'AbortError' || e.name === 'TimeoutError' || e.code === 'ABORT_ERR')) {
    return { ...base, code: 'Timeout', category: 'timeout', message: `${action} did not answer before the deadline` };
  }
  // The service's own credential chain found nothing (no env keys, profile, task or instance role).
  // Before the network check: the chain's instance-metadata attempt can carry a network cause.
  if (e.name === 'CredentialsProviderError') {
    return { ...base, code: NO_SERVICE_IDENTITY, category: 'config', message: `${action} needs the service's own AWS identity, and the AWS credential chain found none` };
  }
  const network = networkFailure(e);
  if (network) {
    const host = network.host ?? context.host;
    const message = isCertificateError(network.code)
      ? certificateMessage(network.code, host ?? 'the endpoint', action)
      : `Network error ${network.code} calling ${action}${host ? ` at ${host}` : ''}`;
    return { ...base, code: network.code, category: 'network', message, ...(host ? { host } : {}) };
  }

  const code = codeOf(e, status);
  const text = typeof e.message === 'string' ? e.message : '';

  // STS deactivated in the region for this account (STS API reference, common errors): an account setting, not a permission.
  if (code === 'RegionDisabledException') {
    return { ...base, code, category: 'config', message: `${action} was refused: STS is not activated in this region for the account (IAM > Account settings > STS endpoints)` };
  }
  if (AUTH_CODES.has(code)) {
    return { ...base, code, category: 'auth', message: `Authentication failed for ${action}: ${authWords(code)}` };
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
    return { ...base, code, category: 'not-found', message: `${action} named a resource that does not exist` };
  }
  if (THROTTLING_CODES.has(code) || status === 429) {
    return { ...base, code, category: 'throttled', message: throttledWords(action) };
  }
  if (TIMEOUT_CODES.has(code)) {
    return { ...base, code, category: 'timeout', message: `${action} did not complete in time on the AWS side` };
  }
  if (CONFIG_CODES.has(code) || status === 301 || status === 307) {
    return { ...base, code, category: 'config', message: `${action} was rejected: ${configWords(code, e)}` };
  }
  if (e.$fault === 'server' || (status !== undefined && status >= 500)) {
    return { ...base, code, category: 'service', message: `AWS failed to answer ${action} (${code})` };
  }
  if (e.$fault === 'client' || (status !== undefined && status >= 400)) {
    return { ...base, code, category: 'config', message: `${action} was rejected as not valid (${code})` };
  }
  return { ...base, code: 'InternalError', category: 'internal', message: `${action} failed inside the preflight itself` };
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
  const by =
    deniedBy.policyType === 'unknown'
      ? deniedBy.explicit
        ? ' (explicit deny)'
        : ''
      : deniedBy.explicit
        ? ` (explicit deny in ${POLICY_WORDS[deniedBy.policyType]})`
        : ` (no ${POLICY_WORDS[deniedBy.policyType].replace(/^an? /, '')} allows it)`;
  return {
    code,
    category: 'permission',
    message: `Access denied for ${refused}${refused === action ? '' : `, needed by ${action}`}${by}`,
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

const POLICY_WORDS: Record<PolicyType, string> = {
  identity: 'an identity-based policy',
  resource: 'a resource-based policy',
  scp: 'a service control policy',
  rcp: 'a resource control policy',
  boundary: 'a permissions boundary',
  session: 'a session policy',
  'vpc-endpoint': 'a VPC endpoint policy',
  'lake-formation': 'a Lake Formation permission',
  unknown: 'a policy',
};

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

function authWords(code: string): string {
  if (/Expired|TokenRefreshRequired/.test(code)) return 'the credentials have expired';
  if (/Signature/.test(code)) return 'the secret key does not match the access key';
  if (/Skewed/.test(code)) return "the machine's clock is wrong";
  return 'the access key or session token is not valid';
}

function configWords(code: string, e: ErrorLike): string {
  switch (code) {
    case 'PermanentRedirect':
    case 'AuthorizationHeaderMalformed':
    case 'IllegalLocationConstraintException': {
      // S3 names the bucket's region in a header: a safe fact worth saying.
      const region = e.$response?.headers?.['x-amz-bucket-region'];
      return `the resource is in another region${region && /^[a-z0-9-]{1,30}$/.test(region) ? ` (${region})` : ''}`;
    }
    case 'InvalidRequestException':
      return 'the request is not valid for this resource (for example a disabled workgroup)';
    case 'DisabledException':
    case 'KMS.DisabledException':
    case 'KMSInvalidStateException':
    case 'KMS.KMSInvalidStateException':
      return 'the KMS key is disabled or pending deletion';
    case 'PreconditionFailed':
      return 'the object already exists';
    default:
      return `the request was not valid (${code})`;
  }
}

/** Throttling and service failures may pass on a retry; nothing else is worth asking twice. */
export function isRetryable(classified: ClassifiedError): boolean {
  return classified.category === 'throttled' || classified.category === 'service';
}

/**
 * How long to wait before trying a failed call again, or undefined to give up and report the error.
 * `attempt` is the attempt that just failed (from 1); `remainingMs`, what the run's deadline leaves.
 * - Nothing but throttling and 5xx is tried again (isRetryable): never a denial.
 * - Throttling of an action with a documented quota (REQUEST_QUOTAS): at least one quota interval,
 *   jittered up to three, for as long as the deadline leaves another interval for the call after
 *   the wait, whatever the attempt count. Giving up therefore means the deadline ran out.
 * - Other throttling and 5xx: full-jitter exponential backoff, up to `maxAttempts`, within the deadline.
 */
export function retryDelayMs(
  action: string,
  classified: ClassifiedError,
  attempt: number,
  remainingMs: number,
  defaults: { maxAttempts: number; baseDelayMs: number },
  random: () => number = Math.random,
): number | undefined {
  const resetRead = classified.category === 'network' && TRANSIENT_NETWORK_CODES.has(classified.code) && READ_ONLY_ACTION.test(action);
  if (!isRetryable(classified) && !resetRead) return undefined;
  const quota = classified.category === 'throttled' ? requestQuotaOf(action) : undefined;
  if (quota) {
    const interval = 1000 / quota.requestsPerSecond;
    const wait = Math.min(interval * (1 + random() * Math.min(2 ** (attempt - 1), 2)), remainingMs - interval);
    return wait >= interval ? wait : undefined;
  }
  const backoff = random() * defaults.baseDelayMs * 2 ** (attempt - 1);
  return attempt < defaults.maxAttempts && backoff < remainingMs ? backoff : undefined;
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
