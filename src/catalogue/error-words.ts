// The words of a classified AWS error: what a customer reads of it, in our words (AWS's own text can
// name a person's session, and never leaves preflight/classify.ts). classify.ts decides the
// category; these say it. The words of a failed query are query-failures.ts's.
import type { RequestQuota } from './aws-errors.js';
import type { PolicyType } from './remediation.js';

/** Who refused, as words after the refusal: " (no identity-based policy allows it)". */
export function deniedByWords(deniedBy: { policyType: PolicyType; explicit: boolean }): string {
  if (deniedBy.policyType === 'unknown') return deniedBy.explicit ? ' (explicit deny)' : '';
  return deniedBy.explicit ? ` (explicit deny in ${POLICY_WORDS[deniedBy.policyType]})` : ` (no ${POLICY_WORDS[deniedBy.policyType].replace(/^an? /, '')} allows it)`;
}

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

export const ERROR_WORDS = {
  internal: (action: string) => `${action} failed inside the preflight itself`,
  deadline: (action: string) => `${action} did not answer before the deadline`,
  noServiceIdentity: (action: string) => `${action} needs the service's own AWS identity, and the AWS credential chain found none`,
  network: (code: string, action: string, host: string | undefined) => `Network error ${code} calling ${action}${host ? ` at ${host}` : ''}`,
  /** A TLS refusal: trusting the right CA, or fixing the endpoint, is the fix. */
  certificate(code: string, host: string, action: string): string {
    const prefix = `The TLS certificate of ${host}`;
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `${prefix} is for another host (${code}) calling ${action}: check the endpoint URL`;
    if (code === 'CERT_HAS_EXPIRED') return `${prefix} has expired (${code}) calling ${action}`;
    return `${prefix} is not trusted (${code}) calling ${action}: behind a proxy that re-signs TLS, give the service that proxy's CA (AWS_CA_BUNDLE)`;
  },
  stsRegionDisabled: (action: string) => `${action} was refused: STS is not activated in this region for the account (IAM > Account settings > STS endpoints)`,
  authentication: (action: string, code: string) => `Authentication failed for ${action}: ${authWords(code)}`,
  denied: (refused: string, action: string, deniedBy: { policyType: PolicyType; explicit: boolean }) =>
    `Access denied for ${refused}${refused === action ? '' : `, needed by ${action}`}${deniedByWords(deniedBy)}`,
  notFound: (action: string) => `${action} named a resource that does not exist`,
  throttled: (action: string, quota: RequestQuota | undefined) =>
    quota ? `${action} was throttled by AWS (quota shared with other tools: ${quota.requestsPerSecond} requests a second per ${quota.per})` : `${action} was throttled by AWS`,
  awsTimeout: (action: string) => `${action} did not complete in time on the AWS side`,
  /** `bucketRegion`: the region S3 names in its x-amz-bucket-region header, already checked to be a region's name. */
  rejected: (action: string, code: string, bucketRegion?: string) => `${action} was rejected: ${configWords(code, bucketRegion)}`,
  serviceFailed: (action: string, code: string) => `AWS failed to answer ${action} (${code})`,
  invalid: (action: string, code: string) => `${action} was rejected as not valid (${code})`,
} as const;

function authWords(code: string): string {
  if (/Expired|TokenRefreshRequired/.test(code)) return 'the credentials have expired';
  if (/Signature/.test(code)) return 'the secret key does not match the access key';
  if (/Skewed/.test(code)) return "the machine's clock is wrong";
  return 'the access key or session token is not valid';
}

function configWords(code: string, bucketRegion: string | undefined): string {
  switch (code) {
    case 'PermanentRedirect':
    case 'AuthorizationHeaderMalformed':
    case 'IllegalLocationConstraintException': {
      return `the resource is in another region${bucketRegion ? ` (${bucketRegion})` : ''}`;
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
