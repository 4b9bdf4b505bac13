// buildApp: routes, authentication, limits and the error handler. It never listens and never
// reads the environment: server.ts, the CLI and the tests give it everything.
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import { type EngineDependencies, PreflightRefused, runPreflight } from './preflight/engine.js';
import { validatePreflightRequest } from './preflight/request.js';

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

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async () => ({ status: 'ready' }));

  app.post('/preflight', async (request, reply) => {
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
  });

  return app;
}
