// Process edge: environment → config → buildApp → listen; SIGTERM closes with grace.
import { createServer } from 'node:net';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import pino from 'pino';
import { REDACTED_PATHS, buildApp } from './app.js';
import { createCallSlots } from './preflight/call-slots.js';
import { CLEANUP_GRACE_MS } from './preflight/engine.js';
import { PROBES } from './probes/registry.js';
import { createClientFactory, networkSettings } from './aws/clients.js';
import { ConfigError, admitByHeap, loadConfig } from './config.js';
import { displayUrl, openPostgresStore } from './store/postgres.js';
import { openSqliteStore } from './store/sqlite.js';
import { type ReportStore, StoreError } from './store/types.js';
import { type WatchedConnection, WatchFileError, loadWatchFile } from './watch/file.js';

const PRELOAD_DELAY_MS = 100;
/** Time, within the shutdown grace, for a stopped run's report to be built and sent. */
const SHUTDOWN_MARGIN_MS = 1000;

async function main(): Promise<void> {
  let config;
  let heap;
  try {
    config = loadConfig(process.env);
    // The image limits V8's heap (NODE_OPTIONS): runs beyond what it holds are refused, not crashed.
    heap = admitByHeap(config, getHeapStatistics().heap_size_limit);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`preflight: configuration error: ${error.message}\n`);
      process.exitCode = 3;
      return;
    }
    throw error;
  }
  // The watch file, read before anything is opened: a file that names access keys or an inline
  // external ID, or an external ID that cannot be read, stops the start.
  let watched: WatchedConnection[] | undefined;
  if (config.watchFile) {
    try {
      watched = await loadWatchFile(config.watchFile, process.env);
      if (heap.maxConcurrentRuns < 2) throw new ConfigError(`V8's heap holds one run at once, and a watched run never takes the last run slot from an API caller: raise --max-old-space-size in NODE_OPTIONS`);
    } catch (error) {
      if (!(error instanceof WatchFileError) && !(error instanceof ConfigError)) throw error;
      process.stderr.write(`preflight: configuration error: PREFLIGHT_WATCH_FILE: ${error.message}\n`);
      process.exitCode = 3;
      return;
    }
  }
  // JSON logs; pretty only for a person at a terminal (and only where pino-pretty is installed).
  const pretty = process.stdout.isTTY && (await import('pino-pretty').then(() => true, () => false));
  const logger = pino({
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty' } } : {}),
  });
  if (heap.warning) logger.warn(heap.warning);
  if (config.watchTimeScale !== 1) logger.warn(`PREFLIGHT_WATCH_TIME_SCALE=${config.watchTimeScale}: the watch's intervals are ${config.watchTimeScale} times shorter than its file says (for tests and demos only)`);
  // What a caller must send, said once at start (the number of keys, never a key): a 401 otherwise has no hint.
  if (config.authDisabled) logger.warn('PREFLIGHT_AUTH_DISABLED=true: every caller can run preflights and read metrics without an API key');
  else if (config.apiKeys.length === 0) logger.warn('PREFLIGHT_API_KEYS is empty: every POST /preflight and GET /metrics answers 401; set a key (16+ characters), or PREFLIGHT_AUTH_DISABLED=true on purpose');
  else logger.info({ apiKeys: config.apiKeys.length }, `authentication: Authorization: Bearer <key>, ${config.apiKeys.length} API key${config.apiKeys.length === 1 ? '' : 's'} accepted (PREFLIGHT_API_KEYS)`);
  const stopBy = config.shutdownGraceMs - CLEANUP_GRACE_MS - SHUTDOWN_MARGIN_MS;
  if (config.maxRunMs > stopBy) {
    logger.warn(`PREFLIGHT_MAX_RUN_MS (${config.maxRunMs}) is longer than PREFLIGHT_SHUTDOWN_GRACE_MS allows: on shutdown, runs are stopped after ${Math.max(0, stopBy)} ms and answer with what they have`);
  }
  // A port in use stops the start before the report store is opened (a file created, a database
  // migrated, for a service that cannot run): tried here, let go at once, taken again by listen.
  const busy = await listenProblem(config.host, config.port);
  if (busy) {
    refuseListen(busy, config);
    return;
  }
  // Report history: a SQLite file under the data directory, a PostgreSQL database (several
  // replicas), or nothing kept. A store that cannot be used (a corrupted or locked file, a Node
  // without node:sqlite, a database out of reach) stops the start with the reason.
  let store: ReportStore | undefined;
  if (config.reportStore !== 'off') {
    const where = config.reportStore === 'postgres' ? displayUrl(config.databaseUrl!) : join(config.dataDir, 'reports.sqlite');
    try {
      store =
        config.reportStore === 'postgres'
          ? await openPostgresStore({ url: config.databaseUrl!, retentionDays: config.reportRetentionDays, timeoutMs: config.reportStoreTimeoutMs })
          : await openSqliteStore({ path: where, retentionDays: config.reportRetentionDays, timeoutMs: config.reportStoreTimeoutMs });
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      logger.fatal(`${error.message}; or PREFLIGHT_REPORT_STORE=off to keep no report`);
      process.exitCode = 3;
      return;
    }
    logger.info({ store: config.reportStore, retentionDays: config.reportRetentionDays }, `report history: every report kept ${config.reportRetentionDays} days in ${where}`);
  } else {
    logger.info('report history off (PREFLIGHT_REPORT_STORE=off): no report is kept');
  }
  const clients = createClientFactory({
    ...networkSettings(config.aws),
    // Warnings of the SDK's HTTP handler (all sockets busy under load) as JSON log lines, not console text.
    logger: { warn: (message) => logger.warn({ source: 'aws-sdk-http' }, message) },
  });
  // The process's own identity (env, container or instance role): it assumes customers' roles.
  // Loaded on first use: the provider chain pulls in SDK modules that a start should not wait for.
  let chain: AwsCredentialIdentityProvider | undefined;
  const serviceCredentials: AwsCredentialIdentityProvider = async (options) => {
    chain ??= (await import('@aws-sdk/credential-providers')).fromNodeProviderChain();
    return chain(options);
  };
  // On SIGTERM, runs are stopped early enough to clean up (the marker) and still answer in the grace.
  const shutdown = new AbortController();
  const app = await buildApp({
    config: { ...config, maxConcurrentRuns: heap.maxConcurrentRuns },
    shutdownSignal: shutdown.signal,
    engine: { clients, serviceCredentials, allowAmbient: config.allowAmbient, maxRunMs: config.maxRunMs, callSlots: createCallSlots(config.maxConcurrentCalls), probes: PROBES },
    logger,
    store,
    ...(watched
      ? {
          watch: {
            connections: watched,
            webhook: config.watchWebhook ? { url: config.watchWebhook, secret: config.watchWebhookSecret! } : undefined,
            publicUrl: config.publicUrl,
            timeScale: config.watchTimeScale,
          },
        }
      : {}),
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    // Taken in the moment since it was tried.
    refuseListen(error, config);
    await app.close();
    clients.destroy();
    await store?.close();
    return;
  }
  // Ready first, then load the SDK clients in the background so the first preflight does not wait.
  // A short pause first: each client module is evaluated synchronously, and the first health
  // checks, which make the container ready, should not queue behind them. A preflight that comes
  // sooner loads what it needs itself.
  setTimeout(() => {
    clients.preload().catch((error) => logger.error({ err: { type: (error as Error).name } }, 'could not load the AWS SDK clients'));
    // Whether role checks can work: the identity they assume roles with (never what it is).
    serviceCredentials().then(
      () => logger.info('service identity: the AWS credential chain found one (role checks assume roles with it)'),
      (error) =>
        logger.warn(
          { err: { type: (error as Error).name } },
          'service identity: none (the AWS credential chain found no credentials): role checks fail until the service has one allowed sts:AssumeRole (an instance, task or pod role, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
        ),
    );
  }, PRELOAD_DELAY_MS).unref();

  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: finishing in-flight preflights');
    const stopRuns = setTimeout(() => shutdown.abort(), Math.max(0, config.shutdownGraceMs - CLEANUP_GRACE_MS - SHUTDOWN_MARGIN_MS));
    stopRuns.unref();
    const force = setTimeout(() => {
      logger.warn('grace period over: exiting with preflights still running');
      process.exit(1);
    }, config.shutdownGraceMs);
    force.unref();
    // Keep-alive connections that finish their last response after close() began stay open until
    // they time out; sweep them so the process can exit as soon as the in-flight runs are done.
    const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
    app.close().then(() => {
      clearInterval(sweep);
      clearTimeout(stopRuns);
      clients.destroy();
      // After the last run: its report is kept before it is answered.
      return store?.close();
    }).then(() => {
      logger.info('stopped');
      process.exitCode = 0;
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

const LISTEN_PROBLEMS: Record<string, string> = { EADDRINUSE: 'the port is in use', EACCES: 'not allowed', EADDRNOTAVAIL: 'no such address on this machine' };

/** Why HOST:PORT cannot be listened on, found by listening and letting go; undefined when it can (port 0 is any free one). */
async function listenProblem(host: string, port: number): Promise<NodeJS.ErrnoException | undefined> {
  if (port === 0) return undefined;
  const trial = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      trial.once('error', reject);
      trial.listen(port, host, resolve);
    });
    return undefined;
  } catch (error) {
    if (!((error as NodeJS.ErrnoException).code! in LISTEN_PROBLEMS)) throw error;
    return error as NodeJS.ErrnoException;
  } finally {
    if (trial.listening) await new Promise((closed) => trial.close(closed));
  }
}

/** One line, as for a refused configuration: HOST and PORT are what to change. Anything but a listen problem is thrown on. */
function refuseListen(error: unknown, config: { host: string; port: number }): void {
  const why = LISTEN_PROBLEMS[(error as NodeJS.ErrnoException).code ?? ''];
  if (!why) throw error;
  process.stderr.write(`preflight: cannot listen on ${config.host}:${config.port}: ${why} (HOST, PORT)\n`);
  process.exitCode = 3;
}

void main();
