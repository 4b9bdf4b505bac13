// The preflight request: its schema (also the source of the HTTP route's schema and of
// openapi.yaml), the seeds' flat format, and validation into issues that name each field.
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { CAPABILITY_IDS, type CapabilityId } from '../catalogue/capabilities.js';

const REGION_PATTERN = '^(us|eu|ap|sa|ca|me|af|il|mx)(-gov)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-[1-9]$';
const ACCOUNT_PATTERN = '^[0-9]{12}$';
const ROLE_ARN_PATTERN = '^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/[\\w+=,.@/-]{1,512}$';
const S3_URI_PATTERN = '^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^\\s]*)?$';
const WORKGROUP_PATTERN = '^[a-zA-Z0-9._-]{1,128}$';
const EXTERNAL_ID_PATTERN = '^[\\w+=,.@:/-]{2,1224}$';
const SESSION_NAME_PATTERN = '^[\\w+=,.@-]{2,64}$';

const CapabilityIdSchema = Type.Unsafe<CapabilityId>(Type.Union(CAPABILITY_IDS.map((id) => Type.Literal(id)), { description: 'A capability id from the catalogue' }));

export const AccessKeyCredentialsSchema = Type.Object(
  {
    type: Type.Literal('accessKey'),
    accessKeyId: Type.String({ pattern: '^(AKIA|ASIA)[A-Z0-9]{12,124}$', description: 'AWS access key id' }),
    secretAccessKey: Type.String({ minLength: 16, maxLength: 128, writeOnly: true }),
    sessionToken: Type.Optional(Type.String({ minLength: 16, maxLength: 4096, writeOnly: true })),
  },
  { additionalProperties: false },
);

export const RoleCredentialsSchema = Type.Object(
  {
    type: Type.Literal('role'),
    roleArn: Type.String({ pattern: ROLE_ARN_PATTERN }),
    externalId: Type.Optional(Type.String({ pattern: EXTERNAL_ID_PATTERN, writeOnly: true })),
    sessionName: Type.Optional(Type.String({ pattern: SESSION_NAME_PATTERN })),
  },
  { additionalProperties: false },
);

export const AmbientCredentialsSchema = Type.Object({ type: Type.Literal('ambient') }, { additionalProperties: false });

export const PreflightRequestSchema = Type.Object(
  {
    region: Type.String({ pattern: REGION_PATTERN, description: 'AWS region of Glue and Athena, e.g. eu-west-1' }),
    accountId: Type.String({ pattern: ACCOUNT_PATTERN, description: 'The 12-digit AWS account id the connection must reach' }),
    credentials: Type.Union([AccessKeyCredentialsSchema, RoleCredentialsSchema, AmbientCredentialsSchema]),
    athena: Type.Optional(
      Type.Object(
        {
          workgroup: Type.Optional(Type.String({ pattern: WORKGROUP_PATTERN })),
          catalog: Type.Optional(Type.String({ pattern: '^[\\w@-]{1,256}$' })),
          outputLocation: Type.Optional(Type.String({ pattern: S3_URI_PATTERN })),
        },
        { additionalProperties: false },
      ),
    ),
    glue: Type.Optional(
      Type.Object(
        {
          catalogId: Type.Optional(Type.String({ pattern: ACCOUNT_PATTERN })),
          databases: Type.Optional(Type.Array(Type.String({ pattern: '^[^\\s`]{1,255}$' }), { maxItems: 50, uniqueItems: true })),
        },
        { additionalProperties: false },
      ),
    ),
    capabilities: Type.Optional(Type.Array(CapabilityIdSchema, { uniqueItems: true, minItems: 1 })),
    required: Type.Optional(Type.Array(CapabilityIdSchema, { uniqueItems: true })),
    options: Type.Optional(
      Type.Object(
        {
          runQuery: Type.Optional(Type.Boolean()),
          writeTest: Type.Optional(Type.Boolean()),
          timeoutMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 300_000 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type PreflightRequest = Static<typeof PreflightRequestSchema>;
export type CredentialsInput = PreflightRequest['credentials'];

/** The seeds' flat connection format (Coalesce, Skoot, …): accepted and turned into the canonical one. */
const FLAT_FIELDS = {
  aws_region: '/region',
  aws_account_id: '/accountId',
  access_key_id: '/credentials/accessKeyId',
  access_key_secret: '/credentials/secretAccessKey',
  secret_access_key: '/credentials/secretAccessKey',
  session_token: '/credentials/sessionToken',
  role_arn: '/credentials/roleArn',
  external_id: '/credentials/externalId',
  workgroup: '/athena/workgroup',
  catalog: '/athena/catalog',
  s3_output_location: '/athena/outputLocation',
  s3_staging_dir: '/athena/outputLocation',
} as const;

export function isFlatRequest(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && ('aws_region' in body || 'aws_account_id' in body);
}

export interface Normalised {
  request: unknown;
  /** Canonical path → the flat field it came from, so errors name what the caller sent. */
  fieldNames: Map<string, string>;
}

export function normaliseFlat(body: Record<string, unknown>): Normalised {
  const request: Record<string, any> = {};
  const fieldNames = new Map<string, string>();
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const path = FLAT_FIELDS[key as keyof typeof FLAT_FIELDS];
    if (!path) {
      // Canonical sections may sit beside flat fields (capabilities, options, glue…).
      request[key] = value;
      if (!['capabilities', 'required', 'options', 'glue', 'athena', 'credentials'].includes(key)) unknown.push(key);
      continue;
    }
    const segments = path.split('/').slice(1);
    let target = request;
    for (const segment of segments.slice(0, -1)) target = target[segment] ??= {};
    target[segments.at(-1)!] = value;
    fieldNames.set(path, key);
  }
  const credentials = request.credentials;
  if (credentials && typeof credentials === 'object' && !('type' in credentials)) {
    credentials.type = 'roleArn' in credentials ? 'role' : 'accessKey';
  }
  return { request, fieldNames };
}

export interface ValidationIssue {
  path: string;
  message: string;
}

const checker = Compile(PreflightRequestSchema);

const FIELD_HINTS: Record<string, string> = {
  '/region': 'must be an AWS region such as eu-west-1',
  '/accountId': 'must be a 12-digit AWS account id',
  '/credentials/roleArn': 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/name',
  '/credentials/accessKeyId': 'must be an AWS access key id (AKIA… or ASIA…)',
  '/credentials/secretAccessKey': 'must be a secret access key (16 to 128 characters)',
  '/credentials/externalId': 'must be 2 to 1224 characters of letters, digits and +=,.@:/-',
  '/credentials/sessionName': 'must be 2 to 64 characters of letters, digits and +=,.@_-',
  '/athena/outputLocation': 'must be an S3 URI such as s3://bucket/prefix/',
  '/athena/workgroup': 'must be an Athena workgroup name (letters, digits, ., _ and -)',
  '/glue/catalogId': 'must be a 12-digit AWS account id',
};

/** Validates a body (canonical or flat) into a canonical request, or the issues that name each field. */
export function validatePreflightRequest(body: unknown): { ok: true; request: PreflightRequest } | { ok: false; issues: ValidationIssue[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, issues: [{ path: '/', message: 'the body must be a JSON object' }] };
  }
  const { request, fieldNames } = isFlatRequest(body) ? normaliseFlat(body) : { request: body, fieldNames: new Map<string, string>() };
  if (checker.Check(request)) {
    const crossIssues = crossFieldIssues(request);
    return crossIssues.length ? { ok: false, issues: crossIssues } : { ok: true, request };
  }
  return { ok: false, issues: describeIssues(request, fieldNames) };
}

function describeIssues(request: unknown, fieldNames: Map<string, string>): ValidationIssue[] {
  const issues = new Map<string, string>();
  const credentialType = (request as { credentials?: { type?: unknown } }).credentials?.type;
  for (const error of checker.Errors(request)) {
    let path = error.instancePath || '/';
    let message: string;
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'boolean' && error.schemaPath.endsWith('/additionalProperties')) {
      message = 'is not a known field';
    } else if (error.keyword === 'additionalProperties') {
      const extra = params.additionalProperties ?? params.additionalProperty;
      const names = Array.isArray(extra) ? extra : [extra];
      path = `${path === '/' ? '' : path}/${names[0]}`;
      message = 'is not a known field';
    } else if (error.keyword === 'required') {
      const missing = params.requiredProperties ?? params.missingProperty;
      const names = Array.isArray(missing) ? missing : [missing];
      path = `${path === '/' ? '' : path}/${names[0]}`;
      message = 'is required';
    } else {
      message = FIELD_HINTS[path] ?? error.message;
    }
    // A union of credential shapes reports every branch; keep those of the type the caller chose.
    if (path.startsWith('/credentials/')) {
      if (!['accessKey', 'role', 'ambient'].includes(credentialType as string)) {
        path = '/credentials/type';
        message = 'must be one of accessKey, role, ambient';
      } else if (!credentialErrorBelongsTo(path, credentialType as string)) {
        continue;
      }
    }
    const named = fieldNames.get(path) ? `/${fieldNames.get(path)}` : path;
    if (!issues.has(named)) issues.set(named, message);
  }
  if (issues.size === 0) issues.set('/', 'the body does not match the preflight request schema');
  return [...issues].map(([path, message]) => ({ path, message })).slice(0, 20);
}

const CREDENTIAL_FIELDS: Record<string, string[]> = {
  accessKey: ['type', 'accessKeyId', 'secretAccessKey', 'sessionToken'],
  role: ['type', 'roleArn', 'externalId', 'sessionName'],
  ambient: ['type'],
};

function credentialErrorBelongsTo(path: string, type: string): boolean {
  const field = path.split('/')[2];
  if (field === undefined) return false;
  return CREDENTIAL_FIELDS[type]!.includes(field) || !Object.values(CREDENTIAL_FIELDS).flat().includes(field);
}

function crossFieldIssues(request: PreflightRequest): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const requested = new Set<CapabilityId>(request.capabilities ?? []);
  if (request.capabilities && request.required) {
    request.required.forEach((id, index) => {
      if (id !== 'connection' && !requested.has(id)) issues.push({ path: `/required/${index}`, message: `"${id}" is required but not in capabilities` });
    });
  }
  return issues;
}
