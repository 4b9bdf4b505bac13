// The scheduler on a clock moved by hand, against a real ledger (SQLite files, one per test, shared
// by the replicas of a test): nothing wakes up between runs, the first run comes within a minute,
// intervals are jittered, the watch leaves an API caller the last run slot, replicas on one ledger
// run each connection once per interval, and a replica that died mid-run blocks nobody for longer
// than its lease.
import { afterEach, describe, expect, it } from 'vitest';
import { createRunSlots } from '../../src/http/run-slots.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { ReportStore, WatchedRun } from '../../src/store/types.js';
import type { WatchedConnection } from '../../src/watch/file.js';
import { type CheckOutcome, FIRST_RUN_WINDOW_MS, type Watch, createWatch } from '../../src/watch/scheduler.js';
import { type TempStore, tempStore } from '../store/support.js';
import { type FakeClock, fakeClock } from './support.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const LEASE_MS = 30_000;

const connection = (label: string, intervalMs: number): WatchedConnection => ({
  label,
  intervalMs,
  request: { region: 'eu-west-1', accountId: '123456789012', credentials: { type: 'role', roleArn: 'arn:aws:iam::123456789012:role/R' } },
  externalIdSource: 'environment variable X',
  externalId: async () => 'external-id',
});

const quiet = { info() {}, warn() {}, error() {} };

const temps: TempStore[] = [];
const extra: ReportStore[] = [];
const watches: Watch[] = [];
afterEach(async () => {
  await Promise.all(watches.splice(0).map((w) => w.stop()));
  await Promise.all(extra.splice(0).map((s) => s.close()));
  await Promise.all(temps.splice(0).map((t) => t.remove()));
});

/** A ledger, and more replicas' views of the same one. */
async function ledgers(replicas = 1) {
  const temp = await tempStore();
  temps.push(temp);
  const others = await Promise.all(Array.from({ length: replicas - 1 }, () => openSqliteStore({ path: temp.path, retentionDays: 30 })));
  extra.push(...others);
  return [temp.store, ...others].map((store) => store.watchLedger!);
}

interface Ran {
  label: string;
  at: number;
  replica: string;
}

/** A replica's watch whose runs are only counted: each "stores" a run at once. */
function replica(name: string, time: FakeClock, ledger: NonNullable<ReportStore['watchLedger']>, connections: WatchedConnection[], ran: Ran[], extraOptions: Partial<Parameters<typeof createWatch>[0]> = {}) {
  let count = 0;
  const watch = createWatch({
    connections,
    ledger,
    slots: createRunSlots(8),
    holder: name,
    leaseMs: LEASE_MS,
    log: quiet,
    clock: time.clock,
    check: async (c): Promise<CheckOutcome> => {
      ran.push({ label: c.label, at: time.now(), replica: name });
      return { run: { id: `${name}-${++count}`, atMs: time.now(), status: 'ok' } };
    },
    ...extraOptions,
  });
  watches.push(watch);
  return watch;
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

describe('the watch scheduler', () => {
  it('sleeps between runs: one timer per connection, none fires but to run it (no polling)', async () => {
    const time = fakeClock();
    const [ledger] = await ledgers();
    const ran: Ran[] = [];
    const watched = [connection('five-minutes', 5 * MINUTE), connection('hourly', HOUR), connection('default', 6 * HOUR)];
    await replica('a', time, ledger!, watched, ran).start();
    expect(time.pending()).toBe(3);
    // Twelve hours, a minute at a time: between runs nothing wakes up.
    for (let minute = 0; minute < 12 * 60; minute++) {
      await time.advance(MINUTE);
      expect(time.pending()).toBe(3);
    }
    expect(time.fired).toBe(ran.length);
    const runsOf = (label: string) => ran.filter((r) => r.label === label).length;
    // About one run per interval (±10 %), the first within a minute.
    expect(runsOf('five-minutes')).toBeGreaterThanOrEqual(131);
    expect(runsOf('five-minutes')).toBeLessThanOrEqual(161);
    expect(runsOf('hourly')).toBeGreaterThanOrEqual(11);
    expect(runsOf('hourly')).toBeLessThanOrEqual(14);
    expect(runsOf('default')).toBeGreaterThanOrEqual(2);
    expect(runsOf('default')).toBeLessThanOrEqual(3);
  });

  it('runs a new connection within a minute of the start, then every interval within ±10 %, spread at random', async () => {
    const time = fakeClock();
    const [ledger] = await ledgers();
    const ran: Ran[] = [];
    const start = time.now();
    await replica('a', time, ledger!, [connection('one', HOUR), connection('two', HOUR), connection('three', HOUR)], ran).start();
    await time.advance(FIRST_RUN_WINDOW_MS);
    expect(ran.map((r) => r.label).sort()).toEqual(['one', 'three', 'two']);
    for (const run of ran) expect(run.at - start).toBeLessThanOrEqual(FIRST_RUN_WINDOW_MS);
    await time.advance(20 * HOUR);
    const times = ran.filter((r) => r.label === 'one').map((r) => r.at);
    for (const gap of gaps(times)) {
      expect(gap).toBeGreaterThanOrEqual(0.9 * HOUR);
      expect(gap).toBeLessThanOrEqual(1.1 * HOUR);
    }
    expect(new Set(gaps(times)).size).toBeGreaterThan(1); // jittered, not a fixed beat
  });

  it('keeps the schedule across a restart: a connection run an hour ago is not run again at start', async () => {
    const time = fakeClock();
    const [ledger] = await ledgers();
    const ran: Ran[] = [];
    const first = replica('a', time, ledger!, [connection('one', 6 * HOUR)], ran);
    await first.start();
    await time.advance(FIRST_RUN_WINDOW_MS);
    expect(ran).toHaveLength(1);
    await first.stop();
    await time.advance(HOUR);
    await replica('b', time, ledger!, [connection('one', 6 * HOUR)], ran).start();
    await time.advance(4 * HOUR);
    expect(ran).toHaveLength(1);
    await time.advance(2 * HOUR);
    expect(ran).toHaveLength(2);
  });

  it('never takes the last free run slot from an API caller, nor more than half of them', async () => {
    const time = fakeClock();
    const [ledger] = await ledgers();
    const ran: Ran[] = [];
    const slots = createRunSlots(2);
    expect(slots.take('api')).toBe(true); // a caller's run: one slot left, the last
    await replica('a', time, ledger!, [connection('one', HOUR)], ran, { slots }).start();
    await time.advance(FIRST_RUN_WINDOW_MS);
    expect(ran).toHaveLength(0);
    expect(slots.take('api')).toBe(true); // the last slot was still there for another caller
    slots.release('api');
    slots.release('api');
    await time.advance(MINUTE);
    expect(ran).toHaveLength(1);
    // Half of the slots at most: of 4, the watch holds 2 and then waits.
    const four = createRunSlots(4);
    expect([four.take('watch'), four.take('watch'), four.take('watch')]).toEqual([true, true, false]);
    expect([four.take('api'), four.take('api'), four.take('api')]).toEqual([true, true, false]);
  });

  it('runs each connection once per interval across replicas on one ledger', async () => {
    const time = fakeClock();
    const shared = await ledgers(3);
    const ran: Ran[] = [];
    const watched = [connection('one', 30 * MINUTE), connection('two', HOUR)];
    for (const [index, ledger] of shared.entries()) await replica(`replica-${index}`, time, ledger, watched, ran).start();
    await time.advance(10 * HOUR);
    for (const [label, interval] of [['one', 30 * MINUTE], ['two', HOUR]] as const) {
      const times = ran.filter((r) => r.label === label).map((r) => r.at);
      expect(times.length).toBeGreaterThanOrEqual(Math.floor((10 * HOUR) / (1.1 * interval)));
      expect(times.length).toBeLessThanOrEqual(Math.ceil((10 * HOUR) / (0.9 * interval)) + 1);
      for (const gap of gaps(times)) expect(gap).toBeGreaterThanOrEqual(0.9 * interval);
    }
  });

  it('runs a connection whose replica died mid-run once that replica\'s lease has ended, not before', async () => {
    const time = fakeClock();
    const [ledger, survivor] = await ledgers(2);
    await ledger!.enroll([{ label: 'one', firstRunAtMs: time.now(), latestRunAtMs: time.now() + HOUR }]);
    // A replica claims it, then dies: it never completes.
    expect((await ledger!.claim('one', 'dead-replica', time.now(), time.now() + LEASE_MS)).claimed).toBe(true);
    const ran: Ran[] = [];
    await replica('survivor', time, survivor!, [connection('one', HOUR)], ran).start();
    await time.advance(LEASE_MS - 1);
    expect(ran).toHaveLength(0);
    await time.advance(1);
    expect(ran).toHaveLength(1);
    expect((await survivor!.list(['one']))[0]).toMatchObject({ lastRun: { id: 'survivor-1' } });
  });

  it('keeps its schedule when a run fails on a fault of its own: the connection runs again next interval', async () => {
    const time = fakeClock();
    const [ledger] = await ledgers();
    const ran: Ran[] = [];
    let calls = 0;
    const errors: string[] = [];
    await replica('a', time, ledger!, [connection('one', HOUR)], ran, {
      log: { ...quiet, error: (_details: object, message: string) => void errors.push(message) },
      check: async () => {
        calls += 1;
        if (calls === 1) throw new TypeError('a bug');
        return { run: { id: `run-${calls}`, atMs: time.now(), status: 'ok' } };
      },
    }).start();
    await time.advance(FIRST_RUN_WINDOW_MS);
    expect(errors).toEqual(['watch: the run failed (internal error); the connection runs again next interval']);
    const [after] = await ledger!.list(['one']);
    expect(after!.leaseUntilMs).toBeUndefined();
    expect(after!.lastRun).toBeUndefined();
    await time.advance(1.1 * HOUR);
    expect(calls).toBe(2);
    expect((await ledger!.list(['one']))[0]!.lastRun).toMatchObject({ id: 'run-2' });
  });

  it('on stop, stops the run in flight and leaves its connection due for another replica', async () => {
    const time = fakeClock();
    const [ledger] = await ledgers();
    const ran: Ran[] = [];
    let aborted = false;
    const watch = replica('a', time, ledger!, [connection('one', HOUR)], ran, {
      check: (_c, _p: WatchedRun | undefined, signal) =>
        new Promise<CheckOutcome>((resolve) => {
          ran.push({ label: 'one', at: time.now(), replica: 'a' });
          signal.addEventListener('abort', () => ((aborted = true), resolve({ stopped: true })));
        }),
    });
    await watch.start();
    const advancing = time.advance(FIRST_RUN_WINDOW_MS);
    await expect.poll(() => ran.length).toBe(1);
    const [before] = await ledger!.list(['one']);
    expect(before!.leaseUntilMs).toBeDefined();
    await watch.stop();
    await advancing;
    expect(aborted).toBe(true);
    expect(await ledger!.list(['one'])).toEqual([{ label: 'one', nextRunAtMs: before!.nextRunAtMs }]);
    expect(time.pending()).toBe(0);
  });
});
