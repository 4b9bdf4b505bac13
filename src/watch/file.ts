// The watch file (PREFLIGHT_WATCH_FILE): the connections the service checks on its own, written by
// the operator, never sent through the API. JSON or YAML:
//
//   connections:
//     - label: acme-prod
//       region: eu-west-1
//       accountId: '123456789012'
//       roleArn: arn:aws:iam::123456789012:role/PreflightAccess
//       externalIdEnv: ACME_EXTERNAL_ID        # or externalIdFile: /run/secrets/acme-external-id
//       capabilities: [metadata, query-history]
//       required: [connection, metadata]       # optional
//       interval: 6h                           # optional: 5m to 7d, default 6h
//
// Role mode only: a watch holds no long-lived secret, so access keys are refused, and so is an
// external ID written in the file: it is read from the environment or from a file (a mounted
// secret, read again at each run, so that a rotated one is picked up), and never stored.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { type PreflightRequest, validatePreflightRequest } from '../preflight/request.js';

export const DEFAULT_INTERVAL_MS = 6 * 60 * 60 * 1000;
export const MIN_INTERVAL_MS = 5 * 60 * 1000;
/** A week: beyond it a timer would outlast what Node's setTimeout holds (24.8 days) long before retention ends. */
export const MAX_INTERVAL_MS = 7 * 24 * 60 * 60 * 1000;

/** The request of a watched run without its external ID, which is read at each run. */
export type WatchedRequest = Omit<PreflightRequest, 'credentials'> & { credentials: { type: 'role'; roleArn: string; sessionName?: string } };

export interface WatchedConnection {
  label: string;
  intervalMs: number;
  request: WatchedRequest;
  /** Where the external ID is read from, for messages: the variable's or the file's name, never the ID. */
  externalIdSource: string;
  /** The external ID: the environment's (as the service started with it), or the file's as it is now. */
  externalId(): Promise<string>;
}

export interface WatchIssue {
  path: string;
  message: string;
}

/** Why the watch file cannot be used: it stops the start (exit 3). Its issues name fields, never quote values. */
export class WatchFileError extends Error {
  override name = 'WatchFileError';
  constructor(
    message: string,
    readonly issues: readonly WatchIssue[] = [],
  ) {
    super(issues.length ? `${message}:\n${issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}` : message);
  }
}

const LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Fields of a watched connection that go into its preflight request as they are. */
const REQUEST_FIELDS = ['region', 'accountId', 'capabilities', 'required', 'athena', 'glue', 'options'] as const;
const OWN_FIELDS = ['label', 'roleArn', 'externalIdEnv', 'externalIdFile', 'sessionName', 'interval'] as const;
const FIELDS = new Set<string>([...REQUEST_FIELDS, ...OWN_FIELDS]);

/** Access keys, in every spelling a connection uses (canonical, flat, the AWS CLI's). */
const ACCESS_KEY_FIELDS = new Set(['accessKeyId', 'secretAccessKey', 'sessionToken', 'access_key_id', 'access_key_secret', 'secret_access_key', 'session_token', 'aws_access_key_id', 'aws_secret_access_key', 'aws_session_token']);
const INLINE_EXTERNAL_ID_FIELDS = new Set(['externalId', 'external_id']);

const ACCESS_KEYS_REFUSED = 'access keys are refused: a watch holds no long-lived secret; give the role (roleArn) and where its external ID is (externalIdEnv or externalIdFile)';
const INLINE_EXTERNAL_ID_REFUSED = 'an external ID is never written in the watch file: name the environment variable (externalIdEnv) or the file (externalIdFile) that holds it';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A duration such as 6h, 30m, 1h30m or 1d (or a number of seconds): milliseconds, or undefined when it is none. */
export function parseInterval(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value * 1000 : undefined;
  if (typeof value !== 'string' || value === '') return undefined;
  const match = DURATION.exec(value);
  if (!match) return undefined;
  const [days = 0, hours = 0, minutes = 0, seconds = 0] = match.slice(1).map((part) => Number(part ?? 0));
  return (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
}

/** Where in a connection its keys name access keys or an inline external ID, at any depth. */
function secretFields(value: unknown, path: string, found: WatchIssue[]): void {
  if (Array.isArray(value)) value.forEach((item, index) => secretFields(item, `${path}/${index}`, found));
  if (!isObject(value)) return;
  for (const [key, item] of Object.entries(value)) {
    if (ACCESS_KEY_FIELDS.has(key)) found.push({ path: `${path}/${key}`, message: ACCESS_KEYS_REFUSED });
    else if (INLINE_EXTERNAL_ID_FIELDS.has(key)) found.push({ path: `${path}/${key}`, message: INLINE_EXTERNAL_ID_REFUSED });
    else if (key === 'credentials') found.push({ path: `${path}/credentials`, message: isObject(item) && item.type === 'accessKey' ? ACCESS_KEYS_REFUSED : 'not in a watch file: give roleArn, and externalIdEnv or externalIdFile' });
    else secretFields(item, `${path}/${key}`, found);
  }
}

/** The issues of the request fields, named as the file names them. */
function requestIssues(issues: readonly WatchIssue[], at: string, externalIdField: string): WatchIssue[] {
  return issues.map(({ path, message }) => {
    if (path === '/credentials/externalId') return { path: `${at}/${externalIdField}`, message: `the external ID it holds ${message}` };
    if (path.startsWith('/credentials/')) return { path: `${at}/${path.slice('/credentials/'.length)}`, message };
    return { path: path === '/' ? at : `${at}${path}`, message };
  });
}

/**
 * The watch file's connections, each checked as its preflight request will be (the same validation
 * as POST /preflight's), its external ID read once now: a variable that is unset or a file that
 * cannot be read stops the start, not the first run hours later. `env` is the environment the
 * service was started with (only the edges read process.env).
 */
export async function loadWatchFile(path: string, env: Record<string, string | undefined>): Promise<WatchedConnection[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new WatchFileError(`cannot read the watch file ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  let data: unknown;
  try {
    // YAML 1.2 reads JSON as it is. Duplicate keys are refused, aliases bounded.
    data = parseYaml(text);
  } catch (error) {
    // Not the parser's message: it quotes the line, which may hold a secret.
    const position = (error as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
    throw new WatchFileError(`the watch file ${path} is not valid JSON or YAML${position ? `: line ${position.line}, column ${position.col}` : ''}`);
  }
  const connections = await parseWatchFile(data, { env, baseDir: dirname(resolve(path)) });
  return connections;
}

/** The connections of a parsed watch file; WatchFileError with every issue found. */
export async function parseWatchFile(data: unknown, { env, baseDir }: { env: Record<string, string | undefined>; baseDir: string }): Promise<WatchedConnection[]> {
  const issues: WatchIssue[] = [];
  if (!isObject(data)) throw new WatchFileError('the watch file is not valid', [{ path: '/', message: 'must be an object with a list of connections: { "connections": [ … ] }' }]);
  for (const key of Object.keys(data)) if (key !== 'connections') issues.push({ path: '/', message: 'has a field besides connections (its name is not repeated: it could be a secret)' });
  const list = data.connections;
  if (!Array.isArray(list) || list.length === 0) {
    issues.push({ path: '/connections', message: 'must be a list of at least one connection' });
    throw new WatchFileError('the watch file is not valid', issues);
  }
  const labels = new Set<string>();
  const connections: WatchedConnection[] = [];
  for (const [index, entry] of list.entries()) {
    const at = `/connections/${index}`;
    if (!isObject(entry)) {
      issues.push({ path: at, message: 'must be an object' });
      continue;
    }
    const secrets: WatchIssue[] = [];
    secretFields(entry, at, secrets);
    if (secrets.length) {
      issues.push(...secrets);
      continue;
    }
    const own: WatchIssue[] = [];
    for (const key of Object.keys(entry)) if (!FIELDS.has(key)) own.push({ path: at, message: 'has a field that is not part of a watched connection (its name is not repeated: it could be a secret)' });
    const { label, roleArn, externalIdEnv, externalIdFile, sessionName, interval } = entry;
    if (typeof label !== 'string' || !LABEL.test(label)) own.push({ path: `${at}/label`, message: 'must be 1 to 64 letters, digits, ., _ and - (it names the connection in metrics, webhooks and GET /watch)' });
    else if (labels.has(label)) own.push({ path: `${at}/label`, message: 'is the label of an earlier connection: labels are unique' });
    else labels.add(label);
    if (typeof entry.accountId === 'number') own.push({ path: `${at}/accountId`, message: "must be a string: quote it ('123456789012'); as a number it loses leading zeros" });
    if (entry.capabilities === undefined) own.push({ path: `${at}/capabilities`, message: 'is required: the capabilities to watch' });
    const intervalMs = interval === undefined ? DEFAULT_INTERVAL_MS : parseInterval(interval);
    if (intervalMs === undefined || intervalMs < MIN_INTERVAL_MS || intervalMs > MAX_INTERVAL_MS) own.push({ path: `${at}/interval`, message: 'must be a duration from 5m to 7d, such as 6h, 30m or 1h30m' });
    const sources = [externalIdEnv, externalIdFile].filter((source) => source !== undefined);
    let externalId: (() => Promise<string>) | undefined;
    let externalIdSource = '';
    let externalIdField = 'externalIdEnv';
    if (sources.length !== 1) {
      own.push({ path: at, message: 'needs where its external ID is: externalIdEnv (an environment variable) or externalIdFile (a file), one of them' });
    } else if (externalIdEnv !== undefined) {
      if (typeof externalIdEnv !== 'string' || !ENV_NAME.test(externalIdEnv)) own.push({ path: `${at}/externalIdEnv`, message: 'must be the name of an environment variable (letters, digits and _)' });
      else if (!env[externalIdEnv]?.trim()) own.push({ path: `${at}/externalIdEnv`, message: `names the environment variable ${externalIdEnv}, which is not set` });
      else {
        const value = env[externalIdEnv]!.trim();
        externalId = async () => value;
        externalIdSource = `environment variable ${externalIdEnv}`;
      }
    } else {
      externalIdField = 'externalIdFile';
      if (typeof externalIdFile !== 'string' || externalIdFile === '') own.push({ path: `${at}/externalIdFile`, message: 'must be the path of a file holding the external ID' });
      else {
        const file = resolve(baseDir, externalIdFile);
        externalId = () => readExternalIdFile(file);
        externalIdSource = `file ${file}`;
      }
    }
    let value: string | undefined;
    if (externalId) {
      try {
        value = await externalId();
      } catch (error) {
        own.push({ path: `${at}/${externalIdField}`, message: (error as Error).message });
      }
    }
    // The preflight request as it will be made, checked as POST /preflight checks it.
    const fields = Object.fromEntries(REQUEST_FIELDS.filter((key) => entry[key] !== undefined).map((key) => [key, entry[key]]));
    const credentials = { type: 'role', roleArn, ...(value === undefined ? {} : { externalId: value }), ...(sessionName === undefined ? {} : { sessionName }) };
    const validation = validatePreflightRequest({ ...fields, credentials });
    const fromRequest = validation.ok ? [] : requestIssues(validation.issues, at, externalIdField).filter((issue) => !own.some((o) => o.path === issue.path));
    if (own.length || fromRequest.length) {
      issues.push(...own, ...fromRequest);
      continue;
    }
    const { credentials: checked, ...request } = validation.ok ? validation.request : ({} as PreflightRequest);
    if (checked.type !== 'role') throw new Error('a watched connection is in role mode');
    connections.push({
      label: label as string,
      intervalMs: intervalMs!,
      request: { ...request, credentials: { type: 'role', roleArn: checked.roleArn, ...(checked.sessionName ? { sessionName: checked.sessionName } : {}) } },
      externalIdSource,
      externalId: externalId!,
    });
  }
  if (issues.length) throw new WatchFileError('the watch file is not valid', issues);
  return connections;
}

async function readExternalIdFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the external ID's file ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  const value = text.trim();
  if (!value) throw new Error(`the external ID's file ${file} is empty`);
  return value;
}

/** The preflight request of a watched run, with the external ID read for it. */
export function watchedRequest(connection: WatchedConnection, externalId: string): PreflightRequest {
  return { ...connection.request, credentials: { ...connection.request.credentials, externalId } };
}
