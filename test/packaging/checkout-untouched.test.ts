// The suite's guard of the checkout's ./data (test/support/checkout-untouched.ts, vitest's global
// setup): it sees a store created, a report added or changed, and nothing where nothing changed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataChanges, dataSnapshot } from '../support/checkout-untouched.js';

const root = mkdtempSync(join(tmpdir(), 'preflight-data-guard-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the guard of the checkout's ./data", () => {
  it('sees a store created where there was none, and nothing where nothing changed', () => {
    const data = join(root, 'created');
    const before = dataSnapshot(data);
    expect(dataChanges(before, dataSnapshot(data))).toEqual([]);
    mkdirSync(data);
    writeFileSync(join(data, 'reports.sqlite'), 'x');
    expect(dataChanges(before, dataSnapshot(data))).toEqual(['./data was created (reports.sqlite)']);
  });

  it("sees the user's store changed, and a file added beside it", () => {
    const data = join(root, 'existing');
    mkdirSync(data);
    writeFileSync(join(data, 'reports.sqlite'), 'the user\'s reports');
    const before = dataSnapshot(data);
    expect(dataChanges(before, dataSnapshot(data))).toEqual([]);
    writeFileSync(join(data, 'reports.sqlite'), 'a test\'s report too');
    writeFileSync(join(data, 'reports.sqlite-wal'), 'x');
    expect(dataChanges(before, dataSnapshot(data))).toEqual(['./data/reports.sqlite was changed', './data/reports.sqlite-wal was created']);
  });
});
