// The report store's configuration: on by default (SQLite under ./data, 30 days), off on request.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('report store configuration', () => {
  it('keeps reports 30 days in SQLite under ./data by default, each statement given 1 s', () => {
    expect(loadConfig({})).toMatchObject({ reportStore: 'sqlite', dataDir: './data', reportRetentionDays: 30, reportStoreTimeoutMs: 1000 });
  });

  it('reads how long a statement may take, within bounds', () => {
    expect(loadConfig({ PREFLIGHT_REPORT_STORE_TIMEOUT_MS: '250' }).reportStoreTimeoutMs).toBe(250);
    expect(() => loadConfig({ PREFLIGHT_REPORT_STORE_TIMEOUT_MS: '0' })).toThrow(/PREFLIGHT_REPORT_STORE_TIMEOUT_MS must be an integer from 10 to 60000/);
  });

  it('reads the store, the data directory and the retention', () => {
    expect(loadConfig({ PREFLIGHT_REPORT_STORE: 'off', PREFLIGHT_DATA_DIR: '/var/lib/preflight', PREFLIGHT_REPORT_RETENTION_DAYS: '7' })).toMatchObject({
      reportStore: 'off',
      dataDir: '/var/lib/preflight',
      reportRetentionDays: 7,
    });
  });

  it('refuses what it cannot use, naming the variable', () => {
    expect(() => loadConfig({ PREFLIGHT_REPORT_STORE: 'mysql' })).toThrow(/PREFLIGHT_REPORT_STORE must be sqlite, postgres or off, got "mysql"/);
    expect(() => loadConfig({ PREFLIGHT_REPORT_RETENTION_DAYS: '0' })).toThrow(/PREFLIGHT_REPORT_RETENTION_DAYS must be an integer from 1 to 3650/);
  });

  it('uses PostgreSQL when PREFLIGHT_DATABASE_URL is set, and never echoes the URL', () => {
    const url = 'postgres://preflight:s3cret-password@db.internal:5432/preflight';
    expect(loadConfig({ PREFLIGHT_DATABASE_URL: url })).toMatchObject({ reportStore: 'postgres', databaseUrl: url });
    expect(loadConfig({ PREFLIGHT_DATABASE_URL: url, PREFLIGHT_REPORT_STORE: 'off' }).reportStore).toBe('off');
    expect(() => loadConfig({ PREFLIGHT_REPORT_STORE: 'postgres' })).toThrow(/PREFLIGHT_REPORT_STORE=postgres needs PREFLIGHT_DATABASE_URL/);
    expect(() => loadConfig({ PREFLIGHT_DATABASE_URL: url, PREFLIGHT_REPORT_STORE: 'sqlite' })).toThrow(/PREFLIGHT_DATABASE_URL is set but PREFLIGHT_REPORT_STORE=sqlite/);
    const attempt = () => loadConfig({ PREFLIGHT_DATABASE_URL: 'mysql://preflight:s3cret-password@db' });
    expect(attempt).toThrow(/PREFLIGHT_DATABASE_URL must be a postgres:\/\/ URL/);
    expect(attempt).not.toThrow(/s3cret-password/);
  });
});
