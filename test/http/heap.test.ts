// Memory cannot crash the service: the bundle the image runs, with the image's heap limits, sent
// more slow runs at once than its heap holds, PREFLIGHT_MAX_CONCURRENT_RUNS raised to let them all
// in. Before, every run was admitted and V8's fatal out-of-memory error ended the process with all
// of them; now the runs the heap holds are admitted, the others answer 503 busy with Retry-After,
// and the service lives on.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleService } from '../../scripts/bundle.js';
import { sampleRequest, serviceIdentityOf } from '../../src/sandbox/sample.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { type Started, start } from '../docs/processes.js';

const KEY = 'heap-admission-key-0123456789';
/** The image's heap limits, as the Dockerfile sets them. */
const NODE_OPTIONS = /^ENV NODE_OPTIONS="([^"]+)"$/m.exec(readFileSync('Dockerfile', 'utf8'))![1]!;
/** Far more than the image's heap holds (at 400, some runs of the old service survived, most died). */
const RUNS = 600;
/** Each admitted run waits on Athena, which never answers, until this deadline: all are in flight at once. */
const RUN_DEADLINE_MS = 12_000;

let outdir: string;
let sandbox: Sandbox;
let service: Started;
let url: string;

beforeAll(async () => {
  // Inside the checkout: the bundle finds swagger-ui's files through node_modules.
  mkdirSync('test-artifacts', { recursive: true });
  outdir = mkdtempSync(join(resolve('test-artifacts'), 'heap-bundle-'));
  await bundleService(outdir);
  sandbox = await startSandbox({ scenario: 'hanging-athena' });
  const identity = serviceIdentityOf(sandbox);
  service = start(process.execPath, [join(outdir, 'server.js')], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: '0',
      NODE_OPTIONS,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_ENDPOINT_URL: sandbox.endpoint,
      PREFLIGHT_S3_FORCE_PATH_STYLE: 'true',
      PREFLIGHT_API_KEYS: KEY,
      PREFLIGHT_REPORT_STORE: 'off',
      PREFLIGHT_MAX_CONCURRENT_RUNS: String(RUNS),
      PREFLIGHT_RATE_LIMIT_PER_MINUTE: '100000',
      ...(identity ? { AWS_ACCESS_KEY_ID: identity.accessKeyId, AWS_SECRET_ACCESS_KEY: identity.secretAccessKey } : {}),
    },
  });
  const [, port] = await service.waitFor(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/);
  url = `http://127.0.0.1:${port}`;
}, 60_000);

afterAll(async () => {
  await service?.stop();
  await sandbox?.close();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('runs admitted by the heap they need', () => {
  it(`${RUNS} slow runs in the image's heap: those it holds run, the others answer 503 busy, and the service lives`, async () => {
    const body = JSON.stringify(sampleRequest(sandbox, { options: { timeoutMs: RUN_DEADLINE_MS } }));
    type Answer = { status: number; retryAfter: string | null; body: { error?: string; capabilities?: unknown[] } };
    const answers = await Promise.all(
      Array.from({ length: RUNS }, () =>
        fetch(`${url}/preflight`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body }).then(
          async (response): Promise<Answer> => ({ status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { error?: string; capabilities?: unknown[] } }),
          (error: Error & { cause?: { code?: string } }): Answer => ({ status: 0, retryAfter: null, body: { error: error.cause?.code ?? error.message } }),
        ),
      ),
    );

    const ran = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 503);
    // No answer lost: the process did not die under them (before: 400 sockets closed by the crash).
    const lost = answers.filter((a) => a.status !== 200 && a.status !== 503);
    expect(lost.length, `lost: ${JSON.stringify(lost[0])}\n${service.output().slice(-3000)}`).toBe(0);
    expect(service.output()).not.toMatch(/heap out of memory/);
    const [, admitted] = /at most (\d+) runs at once, the others answer 503 busy/.exec(service.output()) ?? [];
    expect(Number(admitted)).toBeGreaterThan(0);
    expect(Number(admitted)).toBeLessThan(RUNS);
    // Both paths taken: runs were in flight together up to the limit, and beyond it refused.
    expect(ran.length).toBeGreaterThanOrEqual(Number(admitted));
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of ran) expect(answer.body.capabilities?.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(answer.body.error).toBe('busy');
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    }
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
  }, 120_000);

  it('refuses to start, exit 3, when the heap cannot hold a single run besides the AWS calls in flight', async () => {
    const contradicting = start(process.execPath, [join(outdir, 'server.js')], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', NODE_OPTIONS, PREFLIGHT_REPORT_STORE: 'off', PREFLIGHT_MAX_CONCURRENT_CALLS: '4000' },
    });
    try {
      await expect(contradicting.waitFor(/Server listening/)).rejects.toThrow(/exited \(3\)/);
      expect(contradicting.output()).toMatch(/configuration error: PREFLIGHT_MAX_CONCURRENT_RUNS=64 and PREFLIGHT_MAX_CONCURRENT_CALLS=4000 need about \d+ MB of heap but V8's limit is 100 MB, not enough for a single run/);
    } finally {
      await contradicting.stop();
    }
  });
});
