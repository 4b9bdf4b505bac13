// The routes' responses in OpenAPI's own form (a description, headers, a schema per media type),
// shared by the routes that answer them; the schemas themselves are src/schemas/'s.
import type { TSchema } from 'typebox';
import { ErrorSchema, InvalidRequestSchema } from '../schemas/errors.js';
import { ReportSchema } from '../schemas/report.js';

// Fastify serialises by the reply's media type, @fastify/swagger documents each one as it is.
const json = (schema: TSchema) => ({ 'application/json': { schema } });
const RETRY_AFTER = { 'Retry-After': { type: 'integer', minimum: 0, description: 'Seconds to wait before trying again' } };

/** A report (PreflightReport) as JSON, Markdown or text, by Accept; with `stream`, also POST /preflight's event stream. */
export function reportResponse({ stream = false, headers }: { stream?: boolean; headers?: Record<string, unknown> } = {}) {
  return {
    description: stream
      ? 'The report, whatever its verdict, in the format Accept asks for; or its progress then the report, as an event stream'
      : 'The report, in the format Accept asks for',
    ...(headers ? { headers } : {}),
    content: {
      ...json(ReportSchema),
      ...(stream
        ? {
            'text/event-stream': {
              schema: { type: 'string', description: 'Server-sent events: `probe` (one per finished probe), then `report` (data: the PreflightReport as JSON); `error` if the run fails after the stream opened' },
            },
          }
        : {}),
      'text/markdown': { schema: { type: 'string', description: 'The report rendered as Markdown (as `preflight check --markdown` prints it)' } },
      'text/plain': { schema: { type: 'string', description: 'The report as a text table (as `preflight check` prints it)' } },
    },
  };
}

/** Refusals of a request's body or rate, for the routes that take a body and count against the rate limit. */
/** 429 `rate_limited`: every route behind the API key counts against one budget, per key or else per address. */
export const RateLimitedResponse = {
  description: 'Too many requests this minute: per API key, or per client address without a valid key (`rate_limited`)',
  headers: RETRY_AFTER,
  content: json(ErrorSchema),
};

export const bodyAndRateResponses = {
  413: { description: 'The body is larger than 64 KiB', content: json(InvalidRequestSchema) },
  415: { description: 'The body is not application/json', content: json(InvalidRequestSchema) },
  429: RateLimitedResponse,
};

/** 503 `store_unavailable`: the report store failed or did not answer within PREFLIGHT_REPORT_STORE_TIMEOUT_MS. */
export const StoreUnavailableResponse = {
  description: 'The report store failed or did not answer in time (`store_unavailable`); preflights still run: retry after Retry-After seconds',
  headers: RETRY_AFTER,
  content: json(ErrorSchema),
};

/** 503 `busy`: as many preflights as the service runs at once are running; no queue. */
export const BusyResponse = { description: 'Too many preflights are running (`busy`); no queue: retry after Retry-After seconds', headers: RETRY_AFTER, content: json(ErrorSchema) };

/** 400 `invalid_request` for a path or query parameter its schema refuses: each issue names the parameter (`/id`, `/limit`). */
export function invalidParameterResponse(alsoWhen?: string) {
  return {
    description: `A path or query parameter is malformed${alsoWhen ? `, or ${alsoWhen}` : ''} (\`invalid_request\`): each issue's path and message name the parameter`,
    content: json(InvalidRequestSchema),
  };
}

export const UnauthorizedResponse = { description: 'No valid API key (`Authorization: Bearer <key>`)', content: json(ErrorSchema) };
