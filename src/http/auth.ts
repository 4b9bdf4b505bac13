// Who is calling: every route needs a bearer key unless it is declared public (`config: { public:
// true }`: the health checks, the page, the API's docs), so a route added later is behind the key
// without asking. One onRequest hook, before any body is read, counts the request against the
// rate limit first (per verified key, or else per client address) and then checks the key: every
// failed attempt (a guessed key, a guessed report id) spends its address's budget.
import { createHash, timingSafeEqual } from 'node:crypto';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from './metrics.js';
import { appWide } from './app-wide.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Which configured key the request carries, as a label (a digest prefix), never the key. */
    apiKeyLabel?: string;
  }
  interface FastifyContextConfig {
    /** No key and no rate limit: only the health checks, the page and the API's docs. */
    public?: boolean;
    /** The route starts runs: its refusals count in preflight_runs_rejected_total. */
    startsRun?: boolean;
  }
}

export interface AuthOptions {
  apiKeys: readonly string[];
  authDisabled: boolean;
  rateLimitPerMinute?: number;
  /** Client addresses whose rate-limit counters are kept, least recently seen dropped first (default 5,000). */
  addressCounters?: number;
  metrics: Metrics;
}

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

/**
 * A configured key's label in stored reports: `key:` and the first 8 hex digits of its SHA-256, the
 * same for the same key across restarts and replicas, and no help in guessing a 16+ character key.
 */
export function apiKeyLabel(key: string): string {
  return labelOf(digest(key));
}

const labelOf = (keyDigest: Buffer) => `key:${keyDigest.toString('hex').slice(0, 8)}`;

function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
}

/**
 * Registered before any route (and after CORS, whose hook answers a browser's preflight request,
 * which carries no key): its hook is the app's, so every route in every plugin inherits it.
 */
export const authentication = appWide<AuthOptions>(async (app, options) => {
  const keys = options.apiKeys.map(digest);
  /** The digest of the configured key the request carries, or undefined: no key, or not one of ours. */
  const verifiedKey = (request: FastifyRequest) => {
    const token = bearerToken(request.headers.authorization);
    return token === undefined ? undefined : matchingKey(token, keys);
  };

  app.decorateRequest('apiKeyLabel', undefined);

  // Rate limits that no flood of made-up keys can reset. A request with a valid key counts against
  // that key (by its digest), in a store with room for every configured key, so nothing can evict
  // a key's counter; any other request (every request, with authentication off) counts against
  // its client address (an IPv6 /64), in a store of its own. An invalid token never gets a counter.
  await app.register(rateLimit, {
    global: false,
    max: options.rateLimitPerMinute ?? 60,
    timeWindow: 60_000,
    onExceeded: (request) => {
      if (request.routeOptions.config.startsRun) options.metrics.rejectedRuns.inc({ reason: 'rate-limited' });
    },
  });
  const limitPerKey = app.rateLimit({
    cache: Math.max(keys.length, 1),
    keyGenerator: (request) => `key:${verifiedKey(request)!.toString('hex').slice(0, 16)}`,
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, error: 'rate_limited', message: `too many requests: at most ${context.max} a minute per API key` }),
  });
  const limitPerAddress = app.rateLimit({
    cache: options.addressCounters ?? 5000,
    keyGenerator: (request) => `ip:${normalizeIP(request.ip)}`,
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, error: 'rate_limited', message: `too many requests: at most ${context.max} a minute per address without a valid API key` }),
  });

  // A path no route answers is left to the not-found handler: there is nothing there to protect.
  app.addHook('onRequest', async function authenticate(request: FastifyRequest, reply: FastifyReply) {
    if (request.is404 || request.routeOptions.config.public) return;
    const key = verifiedKey(request);
    await (!options.authDisabled && key !== undefined ? limitPerKey : limitPerAddress).call(this, request, reply);
    if (key !== undefined) request.apiKeyLabel = labelOf(key);
    if (options.authDisabled || key !== undefined) return;
    if (request.routeOptions.config.startsRun) options.metrics.rejectedRuns.inc({ reason: 'unauthorized' });
    return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'a valid API key is required: Authorization: Bearer <key>' });
  });
});
