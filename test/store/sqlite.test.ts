// The SQLite store on a temporary file: what it keeps, how it pages, when it forgets.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { DAY_MS, type ReportStore, StoreError, connectionFingerprint } from '../../src/store/types.js';
import { report } from './fixtures.js';

const dirs: string[] = [];
const stores: ReportStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempPath() {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-store-'));
  dirs.push(dir);
  return join(dir, 'nested', 'reports.sqlite');
}

async function open(path: string, options: { retentionDays?: number; now?: () => number } = {}) {
  const store = await openSqliteStore({ path, retentionDays: options.retentionDays ?? 30, now: options.now });
  stores.push(store);
  return store;
}

describe('SQLite report store', () => {
  it('keeps a report as it was given, with its summary, across a reopen (restart)', async () => {
    const path = tempPath();
    const first = await open(path);
    const kept = report({ status: 'degraded' });
    const summary = await first.save(JSON.stringify(kept), { apiKeyLabel: 'key:0a1b2c3d' });
    expect(summary).toEqual({ id: kept.id, startedAt: kept.startedAt, status: 'degraded', durationMs: 1200, apiKeyLabel: 'key:0a1b2c3d', fingerprint: connectionFingerprint(kept.connection) });
    await first.close();

    const second = await open(path);
    const found = await second.get(kept.id);
    expect(found?.report).toEqual(kept);
    expect(found?.summary).toEqual(summary);
    expect(await second.get('nosuchrun000')).toBeUndefined();
  });

  it("lists a connection's runs newest first, in pages, and no other connection's", async () => {
    const store = await open(tempPath());
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

  it('deletes reports older than the retention, by its own clock', async () => {
    let now = Date.UTC(2026, 10, 1);
    const store = await open(tempPath(), { retentionDays: 30, now: () => now });
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

  it('says clearly when the file is not a database', async () => {
    const path = tempPath();
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, 'this is not a database, it is a text file that happens to be long enough'.repeat(20));
    const attempt = openSqliteStore({ path, retentionDays: 30 });
    await expect(attempt).rejects.toThrow(StoreError);
    await expect(attempt).rejects.toThrow(/cannot use the report store .*reports\.sqlite \(corrupted, locked or not a preflight store\?\): file is not a database/);
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
