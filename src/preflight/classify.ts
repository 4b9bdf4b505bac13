// Every AWS error is classified here, once: its category, who denied it and why, and a message
// in our own words. Raw AWS messages never leave this file: they can name a person's session.
export type ErrorCategory = 'auth' | 'permission' | 'not-found' | 'config' | 'network' | 'throttled' | 'timeout' | 'service' | 'internal';
export type PolicyType = 'identity' | 'resource' | 'scp' | 'rcp' | 'boundary' | 'session' | 'vpc-endpoint' | 'unknown';

export interface ClassifiedError {
  code: string;
  category: ErrorCategory;
  /** Safe to show: our words plus the safe facts (action, policy type), never AWS's raw text. */
  message: string;
  httpStatus?: number;
  requestId?: string;
  deniedBy?: { policyType: PolicyType; explicit: boolean };
  /** A denial another service relayed (S3 for KMS, Athena for Glue): the action actually refused. */
  relayedAction?: string;
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
  'BucketInOtherRegion',
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
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED', 'EPROTO', 'CERT_HAS_EXPIRED', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT']);

const POLICY_PHRASES: Array<[RegExp, PolicyType]> = [
  [/service control polic/i, 'scp'],
  [/resource control polic/i, 'rcp'],
  [/permissions boundar/i, 'boundary'],
  [/session polic/i, 'session'],
  [/VPC endpoint polic/i, 'vpc-endpoint'],
  [/resource-based polic/i, 'resource'],
  [/identity-based polic/i, 'identity'],
];

/** Reads who denied a request from AWS's access-denied text; the action is never taken from it. */
export function parseDenial(message: string): { policyType: PolicyType; explicit: boolean } {
  const explicit = /with an explicit deny/i.test(message);
  const implicit = /because no .* allows|with an implicit deny/i.test(message);
  if (explicit || implicit) {
    const clause = message.slice(message.search(/with an explicit deny|with an implicit deny|because no /i));
    for (const [pattern, policyType] of POLICY_PHRASES) if (pattern.test(clause)) return { policyType, explicit };
  }
  return { policyType: 'unknown', explicit };
}

type SdkLikeError = Error & {
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string };
  $response?: { statusCode?: number; headers?: Record<string, string> };
  Code?: string;
  code?: string;
  errno?: number;
  hostname?: string;
  address?: string;
  cause?: unknown;
};

function networkCode(error: SdkLikeError | undefined, depth = 0): { code: string; host?: string } | undefined {
  if (!error || typeof error !== 'object' || depth > 4) return undefined;
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (code && NETWORK_CODES.has(code)) {
    const host = error.hostname ?? error.address ?? /(?:getaddrinfo|connect) \w+ ([^\s:]+)/.exec(error.message ?? '')?.[1];
    return { code, host };
  }
  const nested = error.cause as SdkLikeError | undefined;
  if (nested) return networkCode(nested, depth + 1);
  if (Array.isArray((error as { errors?: unknown[] }).errors)) {
    for (const inner of (error as unknown as { errors: SdkLikeError[] }).errors) {
      const found = networkCode(inner, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** Classifies anything a call can throw. `action` is the one the probe called. */
export function classifyError(error: unknown, context: { action: string }): ClassifiedError {
  const { action } = context;
  if (!(error instanceof Error) && (typeof error !== 'object' || error === null)) {
    return { code: 'InternalError', category: 'internal', message: `${action}: an unexpected failure of the preflight itself` };
  }
  const e = error as SdkLikeError;
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const requestId = e.$metadata?.requestId;
  const base = { ...(status ? { httpStatus: status } : {}), ...(requestId ? { requestId } : {}) };

  if (e.name === 'AbortError' || e.name === 'TimeoutError' || e.code === 'ABORT_ERR') {
    return { ...base, code: 'Timeout', category: 'timeout', message: `${action} did not answer before the deadline` };
  }
  const network = networkCode(e);
  if (network) {
    return { ...base, code: network.code, category: 'network', message: `${action}: network error ${network.code}${network.host ? ` reaching ${network.host}` : ''}`, ...(network.host ? { host: network.host } : {}) };
  }

  // SDK v3 names errors after the AWS code; S3 HEAD errors have no body, so only the status is left.
  let code = e.Code ?? e.name;
  if (!code || code === 'Error' || code === 'Unknown' || code === 'UnknownError' || /^\d{3}$/.test(code)) {
    code = status === 403 ? 'AccessDenied' : status === 404 ? 'NotFound' : status === 301 ? 'PermanentRedirect' : status ? `Http${status}` : 'Unknown';
  }
  const text = typeof e.message === 'string' ? e.message : '';

  if (AUTH_CODES.has(code)) {
    const what = /Expired|RequestExpired/.test(code) ? 'the credentials have expired' : /Signature/.test(code) ? 'the secret key does not match the access key' : /Skewed/.test(code) ? "the machine's clock is wrong" : 'the access key or session token is not valid';
    return { ...base, code, category: 'auth', message: `${action} was refused: ${what}` };
  }
  // Athena wraps Glue's denials in a MetadataException: a denial is a denial under any code.
  const relayedDenial = code === 'MetadataException' && /not authorized to perform|AccessDenied/i.test(text);
  if (PERMISSION_CODES.has(code) || relayedDenial || (status === 403 && !THROTTLING_CODES.has(code))) {
    const relayedAction = relayedActionOf(text, action) ?? (code.startsWith('KMS.') ? kmsActionFor(action) : undefined);
    const denial = parseDenial(text);
    const deniedAction = relayedAction ?? action;
    const by = denial.policyType === 'unknown' ? '' : ` (${denial.explicit ? 'explicit deny in' : 'no allow in'} ${POLICY_WORDS[denial.policyType]})`;
    return {
      ...base,
      code,
      category: 'permission',
      message: `access denied for ${deniedAction}${relayedAction && deniedAction !== action ? ` while calling ${action}` : ''}${by}`,
      deniedBy: denial,
      ...(relayedAction ? { relayedAction } : {}),
      ...resourceTypeOf(text),
    };
  }
  if (NOT_FOUND_CODES.has(code) || status === 404) {
    return { ...base, code, category: 'not-found', message: `${action}: the resource does not exist` };
  }
  if (THROTTLING_CODES.has(code) || status === 429) {
    return { ...base, code, category: 'throttled', message: `${action} was throttled` };
  }
  if (CONFIG_CODES.has(code) || status === 301 || status === 307) {
    return { ...base, code, category: 'config', message: `${action} was rejected: ${configWords(code)}` };
  }
  if (e.$fault === 'server' || (status !== undefined && status >= 500)) {
    return { ...base, code, category: 'service', message: `${action}: the AWS service failed (${code})` };
  }
  if (e.$fault === 'client' || (status !== undefined && status >= 400)) {
    return { ...base, code, category: 'config', message: `${action} was rejected (${code})` };
  }
  return { ...base, code: 'InternalError', category: 'internal', message: `${action}: an unexpected failure of the preflight itself` };
}

const POLICY_WORDS: Record<PolicyType, string> = {
  identity: 'an identity-based policy',
  resource: 'a resource-based policy',
  scp: 'a service control policy',
  rcp: 'a resource control policy',
  boundary: 'a permissions boundary',
  session: 'a session policy',
  'vpc-endpoint': 'a VPC endpoint policy',
  unknown: 'an unknown policy',
};

/** The action a relayed denial names when it is not the one called (a KMS key behind S3, Glue behind Athena). */
function relayedActionOf(text: string, called: string): string | undefined {
  const named = /not authorized to perform:?\s*([a-z0-9-]+:[A-Za-z]+)/.exec(text)?.[1];
  return named && named.split(':')[0] !== called.split(':')[0] ? named : undefined;
}

function kmsActionFor(action: string): string | undefined {
  if (/PutObject|CreateMultipartUpload/.test(action)) return 'kms:GenerateDataKey';
  if (/GetObject/.test(action)) return 'kms:Decrypt';
  return undefined;
}

function resourceTypeOf(text: string): { resourceType?: string } {
  const arn = /on resource:\s*"?(arn:[^\s"]+)/.exec(text)?.[1];
  if (!arn) return {};
  const [, , service, , , rest = ''] = arn.split(':');
  const type = rest.includes('/') ? rest.split('/')[0] : service === 's3' ? (rest.includes('/') ? 'object' : 'bucket') : rest;
  return { resourceType: `${service}:${type || 'resource'}` };
}

function configWords(code: string): string {
  switch (code) {
    case 'PermanentRedirect':
    case 'AuthorizationHeaderMalformed':
    case 'IllegalLocationConstraintException':
    case 'BucketInOtherRegion':
      return 'the resource is in another region';
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

/** Throttling and service failures may pass; nothing else is worth asking twice. */
export function isRetryable(classified: ClassifiedError): boolean {
  return classified.category === 'throttled' || classified.category === 'service';
}

/** AWS answered no (the customer must act), as opposed to "could not tell". */
export function isAnswer(category: ErrorCategory): boolean {
  return category === 'auth' || category === 'permission' || category === 'not-found' || category === 'config';
}

export function isDenial(classified: ClassifiedError): boolean {
  return classified.category === 'permission';
}
