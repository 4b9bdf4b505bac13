// Fastify's per-request log lines ("incoming request", "request completed") at info, except on
// the routes that say `config: { logAtDebug: true }` (liveness and readiness, polled every few
// seconds): theirs are logged at debug, and an error on them still at error.
// A route's own `logLevel` cannot do this: it sets the least level its logger writes, not the
// level these lines are written at ('debug' would let everything through, 'warn' would drop them).
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Fastify's request lines for this route at debug rather than info (health checks). */
    logAtDebug?: boolean;
  }
}

const atDebug = (request: FastifyRequest) => request.routeOptions?.config?.logAtDebug === true;

export class RequestLogController extends LogController {
  override incomingRequest(request: FastifyRequest, reply: FastifyReply, metadata?: Record<string, unknown>): void {
    if (!atDebug(request)) return super.incomingRequest(request, reply, metadata);
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply, metadata?: Record<string, unknown>): void {
    if (!atDebug(request) || error) return super.requestCompleted(error, request, reply, metadata);
    reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
