// `preflight serve` with report history: the SQLite file under PREFLIGHT_DATA_DIR, and the
// PostgreSQL database of PREFLIGHT_DATABASE_URL, keep reports across a restart; a file that is not
// a database, or whose pages are damaged, stops the start with the reason; off keeps nothing.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleRequest } from '../../src/sandbox/sample.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { serveAgainst } from '../support/serve-process.js';
import { report } from './fixtures.js';
import { TEST_DATABASE_URL, newSchema } from './postgres-support.js';

const KEY = 'serve-store-key-0123456789';
let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'full-access' });
  dir = mkdtempSync(join(tmpdir(), 'preflight-serve-store-'));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

const serve = (extra: Record<string, string>) => serveAgainst(sandbox, KEY, extra);

async function listening(service: ReturnType<typeof serve>) {
  const [, port] = await service.waitFor(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/);
  return `http://127.0.0.1:${port}`;
}

const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

describe('preflight serve with report history', () => {
  it('keeps reports in PREFLIGHT_DATA_DIR across a restart', async () => {
    const data = join(dir, 'kept');
    const first = serve({ PREFLIGHT_DATA_DIR: data });
    let report: { id: string };
    try {
      const url = await listening(first);
      expect(first.output()).toContain(`every report kept 30 days in ${join(data, 'reports.sqlite')}`);
      const run = await fetch(`${url}/preflight`, { method: 'POST', headers, body: JSON.stringify(sampleRequest(sandbox)) });
      expect(run.status).toBe(200);
      report = (await run.json()) as { id: string };
    } finally {
      await first.stop();
    }
    expect(first.output()).toContain('"msg":"stopped"');
    expect(readdirSync(data)).toEqual(['reports.sqlite']); // closed cleanly: no WAL left behind

    const second = serve({ PREFLIGHT_DATA_DIR: data });
    try {
      const url = await listening(second);
      const again = await fetch(`${url}/preflight/${report.id}`, { headers });
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual(report);
    } finally {
      await second.stop();
    }
  });

  it('stops at start, saying why, when the file is not a database', async () => {
    const data = join(dir, 'corrupted');
    mkdirSync(data);
    writeFileSync(join(data, 'reports.sqlite'), 'not a database '.repeat(200));
    const service = serve({ PREFLIGHT_DATA_DIR: data });
    await expect(listening(service)).rejects.toThrow(/exited \(3\)/);
    expect(service.output()).toMatch(/cannot use the report store .*reports\.sqlite \(corrupted, locked or not a preflight store\?\): file is not a database; or PREFLIGHT_REPORT_STORE=off/);
  });

  it('stops at start, saying why, when pages of the file are damaged', async () => {
    const data = join(dir, 'damaged');
    const path = join(data, 'reports.sqlite');
    const store = await openSqliteStore({ path, retentionDays: 30 });
    for (let i = 0; i < 200; i++) await store.save(JSON.stringify(report()), {});
    await store.close();
    const file = openSync(path, 'r+');
    for (let page = 1; page < statSync(path).size / 4096; page += 2) writeSync(file, randomBytes(4096), 0, 4096, page * 4096);
    closeSync(file);
    const service = serve({ PREFLIGHT_DATA_DIR: data });
    // Before, it started, and answered 500 for every report on a damaged page.
    await expect(listening(service)).rejects.toThrow(/exited \(3\)/);
    expect(service.output()).toMatch(/cannot use the report store .*reports\.sqlite \(corrupted, locked or not a preflight store\?\): the file is corrupted: .*; or PREFLIGHT_REPORT_STORE=off/);
  });

  it('keeps nothing with PREFLIGHT_REPORT_STORE=off', async () => {
    const data = join(dir, 'off');
    const service = serve({ PREFLIGHT_DATA_DIR: data, PREFLIGHT_REPORT_STORE: 'off' });
    try {
      const url = await listening(service);
      expect(service.output()).toContain('report history off (PREFLIGHT_REPORT_STORE=off)');
      const run = await fetch(`${url}/preflight`, { method: 'POST', headers, body: JSON.stringify(sampleRequest(sandbox)) });
      const { id } = (await run.json()) as { id: string };
      expect((await fetch(`${url}/preflight/${id}`, { headers })).status).toBe(404);
    } finally {
      await service.stop();
    }
    expect(existsSync(data)).toBe(false);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('preflight serve with report history in PostgreSQL', () => {
  it('keeps reports in PREFLIGHT_DATABASE_URL across a restart', async () => {
    const schema = await newSchema();
    const data = join(dir, 'postgres');
    try {
      const env = { PREFLIGHT_DATABASE_URL: schema.url, PREFLIGHT_DATA_DIR: data };
      const first = serve(env);
      let report: { id: string };
      try {
        const url = await listening(first);
        expect(first.output()).toContain('every report kept 30 days in postgres://preflight:***@');
        const run = await fetch(`${url}/preflight`, { method: 'POST', headers, body: JSON.stringify(sampleRequest(sandbox)) });
        expect(run.status).toBe(200);
        report = (await run.json()) as { id: string };
      } finally {
        await first.stop();
      }
      expect(first.output()).toContain('"msg":"stopped"'); // the pool ended after the last run

      const second = serve(env);
      try {
        const url = await listening(second);
        const again = await fetch(`${url}/preflight/${report.id}`, { headers });
        expect(again.status).toBe(200);
        expect(await again.json()).toEqual(report);
      } finally {
        await second.stop();
      }
      expect(existsSync(data)).toBe(false); // nothing went to a SQLite file
    } finally {
      await schema.remove();
    }
  });
});
