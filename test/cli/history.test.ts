// preflight show, history and diff against a real service with a SQLite store on a
// temporary file, listening on loopback; diff also on two report files, without a service.
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreflightReport } from '../../src/preflight/types.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderTable } from '../../src/render/text.js';
import { diffReports } from '../../src/store/diff.js';
import { cliInProcess as cli } from '../support/cli.js';
import { type Harness, TEST_API_KEY, sampleRequest, startHarness } from '../support/service.js';
import { type TempStore, tempStore } from '../store/support.js';

const dir = mkdtempSync(join(tmpdir(), 'preflight-cli-history-'));
const env = { PREFLIGHT_API_KEY: TEST_API_KEY };
let temp: TempStore;
let harness: Harness;
let server: string;
let connectionFile: string;
let first: PreflightReport;
let second: PreflightReport;
let worse: PreflightReport;

beforeAll(async () => {
  temp = await tempStore();
  harness = await startHarness('full-access', { store: temp.store });
  await harness.app.listen({ host: '127.0.0.1', port: 0 });
  server = `http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`;
  const body = sampleRequest(harness.sandbox);
  connectionFile = join(dir, 'conn.json');
  writeFileSync(connectionFile, JSON.stringify(body));
  first = (await harness.preflight(body)).body;
  second = (await harness.preflight(body)).body;
  // A later run of the same connection where Athena refuses queries, kept as the service keeps one.
  worse = {
    ...second,
    id: 'a1b2c3d4e5f6',
    startedAt: new Date(Date.parse(second.startedAt) + 1000).toISOString(),
    status: 'degraded',
    capabilities: second.capabilities.map((c) => (c.id === 'query-execution' ? { ...c, status: 'unavailable', missingActions: ['athena:StartQueryExecution'] } : c)),
  };
  await temp.store.save(JSON.stringify(worse), {});
});
afterAll(async () => {
  await harness.close();
  await temp.remove();
});

describe('preflight show', () => {
  it('prints the stored report as check prints one: table, --json, --markdown; exits with its status', async () => {
    const table = await cli(['show', first.id, '--server', server], { env });
    expect(table).toMatchObject({ code: 0, stderr: '' });
    expect(table.stdout).toBe(renderTable(first, { color: false }));
    const json = await cli(['show', first.id, '--server', server, '--json'], { env });
    expect(JSON.parse(json.stdout)).toEqual(first);
    const markdown = await cli(['show', first.id, '--server', server, '--markdown', '--api-key', TEST_API_KEY]);
    expect(markdown.stdout).toBe(renderMarkdown(first));
    expect((await cli(['show', worse.id, '--server', server], { env })).code).toBe(1);
  });

  it('says what the service refused, and what is missing', async () => {
    const unknown = await cli(['show', '000000000000', '--server', server], { env });
    expect(unknown).toMatchObject({ code: 3, stdout: '' });
    expect(unknown.stderr).toMatch(/^preflight: the server answered 404: no stored report 000000000000/);
    const wrongKey = await cli(['show', first.id, '--server', server, '--api-key', 'wrong-key-wrong-key-0']);
    expect(wrongKey.code).toBe(3);
    expect(wrongKey.stderr).toMatch(/^preflight: the server answered 401/);
    expect(wrongKey.stderr).not.toContain('wrong-key-wrong-key-0');
    expect((await cli(['show', first.id], { env })).stderr).toBe('preflight: --server URL is required: the service that stored the reports (see preflight show --help)\n');
    expect((await cli(['show', first.id, '--server', server])).stderr).toContain('PREFLIGHT_API_KEY');
    expect((await cli(['show', '--server', server], { env })).stderr).toContain('show takes one run id');
    expect((await cli(['show', 'a/b', '--server', server], { env })).code).toBe(3);
  });

  it('says plainly when the service cannot be reached', async () => {
    const closed = await cli(['show', first.id, '--server', 'http://127.0.0.1:9'], { env });
    expect(closed).toMatchObject({ code: 3, stdout: '' });
    expect(closed.stderr).toMatch(/^preflight: cannot reach http:\/\/127\.0\.0\.1:9/);
  });
});

describe('preflight history', () => {
  it("lists the connection's runs newest first, found by the service's fingerprint", async () => {
    const fingerprint = (await harness.app.inject({ method: 'GET', url: `/preflight/${first.id}`, headers: { authorization: `Bearer ${TEST_API_KEY}` } })).headers['x-connection-fingerprint'];
    const json = await cli(['history', connectionFile, '--server', server, '--json'], { env });
    expect(json.code).toBe(0);
    const page = JSON.parse(json.stdout);
    expect(page.fingerprint).toBe(fingerprint);
    expect(page.runs.map((r: { id: string }) => r.id)).toEqual([worse.id, second.id, first.id]);
    const table = await cli(['history', '-', '--server', server], { env, stdin: JSON.stringify(sampleRequest(harness.sandbox)) });
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`connection ${fingerprint}, newest first`);
    expect(lines[1]).toMatch(/^run\s+started\s+status\s+duration$/);
    expect(lines.slice(2).map((line) => line.split(/\s+/).slice(0, 3))).toEqual([worse, second, first].map((r) => [r.id, r.startedAt, r.status]));
    const one = await cli(['history', connectionFile, '--server', server, '--limit', '1'], { env });
    expect(one.stdout).toContain(worse.id);
    expect(one.stdout).not.toContain(first.id);
    expect(one.stdout).toMatch(/older runs beyond these 1/);
  });

  it('never sends the connection file\'s secret; another connection has no runs', async () => {
    const body = sampleRequest(harness.sandbox) as { credentials: { type: string; secretAccessKey?: string } };
    expect(body.credentials.type).toBe('accessKey');
    const other = { ...body, accountId: '210987654321' };
    const seen: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      seen.push(`${String(input)} ${JSON.stringify(init ?? {})}`);
      return realFetch(input, init);
    }) as typeof fetch;
    let run;
    try {
      run = await cli(['history', '-', '--server', server], { env, stdin: JSON.stringify(other) });
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^preflight: no stored run of this connection \(fingerprint [0-9a-f]{24}\)\n$/);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(new RegExp(`^${server}/connections/[0-9a-f]{24}/runs\\?limit=20 `));
    expect(seen.join('')).not.toContain(body.credentials.secretAccessKey!);
  });

  it('refuses a connection that is not valid, and a bad limit', async () => {
    const bad = await cli(['history', '-', '--server', server], { env, stdin: JSON.stringify({ region: 'eu-west-1' }) });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/^preflight: the connection is not valid:/);
    expect((await cli(['history', connectionFile, '--server', server, '--limit', '0'], { env })).stderr).toContain('--limit must be an integer from 1 to 100');
  });
});

describe('preflight diff', () => {
  it('compares two stored runs with --server: exit 0 when nothing got worse, 1 when something did', async () => {
    const same = await cli(['diff', first.id, second.id, '--server', server, '--json'], { env });
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({ from: { id: first.id }, to: { id: second.id }, worse: false, capabilities: [] });
    const text = await cli(['diff', second.id, worse.id, '--server', server], { env });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('worse: something got worse');
    expect(text.stdout).toContain(`query-execution: ${second.capabilities.find((c) => c.id === 'query-execution')!.status} -> unavailable`);
    expect(text.stdout).toMatch(/newly missing:\n {2}athena:StartQueryExecution/);
    const better = await cli(['diff', worse.id, second.id, '--server', server], { env });
    expect(better.code).toBe(0);
    expect((await cli(['diff', first.id, '000000000000', '--server', server], { env })).stderr).toMatch(/the server answered 404/);
  });

  it('compares two report files with the service\'s own diff, no service needed', async () => {
    const [a, b] = [join(dir, 'second.json'), join(dir, 'worse.json')];
    writeFileSync(a, JSON.stringify(second));
    writeFileSync(b, JSON.stringify(worse));
    const run = await cli(['diff', a, b, '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual(diffReports(second, worse));
    const remote = await cli(['diff', second.id, worse.id, '--server', server, '--json'], { env });
    expect(JSON.parse(remote.stdout)).toEqual(JSON.parse(run.stdout));
    const back = await cli(['diff', b, '-'], { stdin: JSON.stringify(second) });
    expect(back.code).toBe(0);
    expect(back.stdout).toContain(`query-execution: unavailable -> ${second.capabilities.find((c) => c.id === 'query-execution')!.status}`);
    writeFileSync(join(dir, 'conn-as-report.json'), JSON.stringify(sampleRequest(harness.sandbox)));
    const notReport = await cli(['diff', a, join(dir, 'conn-as-report.json')]);
    expect(notReport.code).toBe(3);
    expect(notReport.stderr).toMatch(/is not a preflight report/);
    expect((await cli(['diff', a])).stderr).toContain('diff takes two reports');
  });
});

describe('help', () => {
  it('describes show, history and diff, and the overview names them', async () => {
    for (const command of ['show', 'history', 'diff']) {
      const help = await cli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^usage: preflight ${command} `));
      expect((await cli(['help', command])).stdout).toBe(help.stdout);
    }
    const overview = await cli(['--help']);
    expect(overview.stdout).toMatch(/\n {2}show ID .*\n {2}history FILE .*\n {2}diff OLD NEW /);
  });
});
