// Errors Fastify raises (bad JSON, too large, a malformed parameter, rate limited), anything a
// route throws, and paths no route answers: a client error names what is wrong in the same shape
// as validation; a server error says nothing inside.
import type { FastifyReply, FastifyRequest } from 'fastify';

/** One failure of a route's parameter schema, as Fastify's validator (Ajv) reports it. */
interface ParameterFailure {
  instancePath: string;
  message?: string;
  params?: { missingProperty?: string; additionalProperty?: string };
}

type RouteError = Error & { statusCode?: number; code?: string; validation?: ParameterFailure[]; validationContext?: string };

const PLACES: Record<string, string> = { params: 'path parameter', querystring: 'query parameter', headers: 'header', body: 'field' };

/**
 * Each failure as an issue at the parameter's name (`/id`, `/limit`), its message naming it and
 * what it must be (Ajv's words: "must match pattern …", "must be <= 100"), never the value sent.
 */
function parameterIssues(failures: readonly ParameterFailure[], context: string | undefined) {
  return failures.map((failure) => {
    const name = failure.instancePath.split('/')[1] || failure.params?.missingProperty || failure.params?.additionalProperty;
    if (!name) return { path: '/', message: 'the request is not valid' };
    return { path: `/${name}`, message: `${PLACES[context ?? ''] ?? 'parameter'} ${name} ${failure.message ?? 'is not valid'}` };
  });
}

export function errorHandler(error: RouteError, request: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  if (status === 429) return reply.code(429).send({ error: 'rate_limited', message: error.message });
  if (status >= 500) {
    request.log.error({ err: { type: error.name, code: error.code } }, 'request failed');
    return reply.code(500).send({ error: 'internal', message: 'internal error', requestId: request.id });
  }
  if (error.validation?.length) return reply.code(400).send({ error: 'invalid_request', issues: parameterIssues(error.validation, error.validationContext) });
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

/** A path (or a method on it) that no route answers: 404 in the service's error shape, the path not repeated. */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send({ error: 'not_found', message: `no route answers ${request.method} at this path: the API is described at /openapi.yaml` });
}
