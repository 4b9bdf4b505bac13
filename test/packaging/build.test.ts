// The artefact the image runs: `npm run build`, then the files the Dockerfile's run stage copies,
// laid out as it lays them out in a directory outside the checkout (no node_modules but the ones it
// copies, none above it), and `dist/main.js serve` (the bundled service) as its own process against
// the sandbox, over real HTTP; the CLI and the sandbox from the same files. Catches what only
// bundling can break, and a file the bundles read that the image does not have.
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleRequest, serviceIdentityOf } from '../../src/sandbox/sample.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { loadPageAssets } from '../../src/web/assets.js';
import { start } from '../docs/processes.js';

const API_KEY = 'build-test-api-key-0123456789';
const run = promisify(execFile);

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/**
 * The run stage's files: each `COPY --from=build` of the Dockerfile's last stage, from the checkout
 * (the build stage's /app) into a new directory (the image's WORKDIR /app). The data folder the
 * build stage makes is made.
 */
function imageFiles(): string {
  const root = mkdtempSync(join(tmpdir(), 'preflight-image-files-'));
  const dockerfile = readFileSync('Dockerfile', 'utf8').replace(/\\\n/g, ' ');
  const runStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const copies = runStage.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('COPY --from=build '));
  expect(copies.length).toBeGreaterThan(3);
  for (const copy of copies) {
    const paths = copy.split(/\s+/).slice(2).filter((word) => !word.startsWith('--'));
    const target = paths.pop()!;
    for (const source of paths) {
      expect(source.startsWith('/app/'), source).toBe(true);
      const from = source.slice('/app/'.length);
      const to = join(root, target.endsWith('/') ? join(target, basename(from)) : target);
      if (from === 'data') mkdirSync(to, { recursive: true });
      else cpSync(from, to, { recursive: true });
    }
  }
  return root;
}

/** No node_modules above `dir`: what the files need and do not have, they cannot find elsewhere. */
function noModulesAbove(dir: string): boolean {
  for (let above = dirname(dir); ; above = dirname(above)) {
    if (existsSync(join(above, 'node_modules'))) return false;
    if (dirname(above) === above) return true;
  }
}

describe('the built service (dist/main.js serve), from the files the image holds', () => {
  let sandbox: Sandbox;
  let service: ChildProcess;
  let url: string;
  let stderr = '';
  let app: string;

  beforeAll(async () => {
    execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
    app = imageFiles();
    sandbox = await startSandbox({ scenario: 'full-access' });
    const identity = serviceIdentityOf(sandbox)!;
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    service = spawn(process.execPath, ['dist/main.js', 'serve'], {
      cwd: app,
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
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it('runs from files with no node_modules above them, and of node_modules only Swagger UI\'s page files', () => {
    expect(noModulesAbove(app)).toBe(true);
    expect(execFileSync('find', ['node_modules', '-maxdepth', '3'], { cwd: app, encoding: 'utf8' }).trim().split('\n').sort()).toEqual([
      'node_modules',
      'node_modules/@fastify',
      'node_modules/@fastify/swagger-ui',
      'node_modules/@fastify/swagger-ui/package.json',
      'node_modules/@fastify/swagger-ui/static',
    ]);
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

  it('runs the CLI from the same files: its version, and check against the sandbox', async () => {
    const version = execFileSync(process.execPath, ['dist/main.js', '--version'], { cwd: app, encoding: 'utf8' });
    expect(version.trim()).toBe(`preflight ${JSON.parse(readFileSync('package.json', 'utf8')).version}`);
    const connection = join(app, 'connection.json');
    writeFileSync(connection, JSON.stringify(sampleRequest(sandbox)));
    // Not a synchronous child: the sandbox answering it runs in this process.
    const { stdout } = await run(process.execPath, ['dist/main.js', 'check', 'connection.json'], {
      cwd: app,
      env: { PATH: process.env.PATH, AWS_ENDPOINT_URL: sandbox.endpoint, PREFLIGHT_S3_FORCE_PATH_STYLE: 'true', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
    });
    expect(stdout).toMatch(/^Preflight [0-9a-f]{12}: OK/);
  });

  it.each([
    ['its own bundle (dist/sandbox/main.js)', ['dist/sandbox/main.js']],
    ['the CLI (preflight sandbox)', ['dist/main.js', 'sandbox']],
  ])('starts the sandbox from %s, with a built-in scenario', async (_name, args) => {
    const simulated = start(process.execPath, [...args, '--scenario', 'coalesce-full', '--port', '0'], { cwd: app, env: { PATH: process.env.PATH } });
    try {
      const [line] = await simulated.waitFor(/^\{.*\}$/m);
      const { endpoint, principals } = JSON.parse(line) as { endpoint: string; principals: Array<{ name: string }> };
      expect(principals.map((p) => p.name)).toContain('coalesce-catalog');
      // It answers as AWS does: a request with no signature is refused.
      expect((await fetch(endpoint, { method: 'POST' })).status).toBe(403);
    } finally {
      await simulated.stop();
    }
  });
});
