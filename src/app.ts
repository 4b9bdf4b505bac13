// buildApp: routes, authentication, limits and the error handler. It never listens and never
// reads the environment: server.ts, the CLI and the tests give it everything.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import cors from '@fastify/cors';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import { type EngineDependencies, PreflightRefused, runPreflight } from './preflight/engine.js';
import { validatePreflightRequest } from './preflight/request.js';
import { type Metrics, createMetrics } from './http/metrics.js';
import { renderMarkdown } from './report/markdown.js';
import { renderTable } from './report/text.js';
import { registerWebPage } from './web/page.js';
import { ErrorSchema, InvalidRequestSchema, PreflightBodySchema, ReportSchema } from './http/schemas.js';

export interface AppOptions {
  config: Pick<Config, 'apiKeys' | 'authDisabled' | 'maxConcurrentRuns'> & Partial<Pick<Config, 'rateLimitPerMinute' | 'corsOrigins' | 'webUi'>>;
  engine: EngineDependencies;
  logger?: FastifyServerOptions['loggerInstance'] | boolean;
  metrics?: Metrics;
  /** Aborted when the process shuts down: every run stops, cleans up and answers with what it has. */
  shutdownSignal?: AbortSignal;
  /** Client addresses whose rate-limit counters are kept, least recently seen dropped first (default 5,000). */
  addressCounters?: number;
}

type ResponseFormat = 'json' | 'event-stream' | 'markdown' | 'text';

/** Findings about what a run left in the customer's account. */
const LEFT_BEHIND = new Set(['MARKER_NOT_DELETED', 'MULTIPART_UPLOAD_NOT_ABORTED']);

/** JSON by default; an event stream for the onboarding UI; Markdown or plain text for curl users. */
function responseFormat(accept: string | undefined): ResponseFormat {
  const value = accept ?? '';
  if (value.includes('text/event-stream')) return 'event-stream';
  if (value.includes('application/json') || value.includes('*/*') || !value) return 'json';
  if (value.includes('text/markdown')) return 'markdown';
  if (value.includes('text/plain')) return 'text';
  return 'json';
}

interface EventStream {
  send(event: string, data: unknown, preSerialised?: boolean): void;
  end(): void;
}

function openEventStream(reply: FastifyReply): EventStream {
  reply.hijack();
  // The stream writes its own head, past Fastify's onSend hooks: it keeps every header the hooks
  // have set by now (CORS, rate limit), or a page on another origin could not read it.
  const set = Object.entries(reply.getHeaders()).filter(([name, value]) => value !== undefined && name !== 'content-length');
  reply.raw.writeHead(200, {
    ...Object.fromEntries(set),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  let id = 0;
  // A comment now and then keeps proxies from closing a quiet stream.
  const heartbeat = setInterval(() => reply.raw.write(': keep-alive\n\n'), 15_000);
  return {
    send(event, data, preSerialised = false) {
      if (reply.raw.writableEnded) return;
      id += 1;
      reply.raw.write(`id: ${id}\nevent: ${event}\ndata: ${preSerialised ? (data as string) : JSON.stringify(data)}\n\n`);
    },
    end() {
      clearInterval(heartbeat);
      if (!reply.raw.writableEnded) reply.raw.end();
    },
  };
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

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The configured key (its digest) that `given` is, compared in constant time against every one (several at once allow rotation). */
function matchingKey(given: string, keys: readonly Buffer[]): Buffer | undefined {
  const candidate = digest(given);
  let match: Buffer | undefined;
  for (const key of keys) if (timingSafeEqual(candidate, key)) match = key;
  return match;
}

function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(typeof options.logger === 'object' ? { loggerInstance: options.logger } : { logger: options.logger ?? false }),
    bodyLimit: 64 * 1024,
    // A run never outlasts its server maximum; a request that does is a stuck client.
    requestTimeout: options.engine.maxRunMs + 10_000,
    connectionTimeout: options.engine.maxRunMs + 10_000,
    keepAliveTimeout: 65_000,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false } },
    schemaController: { compilersFactory: { buildSerializer: lazySerializers } },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Preflight',
        version: '0.1.0',
        description: 'Checks an AWS connection for Glue and Athena, capability by capability, and returns the policy that fixes what is missing.',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'One of PREFLIGHT_API_KEYS' } } },
    },
  });
  // The API's docs page, from the same route schemas as openapi.yaml; static, no key, no AWS.
  // Its files are named explicitly: the service runs as a bundle, where the plugin cannot find them
  // next to its own code.
  const docsFiles = swaggerUiFiles();
  const logo = { type: 'image/svg+xml', content: readFileSync(join(docsFiles, 'logo.svg')) };
  await app.register(swaggerUi, { routePrefix: '/docs', baseDir: docsFiles, logo, uiConfig: { docExpansion: 'list', tryItOutEnabled: false } });
  const keys = options.config.apiKeys.map(digest);
  const metrics = options.metrics ?? createMetrics(options.engine.callSlots);
  let runsInFlight = 0;

  if (options.config.corsOrigins?.length) {
    await app.register(cors, { origin: options.config.corsOrigins, methods: ['GET', 'POST'], allowedHeaders: ['authorization', 'content-type', 'accept'] });
  }
  /** The digest of the configured key the request carries, or undefined: no key, or not one of ours. */
  const verifiedKey = (authorization: string | undefined) => {
    const token = bearerToken(authorization);
    return token === undefined ? undefined : matchingKey(token, keys);
  };
  const authorized = (authorization: string | undefined) => options.config.authDisabled || verifiedKey(authorization) !== undefined;

  // Rate limits that no flood of made-up keys can reset. A request with a valid key counts against
  // that key (by its digest), in a store with room for every configured key, so nothing can evict
  // a key's counter; any other request (every request, with authentication off) counts against
  // its client address (an IPv6 /64), in a store of its own. An invalid token never gets a counter.
  await app.register(rateLimit, {
    global: false,
    max: options.config.rateLimitPerMinute ?? 60,
    timeWindow: 60_000,
    onExceeded: () => metrics.rejectedRuns.inc({ reason: 'rate-limited' }),
  });
  const limitPerKey = app.rateLimit({
    cache: Math.max(keys.length, 1),
    keyGenerator: (request) => `key:${verifiedKey(request.headers.authorization)!.toString('hex').slice(0, 16)}`,
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, error: 'rate_limited', message: `too many requests: at most ${context.max} a minute per API key` }),
  });
  const limitPerAddress = app.rateLimit({
    cache: options.addressCounters ?? 5000,
    keyGenerator: (request) => `ip:${normalizeIP(request.ip)}`,
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, error: 'rate_limited', message: `too many requests: at most ${context.max} a minute per address without a valid API key` }),
  });
  const limitRequests = function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
    const perKey = !options.config.authDisabled && verifiedKey(request.headers.authorization) !== undefined;
    return (perKey ? limitPerKey : limitPerAddress).call(this, request, reply);
  };

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status === 429) return reply.code(429).send({ error: 'rate_limited', message: error.message });
    if (status >= 500) {
      request.log.error({ err: { type: error.name, code: error.code } }, 'request failed');
      return reply.code(500).send({ error: 'internal', message: 'internal error', requestId: request.id });
    }
    const message =
      error.code?.startsWith('FST_ERR_CTP_INVALID_JSON') || error instanceof SyntaxError
        ? 'the body is not valid JSON'
        : error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'the body is larger than 64 KiB'
          : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'the body must be application/json'
            : 'the request is not valid';
    return reply.code(status).send({ error: 'invalid_request', issues: [{ path: '/', message }] });
  });

  if (options.config.webUi ?? true) registerWebPage(app);
  const statusSchema = { response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } };
  app.get('/healthz', { schema: { summary: 'Liveness: the process answers (no AWS call)', ...statusSchema } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { summary: 'Readiness: the service accepts preflights (no AWS call)', ...statusSchema } }, async () => ({ status: 'ready' }));
  app.get('/openapi.yaml', { schema: { hide: true } }, async (_request, reply) => reply.type('application/yaml').send(app.swagger({ yaml: true })));
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!authorized(request.headers.authorization)) return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'a valid API key is required' });
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.post(
    '/preflight',
    {
      schema: {
        summary: 'Run a preflight of an AWS connection',
        description: [
          'Obtains credentials, runs the probes of the requested capabilities and answers 200 with the report whatever its verdict.',
          '',
          'Content negotiation (Accept): `application/json` (default) the report; `text/markdown` or `text/plain` the same report rendered for people;',
          '`text/event-stream` live progress: one `probe` event per finished probe, data `{id, service, outcome, durationMs, skipReason?, error?: {code, category},',
          'capabilities: [{id, status}]}` (capabilities whose probes have all settled), then one `report` event whose data is the report (PreflightReport).',
          'A client that disconnects aborts its run.',
        ].join('\n'),
        security: [{ apiKey: [] }],
        body: PreflightBodySchema,
        response: { 200: ReportSchema, 400: InvalidRequestSchema, 401: ErrorSchema, 503: ErrorSchema },
      },
      // The body is validated by validatePreflightRequest (it also takes the flat format and names fields our way).
      validatorCompiler: () => (value) => ({ value }),
      onRequest: limitRequests,
    },
    async (request, reply) => {
      if (!authorized(request.headers.authorization)) {
        metrics.rejectedRuns.inc({ reason: 'unauthorized' });
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'a valid API key is required: Authorization: Bearer <key>' });
      }
      const validation = validatePreflightRequest(request.body);
      if (!validation.ok) {
        metrics.rejectedRuns.inc({ reason: 'invalid' });
        return reply.code(400).send({ error: 'invalid_request', issues: validation.issues });
      }
      if (runsInFlight >= options.config.maxConcurrentRuns) {
        metrics.rejectedRuns.inc({ reason: 'busy' });
        return reply.code(503).header('retry-after', '1').send({ error: 'busy', message: 'too many preflights are running; retry shortly' });
      }
      runsInFlight += 1;
      metrics.runsInFlight.inc();
      const abort = new AbortController();
      const onClose = () => {
        if (!reply.raw.writableEnded) abort.abort(new Error('the client disconnected'));
      };
      const onShutdown = () => abort.abort(new Error('the service is shutting down'));
      reply.raw.on('close', onClose);
      options.shutdownSignal?.addEventListener('abort', onShutdown, { once: true });
      if (options.shutdownSignal?.aborted) onShutdown();
      const stopTimer = metrics.runDuration.startTimer();
      const format = responseFormat(request.headers.accept);
      // The event stream opens with the first finished probe, so that a refusal before any probe
      // (ambient credentials disabled) can still be a plain 400.
      let events: EventStream | undefined;
      const stream = () => (events ??= openEventStream(reply));
      try {
        const report = await runPreflight(validation.request, options.engine, {
          signal: abort.signal,
          requestId: request.id,
          // Progress only for a stream: each event costs the engine a look at every capability.
          onProbe:
            format === 'event-stream'
              ? ({ probe, capabilities }) =>
                  stream().send('probe', {
                    id: probe.id,
                    service: probe.service,
                    outcome: probe.outcome,
                    durationMs: probe.durationMs,
                    ...(probe.skipReason ? { skipReason: probe.skipReason } : {}),
                    ...(probe.error ? { error: { code: probe.error.code, category: probe.error.category } } : {}),
                    capabilities,
                  })
              : undefined,
        });
        stopTimer({ status: report.status });
        for (const probe of report.probes) metrics.probeOutcomes.inc({ probe: probe.id, outcome: probe.outcome, category: probe.error?.category ?? 'none' });
        request.log.info({ runId: report.id, status: report.status, durationMs: report.durationMs }, 'preflight finished');
        if (abort.signal.aborted && reply.raw.destroyed) {
          // Nobody will read this report: what the run left in the customer's account goes to the log (keys are not secret).
          const leftBehind = report.findings.filter((finding) => LEFT_BEHIND.has(finding.code));
          if (leftBehind.length) request.log.warn({ runId: report.id, leftBehind: leftBehind.map((f) => f.message) }, 'the client left; objects the run could not clean up');
        }
        switch (format) {
          case 'event-stream':
            // The report goes through the same response schema as JSON: the allow-list holds here too.
            stream().send('report', reply.serializeInput(report as unknown as Record<string, unknown>, '200') as string, true);
            stream().end();
            return reply;
          case 'markdown':
            return reply.code(200).type('text/markdown; charset=utf-8').send(renderMarkdown(report));
          case 'text':
            return reply.code(200).type('text/plain; charset=utf-8').send(renderTable(report, { color: false }));
          default:
            return reply.code(200).send(report);
        }
      } catch (error) {
        if (error instanceof PreflightRefused) {
          metrics.rejectedRuns.inc({ reason: 'invalid' });
          return reply.code(400).send({ error: 'invalid_request', issues: error.issues });
        }
        if (events) {
          request.log.error({ err: { type: (error as Error).name } }, 'preflight failed while streaming');
          events.send('error', { error: 'internal', message: 'internal error', requestId: request.id });
          events.end();
          return reply;
        }
        throw error;
      } finally {
        events?.end();
        runsInFlight -= 1;
        metrics.runsInFlight.dec();
        reply.raw.off('close', onClose);
        options.shutdownSignal?.removeEventListener('abort', onShutdown);
      }
    },
  );

  return app;
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

/** Swagger UI's static files, in its package (node_modules, in the image as in development). */
function swaggerUiFiles(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@fastify/swagger-ui/package.json')), 'static');
}
