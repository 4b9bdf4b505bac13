// Report history: a stored report by its run id, a connection's runs, the diff of two
// runs. All behind the API key. With the store off, every one answers 404 saying so.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { errorHandler } from '../http/errors.js';
import { RateLimitedResponse, StoreUnavailableResponse, UnauthorizedResponse, invalidParameterResponse, reportResponse } from '../http/responses.js';
import { ErrorSchema } from '../schemas/errors.js';
import { ReportDiffSchema, RUN_ID, RunsPageSchema } from '../schemas/history.js';
import { diffReports } from '../store/diff.js';
import { InvalidCursorError, type ReportStore } from '../store/types.js';
import { responseFormat, sendReport } from './preflight.js';

export interface HistoryRouteOptions {
  store?: ReportStore;
  /** How often expired reports are deleted, besides once at start (default an hour). */
  retentionSweepMs?: number;
}

const OFF = { error: 'not_found', message: 'report history is off (PREFLIGHT_REPORT_STORE=off): this service keeps no report' };

/** Seconds a client is told to wait when the store does not answer: longer than its timeout, short enough for a person retrying. */
const STORE_RETRY_AFTER_S = 5;

/** The store failed or did not answer in time, whatever its driver threw. */
class StoreUnavailable extends Error {
  override name = 'StoreUnavailable';
}

/** A store's answer; its failure as StoreUnavailable, but a cursor the service never gave stays the caller's mistake. */
const fromStore = <T>(answer: Promise<T>): Promise<T> =>
  answer.catch((error: Error) => {
    throw error instanceof InvalidCursorError ? error : new StoreUnavailable(`${error.name}: ${error.message}`);
  });

/**
 * The history routes' errors: 400 for a bad cursor, 503 when the store cannot answer (the service
 * itself is fine: POST /preflight still runs), anything else as every route answers it. What the
 * store said goes to the log, nothing of it to the caller.
 */
function historyErrors(error: Error & { statusCode?: number }, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof InvalidCursorError) return reply.code(400).send({ error: 'invalid_request', issues: [{ path: '/cursor', message: error.message }] });
  if (error instanceof StoreUnavailable) {
    request.log.error({ err: { type: error.name, message: error.message } }, 'the report store could not answer');
    return reply
      .code(503)
      .header('retry-after', String(STORE_RETRY_AFTER_S))
      .send({ error: 'store_unavailable', message: 'the report store is not answering; preflights still run: retry shortly', requestId: request.id });
  }
  return errorHandler(error, request, reply);
}

function notFound(reply: FastifyReply, id: string) {
  return reply.code(404).send({ error: 'not_found', message: `no stored report ${id}: unknown, or older than the retention (PREFLIGHT_REPORT_RETENTION_DAYS)` });
}

export const historyRoutes: FastifyPluginAsync<HistoryRouteOptions> = async (app, { store, retentionSweepMs = 60 * 60 * 1000 }) => {
  if (store) {
    // Expired reports are deleted by the service itself: once at start, then on a timer that
    // never keeps the process alive.
    const sweep = async () => {
      try {
        const deleted = await store.deleteExpired();
        if (deleted) app.log.info({ deleted }, 'deleted reports older than the retention');
      } catch (error) {
        app.log.error({ err: { type: (error as Error).name, message: (error as Error).message } }, 'could not delete expired reports');
      }
    };
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      await sweep();
      timer = setInterval(() => void sweep(), retentionSweepMs).unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));
  }

  app.setErrorHandler(historyErrors);
  const common = { security: [{ apiKey: [] }] };

  app.get<{ Params: { id: string } }>(
    '/preflight/:id',
    {
      schema: {
        ...common,
        operationId: 'getReport',
        summary: 'A stored report, by its run id',
        description:
          'The report as POST /preflight answered it, with the same content negotiation (Accept): `application/json` (default), `text/markdown` or `text/plain`. The `x-connection-fingerprint` header names the connection (GET /connections/{fingerprint}/runs).',
        params: Type.Object({ id: Type.Unsafe<string>(RUN_ID) }),
        response: {
          200: reportResponse({ headers: { 'x-connection-fingerprint': { type: 'string', pattern: '^[0-9a-f]{24}$', description: 'The connection the report is of (GET /connections/{fingerprint}/runs)' } } }),
          400: invalidParameterResponse(),
          401: UnauthorizedResponse,
          404: ErrorSchema,
          429: RateLimitedResponse,
          503: StoreUnavailableResponse,
        },
      },
    },
    async (request, reply) => {
      if (!store) return reply.code(404).send(OFF);
      const found = await fromStore(store.get(request.params.id));
      if (!found) return notFound(reply, request.params.id);
      const format = responseFormat(request.headers.accept);
      reply.header('x-connection-fingerprint', found.summary.fingerprint);
      return sendReport(reply, found.report, format === 'event-stream' ? 'json' : format);
    },
  );

  app.get<{ Params: { fingerprint: string }; Querystring: { limit: number; cursor?: string } }>(
    '/connections/:fingerprint/runs',
    {
      schema: {
        ...common,
        operationId: 'listConnectionRuns',
        summary: "A connection's stored runs, newest first",
        description: 'Paged: `limit` runs (default 20), then `cursor=next` for older ones. The fingerprint is the `x-connection-fingerprint` header of GET /preflight/{id}.',
        params: Type.Object({ fingerprint: Type.String({ pattern: '^[0-9a-f]{24}$' }) }),
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          cursor: Type.Optional(Type.String({ pattern: '^[0-9]+\\.[A-Za-z0-9-]{1,64}$' })),
        }),
        response: { 200: RunsPageSchema, 400: invalidParameterResponse('the cursor is not one this service gave'), 401: UnauthorizedResponse, 404: ErrorSchema, 429: RateLimitedResponse, 503: StoreUnavailableResponse },
      },
    },
    async (request, reply) => {
      if (!store) return reply.code(404).send(OFF);
      const { fingerprint } = request.params;
      const page = await fromStore(store.runs(fingerprint, { limit: request.query.limit, cursor: request.query.cursor }));
      return reply.send({ fingerprint, ...page });
    },
  );

  app.get<{ Params: { id: string; otherId: string } }>(
    '/preflight/:id/diff/:otherId',
    {
      schema: {
        ...common,
        operationId: 'diffReports',
        summary: 'What changed between two stored reports',
        description: 'From the report `id` (the earlier, usually) to the report `otherId`: capabilities whose status changed, actions newly missing or granted, findings added or gone, and whether anything got worse.',
        params: Type.Object({ id: Type.Unsafe<string>(RUN_ID), otherId: Type.Unsafe<string>(RUN_ID) }),
        response: { 200: ReportDiffSchema, 400: invalidParameterResponse(), 401: UnauthorizedResponse, 404: ErrorSchema, 429: RateLimitedResponse, 503: StoreUnavailableResponse },
      },
    },
    async (request, reply) => {
      if (!store) return reply.code(404).send(OFF);
      const [from, to] = await fromStore(Promise.all([store.get(request.params.id), store.get(request.params.otherId)]));
      if (!from) return notFound(reply, request.params.id);
      if (!to) return notFound(reply, request.params.otherId);
      return reply.send(diffReports(from.report, to.report));
    },
  );
};
