// AWS's error codes (and Node's, for the network), by what they mean, and the request quotas AWS
// documents per action: the data preflight/classify.ts classifies by. A code not listed falls to
// the HTTP status (classify.ts says how).

export const AUTH_CODES = new Set([
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
export const PERMISSION_CODES = new Set(['AccessDenied', 'AccessDeniedException', 'KMS.AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError', 'Forbidden', 'AllAccessDisabled']);
export const NOT_FOUND_CODES = new Set([
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
export const CONFIG_CODES = new Set([
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
export const THROTTLING_CODES = new Set([
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
export const TIMEOUT_CODES = new Set(['RequestTimeout', 'RequestTimeoutException']);
/** TLS refusals: trying again does not help; trusting the right CA (or fixing the endpoint) does. */
export const CERTIFICATE_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);
/** Failures of a connection already made, which the SDK's own standard retry strategy also retries. */
export const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);
export const NETWORK_CODES = new Set([
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

// Names the SDK gives an error whose answer carried no code (S3 HEAD has no body): only the status is left.
export const GENERIC_NAMES = new Set(['Error', 'Unknown', 'UnknownError']);

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
