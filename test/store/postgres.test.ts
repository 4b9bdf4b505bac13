// The PostgreSQL store against a real server (postgres-support.ts: skipped without one, except in CI).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyLabel } from '../../src/http/auth.js';
import type { PreflightReport } from '../../src/preflight/types.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { type ReportStore, StoreError } from '../../src/store/types.js';
import { TEST_API_KEY, sampleRequest, startHarness } from '../support/service.js';
import { storeContract } from './contract.js';
import { TEST_DATABASE_URL as URL_, freezeServer, newSchema } from './postgres-support.js';

describe.skipIf(!URL_)('PostgreSQL', () => {
  storeContract('PostgreSQL', async () => {
    const schema = await newSchema();
    return { open: (options = {}) => openPostgresStore({ url: schema.url, retentionDays: options.retentionDays ?? 30, now: options.now }), remove: schema.remove };
  });

  it('migrates once when replicas start together', async () => {
    const schema = await newSchema();
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore({ url: schema.url, retentionDays: 30 })));
      await Promise.all(stores.map((s) => s.close()));
      const client = new pg.Client({ connectionString: schema.url });
      await client.connect();
      const { rows } = await client.query('SELECT version FROM preflight_schema_migrations ORDER BY version');
      await client.end();
      expect(rows).toEqual([{ version: 1 }, { version: 2 }]);
    } finally {
      await schema.remove();
    }
  });

  it('says clearly when the database cannot be reached, without the password', async () => {
    const url = new URL(URL_!);
    url.password = 'wrong-password-not-to-be-shown';
    const attempt = openPostgresStore({ url: url.toString(), retentionDays: 30 });
    await expect(attempt).rejects.toThrow(StoreError);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toMatch(/^cannot use the report database postgres:\/\/preflight:\*\*\*@/);
    expect(message).not.toContain('wrong-password-not-to-be-shown');
  });

  describe('frozen', () => {
    /** `promise`, or a failure after `ms`: a test of a hang must not hang. */
    const answered = <T>(promise: Promise<T>, what: string, ms = 8000) =>
      Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms).unref())]);
    const auth = { authorization: `Bearer ${TEST_API_KEY}` };

    it('holds no run, no scrape and no read: the write is given up, the run answered, the rest answer at once', async () => {
      const schema = await newSchema();
      const store = await openPostgresStore({ url: schema.url, retentionDays: 30, timeoutMs: 300 });
      const harness = await startHarness('full-access', { store });
      try {
        const before = (await harness.preflight(sampleRequest(harness.sandbox))).body as PreflightReport; // the pool holds connections
        const frozen = await freezeServer();
        try {
          // Before: the run waited on its INSERT until the request timeout, and GET /metrics on its count.
          const run = await answered(harness.preflight(sampleRequest(harness.sandbox)), 'POST /preflight');
          expect(run.status).toBe(200);
          expect(run.body.capabilities.length).toBeGreaterThan(0);
          const metrics = await answered(harness.app.inject({ method: 'GET', url: '/metrics', headers: auth }), 'GET /metrics');
          expect(metrics.statusCode).toBe(200);
          expect(metrics.body).toMatch(/^preflight_report_store_write_seconds_count\{outcome="timeout"\} 1$/m);
          expect(metrics.body).toMatch(/^preflight_report_store_reports nan$/im);
          expect(metrics.body).toMatch(/^preflight_report_store_bytes nan$/im);
          expect((await answered(harness.app.inject({ method: 'GET', url: '/readyz' }), 'GET /readyz')).statusCode).toBe(200);
          const read = await answered(harness.app.inject({ method: 'GET', url: `/preflight/${before.id}`, headers: auth }), 'GET /preflight/{id}');
          expect(read.statusCode).toBe(503);
          expect(read.json()).toMatchObject({ error: 'store_unavailable', message: expect.stringMatching(/the report store is not answering/) });
          expect(Number(read.headers['retry-after'])).toBeGreaterThan(0);
        } finally {
          frozen.thaw();
        }
        // Thawed, the store answers again: the report kept before is found, a new one kept.
        const after = await answered(harness.preflight(sampleRequest(harness.sandbox)), 'POST /preflight, thawed', 15_000);
        expect(after.status).toBe(200);
        expect((await harness.app.inject({ method: 'GET', url: `/preflight/${before.id}`, headers: auth })).statusCode).toBe(200);
        expect((await harness.app.inject({ method: 'GET', url: `/preflight/${after.body.id}`, headers: auth })).statusCode).toBe(200);
      } finally {
        await harness.close();
        await store.close();
        await schema.remove();
      }
    }, 60_000);
  });

  describe('through the API', () => {
    let schema: Awaited<ReturnType<typeof newSchema>>;
    let store: ReportStore;
    beforeAll(async () => {
      schema = await newSchema();
      store = await openPostgresStore({ url: schema.url, retentionDays: 30 });
    });
    afterAll(async () => {
      await store.close();
      await schema.remove();
    });

    it('a run is kept, looked up, listed and compared; a second replica sees it', async () => {
      const harness = await startHarness('full-access', { store });
      const replica = await openPostgresStore({ url: schema.url, retentionDays: 30 });
      const other = await startHarness('full-access', { store: replica });
      try {
        const first = (await harness.preflight(sampleRequest(harness.sandbox))).body as PreflightReport;
        const second = (await harness.preflight(sampleRequest(harness.sandbox))).body as PreflightReport;
        const auth = { authorization: `Bearer ${TEST_API_KEY}` };
        const found = await other.app.inject({ method: 'GET', url: `/preflight/${first.id}`, headers: auth });
        expect(found.statusCode).toBe(200);
        expect(found.json()).toEqual(first);
        const fingerprint = found.headers['x-connection-fingerprint'];
        const runs = (await other.app.inject({ method: 'GET', url: `/connections/${fingerprint}/runs`, headers: auth })).json();
        expect(runs.runs.map((r: { id: string; apiKeyLabel: string }) => [r.id, r.apiKeyLabel])).toEqual([
          [second.id, apiKeyLabel(TEST_API_KEY)],
          [first.id, apiKeyLabel(TEST_API_KEY)],
        ]);
        const diff = (await other.app.inject({ method: 'GET', url: `/preflight/${first.id}/diff/${second.id}`, headers: auth })).json();
        expect(diff).toMatchObject({ worse: false, capabilities: [] });
        // A cursor beyond any time: 400 as on SQLite (before, the BIGINT overflowed: 500).
        const beyond = await other.app.inject({ method: 'GET', url: `/connections/${fingerprint}/runs?cursor=99999999999999999999.${first.id}`, headers: auth });
        expect(beyond.statusCode).toBe(400);
        expect(beyond.json()).toMatchObject({ error: 'invalid_request', issues: [{ path: '/cursor' }] });
      } finally {
        await harness.close();
        await other.close();
        await replica.close();
      }
    });
  });
});
