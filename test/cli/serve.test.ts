// `preflight serve` as a process: what it says at start about authentication, and a port in use.
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliProcess } from '../support/cli.js';
import { start } from '../docs/processes.js';

// No report history: nothing written in the checkout.
const env = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', PREFLIGHT_REPORT_STORE: 'off', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };

const startService = (extra: Record<string, string>) => start(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], { env: { ...env, ...extra } });

async function startLog(extra: Record<string, string>): Promise<string> {
  const service = startService(extra);
  try {
    await service.waitFor(/Server listening at/);
    return service.output();
  } finally {
    await service.stop();
  }
}

describe('preflight serve', () => {
  it('warns at start that every request will be refused when no API key is set', async () => {
    const log = await startLog({});
    expect(log).toMatch(/"level":40,.*PREFLIGHT_API_KEYS is empty: every POST \/preflight and GET \/metrics answers 401/);
  });

  it('logs how many API keys it accepts, never a key', async () => {
    const key = 'serve-test-key-0123456789';
    const log = await startLog({ PREFLIGHT_API_KEYS: key });
    expect(log).toMatch(/"apiKeys":1,.*1 API key accepted/);
    expect(log).not.toContain(key);
  });

  it('says at start whether it has an AWS identity of its own to assume roles with, never which', async () => {
    const start = async (extra: Record<string, string>, pattern: RegExp) => {
      const service = startService({ ...extra, AWS_EC2_METADATA_DISABLED: 'true' });
      try {
        await service.waitFor(pattern);
        return service.output();
      } finally {
        await service.stop();
      }
    };
    const none = await start({}, /service identity: /);
    expect(none).toMatch(/"level":40,.*"type":"CredentialsProviderError".*service identity: none .*role checks fail until the service has one allowed sts:AssumeRole/);
    const secret = 'serve-test-secret-key-0000000000';
    const found = await start({ AWS_ACCESS_KEY_ID: 'AKIASERVETEST0000001', AWS_SECRET_ACCESS_KEY: secret }, /service identity: /);
    expect(found).toMatch(/"level":30,.*service identity: the AWS credential chain found one/);
    expect(found).not.toContain('AKIASERVETEST0000001');
    expect(found).not.toContain(secret);
  });

  it('warns when authentication is off', async () => {
    expect(await startLog({ PREFLIGHT_AUTH_DISABLED: 'true' })).toMatch(/"level":40,.*PREFLIGHT_AUTH_DISABLED=true/);
  });

  it('finds its port in use before it opens the report store: nothing created, one line, exit 3', async () => {
    const busy = createServer().listen(0, '127.0.0.1');
    await once(busy, 'listening');
    const port = String((busy.address() as AddressInfo).port);
    const dir = mkdtempSync(join(tmpdir(), 'preflight-serve-'));
    try {
      // SQLite, the default store: opening it creates the data directory and its file.
      const run = await cliProcess(['serve'], { env: { PORT: port, PREFLIGHT_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn' } });
      expect(run).toMatchObject({ code: 3, stderr: `preflight: cannot listen on 127.0.0.1:${port}: the port is in use (HOST, PORT)\n` });
      expect(existsSync(join(dir, 'data')), readdirSync(dir).join(', ')).toBe(false);
    } finally {
      busy.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
