// The real server process: SIGTERM stops accepting, lets the run in flight finish, exits 0.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleRequest } from '../../src/sandbox/sample.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { watchRequests } from '../support/sandbox.js';

const API_KEY = 'shutdown-test-key-0123456789';
let sandbox: Sandbox;
// The servers keep their reports here, never in the checkout's ./data.
let dataDir: string;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'slow' });
  dataDir = mkdtempSync(join(tmpdir(), 'preflight-shutdown-'));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; address?: string; stderr: () => string }> {
  // node --import tsx, not the tsx wrapper: the signal must reach the server process itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', LOG_LEVEL: 'info', PREFLIGHT_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout! });
  const address = await new Promise<string | undefined>((resolve) => {
    lines.on('line', (line) => {
      const message = JSON.parse(line) as { msg?: string };
      const found = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(message.msg ?? '')?.[1];
      if (found) resolve(found);
    });
    child.on('exit', () => resolve(undefined));
  });
  return { child, address, stderr: () => stderr };
}

describe('the server process', () => {
  it('finishes the run in flight on SIGTERM, then exits 0', async () => {
    const server = await startServer({
      PREFLIGHT_API_KEYS: API_KEY,
      AWS_ENDPOINT_URL: sandbox.endpoint,
      PREFLIGHT_S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: 'AKIASANDBOXSERVICE01',
      AWS_SECRET_ACCESS_KEY: 'sandbox/service/secret/key/00000000000',
    });
    expect(server.address, server.stderr()).toBeDefined();
    const send = () => fetch(`${server.address}/preflight`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(sampleRequest(sandbox)),
    });
    // One run first, so that the SDK clients the server loads after start are loaded.
    expect((await send()).status).toBe(200);
    // SIGTERM once the second run is calling AWS: in flight, not merely sent.
    const requests = watchRequests(sandbox);
    const inFlight = send();
    await requests.next();
    requests.stop();
    server.child.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { status: string }).status).toBe('ok');
    const [code] = (await once(server.child, 'exit')) as [number];
    expect(code).toBe(0);
  });

  it('stops a run that would outlast the grace in time to clean up, answers with its report, and exits 0', async () => {
    const hanging = await startSandbox({
      scenario: { extends: 'full-access', name: 'hanging-read', description: 'the marker read never answers', faults: [{ service: 's3', operation: 'GetObject', hang: true }] },
    });
    try {
      const server = await startServer({
        PREFLIGHT_API_KEYS: API_KEY,
        PREFLIGHT_SHUTDOWN_GRACE_MS: '4000',
        AWS_ENDPOINT_URL: hanging.endpoint,
        PREFLIGHT_S3_FORCE_PATH_STYLE: 'true',
      });
      expect(server.address, server.stderr()).toBeDefined();
      const markers = () => [...hanging.state.objects.values()].flatMap((objects) => [...objects.keys()]).filter((key) => key.includes('preflight-marker'));
      const inFlight = fetch(`${server.address}/preflight`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(sampleRequest(hanging, { options: { timeoutMs: 60_000 } })),
      });
      // SIGTERM once the marker is written: checked as each request arrives, so it is the read that hangs.
      const requests = watchRequests(hanging);
      await requests.until(() => markers().length > 0);
      requests.stop();
      server.child.kill('SIGTERM');
      const response = await inFlight;
      expect(response.status).toBe(200);
      const report = (await response.json()) as { probes: Array<{ id: string; outcome: string }> };
      expect(report.probes.find((p) => p.id === 's3-read')?.outcome).toBe('error');
      expect(report.probes.find((p) => p.id === 's3-delete-marker')?.outcome).toBe('pass');
      expect(markers()).toEqual([]);
      const [code] = (await once(server.child, 'exit')) as [number];
      expect(code).toBe(0);
    } finally {
      await hanging.close();
    }
  });

  it('refuses to start with a bad setting, naming the variable', async () => {
    const server = await startServer({ PORT: 'eighty' });
    const [code] = server.child.exitCode === null ? ((await once(server.child, 'exit')) as [number]) : [server.child.exitCode];
    expect(code).toBe(3);
    expect(server.stderr()).toContain('PORT must be an integer');
  });

  it('refuses to listen beyond loopback without API keys', async () => {
    const server = await startServer({ HOST: '0.0.0.0' });
    const [code] = server.child.exitCode === null ? ((await once(server.child, 'exit')) as [number]) : [server.child.exitCode];
    expect(code).toBe(3);
    expect(server.stderr()).toContain('PREFLIGHT_API_KEYS');
  });
});
