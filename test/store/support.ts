// A SQLite store on a temporary file for the API tests, and a raw look at its rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { ReportStore } from '../../src/store/types.js';

export interface TempStore {
  path: string;
  store: ReportStore;
  /** Every row as the database holds it (all columns), read past the store. */
  rows(): Promise<Record<string, unknown>[]>;
  remove(): Promise<void>;
}

export async function tempStore(options: { retentionDays?: number; now?: () => number; timeoutMs?: number } = {}): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-store-'));
  const path = join(dir, 'reports.sqlite');
  const store = await openSqliteStore({ path, retentionDays: options.retentionDays ?? 30, now: options.now, timeoutMs: options.timeoutMs });
  return {
    path,
    store,
    async rows() {
      const { DatabaseSync } = await import('node:sqlite');
      const db = new DatabaseSync(path, { readOnly: true });
      try {
        return db.prepare('SELECT * FROM reports').all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    },
    async remove() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
