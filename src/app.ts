// buildApp: the service as a list of plugins and routes. It never listens and never reads the
// environment: server.ts, the CLI and the tests give it everything.
import cors from '@fastify/cors';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { createClientFactory } from './aws/clients.js';
import type { Config } from './config.js';
import { authentication } from './http/auth.js';
import { docs } from './http/docs.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { RequestLogController } from './http/logging.js';
import { type Metrics, createMetrics } from './http/metrics.js';
import { createRunSlots } from './http/run-slots.js';
import type { EngineDependencies } from './preflight/engine.js';
import { coverageRoutes } from './routes/coverage.js';
import { healthRoutes } from './routes/health.js';
import { historyRoutes } from './routes/history.js';
import { preflightRoutes } from './routes/preflight.js';
import { setupRoutes } from './routes/setup.js';
import { type WatchSetup, watchRoutes } from './routes/watch.js';
import { trustedPrincipalFinder } from './setup/principal.js';
import type { ReportStore } from './store/types.js';
import { registerWebPage } from './web/page.js';

export interface AppOptions {
  config: Pick<Config, 'apiKeys' | 'authDisabled' | 'maxConcurrentRuns'> & Partial<Pick<Config, 'rateLimitPerMinute' | 'corsOrigins' | 'webUi' | 'trustedPrincipal'>>;
  engine: EngineDependencies;
  logger?: FastifyServerOptions['loggerInstance'] | boolean;
  metrics?: Metrics;
  /** Aborted when the process shuts down: every run stops, cleans up and answers with what it has. */
  shutdownSignal?: AbortSignal;
  /** Client addresses whose rate-limit counters are kept, least recently seen dropped first (default 5,000). */
  addressCounters?: number;
  /** Report history: every report is kept here and served by GET /preflight/{id} and friends; none kept without it. */
  store?: ReportStore;
  /** How often the store's expired reports are deleted, besides once at start (default an hour). */
  retentionSweepMs?: number;
  /** Connections the service checks on its own (PREFLIGHT_WATCH_FILE); needs the store. */
  watch?: WatchSetup;
}

/** Paths of credentials anywhere in a logged object; pino replaces them before serialising. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  '*.secretAccessKey',
  '*.sessionToken',
  '*.externalId',
  '*.access_key_secret',
  '*.secret_access_key',
  '*.session_token',
  '*.external_id',
  '*.credentials',
  'body',
];

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, engine } = options;
  const app = Fastify({
    ...(typeof options.logger === 'object' ? { loggerInstance: options.logger } : { logger: options.logger ?? false }),
    // Request lines at info, but at debug for the routes that ask (health checks).
    logController: new RequestLogController(),
    bodyLimit: 64 * 1024,
    // A run never outlasts its server maximum; a request that does is a stuck client.
    requestTimeout: engine.maxRunMs + 10_000,
    connectionTimeout: engine.maxRunMs + 10_000,
    keepAliveTimeout: 65_000,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false } },
    schemaController: { compilersFactory: { buildSerializer: lazySerializers } },
  });
  const metrics = options.metrics ?? createMetrics(engine.callSlots, options.store);
  // One set of run slots for the API's runs and the watch's.
  const runSlots = createRunSlots(config.maxConcurrentRuns);

  // First, so that every route registered after it answers errors in the same shape.
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  // JSON only: a JSON body sent as text/plain is refused (415, as documented), not read as a string.
  app.removeContentTypeParser('text/plain');
  // CORS before the key: its hook answers every OPTIONS request (a browser's preflight carries no
  // key) before the key is asked for, so the route it adds for them (OPTIONS *) is public.
  if (config.corsOrigins?.length) {
    app.addHook('onRoute', (route) => {
      if (route.method === 'OPTIONS' && route.url === '*') route.config = { ...route.config, public: true };
    });
    await app.register(cors, { origin: config.corsOrigins, methods: ['GET', 'POST'], allowedHeaders: ['authorization', 'content-type', 'accept'] });
  }
  // Then the key, before any route: every route needs it unless it says `config: { public: true }`.
  await app.register(authentication, {
    apiKeys: config.apiKeys,
    authDisabled: config.authDisabled,
    rateLimitPerMinute: config.rateLimitPerMinute,
    addressCounters: options.addressCounters,
    metrics,
  });
  await app.register(docs);
  if (config.webUi ?? true) registerWebPage(app, { history: Boolean(options.store) });
  await app.register(healthRoutes, { metrics });
  await app.register(preflightRoutes, { engine, maxConcurrentRuns: config.maxConcurrentRuns, metrics, shutdownSignal: options.shutdownSignal, store: options.store, runSlots });
  await app.register(setupRoutes, {
    trustedPrincipal: config.trustedPrincipal,
    findTrustedPrincipal:
      config.trustedPrincipal || !engine.serviceCredentials
        ? undefined
        : trustedPrincipalFinder({ clients: engine.clients, serviceCredentials: engine.serviceCredentials }, ({ principal, pathUnknown }) =>
            pathUnknown
              ? app.log.warn({ principal }, 'POST /setup: roles trust this principal, read from a role session by sts:GetCallerIdentity, which leaves out the role\'s path; if the role has one, set PREFLIGHT_TRUSTED_PRINCIPAL')
              : app.log.info({ principal }, 'POST /setup: roles trust this principal, found by sts:GetCallerIdentity (PREFLIGHT_TRUSTED_PRINCIPAL is unset)'),
          ),
  });
  await app.register(coverageRoutes);
  await app.register(historyRoutes, { store: options.store, retentionSweepMs: options.retentionSweepMs });
  await app.register(watchRoutes, { watch: options.watch, engine, store: options.store, metrics, runSlots });
  return app;
}

/** openapi.yaml, from the route schemas: `npm run openapi` writes it, a test fails when the file drifts. */
export async function renderOpenApi(): Promise<string> {
  const clients = createClientFactory();
  // The schemas only: no preflight runs, so no probes.
  const app = await buildApp({ config: { apiKeys: [], authDisabled: false, maxConcurrentRuns: 1 }, engine: { clients, allowAmbient: false, maxRunMs: 1000, probes: [] } });
  await app.ready();
  const yaml = app.swagger({ yaml: true });
  await app.close();
  clients.destroy();
  return yaml;
}

/**
 * Fastify's own response serializers, each compiled on its first response rather than at start:
 * the report's schema alone took some 7 % of a start, before anyone asked for a report.
 */
function lazySerializers(...args: Parameters<ReturnType<typeof SerializerSelector>>) {
  const compile = SerializerSelector()(...args);
  return (route: Parameters<typeof compile>[0]) => {
    let serialize: ReturnType<typeof compile> | undefined;
    return (data: unknown) => (serialize ??= compile(route))(data);
  };
}
