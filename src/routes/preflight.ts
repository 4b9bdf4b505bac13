// POST /preflight: one run per request, answered as JSON, an event stream, Markdown or text.
import type { FastifyBaseLogger, FastifyPluginAsync, FastifyReply } from 'fastify';
import { eventStream } from '../http/event-stream.js';
import type { Metrics } from '../http/metrics.js';
import { BusyResponse, UnauthorizedResponse, bodyAndRateResponses, reportResponse } from '../http/responses.js';
import { type RunSlots, createRunSlots } from '../http/run-slots.js';
import { type EngineDependencies, type ProbeEvent, PreflightRefused, runPreflight } from '../preflight/engine.js';
import { validatePreflightRequest } from '../preflight/request.js';
import type { PreflightReport } from '../preflight/types.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderTable } from '../render/text.js';
import { InvalidRequestSchema } from '../schemas/errors.js';
import { PreflightBodySchema } from '../schemas/request.js';
import { storeReport } from './store-report.js';
import type { ReportStore } from '../store/types.js';

export interface PreflightRouteOptions {
  engine: EngineDependencies;
  maxConcurrentRuns: number;
  metrics: Metrics;
  /** Aborted when the process shuts down: every run stops, cleans up and answers with what it has. */
  shutdownSignal?: AbortSignal;
  /** Report history: every finished run's report is kept here. */
  store?: ReportStore;
  /** The run slots, when shared with the watch; else the route's own, maxConcurrentRuns of them. */
  runSlots?: RunSlots;
}

export type ResponseFormat = 'json' | 'event-stream' | 'markdown' | 'text';

/** Findings about what a run left in the customer's account. */
const LEFT_BEHIND = new Set(['MARKER_NOT_DELETED', 'MULTIPART_UPLOAD_NOT_ABORTED']);

/** JSON by default; an event stream for the onboarding UI; Markdown or plain text for curl users. */
export function responseFormat(accept: string | undefined): ResponseFormat {
  const value = accept ?? '';
  if (value.includes('text/event-stream')) return 'event-stream';
  if (value.includes('application/json') || value.includes('*/*') || !value) return 'json';
  if (value.includes('text/markdown')) return 'markdown';
  if (value.includes('text/plain')) return 'text';
  return 'json';
}

const schema = {
  summary: 'Run a preflight of an AWS connection',
  description: [
    'Obtains credentials, runs the probes of the requested capabilities and answers 200 with the report whatever its verdict.',
    '',
    'Content negotiation (Accept): `application/json` (default) the report; `text/markdown` or `text/plain` the same report rendered for people;',
    '`text/event-stream` live progress: one `probe` event per finished probe, data `{id, service, outcome, durationMs, skipReason?, error?: {code, category},',
    'capabilities: [{id, status}]}` (capabilities whose probes have all settled), then one `report` event whose data is the report (PreflightReport).',
    'A client that disconnects aborts its run.',
  ].join('\n'),
  operationId: 'runPreflight',
  security: [{ apiKey: [] }],
  body: PreflightBodySchema,
  response: {
    200: reportResponse({ stream: true }),
    400: InvalidRequestSchema,
    401: UnauthorizedResponse,
    ...bodyAndRateResponses,
    503: BusyResponse,
  },
};

/** A report answered as JSON, Markdown or text: a run's (POST /preflight) and a stored one's (GET /preflight/{id}) alike. */
export function sendReport(reply: FastifyReply, report: PreflightReport, format: Exclude<ResponseFormat, 'event-stream'>) {
  switch (format) {
    case 'markdown':
      return reply.code(200).type('text/markdown; charset=utf-8').send(renderMarkdown(report));
    case 'text':
      return reply.code(200).type('text/plain; charset=utf-8').send(renderTable(report, { color: false }));
    default:
      return reply.code(200).send(report);
  }
}

/** The data of a `probe` event. */
function probeEvent({ probe, capabilities }: ProbeEvent) {
  return {
    id: probe.id,
    service: probe.service,
    outcome: probe.outcome,
    durationMs: probe.durationMs,
    ...(probe.skipReason ? { skipReason: probe.skipReason } : {}),
    ...(probe.error ? { error: { code: probe.error.code, category: probe.error.category } } : {}),
    capabilities,
  };
}

/** A run's signal: aborted when the client leaves or the service shuts down. */
function runAbort(reply: FastifyReply, shutdownSignal: AbortSignal | undefined) {
  const abort = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableEnded) abort.abort(new Error('the client disconnected'));
  };
  const onShutdown = () => abort.abort(new Error('the service is shutting down'));
  reply.raw.on('close', onClose);
  shutdownSignal?.addEventListener('abort', onShutdown, { once: true });
  if (shutdownSignal?.aborted) onShutdown();
  return {
    signal: abort.signal,
    dispose() {
      reply.raw.off('close', onClose);
      shutdownSignal?.removeEventListener('abort', onShutdown);
    },
  };
}

/** A finished run in the metrics and the log. */
function recordRun(report: PreflightReport, metrics: Metrics, log: FastifyBaseLogger, clientLeft: boolean) {
  for (const probe of report.probes) metrics.probeOutcomes.inc({ probe: probe.id, outcome: probe.outcome, category: probe.error?.category ?? 'none' });
  log.info({ runId: report.id, status: report.status, durationMs: report.durationMs }, 'preflight finished');
  // What the run left in the customer's account goes to the log as well, with the commands that
  // remove it (keys are not secret): an operator finds it there even when nobody read the report.
  const leftBehind = report.findings.filter((finding) => LEFT_BEHIND.has(finding.code));
  if (leftBehind.length) {
    log.warn(
      { runId: report.id, clientLeft, leftBehind: leftBehind.map((f) => ({ code: f.code, message: f.message, commands: f.commands ?? [] })) },
      clientLeft ? 'the client left; objects the run could not clean up' : 'objects the run could not clean up',
    );
  }
}

export const preflightRoutes: FastifyPluginAsync<PreflightRouteOptions> = async (app, options) => {
  const { metrics } = options;
  const runSlots = options.runSlots ?? createRunSlots(options.maxConcurrentRuns);

  app.post(
    '/preflight',
    {
      schema,
      // The body is validated by validatePreflightRequest (it also takes the flat format and names fields our way).
      validatorCompiler: () => (value) => ({ value }),
      config: { startsRun: true },
    },
    async (request, reply) => {
      const validation = validatePreflightRequest(request.body);
      if (!validation.ok) {
        metrics.rejectedRuns.inc({ reason: 'invalid' });
        return reply.code(400).send({ error: 'invalid_request', issues: validation.issues });
      }
      if (!runSlots.take('api')) {
        metrics.rejectedRuns.inc({ reason: 'busy' });
        return reply.code(503).header('retry-after', '1').send({ error: 'busy', message: 'too many preflights are running; retry shortly' });
      }
      metrics.runsInFlight.inc();
      const abort = runAbort(reply, options.shutdownSignal);
      const stopTimer = metrics.runDuration.startTimer();
      const format = responseFormat(request.headers.accept);
      const events = eventStream(reply);
      try {
        const report = await runPreflight(validation.request, options.engine, {
          signal: abort.signal,
          requestId: request.id,
          // Progress only for a stream: each event costs the engine a look at every capability.
          onProbe: format === 'event-stream' ? (event) => events.send('probe', probeEvent(event)) : undefined,
        });
        stopTimer({ status: report.status });
        recordRun(report, metrics, request.log, abort.signal.aborted && reply.raw.destroyed);
        // The report as served, through the same response schema as JSON: the allow-list holds for
        // the event stream and the store too. Kept before it is answered, so that it can be looked up at once.
        const served = format === 'event-stream' || options.store ? (reply.serializeInput(report as unknown as Record<string, unknown>, '200', 'application/json') as string) : undefined;
        if (options.store) await storeReport(options.store, served!, request, metrics);
        if (format === 'event-stream') {
          events.send('report', served!, true);
          events.end();
          return reply;
        }
        return sendReport(reply, report, format);
      } catch (error) {
        if (error instanceof PreflightRefused) {
          metrics.rejectedRuns.inc({ reason: 'invalid' });
          return reply.code(400).send({ error: 'invalid_request', issues: error.issues });
        }
        if (events.opened) {
          request.log.error({ err: { type: (error as Error).name } }, 'preflight failed while streaming');
          events.send('error', { error: 'internal', message: 'internal error', requestId: request.id });
          events.end();
          return reply;
        }
        throw error;
      } finally {
        events.end();
        runSlots.release('api');
        metrics.runsInFlight.dec();
        abort.dispose();
      }
    },
  );
};
