// The service's configuration: environment variables only, validated once at start into one
// typed object. Nothing else in src/ reads process.env (the edges pass it in).
import { DEFAULT_STORE_TIMEOUT_MS } from './store/types.js';

const SERVICES = ['STS', 'GLUE', 'ATHENA', 'CLOUDTRAIL', 'S3', 'KMS', 'LAKEFORMATION'] as const;

export interface Config {
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  apiKeys: string[];
  authDisabled: boolean;
  allowAmbient: boolean;
  maxRunMs: number;
  maxConcurrentRuns: number;
  maxConcurrentCalls: number;
  rateLimitPerMinute: number;
  corsOrigins: string[];
  webUi: boolean;
  shutdownGraceMs: number;
  /** The service's own principal (a role or user ARN): the one a customer's role trusts (POST /setup). */
  trustedPrincipal?: string;
  /** Report history: 'sqlite' keeps every report in a file under dataDir, 'postgres' in databaseUrl's database, 'off' keeps nothing. */
  reportStore: 'sqlite' | 'postgres' | 'off';
  dataDir: string;
  /** postgres://…: the store of several replicas (a secret: it carries the password). */
  databaseUrl?: string;
  reportRetentionDays: number;
  /** How long the report store may take to answer a statement; a write it does not answer in time is given up (the report is answered all the same). */
  reportStoreTimeoutMs: number;
  /** The watch file: connections the service checks on its own (src/watch/file.ts reads it). */
  watchFile?: string;
  /** Where the watch's notifications go: a secret (a Slack URL carries a token), never echoed. */
  watchWebhook?: string;
  /** The key of the notifications' HMAC-SHA256 signature. */
  watchWebhookSecret?: string;
  /** Tests and demos only: the watch's intervals, jitter and first-run window divided by this. */
  watchTimeScale: number;
  /** The service's address as people reach it: notifications link to stored reports there. */
  publicUrl?: string;
  aws: {
    defaultEndpoint?: string;
    endpoints: Partial<Record<Lowercase<(typeof SERVICES)[number]>, string>>;
    s3ForcePathStyle?: boolean;
    httpsProxy?: string;
    httpProxy?: string;
    noProxy?: string;
    caBundleFile?: string;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = read(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function url(env: Env, name: string): string | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  try {
    const parsed = new URL(raw);
    if (!['http:', 'https:'].includes(parsed.protocol)) throw new Error('not http(s)');
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  }
  return raw;
}

/** An IAM principal a trust policy can name: a role or user ARN, or an account root; never an STS session. */
function principal(env: Env, name: string): string | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  if (/^arn:aws[\w-]*:sts::/.test(raw)) throw new ConfigError(`${name} must be the role's IAM ARN (arn:aws:iam::<account>:role/<path/name>), not an STS session ARN: a trust policy names the role, never its session`);
  if (!/^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:(root|(role|user)\/[\w+=,.@\/-]{1,512})$/.test(raw)) {
    throw new ConfigError(`${name} must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/preflight-service, got "${raw}"`);
  }
  return raw;
}

/** The watch's variables; the webhook's URL and secret are never echoed (a Slack URL carries a token). */
function watchSettings(env: Env): Pick<Config, 'watchFile' | 'watchWebhook' | 'watchWebhookSecret' | 'watchTimeScale'> {
  const watchFile = read(env, 'PREFLIGHT_WATCH_FILE');
  const watchWebhook = read(env, 'PREFLIGHT_WATCH_WEBHOOK');
  const watchWebhookSecret = read(env, 'PREFLIGHT_WATCH_WEBHOOK_SECRET');
  if (watchWebhook !== undefined) {
    let protocol: string | undefined;
    try {
      protocol = new URL(watchWebhook).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== 'https:' && protocol !== 'http:') throw new ConfigError('PREFLIGHT_WATCH_WEBHOOK must be an http(s) URL (its value is not shown: it may carry a token)');
    if (!watchFile) throw new ConfigError('PREFLIGHT_WATCH_WEBHOOK is set but PREFLIGHT_WATCH_FILE is not: there is nothing watched to notify about');
    if (watchWebhookSecret === undefined) throw new ConfigError('PREFLIGHT_WATCH_WEBHOOK needs PREFLIGHT_WATCH_WEBHOOK_SECRET (16 or more characters): every notification is signed with it, so that the receiver can verify it');
  }
  if (watchWebhookSecret !== undefined && watchWebhookSecret.length < 16) throw new ConfigError('PREFLIGHT_WATCH_WEBHOOK_SECRET must be at least 16 characters');
  return { watchFile, watchWebhook, watchWebhookSecret, watchTimeScale: integer(env, 'PREFLIGHT_WATCH_TIME_SCALE', 1, 1, 3600) };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * `listening: false` for the commands that serve nothing (the CLI's `check` and `setup`): the rule
 * that a service beyond loopback needs API keys is the service's, and the image sets HOST=0.0.0.0
 * for the service that `docker run IMAGE check conn.json` does not start.
 */
export function loadConfig(env: Env, { listening = true }: { listening?: boolean } = {}): Config {
  const logLevel = (read(env, 'LOG_LEVEL') ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const apiKeys = (read(env, 'PREFLIGHT_API_KEYS') ?? '').split(',').map((key) => key.trim()).filter(Boolean);
  const shortKey = apiKeys.find((key) => key.length < 16);
  if (shortKey !== undefined) throw new ConfigError('PREFLIGHT_API_KEYS: every key must be at least 16 characters');
  // A key no client can send (a space inside it, a character an HTTP header cannot carry) would
  // be accepted here and then never match: every request would be refused with no hint why.
  if (apiKeys.some((key) => !/^[\x21-\x7e]+$/.test(key))) {
    throw new ConfigError('PREFLIGHT_API_KEYS: keys may contain only visible ASCII characters (no spaces), as an Authorization header carries them');
  }
  const endpoints: Config['aws']['endpoints'] = {};
  for (const service of SERVICES) {
    const endpoint = url(env, `AWS_ENDPOINT_URL_${service}`);
    if (endpoint) endpoints[service.toLowerCase() as Lowercase<typeof service>] = endpoint;
  }
  const pathStyle = read(env, 'PREFLIGHT_S3_FORCE_PATH_STYLE');
  const databaseUrl = read(env, 'PREFLIGHT_DATABASE_URL');
  // Never echoed: the URL carries the database's password.
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/./.test(databaseUrl)) throw new ConfigError('PREFLIGHT_DATABASE_URL must be a postgres:// URL (postgres://user:password@host:5432/database)');
  const reportStore = (read(env, 'PREFLIGHT_REPORT_STORE') ?? (databaseUrl ? 'postgres' : 'sqlite')).toLowerCase();
  if (reportStore !== 'sqlite' && reportStore !== 'postgres' && reportStore !== 'off') throw new ConfigError(`PREFLIGHT_REPORT_STORE must be sqlite, postgres or off, got "${reportStore}"`);
  if (reportStore === 'sqlite' && databaseUrl) throw new ConfigError('PREFLIGHT_DATABASE_URL is set but PREFLIGHT_REPORT_STORE=sqlite: the reports would not go to that database; leave PREFLIGHT_REPORT_STORE empty (or postgres)');
  if (reportStore === 'postgres' && !databaseUrl) throw new ConfigError('PREFLIGHT_REPORT_STORE=postgres needs PREFLIGHT_DATABASE_URL (postgres://user:password@host:5432/database)');
  const watch = watchSettings(env);
  const config: Config = {
    host: read(env, 'HOST') ?? '127.0.0.1',
    port: integer(env, 'PORT', 8080, 0, 65535),
    logLevel,
    apiKeys,
    authDisabled: boolean(env, 'PREFLIGHT_AUTH_DISABLED', false),
    allowAmbient: boolean(env, 'PREFLIGHT_ALLOW_AMBIENT', false),
    maxRunMs: integer(env, 'PREFLIGHT_MAX_RUN_MS', 25_000, 1000, 300_000),
    maxConcurrentRuns: integer(env, 'PREFLIGHT_MAX_CONCURRENT_RUNS', 64, 1, 10_000),
    maxConcurrentCalls: integer(env, 'PREFLIGHT_MAX_CONCURRENT_CALLS', 256, 1, 10_000),
    rateLimitPerMinute: integer(env, 'PREFLIGHT_RATE_LIMIT_PER_MINUTE', 60, 1, 1_000_000),
    corsOrigins: (read(env, 'PREFLIGHT_CORS_ORIGINS') ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    webUi: boolean(env, 'PREFLIGHT_WEB_UI', true),
    shutdownGraceMs: integer(env, 'PREFLIGHT_SHUTDOWN_GRACE_MS', 30_000, 0, 600_000),
    trustedPrincipal: principal(env, 'PREFLIGHT_TRUSTED_PRINCIPAL'),
    reportStore,
    dataDir: read(env, 'PREFLIGHT_DATA_DIR') ?? './data',
    databaseUrl,
    reportRetentionDays: integer(env, 'PREFLIGHT_REPORT_RETENTION_DAYS', 30, 1, 3650),
    reportStoreTimeoutMs: integer(env, 'PREFLIGHT_REPORT_STORE_TIMEOUT_MS', DEFAULT_STORE_TIMEOUT_MS, 10, 60_000),
    ...watch,
    publicUrl: url(env, 'PREFLIGHT_PUBLIC_URL'),
    aws: {
      defaultEndpoint: url(env, 'AWS_ENDPOINT_URL'),
      endpoints,
      s3ForcePathStyle: pathStyle === undefined ? undefined : boolean(env, 'PREFLIGHT_S3_FORCE_PATH_STYLE', false),
      httpsProxy: url(env, 'HTTPS_PROXY') ?? url(env, 'https_proxy'),
      httpProxy: url(env, 'HTTP_PROXY') ?? url(env, 'http_proxy'),
      noProxy: read(env, 'NO_PROXY') ?? read(env, 'no_proxy'),
      caBundleFile: read(env, 'AWS_CA_BUNDLE'),
    },
  };
  if (config.watchFile && config.reportStore === 'off') {
    throw new ConfigError('PREFLIGHT_WATCH_FILE needs the report store (each watched run is kept and compared with the previous one): leave PREFLIGHT_REPORT_STORE unset, or sqlite or postgres');
  }
  if (config.watchFile && config.maxConcurrentRuns < 2) {
    throw new ConfigError('PREFLIGHT_WATCH_FILE needs PREFLIGHT_MAX_CONCURRENT_RUNS of 2 or more: a watched run never takes the last run slot from an API caller');
  }
  const loopback = ['127.0.0.1', '::1', 'localhost'].includes(config.host);
  if (listening && config.apiKeys.length === 0 && !config.authDisabled && !loopback) {
    throw new ConfigError(
      `HOST is ${config.host} but PREFLIGHT_API_KEYS is empty: set API keys, or PREFLIGHT_AUTH_DISABLED=true to run without authentication on purpose`,
    );
  }
  return config;
}

/**
 * Heap the concurrency limits need, of V8's limit (old and young space together). A call in flight
 * holds its SDK request, some 25 KB. A run holds its probes' state and its calls waiting for a
 * slot, most of all when AWS hangs and it waits for its deadline, where they all build their
 * reports at once; and V8 needs room beyond what is live, or it spends its time collecting and
 * finally gives up. Measured with runs waiting on a hanging Athena (docs/benchmark.md, Memory admission).
 */
const HEAP_BASE_MB = 31;
const HEAP_PER_RUN_MB = 0.4;
const HEAP_PER_CALL_MB = 0.025;

export interface HeapAdmission {
  /** Runs admitted at once: PREFLIGHT_MAX_CONCURRENT_RUNS, or fewer when V8's heap holds fewer; the rest answer 503 busy. */
  maxConcurrentRuns: number;
  /** Why fewer runs are admitted than configured, for the log at start; undefined when the heap holds them all. */
  warning?: string;
}

/**
 * Runs admitted by the heap they need: a service whose heap cannot hold every run it lets in
 * crashes with all of them (V8's out-of-memory error is fatal), so those beyond what the heap
 * holds are refused like any beyond the concurrency limit. When the heap cannot hold even one run
 * besides the AWS calls, the limits contradict each other: a ConfigError, and no start.
 */
export function admitByHeap(config: Pick<Config, 'maxConcurrentRuns' | 'maxConcurrentCalls'>, heapLimitBytes: number): HeapAdmission {
  const limitMb = Math.floor(heapLimitBytes / 2 ** 20);
  const heldRuns = Math.floor((limitMb - HEAP_BASE_MB - config.maxConcurrentCalls * HEAP_PER_CALL_MB) / HEAP_PER_RUN_MB);
  if (heldRuns >= config.maxConcurrentRuns) return { maxConcurrentRuns: config.maxConcurrentRuns };
  const neededMb = Math.ceil(HEAP_BASE_MB + config.maxConcurrentRuns * HEAP_PER_RUN_MB + config.maxConcurrentCalls * HEAP_PER_CALL_MB);
  const limits = `PREFLIGHT_MAX_CONCURRENT_RUNS=${config.maxConcurrentRuns} and PREFLIGHT_MAX_CONCURRENT_CALLS=${config.maxConcurrentCalls} need about ${neededMb} MB of heap but V8's limit is ${limitMb} MB`;
  if (heldRuns < 1) {
    throw new ConfigError(`${limits}, not enough for a single run besides the AWS calls in flight: raise --max-old-space-size in NODE_OPTIONS, or lower PREFLIGHT_MAX_CONCURRENT_CALLS`);
  }
  return {
    maxConcurrentRuns: heldRuns,
    warning: `${limits}: at most ${heldRuns} runs at once, the others answer 503 busy; raise --max-old-space-size in NODE_OPTIONS by ${neededMb - limitMb} MB, or lower the limits`,
  };
}
