// The setup request (POST /setup): what the product needs and where, and the external ID the vendor
// gave this customer. Its connection fields are POST /preflight's own schemas and are validated by
// the preflight's validator, so that both routes accept and refuse the same values in the same words.
import { CAPABILITIES, type CapabilityId } from '../catalogue/capabilities.js';
import { type ValidationIssue, addKnownFieldNames, reportUnknownField, unprintableIssues, validatePreflightRequest } from '../preflight/request.js';
import { S3_URI_PATTERN } from '../schemas/request.js';
import { KMS_KEY_PATTERN, ROLE_NAME_PATTERN, type SetupRequest, SetupRequestSchema } from '../schemas/setup.js';

// The setup request's field names count as known ones: an error may name them.
addKnownFieldNames(SetupRequestSchema);

/** The request as the generators take it: capabilities and required filled in as a preflight would. */
export interface SetupInput extends Omit<SetupRequest, 'capabilities' | 'required'> {
  capabilities: CapabilityId[];
  required: CapabilityId[];
}

/** Fields the preflight's validator judges: the connection without credentials. */
const SHARED = ['region', 'accountId', 'capabilities', 'required', 'athena', 'glue'] as const;
const OWN = new Set(['externalId', 'roleName', 'dataLocation', 'kmsKeys', 'options']);
// Stands in for the credentials the preflight's validator requires; never reaches an answer.
const PLACEHOLDER_ROLE = 'arn:aws:iam::123456789012:role/setup';

const HINTS = {
  roleName: 'must be an IAM role name: 1 to 64 letters, digits and +=,.@_-',
  dataLocation: 'must be an S3 URI such as s3://bucket/prefix/ (no spaces, no empty segment //)',
  kmsKeys: 'must be a KMS key ARN (arn:aws:kms:region:account:key/id) or alias ARN (…:alias/name)',
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const matches = (pattern: string, value: unknown) => typeof value === 'string' && new RegExp(pattern).test(value);

/**
 * A body into the generators' input, or every issue, each naming its field and what it must be,
 * never the value it had (the external ID least of all).
 */
export function validateSetupRequest(body: unknown): { ok: true; input: SetupInput } | { ok: false; issues: ValidationIssue[] } {
  if (!isPlainObject(body)) return { ok: false, issues: [{ path: '/', message: 'the body must be a JSON object' }] };
  const issues: ValidationIssue[] = [];
  const report = (path: string, message: string) => issues.some((issue) => issue.path === path) || issues.push({ path, message });
  const shared: Record<string, unknown> = {};
  for (const key of Object.keys(body)) {
    if ((SHARED as readonly string[]).includes(key)) Object.defineProperty(shared, key, { value: body[key], enumerable: true, writable: true, configurable: true });
    else if (!OWN.has(key)) reportUnknownField('', key, report);
    else unprintableIssues(body[key], `/${key}`, report);
  }
  // The external ID is judged by the preflight's own rule for it, as the role credentials' field.
  const externalId = body.externalId;
  shared.credentials = { type: 'role', roleArn: PLACEHOLDER_ROLE, ...(externalId === undefined ? {} : { externalId }) };
  const preflight = validatePreflightRequest(shared);
  if (!preflight.ok) {
    for (const issue of preflight.issues) report(issue.path === '/credentials/externalId' ? '/externalId' : issue.path, issue.message);
  }
  if (externalId === undefined) issues.push({ path: '/externalId', message: "is required: the external ID the vendor assigned to this customer, which the role's trust policy requires" });
  if (body.roleName !== undefined && !matches(ROLE_NAME_PATTERN, body.roleName)) issues.push({ path: '/roleName', message: HINTS.roleName });
  if (body.dataLocation !== undefined && !matches(S3_URI_PATTERN, body.dataLocation)) issues.push({ path: '/dataLocation', message: HINTS.dataLocation });
  if (body.kmsKeys !== undefined) {
    if (!Array.isArray(body.kmsKeys)) issues.push({ path: '/kmsKeys', message: 'must be an array' });
    else if (body.kmsKeys.length > 10) issues.push({ path: '/kmsKeys', message: 'must have at most 10 keys' });
    else if (new Set(body.kmsKeys).size !== body.kmsKeys.length) issues.push({ path: '/kmsKeys', message: 'must not repeat a key' });
    else body.kmsKeys.forEach((key, index) => matches(KMS_KEY_PATTERN, key) || issues.push({ path: `/kmsKeys/${index}`, message: HINTS.kmsKeys }));
  }
  if (body.options !== undefined) {
    if (!isPlainObject(body.options)) issues.push({ path: '/options', message: 'must be an object' });
    else
      for (const [key, value] of Object.entries(body.options)) {
        if (key !== 'selfCheck') reportUnknownField('/options', key, report);
        else if (typeof value !== 'boolean') issues.push({ path: '/options/selfCheck', message: 'must be a boolean' });
      }
  }
  if (issues.length || !preflight.ok) return { ok: false, issues: issues.slice(0, 20) };

  const request = preflight.request;
  const capabilities = request.capabilities ?? CAPABILITIES.filter((c) => c.requestedByDefault).map((c) => c.id);
  // What cannot be granted without a location: refused rather than a grant on every bucket.
  const needsOutput = capabilities.filter((id) => id === 'query-results' || id === 'query-execution');
  if (needsOutput.length && !request.athena?.outputLocation) {
    issues.push({ path: '/athena/outputLocation', message: `is required for ${needsOutput.join(' and ')}: the query results location to grant (s3://bucket/prefix/)` });
  }
  if (capabilities.includes('table-data') && body.dataLocation === undefined) {
    issues.push({ path: '/dataLocation', message: "is required for table-data: the tables' data location to grant (s3://bucket/prefix/)" });
  }
  if (issues.length) return { ok: false, issues };
  const { credentials: _credentials, options: _options, ...connection } = request;
  return {
    ok: true,
    input: {
      ...connection,
      externalId: externalId as string,
      ...(body.roleName === undefined ? {} : { roleName: body.roleName as string }),
      ...(body.dataLocation === undefined ? {} : { dataLocation: body.dataLocation as string }),
      ...(body.kmsKeys === undefined ? {} : { kmsKeys: body.kmsKeys as string[] }),
      ...(body.options === undefined ? {} : { options: body.options as { selfCheck?: boolean } }),
      capabilities: [...capabilities],
      required: [...(request.required ?? ['connection', 'metadata'].filter((id) => id === 'connection' || capabilities.includes(id as CapabilityId)))] as CapabilityId[],
    },
  };
}
