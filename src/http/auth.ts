// Who is calling: the bearer key a request carries, checked by one hook on every route that needs
// a key, and the rate limits keyed on the key that hook would accept. That hook counts the request
// against the limit before it checks the key: every route behind the key is limited, and every
// failed attempt (a guessed key, a guessed report id) spends its address's budget.
import { createHash, timingSafeEqual } from 'node:crypto';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import type { Metrics } from './metrics.js';
import { shared } from './plugin.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: the rate limit (if not counted yet), then 401 unless the request carries a configured key (or authentication is off). */
    authenticate: preHandlerAsyncHookHandler;
    /** onRequest: the rate limit, per verified key or else per client address; counted once a request, here or by authenticate. A route with a body uses it to refuse before reading the body. */
    limitRate: onRequestAsyncHookHandler;
  }
  interface FastifyRequest {
    /** Set by authenticate: which configured key the request carries, as a label (a digest prefix), never the key. */
    apiKeyLabel?: string;
  }
  interface FastifyContextConfig {
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

export const authentication = shared<AuthOptions>(async (app, options) => {
  const keys = options.apiKeys.map(digest);
  /** The digest of the configured key the request carries, or undefined: no key, or not one of ours. */
  const verifiedKey = (request: FastifyRequest) => {
    const token = bearerToken(request.headers.authorization);
    return token === undefined ? undefined : matchingKey(token, keys);
  };

  app.decorateRequest('apiKeyLabel', undefined);
  app.decorate('authenticate', async function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
    await limitRate.call(this, request, reply);
    const key = verifiedKey(request);
    if (key !== undefined) request.apiKeyLabel = labelOf(key);
    if (options.authDisabled || key !== undefined) return;
    if (request.routeOptions.config.startsRun) options.metrics.rejectedRuns.inc({ reason: 'unauthorized' });
    return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'a valid API key is required: Authorization: Bearer <key>' });
  });

  // Rate limits that no flood of made-up keys can reset. A request with a valid key counts against
  // that key (by its digest), in a store with room for every configured key, so nothing can evict
  // a key's counter; any other request (every request, with authentication off) counts against
  // its client address (an IPv6 /64), in a store of its own. An invalid token never gets a counter.
  // The limit runs before the key is checked (a route's onRequest, or first thing in authenticate), so bad tokens spend their address's budget.
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
  // Once a request: the second call (authenticate after a route's onRequest) finds it counted.
  async function limitRate(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
    const perKey = !options.authDisabled && verifiedKey(request) !== undefined;
    return (perKey ? limitPerKey : limitPerAddress).call(this, request, reply);
  }
  app.decorate('limitRate', limitRate);
});
