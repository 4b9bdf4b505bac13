// preflight watch against a real service watching a sandbox's role (its clock moved by hand),
// listening on loopback: the same list as GET /watch, as a table or JSON, the worst latest run as
// the exit code; and --check on watch files, without a service.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatInterval } from '../../src/cli/watch.js';
import type { ClientFactory } from '../../src/aws/clients.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { loadWatchFile } from '../../src/watch/file.js';
import { type TempStore, tempStore } from '../store/support.js';
import { cliInProcess as cli } from '../support/cli.js';
import { WATCH_API_KEY, fakeClock, watchedApp } from '../watch/support.js';

const dir = mkdtempSync(join(tmpdir(), 'preflight-cli-watch-'));
const env = { PREFLIGHT_API_KEY: WATCH_API_KEY, ACME_EXTERNAL_ID: 'acme-7f3c2a' };
const FILE = `connections:
  - label: acme-prod
    region: eu-west-1
    accountId: '123456789012'
    roleArn: arn:aws:iam::123456789012:role/PreflightReadOnly
    externalIdEnv: ACME_EXTERNAL_ID
    capabilities: [metadata, query-history]
  - label: acme-later
    region: eu-west-1
    accountId: '123456789012'
    roleArn: arn:aws:iam::123456789012:role/PreflightReadOnly
    externalIdEnv: ACME_EXTERNAL_ID
    capabilities: [metadata]
    interval: 1h30m
`;
const time = fakeClock();
let sandbox: Sandbox;
let temp: TempStore;
let app: FastifyInstance;
let clients: ClientFactory;
let server: string;

beforeAll(async () => {
  writeFileSync(join(dir, 'watch.yaml'), FILE);
  [sandbox, temp] = await Promise.all([startSandbox({ scenario: 'full-access' }), tempStore()]);
  // acme-prod runs within the first 30 s, acme-later at the end of the first minute.
  let draws = 0;
  ({ app, clients } = await watchedApp(sandbox, temp.store, { connections: await loadWatchFile(join(dir, 'watch.yaml'), env), clock: time.clock, random: () => (draws++ === 0 ? 0.1 : 0.99) }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  server = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app?.close();
  clients?.destroy();
  await Promise.all([sandbox?.close(), temp?.remove()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('preflight watch', () => {
  it('lists what GET /watch answers: a table or --json; exit 0 while no latest run is worse than ok', async () => {
    await time.advance(30_000);
    const answer = (await app.inject({ url: '/watch', headers: { authorization: `Bearer ${WATCH_API_KEY}` } })).json();
    expect(answer.connections.map((c: { lastRun: unknown }) => c.lastRun === null)).toEqual([false, true]);
    const json = await cli(['watch', '--server', server, '--json'], { env });
    expect(json).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(json.stdout)).toEqual(answer);
    const table = await cli(['watch', '--server', server], { env });
    expect(table).toMatchObject({ code: 0, stderr: '' });
    const [header, prod, later] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^connection +latest run +status +run +next run$/);
    const { lastRun, nextRunAt } = answer.connections[0];
    expect(prod).toMatch(new RegExp(`^acme-prod +${lastRun.at} +ok +${lastRun.id} +${nextRunAt}$`));
    expect(later).toMatch(new RegExp(`^acme-later +not yet +${answer.connections[1].nextRunAt}$`));
  });

  it('exits with the worst latest run, as check does', async () => {
    const role = sandbox.scenario.roles.find((r) => r.name === 'PreflightReadOnly')!;
    const granted = role.policies;
    role.policies = [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: ['athena:ListQueryExecutions'], Resource: '*' }] }] as typeof granted;
    try {
      await time.advance(7 * 60 * 60_000);
    } finally {
      role.policies = granted;
    }
    const run = await cli(['watch', '--server', server], { env });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^acme-prod +\S+ +degraded /m);
    expect(run.stdout).toMatch(/^acme-later +\S+ +ok /m);
  });

  it('refuses a wrong key or a missing server in the service\'s words', async () => {
    expect(await cli(['watch', '--server', server, '--api-key', 'not-the-key-0123456789'])).toEqual({ code: 3, stdout: '', stderr: 'preflight: the server answered 401: a valid API key is required: Authorization: Bearer <key>\n' });
    expect((await cli(['watch'], { env })).stderr).toBe('preflight: --server URL is required: the service that stored the reports (see preflight watch --help)\n');
  });
});

describe('preflight watch --check', () => {
  it('checks a watch file as the service does at start, here, without a service', async () => {
    const ok = await cli(['watch', '--check', join(dir, 'watch.yaml')], { env });
    expect(ok).toEqual({
      code: 0,
      stderr: '',
      stdout: `${join(dir, 'watch.yaml')}: 2 connections to watch
  acme-prod: arn:aws:iam::123456789012:role/PreflightReadOnly in eu-west-1, every 6h, external ID from the environment variable ACME_EXTERNAL_ID
  acme-later: arn:aws:iam::123456789012:role/PreflightReadOnly in eu-west-1, every 1h30m, external ID from the environment variable ACME_EXTERNAL_ID
`,
    });
    const unset = await cli(['watch', '--check', join(dir, 'watch.yaml')], { env: { PREFLIGHT_API_KEY: WATCH_API_KEY } });
    expect(unset).toMatchObject({ code: 3, stdout: '' });
    expect(unset.stderr).toBe('preflight: the watch file is not valid:\n  /connections/0/externalIdEnv: names the environment variable ACME_EXTERNAL_ID, which is not set\n  /connections/1/externalIdEnv: names the environment variable ACME_EXTERNAL_ID, which is not set\n');
    writeFileSync(join(dir, 'keys.json'), JSON.stringify({ connections: [{ label: 'k', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret-key-not-to-be-shown' }] }));
    const keys = await cli(['watch', '--check', join(dir, 'keys.json')], { env });
    expect(keys.code).toBe(3);
    expect(keys.stderr).toContain('/connections/0/accessKeyId: access keys are refused');
    expect(keys.stderr).not.toContain('secret-key-not-to-be-shown');
    expect((await cli(['watch', '--check', join(dir, 'watch.yaml'), '--server', server], { env })).stderr).toMatch(/--check checks a file here: it takes neither --server nor --json/);
  });

  it('writes intervals as a watch file does', () => {
    expect([6 * 3_600_000, 5 * 60_000, 90 * 60_000, 86_400_000 + 1000].map(formatInterval)).toEqual(['6h', '5m', '1h30m', '1d1s']);
  });
});
