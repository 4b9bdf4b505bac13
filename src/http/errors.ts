// Errors Fastify raises (bad JSON, too large, rate limited) and anything a route throws: a client
// error names what is wrong in the same shape as validation; a server error says nothing inside.
import type { FastifyReply, FastifyRequest } from 'fastify';

export function errorHandler(error: Error & { statusCode?: number; code?: string }, request: FastifyRequest, reply: FastifyReply) {
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
}
