// Validation of the preflight request (its schema is src/schemas/request.ts): the seeds' flat
// format normalised to the canonical one, and every issue named by its field.
import { Compile } from 'typebox/compile';
import { CAPABILITY_IDS, type CapabilityId } from '../catalogue/capabilities.js';
import { hasUnprintable } from '../catalogue/quote.js';
import { FLAT_FIELDS, type PreflightRequest, PreflightRequestSchema } from '../schemas/request.js';

export type { CredentialsInput, PreflightRequest } from '../schemas/request.js';

const FLAT_PATHS = new Map(FLAT_FIELDS.map(({ name, path }) => [name, path]));
/** A flat body is told by the fields of the canonical request's required top-level fields (aws_region, aws_account_id). */
const FLAT_MARKERS = FLAT_FIELDS.filter(({ path }) => (PreflightRequestSchema.required as readonly string[]).includes(path.slice(1))).map(({ name }) => name);

export function isFlatRequest(body: unknown): body is Record<string, unknown> {
  return isPlainObject(body) && FLAT_MARKERS.some((name) => Object.hasOwn(body, name));
}

export interface Normalised {
  request: unknown;
  /** Canonical path → the flat field it came from, so errors name what the caller sent. */
  fieldNames: Map<string, string>;
}

export function normaliseFlat(body: Record<string, unknown>): Normalised {
  const request: Record<string, unknown> = {};
  const fieldNames = new Map<string, string>();
  // Canonical sections may sit beside flat fields (capabilities, options, glue…): they go first,
  // so that the flat fields land in them whatever the order of the body.
  for (const [key, value] of Object.entries(body)) if (!FLAT_PATHS.has(key)) setOwn(request, key, value);
  for (const [key, value] of Object.entries(body)) {
    const path = FLAT_PATHS.get(key);
    if (!path) continue;
    const [section, field] = path.slice(1).split('/') as [string, string | undefined];
    fieldNames.set(path, key);
    if (field === undefined) {
      setOwn(request, section, value);
      continue;
    }
    if (!Object.hasOwn(request, section)) setOwn(request, section, {});
    const target = request[section];
    // A section that is not an object (credentials: "x") is the issue, named as such; its flat fields wait.
    if (isPlainObject(target)) setOwn(target, field, value);
  }
  const credentials = request.credentials;
  const flatCredentials = [...fieldNames.keys()].some((path) => path.startsWith('/credentials/'));
  if (flatCredentials && isPlainObject(credentials) && !Object.hasOwn(credentials, 'type')) {
    credentials.type = Object.hasOwn(credentials, 'roleArn') ? 'role' : 'accessKey';
  }
  return { request, fieldNames };
}

export interface ValidationIssue {
  path: string;
  message: string;
}

const checker = Compile(PreflightRequestSchema);

/** Hints by path, an array's items as `*`: what a field must be, never what it was. */
const FIELD_HINTS: Record<string, string> = {
  '/region': 'must be an AWS region such as eu-west-1',
  '/accountId': 'must be a 12-digit AWS account id',
  '/credentials/roleArn': 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/name',
  '/credentials/accessKeyId': 'must be an AWS access key id (AKIA… or ASIA…)',
  '/credentials/secretAccessKey': 'must be a secret access key (16 to 128 characters)',
  '/credentials/sessionToken': 'must be a session token (16 to 4096 characters)',
  '/credentials/externalId': 'must be 2 to 1224 characters of letters, digits and +=,.@:/-',
  '/credentials/sessionName': 'must be 2 to 64 characters of letters, digits and +=,.@_-',
  '/athena/outputLocation': 'must be an S3 URI such as s3://bucket/prefix/ (no spaces, no empty segment //)',
  '/athena/workgroup': 'must be an Athena workgroup name (letters, digits, ., _ and -)',
  '/athena/catalog': 'must be a data catalog name (letters, digits, _, @ and -; a Glue catalog path such as s3tablescatalog/bucket)',
  '/glue/catalogId': "must be a Glue catalog: a 12-digit account id, '<account>:<catalog path>', a catalog path such as s3tablescatalog/bucket, or a Glue catalog ARN",
  '/glue/databases/*': 'must be a database name (1 to 255 characters, no spaces or backticks)',
  '/capabilities/*': `must be one of ${CAPABILITY_IDS.join(', ')}`,
  '/required/*': `must be one of ${CAPABILITY_IDS.join(', ')}`,
  '/options/timeoutMs': 'must be an integer from 1000 to 300000',
};

/**
 * No valid request nests deeper than 3 (body, glue, databases, a name). Deeper containers are cut
 * to empty ones before validation, which recurses through values (uniqueItems hashes them): they
 * sit inside a value that is wrong whatever they hold, and that value is the one named.
 */
const MAX_DEPTH = 8;

/** Validates a body (canonical or flat) into a canonical request, or the issues that name each field. */
export function validatePreflightRequest(body: unknown): { ok: true; request: PreflightRequest } | { ok: false; issues: ValidationIssue[] } {
  if (!isPlainObject(body)) {
    return { ok: false, issues: [{ path: '/', message: 'the body must be a JSON object' }] };
  }
  const copy = boundedCopy(body, 0) as Record<string, unknown>;
  const { request, fieldNames } = isFlatRequest(copy) ? normaliseFlat(copy) : { request: copy, fieldNames: new Map<string, string>() };
  const issues = new Map<string, string>();
  const report: Report = (path, message) => {
    const named = fieldNames.has(path) ? `/${fieldNames.get(path)}` : path || '/';
    if (!issues.has(named)) issues.set(named, message);
  };
  unprintableIssues(request, '', report);
  if (issues.size === 0 && checker.Check(request)) {
    const crossIssues = crossFieldIssues(request);
    return crossIssues.length ? { ok: false, issues: crossIssues } : { ok: true, request };
  }
  collectIssues(PreflightRequestSchema, request, '', report);
  if (issues.size === 0) issues.set('/', 'the body does not match the preflight request schema');
  return { ok: false, issues: [...issues].map(([path, message]) => ({ path, message })).slice(0, 20) };
}

type Schema = Record<string, any>;
export type Report = (path: string, message: string) => void;

/**
 * Every missing, unknown or wrong field of `value`, walking objects and arrays field by field (the
 * compiled checker stops at a few errors and reports every branch of a union). The credentials
 * are judged by the branch their `type` chooses.
 */
function collectIssues(schema: Schema, value: unknown, path: string, report: Report): void {
  if (schema.type === 'object' && schema.properties) {
    if (!isPlainObject(value)) return report(path, 'must be an object');
    for (const [key, property] of Object.entries(schema.properties as Record<string, Schema>)) {
      if (Object.hasOwn(value, key)) collectIssues(property, value[key], `${path}/${key}`, report);
      else if ((schema.required as string[] | undefined)?.includes(key)) report(`${path}/${key}`, 'is required');
    }
    for (const key of Object.keys(value)) if (!Object.hasOwn(schema.properties, key)) reportUnknownField(path, key, report);
    return;
  }
  const branches = discriminatedBranches(schema);
  if (branches) {
    if (!isPlainObject(value)) return report(path, 'must be an object');
    const branch = branches.get(value.type as string);
    if (typeof value.type !== 'string' || !branch) return report(`${path}/type`, `must be one of ${[...branches.keys()].join(', ')}`);
    return collectIssues(branch, value, path, report);
  }
  if (schema.type === 'array' && schema.items) {
    if (!Array.isArray(value)) return report(path, 'must be an array');
    let wrongItems = false;
    value.forEach((item, index) => collectIssues(schema.items, item, `${path}/${index}`, (itemPath, message) => ((wrongItems = true), report(itemPath, message))));
    if (wrongItems) return;
  }
  const validator = compiled(schema);
  if (validator.Check(value)) return;
  const errors = [...validator.Errors(value)];
  const error = errors.find((e) => e.instancePath === '') ?? errors[0];
  if (error?.keyword === 'type') return report(path, `must be ${TYPE_NAMES[error.params.type as string] ?? `of type ${error.params.type}`}`);
  report(path, FIELD_HINTS[path.replace(/\/\d+(?=\/|$)/g, '/*')] ?? error?.message ?? 'is not valid');
}

/**
 * A field the request does not have. Its name is repeated only when it is a field name the
 * product knows (in another place, or misplaced): a key the product has never heard of may be a
 * secret pasted in the wrong place, and an error is no place to send it back.
 */
export function reportUnknownField(path: string, key: string, report: Report): void {
  if (KNOWN_FIELD_NAMES.has(key)) report(`${path}/${pointerSegment(key)}`, 'is not a known field');
  else report(path || '/', 'has a field that is not part of the request (its name is not repeated: it could be a secret)');
}

/** Every field name of the request schemas, and the flat format's. */
const KNOWN_FIELD_NAMES = new Set<string>([...FLAT_FIELDS.map(({ name }) => name)]);
export function addKnownFieldNames(schema: Schema): void {
  if (schema.properties) for (const [key, property] of Object.entries(schema.properties as Record<string, Schema>)) (KNOWN_FIELD_NAMES.add(key), addKnownFieldNames(property));
  for (const branch of (schema.anyOf as Schema[] | undefined) ?? []) addKnownFieldNames(branch);
  if (schema.items) addKnownFieldNames(schema.items);
}
addKnownFieldNames(PreflightRequestSchema);

/**
 * Strings holding a control character (ESC, BEL, a C1 control such as U+0085) or a bidirectional
 * override: no name, id or location needs one, and each would reach a terminal, a Markdown ticket
 * or a YAML template. Refused wherever they are, before any other check.
 */
export function unprintableIssues(value: unknown, path: string, report: Report): void {
  if (typeof value === 'string') {
    if (hasUnprintable(value)) report(path || '/', 'must not contain control characters (such as ESC, BEL or U+0085) or bidirectional overrides');
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => unprintableIssues(item, `${path}/${index}`, report));
  } else if (isPlainObject(value)) {
    // An unknown key is reported as such, without its name; its value is not looked at.
    for (const [key, item] of Object.entries(value)) if (KNOWN_FIELD_NAMES.has(key)) unprintableIssues(item, `${path}/${pointerSegment(key)}`, report);
  }
}

const TYPE_NAMES: Record<string, string> = { string: 'a string', integer: 'an integer', number: 'a number', boolean: 'a boolean', array: 'an array', object: 'an object' };

const validators = new WeakMap<Schema, ReturnType<typeof Compile>>();
function compiled(schema: Schema) {
  let validator = validators.get(schema);
  if (!validator) validators.set(schema, (validator = Compile(schema as typeof PreflightRequestSchema)));
  return validator;
}

/** A union of objects told apart by a constant `type` (the credentials): type → its schema. */
function discriminatedBranches(schema: Schema): Map<string, Schema> | undefined {
  const anyOf = schema.anyOf as Schema[] | undefined;
  if (!anyOf?.every((branch) => branch.type === 'object' && typeof branch.properties?.type?.const === 'string')) return undefined;
  return new Map(anyOf.map((branch) => [branch.properties.type.const as string, branch]));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets an own property, also one named __proto__ (JSON.parse makes it an own key; assignment would set the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A copy of JSON-like data, made of plain objects and arrays, containers deeper than MAX_DEPTH emptied. */
function boundedCopy(value: unknown, depth: number): unknown {
  if (Array.isArray(value)) return depth >= MAX_DEPTH ? [] : value.map((item) => boundedCopy(item, depth + 1));
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  if (depth < MAX_DEPTH) for (const key of Object.keys(value)) setOwn(copy, key, boundedCopy(value[key], depth + 1));
  return copy;
}

/** A key as a JSON Pointer segment (RFC 6901). */
function pointerSegment(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function crossFieldIssues(request: PreflightRequest): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const requested = new Set<CapabilityId>(request.capabilities ?? []);
  if (request.capabilities && request.required) {
    request.required.forEach((id, index) => {
      if (id !== 'connection' && !requested.has(id)) issues.push({ path: `/required/${index}`, message: `"${id}" is required but not in capabilities` });
    });
  }
  // Glue catalogs are regional: a catalog ARN of another region is not one this connection reaches.
  const arnRegion = /^arn:[\w-]+:glue:([\w-]+):/.exec(request.glue?.catalogId ?? '')?.[1];
  if (arnRegion && arnRegion !== request.region) issues.push({ path: '/glue/catalogId', message: `is a catalog in ${arnRegion}, not in the connection's region ${request.region}` });
  return issues;
}
