// buildApp: routes, authentication, limits and the error handler. It never listens and never
// reads the environment: server.ts, the CLI and the tests give it everything.
import { createHash, timingSafeEqual } from 'node:crypto';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import { type EngineDependencies, PreflightRefused, runPreflight } from './preflight/engine.js';
import { validatePreflightRequest } from './preflight/request.js';
import { ErrorSchema, InvalidRequestSchema, PreflightBodySchema, ReportSchema } from './http/schemas.js';

export interface AppOptions {
  config: Pick<Config, 'apiKeys' | 'authDisabled' | 'maxConcurrentRuns'>;
  engine: EngineDependencies;
  logger?: FastifyServerOptions['loggerInstance'] | boolean;
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

/** Constant-time check against every configured key (several at once allow rotation). */
function keyMatches(given: string, keys: readonly Buffer[]): boolean {
  const candidate = digest(given);
  let match = false;
  for (const key of keys) match = timingSafeEqual(candidate, key) || match;
  return match;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(typeof options.logger === 'object' ? { loggerInstance: options.logger } : { logger: options.logger ?? false }),
    bodyLimit: 64 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false } },
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
  const keys = options.config.apiKeys.map(digest);
  let runsInFlight = 0;

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
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

  const statusSchema = { response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } };
  app.get('/healthz', { schema: { summary: 'Liveness: the process answers (no AWS call)', ...statusSchema } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { summary: 'Readiness: the service accepts preflights (no AWS call)', ...statusSchema } }, async () => ({ status: 'ready' }));
  app.get('/openapi.yaml', { schema: { hide: true } }, async (_request, reply) => reply.type('application/yaml').send(app.swagger({ yaml: true })));

  app.post(
    '/preflight',
    {
      schema: {
        summary: 'Run a preflight of an AWS connection',
        description: 'Obtains credentials, runs the probes of the requested capabilities and answers 200 with the report whatever its verdict.',
        security: [{ apiKey: [] }],
        body: PreflightBodySchema,
        response: { 200: ReportSchema, 400: InvalidRequestSchema, 401: ErrorSchema, 503: ErrorSchema },
      },
      // The body is validated by validatePreflightRequest (it also takes the flat format and names fields our way).
      validatorCompiler: () => (value) => ({ value }),
    },
    async (request, reply) => {
    if (!options.config.authDisabled) {
      const header = request.headers.authorization ?? '';
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      if (!token || keys.length === 0 || !keyMatches(token, keys)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'a valid API key is required: Authorization: Bearer <key>' });
      }
    }
    const validation = validatePreflightRequest(request.body);
    if (!validation.ok) return reply.code(400).send({ error: 'invalid_request', issues: validation.issues });
    if (runsInFlight >= options.config.maxConcurrentRuns) {
      return reply.code(503).header('retry-after', '1').send({ error: 'busy', message: 'too many preflights are running; retry shortly' });
    }
    runsInFlight += 1;
    const abort = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableEnded) abort.abort(new Error('the client disconnected'));
    };
    reply.raw.on('close', onClose);
    try {
      const report = await runPreflight(validation.request, options.engine, { signal: abort.signal, requestId: request.id });
      return reply.code(200).send(report);
    } catch (error) {
      if (error instanceof PreflightRefused) return reply.code(400).send({ error: 'invalid_request', issues: error.issues });
      throw error;
    } finally {
      runsInFlight -= 1;
      reply.raw.off('close', onClose);
    }
  },
  );

  return app;
}
