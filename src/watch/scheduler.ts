// When each watched connection runs, and which replica runs it. Every connection has one timer, set
// for when it is next due (nothing polls: between runs the watch costs no CPU). When it fires, the
// replica takes a run slot (never the last free one), then claims the connection in the ledger: of
// several replicas on one database, one gets it and runs it; the others learn when it is due again.
// A claim is a lease: a replica that dies mid-run holds the connection only until its lease ends.
import type { RunSlots } from '../http/run-slots.js';
import type { WatchLedger, WatchRecord, WatchedRun } from '../store/types.js';
import type { WatchedConnection } from './file.js';

/** The scheduler's time: the system's, or a test's that it moves by hand. */
export interface WatchClock {
  now(): number;
  /** Runs `task` once `ms` have passed, without keeping the process alive; the function returned cancels it. */
  after(ms: number, task: () => Promise<void>): () => void;
}

export const systemClock: WatchClock = {
  now: Date.now,
  after(ms, task) {
    const timer = setTimeout(() => void task(), ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/** What a run of a claimed connection gave: the stored run (none when nothing was kept), and what to send about it afterwards. */
export interface CheckOutcome {
  run?: WatchedRun;
  /** Stopped by a shutdown: nothing of it counts, the connection is left due for another replica. */
  stopped?: boolean;
  /** Notifications, sent once the ledger has the run and the slot is free again; given up when `signal` aborts (a shutdown). */
  notify?(signal: AbortSignal): Promise<void>;
}

export interface WatchLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface SchedulerOptions {
  connections: readonly WatchedConnection[];
  ledger: WatchLedger;
  slots: RunSlots;
  /** Runs a claimed connection: its preflight, the report stored and compared with `previous`. */
  check(connection: WatchedConnection, previous: WatchedRun | undefined, signal: AbortSignal): Promise<CheckOutcome>;
  /** A run this replica learnt of from the ledger (its own or another replica's): for the metrics. */
  observe?(connection: WatchedConnection, run: WatchedRun): void;
  /** This replica, in the ledger's leases. */
  holder: string;
  /** How long a claim holds a connection: longer than any run with its report stored. */
  leaseMs: number;
  log: WatchLog;
  clock?: WatchClock;
  random?: () => number;
  /** The watch's durations (intervals, their jitter, the first run's window, retries) divided by this: tests and demos only. */
  timeScale?: number;
}

/** A connection's place in the schedule as GET /watch shows it. */
export interface WatchEntry {
  label: string;
  lastRun?: WatchedRun;
  nextRunAtMs: number;
}

export interface Watch {
  start(): Promise<void>;
  list(): Promise<WatchEntry[]>;
  /** Cancels every timer, stops the runs in flight (their connections are left due) and waits for them. */
  stop(): Promise<void>;
}

/** The first run of a connection never run before: within this of the start. */
export const FIRST_RUN_WINDOW_MS = 60_000;
/** Each interval is this much longer or shorter at random, so that connections and replicas spread out. */
export const INTERVAL_JITTER = 0.1;
/** No run slot free for the watch: tried again after about this long. */
const BUSY_RETRY_MS = 30_000;
/** The ledger did not answer (the store is down): tried again after about this long. */
const LEDGER_RETRY_MS = 60_000;
/** The least wait between two attempts at one connection, whatever the clocks say: no attempt spins. */
const LEAST_WAIT_MS = 1000;

export function createWatch(options: SchedulerOptions): Watch {
  const { connections, ledger, slots, log, holder, leaseMs } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const scale = options.timeScale ?? 1;
  /** A watch duration, scaled, around `ms` by ±`spread` at random, in whole milliseconds (the ledger's). */
  const around = (ms: number, spread: number) => Math.round((ms * (1 + (random() * 2 - 1) * spread)) / scale);

  const cancels = new Map<string, () => void>();
  let cancelEnroll: (() => void) | undefined;
  const planned = new Map<string, number>();
  const known = new Map<string, string>();
  const inFlight = new Set<Promise<void>>();
  const stopping = new AbortController();
  let stopped = false;

  const plan = (connection: WatchedConnection, atMs: number, task: () => Promise<void>) => {
    if (stopped) return;
    cancels.get(connection.label)?.();
    planned.set(connection.label, atMs);
    cancels.set(
      connection.label,
      clock.after(Math.max(0, atMs - clock.now()), () => {
        const running = task().catch((error: Error) => log.error({ connection: connection.label, err: { type: error.name, message: error.message } }, 'watch: internal error'));
        inFlight.add(running);
        return running.finally(() => inFlight.delete(running));
      }),
    );
  };

  const observe = (connection: WatchedConnection, record: WatchRecord | undefined) => {
    const run = record?.lastRun;
    if (!run || known.get(connection.label) === run.id) return;
    known.set(connection.label, run.id);
    options.observe?.(connection, run);
  };

  /** When to try again a connection this replica could not claim: when its holder's lease ends, else when it is due. */
  const retryAt = (record: WatchRecord | undefined, now: number) => {
    if (!record) return now + around(LEDGER_RETRY_MS, 0.5);
    const when = record.leaseUntilMs !== undefined && record.leaseUntilMs > now ? record.leaseUntilMs : record.nextRunAtMs;
    return Math.max(when, now + LEAST_WAIT_MS);
  };

  const attempt = async (connection: WatchedConnection): Promise<void> => {
    if (stopped) return;
    const { label } = connection;
    if (!slots.take('watch')) {
      log.info({ connection: label }, 'watch: no run slot to spare for API callers; trying again shortly');
      plan(connection, clock.now() + around(BUSY_RETRY_MS, 0.5), () => attempt(connection));
      return;
    }
    let slotHeld = true;
    const releaseSlot = () => {
      if (slotHeld) slots.release('watch');
      slotHeld = false;
    };
    try {
      const claimedAt = clock.now();
      let claim;
      try {
        claim = await ledger.claim(label, holder, claimedAt, claimedAt + leaseMs);
      } catch (error) {
        log.error({ connection: label, err: { type: (error as Error).name, message: (error as Error).message } }, 'watch: the report store could not answer; trying again later');
        plan(connection, clock.now() + around(LEDGER_RETRY_MS, 0.5), () => attempt(connection));
        return;
      }
      if (!claim.claimed) {
        releaseSlot();
        observe(connection, claim.record);
        plan(connection, retryAt(claim.record, clock.now()), () => attempt(connection));
        return;
      }
      log.info({ connection: label }, 'watch: checking');
      let outcome: CheckOutcome;
      try {
        outcome = await options.check(connection, claim.record?.lastRun, stopping.signal);
      } catch (error) {
        // A fault of ours, not the connection's: nothing to keep this interval, the schedule goes on.
        log.error({ connection: label, err: { type: (error as Error).name } }, 'watch: the run failed (internal error); the connection runs again next interval');
        outcome = {};
      }
      releaseSlot();
      if (outcome.stopped || stopped) {
        await ledger.release(label, holder).catch(() => {});
        return;
      }
      if (outcome.run) known.set(label, outcome.run.id);
      const next = clock.now() + around(connection.intervalMs, INTERVAL_JITTER);
      try {
        if (!(await ledger.complete(label, holder, next, outcome.run))) {
          log.warn({ connection: label }, 'watch: the run outlasted its lease; another replica may have run it too');
        }
      } catch (error) {
        // The lease ends on its own; the next run is due at once then, by whichever replica.
        log.error({ connection: label, err: { type: (error as Error).name, message: (error as Error).message } }, 'watch: could not record the run in the report store');
      }
      plan(connection, next, () => attempt(connection));
      await outcome.notify?.(stopping.signal);
    } finally {
      releaseSlot();
    }
  };

  const enroll = async (): Promise<void> => {
    if (stopped) return;
    const now = clock.now();
    let records: WatchRecord[];
    try {
      records = await ledger.enroll(
        connections.map((connection) => ({
          label: connection.label,
          firstRunAtMs: now + Math.round((random() * FIRST_RUN_WINDOW_MS) / scale),
          latestRunAtMs: now + Math.round(connection.intervalMs / scale),
        })),
      );
    } catch (error) {
      log.error({ err: { type: (error as Error).name, message: (error as Error).message } }, 'watch: the report store could not answer; the watch starts once it does');
      if (!stopped) cancelEnroll = clock.after(around(LEDGER_RETRY_MS, 0.5), enroll);
      return;
    }
    for (const connection of connections) {
      const record = records.find((r) => r.label === connection.label);
      observe(connection, record);
      plan(connection, record ? retryAt(record, now - LEAST_WAIT_MS) : now, () => attempt(connection));
    }
  };

  return {
    async start() {
      await enroll();
      log.info({ connections: connections.length }, `watch: ${connections.length} connection${connections.length === 1 ? '' : 's'} watched`);
    },
    async list() {
      const records = new Map((await ledger.list(connections.map((c) => c.label))).map((record) => [record.label, record]));
      return connections.map(({ label }) => {
        const record = records.get(label);
        return { label, ...(record?.lastRun ? { lastRun: record.lastRun } : {}), nextRunAtMs: record?.nextRunAtMs ?? planned.get(label) ?? clock.now() };
      });
    },
    async stop() {
      stopped = true;
      cancelEnroll?.();
      for (const cancel of cancels.values()) cancel();
      cancels.clear();
      stopping.abort(new Error('the service is shutting down'));
      await Promise.allSettled([...inFlight]);
    },
  };
}
