// The SQLite store on a temporary file: what it keeps, how it pages, when it forgets; a file
// with damaged pages refused at start; another process's lock never holding the event loop.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { StoreError, connectionFingerprint } from '../../src/store/types.js';
import { storeContract } from './contract.js';
import { report } from './fixtures.js';
import { holdLock, loopTurnsUntil } from './lock-support.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempPath() {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-store-'));
  dirs.push(dir);
  return join(dir, 'nested', 'reports.sqlite');
}

storeContract('SQLite', async () => {
  const path = tempPath();
  return { open: (options = {}) => openSqliteStore({ path, retentionDays: options.retentionDays ?? 30, now: options.now }), remove: async () => {} };
});

describe('SQLite report store', () => {
  it('says clearly when the file is not a database', async () => {
    const path = tempPath();
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, 'this is not a database, it is a text file that happens to be long enough'.repeat(20));
    const attempt = openSqliteStore({ path, retentionDays: 30 });
    await expect(attempt).rejects.toThrow(StoreError);
    await expect(attempt).rejects.toThrow(/cannot use the report store .*reports\.sqlite \(corrupted, locked or not a preflight store\?\): file is not a database/);
  });
});

describe('SQLite report store, a file with damaged pages', () => {
  it('is refused when opened, saying it is corrupted, not answered 500 report by report', async () => {
    const path = tempPath();
    const store = await openSqliteStore({ path, retentionDays: 30 });
    const kept = Array.from({ length: 200 }, () => report());
    for (const r of kept) await store.save(JSON.stringify(r), {});
    await store.close();
    // Garbage over every page but the first (the header and the schema): the file still opens and
    // says what it holds, as a disk that lost blocks or a copy cut short would leave it.
    const pageSize = 4096;
    const pages = statSync(path).size / pageSize;
    expect(pages).toBeGreaterThan(10);
    const file = openSync(path, 'r+');
    for (let page = 1; page < pages; page += 2) writeSync(file, randomBytes(pageSize), 0, pageSize, page * pageSize);
    closeSync(file);

    const attempt = openSqliteStore({ path, retentionDays: 30 });
    await expect(attempt).rejects.toThrow(StoreError);
    await expect(attempt).rejects.toThrow(/cannot use the report store .*reports\.sqlite \(corrupted, locked or not a preflight store\?\): the file is corrupted: /);
  });
});

describe('SQLite report store, locked by another process', () => {
  it('waits for the lock without holding the event loop, and keeps the report once it is released', async () => {
    const path = tempPath();
    const store = await openSqliteStore({ path, retentionDays: 30, timeoutMs: 10_000 });
    const holder = await holdLock(path);
    try {
      const kept = report();
      let settled = false;
      const saving = store.save(JSON.stringify(kept), {}).finally(() => (settled = true));
      // The loop turns while the write waits. Before, node:sqlite's busy timeout held the loop
      // (every request, every health check) for 5 s on each write, and the write failed then.
      const turns = await loopTurnsUntil(() => settled, 50);
      expect(turns).toBe(50);
      expect(settled).toBe(false);
      await holder.release();
      await saving;
      expect((await store.get(kept.id))?.report).toEqual(kept);
    } finally {
      await holder.release();
      await store.close();
    }
  });

  it('gives a write up within its timeout when the lock stays, the loop turning all the while; reads still answer', async () => {
    const path = tempPath();
    const store = await openSqliteStore({ path, retentionDays: 30, timeoutMs: 200 });
    const before = report();
    await store.save(JSON.stringify(before), {});
    const holder = await holdLock(path);
    try {
      let settled = false;
      const saving = store.save(JSON.stringify(report()), {}).then(
        () => undefined,
        (error: Error) => error,
      ).finally(() => (settled = true));
      const turns = await loopTurnsUntil(() => settled);
      expect(await saving).toMatchObject({ name: 'StoreTimeoutError', message: expect.stringMatching(/did not answer within 200 ms \(saving a report\): another process holds its lock/) });
      expect(turns).toBeGreaterThan(10);
      // Readers never wait for a writer (WAL): a report is found while the lock is held.
      expect((await store.get(before.id))?.report).toEqual(before);
      expect((await store.size()).reports).toBe(1);
    } finally {
      await holder.release();
      await store.close();
    }
  });
});

describe('connection fingerprint', () => {
  const role = report().connection;
  it('is the same for the same connection and differs by account, region, credential type and principal', () => {
    const base = connectionFingerprint(role);
    expect(connectionFingerprint({ ...role })).toBe(base);
    expect(base).toMatch(/^[0-9a-f]{24}$/);
    for (const change of [{ accountId: '210987654321' }, { region: 'us-east-1' }, { roleArn: 'arn:aws:iam::123456789012:role/Other' }]) {
      expect(connectionFingerprint({ ...role, ...change })).not.toBe(base);
    }
    const key = { region: 'eu-west-1', accountId: '123456789012', credentialType: 'accessKey' as const, accessKeyId: 'AKIA…WXYZ' };
    expect(connectionFingerprint(key)).not.toBe(connectionFingerprint({ ...key, accessKeyId: 'AKIA…ABCD' }));
  });
});
