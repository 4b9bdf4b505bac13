// The PostgreSQL store against a real server (postgres-support.ts: skipped without one, except in CI).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyLabel } from '../../src/http/auth.js';
import type { PreflightReport } from '../../src/preflight/types.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { type ReportStore, StoreError } from '../../src/store/types.js';
import { TEST_API_KEY, sampleRequest, startHarness } from '../support/service.js';
import { storeContract } from './contract.js';
import { TEST_DATABASE_URL as URL_, newSchema } from './postgres-support.js';

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
      const { rows } = await client.query('SELECT version FROM preflight_schema_migrations');
      await client.end();
      expect(rows).toEqual([{ version: 1 }]);
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
      } finally {
        await harness.close();
        await other.close();
        await replica.close();
      }
    });
  });
});
