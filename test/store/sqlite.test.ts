// The SQLite store on a temporary file: what it keeps, how it pages, when it forgets.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { StoreError, connectionFingerprint } from '../../src/store/types.js';
import { storeContract } from './contract.js';
import { report } from './fixtures.js';

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
