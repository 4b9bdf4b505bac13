// GET /watch: the connections the service watches on its own (PREFLIGHT_WATCH_FILE), each with its
// latest run and when it runs next, as every replica sees them (the report store's ledger). The
// plugin also starts the watch when the service is ready and stops it when it closes.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { Metrics } from '../http/metrics.js';
import type { RunSlots } from '../http/run-slots.js';
import { RateLimitedResponse, StoreUnavailableResponse, UnauthorizedResponse } from '../http/responses.js';
import { ReportSchema } from '../schemas/report.js';
import { CLEANUP_GRACE_MS, type EngineDependencies } from '../preflight/engine.js';
import { OVERALL_STATUSES, type PreflightReport } from '../preflight/types.js';
import type { ReportStore } from '../store/types.js';
import type { WatchedConnection } from '../watch/file.js';
import { createWatchMetrics } from '../watch/metrics.js';
import { webhookSender } from '../watch/notify.js';
import { watchedRun } from '../watch/run.js';
import { type Watch, type WatchClock, createWatch } from '../watch/scheduler.js';

/** The watch as the edge configured it (PREFLIGHT_WATCH_FILE and friends); tests give it a clock. */
export interface WatchSetup {
  connections: readonly WatchedConnection[];
  webhook?: { url: string; secret: string };
  /** The service's address for people (PREFLIGHT_PUBLIC_URL): notifications link to the stored report there. */
  publicUrl?: string;
  /** Tests and demos only: the watch's durations divided by this (PREFLIGHT_WATCH_TIME_SCALE). */
  timeScale?: number;
  clock?: WatchClock;
  random?: () => number;
  /** The webhook's wait between attempts (tests). */
  sleep?: (ms: number) => Promise<void>;
}

export interface WatchRouteOptions {
  watch?: WatchSetup;
  engine: EngineDependencies;
  store?: ReportStore;
  metrics: Metrics;
  runSlots: RunSlots;
}

/** Beyond a run's longest (its maximum and the clean-up grace): storing its report and recording it. */
const LEASE_MARGIN_MS = 5000;

const WatchListSchema = Type.Object(
  {
    connections: Type.Array(
      Type.Object({
        label: Type.String({ description: "The watch file's label of the connection" }),
        lastRun: Type.Unsafe<{ id: string; at: string; status: (typeof OVERALL_STATUSES)[number] } | null>({
          type: ['object', 'null'],
          properties: { id: { type: 'string', description: 'Its stored report: GET /preflight/{id}' }, at: { type: 'string', format: 'date-time' }, status: { type: 'string', enum: [...OVERALL_STATUSES] } },
          required: ['id', 'at', 'status'],
          description: 'The latest stored run; null before the first',
        }),
        nextRunAt: Type.String({ format: 'date-time', description: 'When it is due next (in the past while a run is in progress)' }),
      }),
    ),
  },
  { $id: 'WatchList', description: 'The watched connections, in the order of the watch file' },
);

export const watchRoutes: FastifyPluginAsync<WatchRouteOptions> = async (app, options) => {
  let watch: Watch | undefined;
  const setup = options.watch;
  if (setup) {
    const { store } = options;
    const ledger = store?.watchLedger;
    if (!store || !ledger) throw new Error('the watch needs a report store with a ledger');
    // POST /preflight's own serializer for the report: the same allow-list for what the watch keeps.
    const serialize = SerializerSelector()({}, {})({ schema: ReportSchema, method: 'POST', url: '/preflight', httpStatus: '200' }) as (report: PreflightReport) => string;
    const send = setup.webhook ? webhookSender({ ...setup.webhook, sleep: setup.sleep, random: setup.random }) : undefined;
    const run = watchedRun({
      engine: options.engine,
      store,
      serialize,
      metrics: options.metrics,
      watchMetrics: createWatchMetrics(options.metrics.registry, setup.connections.map((c) => c.label)),
      send,
      publicUrl: setup.publicUrl,
      log: app.log,
    });
    watch = createWatch({
      connections: setup.connections,
      ledger,
      slots: options.runSlots,
      check: run.check,
      observe: (connection, lastRun) => void run.observe(connection, lastRun),
      holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      leaseMs: options.engine.maxRunMs + CLEANUP_GRACE_MS + LEASE_MARGIN_MS,
      log: app.log,
      clock: setup.clock,
      random: setup.random,
      timeScale: setup.timeScale,
    });
    const started = watch;
    app.addHook('onReady', () => started.start());
    // At the start of a shutdown: watched runs serve no one waiting, they stop at once.
    app.addHook('preClose', () => started.stop());
  }

  app.get(
    '/watch',
    {
      schema: {
        operationId: 'listWatch',
        summary: 'The watched connections, their latest run and next run',
        description:
          "The connections of the operator's watch file (PREFLIGHT_WATCH_FILE), each checked on its own every interval; their runs are stored like any (GET /preflight/{id}). Empty when the service watches nothing.",
        security: [{ apiKey: [] }],
        response: { 200: WatchListSchema, 401: UnauthorizedResponse, 429: RateLimitedResponse, 503: StoreUnavailableResponse },
      },
    },
    async (request, reply) => {
      if (!watch) return reply.send({ connections: [] });
      let entries;
      try {
        entries = await watch.list();
      } catch (error) {
        request.log.error({ err: { type: (error as Error).name, message: (error as Error).message } }, 'the report store could not answer');
        return reply
          .code(503)
          .header('retry-after', '5')
          .send({ error: 'store_unavailable', message: 'the report store is not answering: retry shortly', requestId: request.id });
      }
      return reply.send({
        connections: entries.map((entry) => ({
          label: entry.label,
          lastRun: entry.lastRun ? { id: entry.lastRun.id, at: new Date(entry.lastRun.atMs).toISOString(), status: entry.lastRun.status } : null,
          nextRunAt: new Date(entry.nextRunAtMs).toISOString(),
        })),
      });
    },
  );
};
