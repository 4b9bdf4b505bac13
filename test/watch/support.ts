// What the watch's tests share: a clock moved by hand, a webhook receiver over real HTTP, and the
// service wired to a sandbox with a watch, as server.ts wires it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { type AppOptions, REDACTED_PATHS, buildApp } from '../../src/app.js';
import { type ClientFactory, createClientFactory } from '../../src/aws/clients.js';
import { createCallSlots } from '../../src/preflight/call-slots.js';
import { PROBES } from '../../src/probes/registry.js';
import type { WatchSetup } from '../../src/routes/watch.js';
import { serviceIdentityOf } from '../../src/sandbox/sample.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import type { ReportStore } from '../../src/store/types.js';
import type { WatchClock } from '../../src/watch/scheduler.js';

export interface FakeClock {
  clock: WatchClock;
  now(): number;
  /** Timers set and not yet fired or cancelled. */
  pending(): number;
  /** Timers that fired so far. */
  readonly fired: number;
  /** Moves the time forward by `ms`, firing each timer that falls due on the way, in order, and waiting for what it started. */
  advance(ms: number): Promise<void>;
}

export function fakeClock(start = Math.floor(Date.now() / 1000) * 1000): FakeClock {
  let now = start;
  let sequence = 0;
  let timers: Array<{ at: number; order: number; task: () => Promise<void> }> = [];
  let fired = 0;
  return {
    clock: {
      now: () => now,
      after(ms, task) {
        const timer = { at: now + ms, order: sequence++, task };
        timers.push(timer);
        return () => {
          timers = timers.filter((t) => t !== timer);
        };
      },
    },
    now: () => now,
    pending: () => timers.length,
    get fired() {
      return fired;
    },
    async advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.order - b.order)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = Math.max(now, due.at);
        fired += 1;
        await due.task();
      }
      now = until;
    },
  };
}

export interface Delivered {
  headers: Record<string, string | string[] | undefined>;
  /** The body as the bytes arrived (a signature is over these). */
  raw: string;
}

/** An HTTP receiver of webhooks: every request kept; it answers each with the next status of `statuses` (then 200). */
export async function startReceiver(statuses: number[] = []) {
  const received: Delivered[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, raw: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/preflight`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A logger as server.ts makes one (JSON lines, its redactions), into `lines`. */
export function capturingLogger(lines: string[]) {
  return pino({ level: 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, { write: (line: string) => void lines.push(line) });
}

export const WATCH_API_KEY = 'watch-test-api-key-0123456789';

/** The service against `sandbox` with `watch`, as server.ts builds it (the engine, the store, the run slots); not listening. */
export async function watchedApp(
  sandbox: Sandbox,
  store: ReportStore,
  watch: WatchSetup,
  options: { maxConcurrentRuns?: number; logger?: AppOptions['logger'] } = {},
): Promise<{ app: FastifyInstance; clients: ClientFactory }> {
  const clients = createClientFactory({ defaultEndpoint: sandbox.endpoint, s3ForcePathStyle: true });
  const identity = serviceIdentityOf(sandbox)!;
  const app = await buildApp({
    config: { apiKeys: [WATCH_API_KEY], authDisabled: false, maxConcurrentRuns: options.maxConcurrentRuns ?? 8 },
    engine: { clients, serviceCredentials: async () => identity, allowAmbient: false, maxRunMs: 20_000, callSlots: createCallSlots(16), probes: PROBES },
    store,
    watch,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return { app, clients };
}
