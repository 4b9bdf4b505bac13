// The artefact the image runs: `npm run build`, then `dist/main.js serve` (the bundled service) as
// its own process against the sandbox, over real HTTP. Catches what only bundling can break.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleRequest, serviceIdentityOf } from '../../src/sandbox/sample.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { loadPageAssets } from '../../src/web/assets.js';

const API_KEY = 'build-test-api-key-0123456789';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

describe('the built service (dist/main.js serve)', () => {
  let sandbox: Sandbox;
  let service: ChildProcess;
  let url: string;
  let stderr = '';

  beforeAll(async () => {
    execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
    sandbox = await startSandbox({ scenario: 'full-access' });
    const identity = serviceIdentityOf(sandbox)!;
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    service = spawn(process.execPath, ['dist/main.js', 'serve'], {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        PREFLIGHT_API_KEYS: API_KEY,
        // Run from the checkout: no report may go to its ./data, the user's own store.
        PREFLIGHT_REPORT_STORE: 'off',
        AWS_ENDPOINT_URL: sandbox.endpoint,
        PREFLIGHT_S3_FORCE_PATH_STYLE: 'true',
        AWS_ACCESS_KEY_ID: identity.accessKeyId,
        AWS_SECRET_ACCESS_KEY: identity.secretAccessKey,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    service.stderr!.on('data', (chunk) => (stderr += chunk));
    for (let waited = 0; ; waited += 20) {
      if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
      if (service.exitCode !== null || waited > 20_000) throw new Error(`the built service did not get ready: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }, 120_000);

  afterAll(async () => {
    if (service && service.exitCode === null) {
      service.kill('SIGTERM');
      await once(service, 'exit');
    }
    await sandbox?.close();
  });

  it('runs a preflight in which nothing fails, with no warning on stderr', async () => {
    const response = await fetch(`${url}/preflight`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(sampleRequest(sandbox)),
    });
    expect(response.status).toBe(200);
    const report = await response.json();
    expect(report.probes.filter((p: { outcome: string }) => p.outcome === 'error')).toEqual([]);
    const statuses: string[] = report.capabilities.map((c: { status: string }) => c.status);
    expect(statuses.filter((status) => status === 'ok').length).toBeGreaterThanOrEqual(5);
    expect(statuses.filter((status) => status !== 'ok' && status !== 'skipped')).toEqual([]);
    expect(stderr).not.toMatch(/Warning|Error/);
  });

  it('serves the docs page and the OpenAPI document from the bundle', async () => {
    const docs = await fetch(`${url}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toMatch(/swagger/i);
    const spec = await fetch(`${url}/openapi.yaml`);
    expect(await spec.text()).toMatch(/^openapi: 3\.1\.0/m);
  });

  it('serves the page as these sources bundle it now, under a CSP that allows exactly its script and style', async () => {
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*)<\/style>/.exec(html)![1]!;
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const policy = response.headers.get('content-security-policy');
    expect(policy).toContain(`script-src ${hash(script)};`);
    expect(policy).toContain(`style-src ${hash(style)};`);
    // Not an older bundle: the same texts as the sources give when bundled from scratch.
    const fresh = await loadPageAssets();
    expect(script).toBe(fresh.script);
    expect(style).toBe(fresh.style);
    expect(html).toContain(fresh.markup);
    // The page came in the service's bundle, which neither holds nor loads the bundler.
    expect(readFileSync('dist/server.js', 'utf8')).not.toMatch(/['"]esbuild['"]/);
  });
});
