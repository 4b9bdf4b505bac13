// What every report store does, whatever keeps the reports (SQLite, PostgreSQL): run by
// sqlite.test.ts and postgres.test.ts against a new, empty place each test.
import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS, type ReportStore, connectionFingerprint } from '../../src/store/types.js';
import { report } from './fixtures.js';

export interface Place {
  open(options?: { retentionDays?: number; now?: () => number }): Promise<ReportStore>;
  remove(): Promise<void>;
}

export function storeContract(name: string, newPlace: () => Promise<Place>) {
  describe(`${name} report store`, () => {
    const places: Place[] = [];
    const stores: ReportStore[] = [];
    afterEach(async () => {
      await Promise.all(stores.splice(0).map((s) => s.close()));
      for (const place of places.splice(0)) await place.remove();
    });
    async function fresh() {
      const place = await newPlace();
      places.push(place);
      return {
        async open(options?: Parameters<Place['open']>[0]) {
          const store = await place.open(options);
          stores.push(store);
          return store;
        },
      };
    }

    it('keeps a report as it was given, with its summary, across a reopen (restart)', async () => {
      const place = await fresh();
      const first = await place.open();
      const kept = report({ status: 'degraded' });
      const summary = await first.save(JSON.stringify(kept), { apiKeyLabel: 'key:0a1b2c3d' });
      expect(summary).toEqual({ id: kept.id, startedAt: kept.startedAt, status: 'degraded', durationMs: 1200, apiKeyLabel: 'key:0a1b2c3d', fingerprint: connectionFingerprint(kept.connection) });
      await first.close();

      const second = await place.open();
      const found = await second.get(kept.id);
      expect(found?.report).toEqual(kept);
      expect(found?.summary).toEqual(summary);
      expect(await second.get('nosuchrun000')).toBeUndefined();
    });

    it("lists a connection's runs newest first, in pages, and no other connection's", async () => {
      const store = await (await fresh()).open();
      const runs = Array.from({ length: 5 }, () => report());
      const other = report({ connection: { ...runs[0]!.connection, region: 'us-east-1' } });
      for (const r of [...runs, other]) await store.save(JSON.stringify(r), {});
      const fingerprint = connectionFingerprint(runs[0]!.connection);
      expect(connectionFingerprint(other.connection)).not.toBe(fingerprint);

      const first = await store.runs(fingerprint, { limit: 2 });
      expect(first.runs.map((r) => r.id)).toEqual([runs[4]!.id, runs[3]!.id]);
      const second = await store.runs(fingerprint, { limit: 2, cursor: first.next });
      expect(second.runs.map((r) => r.id)).toEqual([runs[2]!.id, runs[1]!.id]);
      const last = await store.runs(fingerprint, { limit: 2, cursor: second.next });
      expect(last.runs.map((r) => r.id)).toEqual([runs[0]!.id]);
      expect(last.next).toBeUndefined();
      expect((await store.runs(connectionFingerprint(other.connection), { limit: 10 })).runs.map((r) => r.id)).toEqual([other.id]);
    });

    it('refuses a cursor whose time no report can have, as the same mistake in every store', async () => {
      const store = await (await fresh()).open();
      await store.save(JSON.stringify(report()), {});
      const fingerprint = connectionFingerprint(report().connection);
      // Before: PostgreSQL failed on its BIGINT ("out of range"), SQLite rounded it and answered a page.
      for (const cursor of ['99999999999999999999.run000000001', '9007199254740993.run000000001']) {
        await expect(store.runs(fingerprint, { limit: 2, cursor })).rejects.toMatchObject({ name: 'InvalidCursorError', message: expect.stringMatching(/not a cursor of this service/) });
      }
      expect((await store.runs(fingerprint, { limit: 2, cursor: '9007199254740991.run000000001' })).runs).toHaveLength(1);
    });

    it('deletes reports older than the retention, by its own clock', async () => {
      let now = Date.UTC(2026, 10, 1);
      const store = await (await fresh()).open({ retentionDays: 30, now: () => now });
      const old = report();
      await store.save(JSON.stringify(old), {});
      now += 20 * DAY_MS;
      const recent = report();
      await store.save(JSON.stringify(recent), {});

      now += 11 * DAY_MS; // the first is 31 days old, the second 11
      expect(await store.get(old.id)).toBeUndefined(); // not answered even before the sweep
      expect(await store.deleteExpired()).toBe(1);
      expect(await store.get(recent.id)).toBeDefined();
      expect((await store.runs(connectionFingerprint(recent.connection), { limit: 10 })).runs.map((r) => r.id)).toEqual([recent.id]);
      expect(await store.deleteExpired()).toBe(0);
    });

    it('deletes any number of expired reports, a batch at a time, each within the timeout', async () => {
      let now = Date.UTC(2026, 10, 1);
      const store = await (await fresh()).open({ retentionDays: 30, now: () => now });
      for (let i = 0; i < 1001; i += 50) await Promise.all(Array.from({ length: Math.min(50, 1001 - i) }, () => store.save(JSON.stringify(report()), {})));
      const recent = report();
      now += 20 * DAY_MS;
      await store.save(JSON.stringify(recent), {});
      now += 11 * DAY_MS;
      expect(await store.deleteExpired()).toBe(1001);
      expect((await store.size()).reports).toBe(1);
    }, 60_000);

    it('says how much it holds: every report counted, bytes growing with them, expired ones until the sweep', async () => {
      let now = Date.UTC(2026, 10, 1);
      const store = await (await fresh()).open({ retentionDays: 30, now: () => now });
      const empty = await store.size();
      expect(empty.reports).toBe(0);
      expect(empty.bytes).toBeGreaterThan(0); // the empty table and its indexes

      for (let i = 0; i < 10; i++) await store.save(JSON.stringify(report()), {});
      now += 20 * DAY_MS;
      for (let i = 0; i < 10; i++) await store.save(JSON.stringify(report()), {});
      const full = await store.size();
      expect(full.reports).toBe(20);
      expect(full.bytes).toBeGreaterThan(empty.bytes);

      now += 11 * DAY_MS; // the first ten are 31 days old
      expect((await store.size()).reports).toBe(20); // still held, no longer answered
      expect(await store.deleteExpired()).toBe(10);
      expect((await store.size()).reports).toBe(10);
    });

    it("keeps the watch's schedule for every replica: one claim wins, a dead holder's lease ends, a run recorded", async () => {
      const place = await fresh();
      // Two replicas on one place.
      const [a, b] = [(await place.open()).watchLedger!, (await place.open()).watchLedger!];
      expect(await a.enroll([{ label: 'acme', firstRunAtMs: 1000, latestRunAtMs: 5000 }])).toEqual([{ label: 'acme', nextRunAtMs: 1000 }]);
      // A replica starting later keeps the schedule it finds; an interval shortened brings it forward.
      expect(await b.enroll([{ label: 'acme', firstRunAtMs: 3000, latestRunAtMs: 9000 }, { label: 'other', firstRunAtMs: 2000, latestRunAtMs: 9000 }])).toEqual([
        { label: 'acme', nextRunAtMs: 1000 },
        { label: 'other', nextRunAtMs: 2000 },
      ]);
      expect(await b.enroll([{ label: 'acme', firstRunAtMs: 3000, latestRunAtMs: 800 }])).toEqual([{ label: 'acme', nextRunAtMs: 800 }]);

      // Not due yet: nobody gets it, and the record says when.
      expect(await a.claim('acme', 'replica-a', 700, 10_700)).toEqual({ claimed: false, record: { label: 'acme', nextRunAtMs: 800 } });
      // Due: of two claims at once, one wins.
      const claims = await Promise.all([a.claim('acme', 'replica-a', 900, 10_900), b.claim('acme', 'replica-b', 900, 10_900)]);
      expect(claims.map((c) => c.claimed).sort()).toEqual([false, true]);
      const [winner, loser] = claims[0]!.claimed ? (['replica-a', b] as const) : (['replica-b', a] as const);
      // While its lease lasts, nobody else gets it; the record says until when.
      expect(await loser.claim('acme', 'replica-c', 5000, 15_000)).toEqual({ claimed: false, record: { label: 'acme', nextRunAtMs: 800, leaseUntilMs: 10_900 } });
      // The winner dies mid-run: once its lease has ended, another replica takes it.
      expect((await loser.claim('acme', 'replica-c', 10_900, 20_900)).claimed).toBe(true);
      expect(await a.complete('acme', winner, 99_999, { id: 'late', atMs: 900, status: 'failed' })).toBe(false);
      expect(await b.complete('acme', 'replica-c', 30_000, { id: 'run-1', atMs: 10_900, status: 'degraded' })).toBe(true);
      expect(await a.list(['acme', 'other', 'gone'])).toEqual(
        expect.arrayContaining([
          { label: 'acme', nextRunAtMs: 30_000, lastRun: { id: 'run-1', atMs: 10_900, status: 'degraded' } },
          { label: 'other', nextRunAtMs: 2000 },
        ]),
      );
      // A run that stored nothing keeps the last one; a run stopped by a shutdown leaves it due as it was.
      expect((await a.claim('acme', 'replica-a', 30_000, 40_000)).claimed).toBe(true);
      expect(await a.complete('acme', 'replica-a', 50_000)).toBe(true);
      expect((await b.claim('acme', 'replica-b', 50_000, 60_000)).claimed).toBe(true);
      await b.release('acme', 'replica-b');
      expect(await a.list(['acme'])).toEqual([{ label: 'acme', nextRunAtMs: 50_000, lastRun: { id: 'run-1', atMs: 10_900, status: 'degraded' } }]);
      expect((await a.claim('acme', 'replica-a', 50_000, 60_000)).claimed).toBe(true);
    });
  });
}
