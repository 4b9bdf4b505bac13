// Report history through the HTTP API (app.inject): a run is kept, looked up in every format,
// listed with its connection's runs, compared; behind the API key; 404 when the store is off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyLabel } from '../../src/http/auth.js';
import type { PreflightReport } from '../../src/preflight/types.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderTable } from '../../src/render/text.js';
import { DAY_MS, type ReportStore } from '../../src/store/types.js';
import { type Harness, TEST_API_KEY, sampleRequest, startHarness } from '../support/service.js';
import { holdLock } from './lock-support.js';
import { type TempStore, tempStore } from './support.js';

const auth = { authorization: `Bearer ${TEST_API_KEY}` };
let temp: TempStore;
let harness: Harness;
beforeAll(async () => {
  temp = await tempStore();
  harness = await startHarness('full-access', { store: temp.store });
});
afterAll(async () => {
  await harness.close();
  await temp.remove();
});

const get = (url: string, headers: Record<string, string> = auth) => harness.app.inject({ method: 'GET', url, headers });

describe('report history API', () => {
  let first: PreflightReport;
  let second: PreflightReport;
  beforeAll(async () => {
    first = (await harness.preflight(sampleRequest(harness.sandbox))).body;
    second = (await harness.preflight(sampleRequest(harness.sandbox))).body;
  });

  it('GET /preflight/{id} answers the stored report as POST did: JSON, Markdown, text', async () => {
    const json = await get(`/preflight/${first.id}`);
    expect(json.statusCode).toBe(200);
    expect(json.json()).toEqual(first);
    expect(json.headers['x-connection-fingerprint']).toMatch(/^[0-9a-f]{24}$/);
    const markdown = await get(`/preflight/${first.id}`, { ...auth, accept: 'text/markdown' });
    expect(markdown.headers['content-type']).toMatch(/^text\/markdown/);
    expect(markdown.body).toBe(renderMarkdown(first));
    const text = await get(`/preflight/${first.id}`, { ...auth, accept: 'text/plain' });
    expect(text.headers['content-type']).toMatch(/^text\/plain/);
    expect(text.body).toBe(renderTable(first, { color: false }));
  });

  it('counts and times the writes in the metrics', async () => {
    const metrics = (await get('/metrics')).body;
    expect(metrics).toMatch(/^preflight_report_store_write_seconds_count\{outcome="ok"\} [2-9]$/m);
  });

  it('keeps who ran it as a label of the API key, never the key', async () => {
    const rows = await temp.rows();
    const row = rows.find((r) => r.id === first.id)!;
    expect(row.api_key_label).toBe(apiKeyLabel(TEST_API_KEY));
    expect(JSON.stringify(rows)).not.toContain(TEST_API_KEY);
  });

  it("GET /connections/{fingerprint}/runs lists the connection's runs newest first, paged", async () => {
    const fingerprint = (await get(`/preflight/${first.id}`)).headers['x-connection-fingerprint'];
    const page = await get(`/connections/${fingerprint}/runs?limit=1`);
    expect(page.statusCode).toBe(200);
    const body = page.json();
    expect(body.runs).toEqual([{ id: second.id, startedAt: second.startedAt, status: second.status, durationMs: second.durationMs, apiKeyLabel: apiKeyLabel(TEST_API_KEY), fingerprint }]);
    const next = (await get(`/connections/${fingerprint}/runs?limit=1&cursor=${encodeURIComponent(body.next)}`)).json();
    expect(next.runs.map((r: { id: string }) => r.id)).toEqual([first.id]);
    expect(next.next).toBeUndefined();
    expect((await get(`/connections/${'0'.repeat(24)}/runs`)).json()).toEqual({ fingerprint: '0'.repeat(24), runs: [] });
    expect((await get(`/connections/${fingerprint}/runs?limit=1000`)).statusCode).toBe(400);
  });

  it('GET /preflight/{id}/diff/{otherId}: nothing changed between two equal runs; a worse one is named', async () => {
    const same = await get(`/preflight/${first.id}/diff/${second.id}`);
    expect(same.statusCode).toBe(200);
    expect(same.json()).toMatchObject({ from: { id: first.id }, to: { id: second.id }, worse: false, capabilities: [], actions: { newlyMissing: [] }, findings: { added: [], gone: [] } });

    // A later run where Athena refuses queries, kept as the service keeps one.
    const worse: PreflightReport = {
      ...second,
      id: 'a1b2c3d4e5f6',
      status: 'degraded',
      capabilities: second.capabilities.map((c) => (c.id === 'query-execution' ? { ...c, status: 'unavailable', missingActions: ['athena:StartQueryExecution'] } : c)),
    };
    await temp.store.save(JSON.stringify(worse), {});
    const diff = (await get(`/preflight/${second.id}/diff/${worse.id}`)).json();
    expect(diff.worse).toBe(true);
    expect(diff.capabilities).toEqual([{ id: 'query-execution', from: second.capabilities.find((c) => c.id === 'query-execution')!.status, to: 'unavailable' }]);
    expect(diff.actions.newlyMissing).toEqual(['athena:StartQueryExecution']);
  });

  it('answers 400 for a cursor whose time no report can have, naming the cursor', async () => {
    const fingerprint = (await get(`/preflight/${first.id}`)).headers['x-connection-fingerprint'];
    const response = await get(`/connections/${fingerprint}/runs?cursor=99999999999999999999.${first.id}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'invalid_request', issues: [{ path: '/cursor', message: expect.stringMatching(/not a cursor of this service/) }] });
  });

  it('answers 404 for a report it does not have, and 401 without the key', async () => {
    const missing = await get('/preflight/000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toMatch(/no stored report 000000000000/);
    expect((await get(`/preflight/${first.id}/diff/000000000000`)).statusCode).toBe(404);
    for (const url of [`/preflight/${first.id}`, `/connections/${'0'.repeat(24)}/runs`, `/preflight/${first.id}/diff/${second.id}`]) {
      expect((await get(url, {})).statusCode).toBe(401);
      expect((await get(url, { authorization: 'Bearer wrong-key-wrong-key-0' })).statusCode).toBe(401);
    }
  });
});

describe('report history, store off', () => {
  it('keeps nothing and answers 404 saying history is off', async () => {
    const off = await startHarness('full-access');
    try {
      const run = await off.preflight(sampleRequest(off.sandbox));
      expect(run.status).toBe(200);
      for (const url of [`/preflight/${run.body.id}`, `/connections/${'0'.repeat(24)}/runs`, `/preflight/${run.body.id}/diff/${run.body.id}`]) {
        const response = await off.app.inject({ method: 'GET', url, headers: auth });
        expect(response.statusCode).toBe(404);
        expect(response.json().message).toMatch(/report history is off \(PREFLIGHT_REPORT_STORE=off\)/);
      }
    } finally {
      await off.close();
    }
  });
});

describe('report history, operations', () => {
  it('deletes expired reports at start, by the store clock (no waiting)', async () => {
    let now = Date.UTC(2026, 0, 1);
    const aged = await tempStore({ retentionDays: 30, now: () => now });
    try {
      const kept = await startHarness('full-access', { store: aged.store });
      const run = (await kept.preflight(sampleRequest(kept.sandbox))).body as PreflightReport;
      await kept.close();
      expect((await aged.rows()).map((r) => r.id)).toEqual([run.id]);

      now += 29 * DAY_MS;
      const early = await startHarness('full-access', { store: aged.store });
      await early.app.ready();
      await early.close();
      expect((await aged.rows()).map((r) => r.id)).toEqual([run.id]);

      now += 2 * DAY_MS;
      const late = await startHarness('full-access', { store: aged.store });
      await late.app.ready();
      await late.close();
      expect(await aged.rows()).toEqual([]);
    } finally {
      await aged.remove();
    }
  });

  it('GET /metrics says how many reports the store holds and how many bytes, as runs are kept and expire', async () => {
    let now = Date.UTC(2026, 0, 1);
    const aged = await tempStore({ retentionDays: 30, now: () => now });
    // Unlabelled gauges: nothing of a caller's becomes a label.
    const sizeOf = async (service: Harness) => {
      const body = (await service.app.inject({ method: 'GET', url: '/metrics', headers: auth })).body;
      return { reports: Number(/^preflight_report_store_reports (\S+)$/m.exec(body)?.[1]), bytes: Number(/^preflight_report_store_bytes (\S+)$/m.exec(body)?.[1]) };
    };
    try {
      const service = await startHarness('full-access', { store: aged.store });
      try {
        const empty = await sizeOf(service);
        expect(empty.reports).toBe(0);
        expect(empty.bytes).toBeGreaterThan(0);
        for (let i = 0; i < 2; i++) expect((await service.preflight(sampleRequest(service.sandbox))).status).toBe(200);
        const kept = await sizeOf(service);
        expect(kept.reports).toBe(2);
        expect(kept.bytes).toBeGreaterThan(empty.bytes);
        now += 31 * DAY_MS;
        expect((await sizeOf(service)).reports).toBe(2); // expired, held until the next sweep
      } finally {
        await service.close();
      }
      const restarted = await startHarness('full-access', { store: aged.store });
      try {
        await restarted.app.ready(); // the sweep at start
        expect((await sizeOf(restarted)).reports).toBe(0);
      } finally {
        await restarted.close();
      }
    } finally {
      await aged.remove();
    }
  });

  it('answers 503, saying the store does not answer, when it fails a read; never its error', async () => {
    const down = new Error('connect ECONNREFUSED 10.1.2.3:5432 (secret-detail)');
    const failing: ReportStore = {
      save: () => Promise.reject(down),
      get: () => Promise.reject(down),
      runs: () => Promise.reject(down),
      deleteExpired: () => Promise.reject(down),
      size: () => Promise.reject(down),
      close: async () => {},
    };
    const broken = await startHarness('full-access', { store: failing });
    try {
      for (const url of ['/preflight/a1b2c3d4e5f6', `/connections/${'0'.repeat(24)}/runs`, '/preflight/a1b2c3d4e5f6/diff/a1b2c3d4e5f7']) {
        const response = await broken.app.inject({ method: 'GET', url, headers: auth });
        expect(response.statusCode, url).toBe(503);
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
        expect(response.json()).toEqual({ error: 'store_unavailable', message: expect.stringMatching(/the report store is not answering; preflights still run/), requestId: expect.any(String) });
        expect(response.body).not.toContain('secret-detail');
      }
      // The service itself is fine.
      expect((await broken.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    } finally {
      await broken.close();
    }
  });

  it('answers the report when another process holds the SQLite lock: the write given up within its timeout, counted', async () => {
    const locked = await tempStore({ timeoutMs: 100 });
    const holder = await holdLock(locked.path);
    const service = await startHarness('full-access', { store: locked.store });
    try {
      const run = await service.preflight(sampleRequest(service.sandbox));
      expect(run.status).toBe(200);
      const metrics = (await service.app.inject({ method: 'GET', url: '/metrics', headers: auth })).body;
      // Before: the write held the event loop for the 5 s busy timeout, then failed.
      expect(metrics).toMatch(/^preflight_report_store_write_seconds_count\{outcome="timeout"\} 1$/m);
      expect(metrics).not.toMatch(/outcome="ok"/);
    } finally {
      await service.close();
      await holder.release();
      await locked.remove();
    }
  });

  it('answers the report when the store fails', async () => {
    const failing: ReportStore = {
      save: () => Promise.reject(new Error('database is locked')),
      get: async () => undefined,
      runs: async () => ({ runs: [] }),
      deleteExpired: async () => 0,
      size: () => Promise.reject(new Error('database is locked')),
      close: async () => {},
    };
    const broken = await startHarness('full-access', { store: failing });
    try {
      const run = await broken.preflight(sampleRequest(broken.sandbox));
      expect(run.status).toBe(200);
      expect(run.body.capabilities.length).toBeGreaterThan(0);
      const metrics = (await broken.app.inject({ method: 'GET', url: '/metrics', headers: auth })).body;
      expect(metrics).toMatch(/^preflight_report_store_write_seconds_count\{outcome="failed"\} 1$/m);
      expect(metrics).not.toMatch(/outcome="ok"/);
      // The size gauges cannot be read, and say so without failing the scrape.
      expect(metrics).toMatch(/^preflight_report_store_reports nan$/im); // prom-client writes `Nan`
    } finally {
      await broken.close();
    }
  });
});
