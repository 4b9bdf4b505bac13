// The words of a capability's fix, where no permission is the answer: credentials AWS refused, a
// service with no identity of its own, a role the service could not assume, what could not be
// told, another account's owner who must act. The engine (preflight/fix.ts) decides which applies;
// the sentences a customer reads are here, as the findings' are in findings.ts.

/**
 * Regions an account must enable before any key works there ("Specify which AWS Regions your
 * account can use", AWS Account Management guide): there a valid key is refused as unknown.
 */
const OPT_IN_REGIONS = new Set([
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-west-1', 'eu-central-2', 'eu-south-1', 'eu-south-2', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1',
]);

export const FIX_WORDS = {
  /** What fixes credentials AWS refused: the key itself, never an Allow (nothing is authorised before authentication). */
  credentials(code: string, region: string): string {
    if (/Expired|TokenRefreshRequired/.test(code)) return `The temporary credentials have expired (${code}): issue new ones (a new session token), or connect with a role instead.`;
    if (/Signature/.test(code)) return `The secret access key does not match the access key id (${code}): enter the secret exactly as issued (no spaces or line breaks), or create a new access key.`;
    const optIn = OPT_IN_REGIONS.has(region) ? ` ${region} is an opt-in region: if the account has not enabled it, every key is refused there; enable it under Account > AWS Regions, or use another region.` : '';
    return `AWS does not know this access key or session token (${code}): enter the access key id exactly as issued, check that the key is active (IAM > Users > Security credentials), or create a new one.${optIn}`;
  },
  /** How to give the service an identity of its own, for role runs. */
  serviceIdentity:
    "The service has no AWS identity of its own to assume the role with: give it one allowed sts:AssumeRole on customers' roles (an instance, task or pod role, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in its environment), then run the preflight again.",
  /** sts:AssumeRole refused: the role's trust policy, not an identity policy, is the fix. */
  assumeRoleRefused:
    "The service could not assume the role: its trust policy must name the service's principal and require the external ID you gave, and the external ID must match exactly.",
  /** A TLS refusal: the message already says what to trust; trying again does not help. */
  couldNotTellCertificate: (message: string) => `Could not tell: ${message}.`,
  couldNotTell: (category: string, message: string) => `Could not tell (${category}: ${message}); run the preflight again.`,
  failed: (action: string, code: string, message: string) => `${action} failed (${code}): ${message}.`,
  /** An empty listing's finding, as the capability's fix. */
  emptyListing: (finding: { message: string; remediation: string }) => `${finding.message} ${finding.remediation}`,
  /** Another account's Glue catalog refused for want of its resource policy: who must act, in both accounts. */
  catalogOwnersMustAllow: (owners: readonly string[]) =>
    `the owner of ${owners.length > 1 ? 'accounts' : 'account'} ${owners.join(', ')} must allow this principal in that account's Glue Data Catalog resource policy, or share the databases with it through Lake Formation (remediation.otherAccounts); this principal's identity policy must allow the same reads on that account's ARNs (remediation.statements)`,
} as const;

/** Why a capability was decided before any evidence was weighed (the catalogue's applicability rules say their own). */
export const EARLY_WORDS = {
  notRequested: 'not requested',
  connectionFailed: 'the connection failed',
} as const;
