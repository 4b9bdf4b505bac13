// `npm run bench`: figures measured in one run on loopback, printed as a table, raw JSON kept
// under bench/results/. Never part of `npm test`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { SignatureV4 } from '@smithy/signature-v4';
import { coldStart, criticalPath, heapLimits, memory, policyCoverageCost, runbook, storeCost, throughput, watchIdle } from './measurements.js';
import { COMPILE_CACHE_DIR, type SandboxProcess, cpuSeconds, startSandboxProcess } from './processes.js';
import { NodeSha256 } from '../test/support/sha256.js';

const results: Record<string, unknown> = { date: new Date().toISOString(), cores: cpus().length, node: process.version };

async function presignedCall(started: SandboxProcess) {
  const analyst = started.principals.find((p) => p.name === 'analyst')!;
  const url = new URL(started.endpoint);
  const body = JSON.stringify({ MaxResults: 5 });
  const signer = new SignatureV4({
    service: 'glue',
    region: started.region,
    credentials: { accessKeyId: analyst.accessKeyId, secretAccessKey: analyst.secretAccessKey },
    sha256: NodeSha256,
  });
  // One signed request replayed: SigV4 has no nonce, so the same signature stays valid for minutes.
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: {},
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSGlue.GetDatabases', 'content-length': String(Buffer.byteLength(body)) },
    body,
  });
  return { url, headers: signed.headers as Record<string, string>, body };
}

async function sandboxThroughput() {
  const started = await startSandboxProcess('full-access');
  const { child } = started;
  try {
    const call = await presignedCall(started);
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const send = () =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: call.url.hostname, port: call.url.port, method: 'POST', path: '/', headers: call.headers, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(call.body);
      });
    for (let i = 0; i < 200; i++) await send(); // warm up
    const durationMs = 3000;
    const cpuBefore = cpuSeconds(child.pid!);
    const started_ = Date.now();
    let done = 0;
    let failed = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (Date.now() - started_ < durationMs) {
          const status = await send();
          if (status === 200) done += 1;
          else failed += 1;
        }
      }),
    );
    const elapsed = (Date.now() - started_) / 1000;
    const cpu = cpuSeconds(child.pid!) - cpuBefore;
    agent.destroy();
    return { requests: done, failed, seconds: elapsed, requestsPerSecond: done / elapsed, sandboxCpuSeconds: cpu, requestsPerCpuSecond: done / cpu };
  } finally {
    await started.stop();
  }
}

const f = (value: number, digits = 0) => value.toFixed(digits);

const pct = (part: number, whole: number) => `${f((part / whole) * 100, 2)} %`;

function table(): string {
  const rows = [['measurement', 'figure', 'goal', 'ratio']];
  const sandbox = results.sandbox as { requestsPerSecond: number; requestsPerCpuSecond: number } | undefined;
  if (sandbox) {
    rows.push(
      ['sandbox: signed Glue GetDatabases per second (16 connections)', f(sandbox.requestsPerSecond), '', ''],
      ['sandbox: requests per CPU-second of its process', f(sandbox.requestsPerCpuSecond), '>= 2000', `${f(sandbox.requestsPerCpuSecond / 2000, 2)} x goal`],
    );
  }
  const path = results.criticalPath as Awaited<ReturnType<typeof criticalPath>> | undefined;
  if (path) {
    rows.push(
      ['critical path (slow, 50 ms a call): preflight wall time, ms', f(path.wallMs), '', ''],
      [`  lower bound: ${path.chain.length} dependent calls (${path.chain.join(' > ')}), ms`, f(path.boundMs), '<= 1.2 x', `${f(path.ratioToBound, 2)} x bound`],
      [`  the same ${path.calls} calls one after another, ms`, f(path.sequentialMs), '>= 3 x faster', `${f(path.fasterThanSequential, 1)} x faster`],
      [`  the machine's floor: ${path.chain.length} plain HTTP round trips to a server that waits 50 ms, ms`, f(path.loopbackMs), '', `${f(path.ratioToLoopback, 2)} x floor`],
    );
  }
  const book = results.runbook as Awaited<ReturnType<typeof runbook>> | undefined;
  if (book) rows.push(['runbook: AWS CLI script vs one preflight over HTTP, ms', `${f(book.runbookMs)} vs ${f(book.preflightMs)}`, '>= 10 x faster', `${f(book.faster, 1)} x faster`]);
  const load = results.throughput as Awaited<ReturnType<typeof throughput>> | undefined;
  if (load) {
    rows.push(
      ['throughput at concurrency 32: preflights per second', f(load.perSecond, 1), '>= 100', `${f(load.perSecond / 100, 2)} x goal`],
      ['  latency p50 / p99, ms', `${f(load.p50Ms)} / ${f(load.p99Ms)}`, '', ''],
      ['  CPU per preflight: service / sandbox, ms', `${f(load.serviceCpuMsPerPreflight, 1)} / ${f(load.sandboxCpuMsPerPreflight, 1)}`, '', ''],
      [`  SDK floor: ${load.callsPerPreflight} bare SDK calls' CPU, ms`, f(load.sdkFloorMsPerPreflight, 1), '', `service ${f(load.serviceToSdkFloor, 2)} x floor`],
    );
  }
  const mem = results.memory as Awaited<ReturnType<typeof memory>> | undefined;
  if (mem) {
    rows.push(
      ['memory: peak RSS with 200 runs sent at once (those the heap admits run, the rest 503), MB', `${f(mem.peakMbWith200Sent)} (${mem.admitted} admitted, ${mem.refusedBusy} busy)`, '<= 200', `${f(mem.peakMbWith200Sent / 200, 2)} x goal`],
      ['  RSS after 500 / 5,000 runs, MB', `${f(mem.rssAfter500Mb)} / ${f(mem.rssAfter5000Mb)}`, '<= 10 % growth', `${f(mem.growth * 100, 1)} %`],
    );
  }
  const heap = results.heapLimits as Awaited<ReturnType<typeof heapLimits>> | undefined;
  if (heap) {
    rows.push(
      ['  the image\'s V8 heap limits vs V8\'s defaults at concurrency 32: CPU per preflight, ms', `${f(heap.limited.cpuMsPerPreflight, 1)} vs ${f(heap.defaults.cpuMsPerPreflight, 1)}`, '', `${f(heap.cpuRatio, 2)} x CPU`],
      ['    peak RSS, MB', `${f(heap.limited.peakMb)} vs ${f(heap.defaults.peakMb)}`, '', `${f(heap.rssRatio, 2)} x RSS`],
    );
  }
  const cold = results.coldStart as Awaited<ReturnType<typeof coldStart>> | undefined;
  if (cold) {
    rows.push(
      ['cold start: spawn to /readyz 200 (median of 5 starts), ms', f(cold.readyMs), '<= 500', `${f(cold.readyMs / 500, 2)} x goal`],
      ['  the first start ever (no V8 code cache on disk yet), ms', f(cold.readyFirstEverMs), '', `${f(cold.readyFirstEverMs / cold.readyMs, 2)} x`],
      ['  a bare Node process (node -e 0), spawn to exit, ms', f(cold.bareNodeMs), '', `ready = ${f(cold.readyMs / cold.bareNodeMs, 1)} x bare Node`],
      ['  first preflight vs warm median, ms', `${f(cold.firstPreflightMs)} vs ${f(cold.warmPreflightMs)}`, '', `${f(cold.firstToWarm, 1)} x`],
    );
  }
  const store = results.storeCost as Awaited<ReturnType<typeof storeCost>> | undefined;
  if (store) {
    const { preflight } = store;
    rows.push(
      [`report store: keeping one report (${f(store.reportKb, 1)} KB), SQLite: service CPU / wall, ms`, `${f(store.sqlite.cpuMs, 3)} / ${f(store.sqlite.wallMs, 3)}`, '< 5 % of CPU', `${pct(store.sqlite.cpuMs, preflight.cpuMs)} CPU, ${pct(store.sqlite.wallMs, preflight.wallMs)} wall`],
      store.postgres
        ? [
            `  PostgreSQL: service CPU / wall, ms${store.postgres.databaseCpuCounted ? ' (+ the database\'s CPU)' : ''}`,
            `${f(store.postgres.cpuMs, 3)} / ${f(store.postgres.wallMs, 3)}${store.postgres.databaseCpuCounted ? ` (+ ${f(store.postgres.otherCpuMs, 3)})` : ''}`,
            '< 5 % of CPU',
            `${pct(store.postgres.cpuMs, preflight.cpuMs)} CPU, ${pct(store.postgres.wallMs, preflight.wallMs)} wall`,
          ]
        : ['  PostgreSQL', 'skipped: no PREFLIGHT_TEST_DATABASE_URL', '', ''],
      ['  against one preflight in the same run (one at a time): service CPU / wall, ms', `${f(preflight.cpuMs, 1)} / ${f(preflight.wallMs, 1)}`, '', ''],
    );
  }
  const coverage = results.coverage as Awaited<ReturnType<typeof policyCoverageCost>> | undefined;
  if (coverage) {
    rows.push(
      [`policy coverage: a ${coverage.policyCharacters}-character policy (${coverage.statements} statements), every capability: service CPU per answer, warm mean, ms`, f(coverage.serviceWarmCpuMs, 1), '< 100', `${f(coverage.serviceWarmCpuMs / 100, 3)} x goal`],
      ['  its first answer (compiles the answer\'s serializer), ms (10 ms ticks)', f(coverage.serviceFirstCpuMs), '< 100', `${f(coverage.serviceFirstCpuMs / 100, 2)} x goal`],
      ['  validation and evaluation alone, in process: CPU per call, median / slowest of 200, ms', `${f(coverage.evaluationMedianCpuMs, 2)} / ${f(coverage.evaluationMaxCpuMs, 2)}`, '', ''],
    );
  }
  const watch = results.watchIdle as Awaited<ReturnType<typeof watchIdle>> | undefined;
  if (watch) {
    rows.push(
      [`watch between runs (${watch.connections} connections, ${watch.seconds} s idle, mean of ${watch.rounds.length}): CPU the watch adds, ms`, f(watch.addedCpuMs), '0', `${f(watch.addedCpuMs / 10, 1)} ticks of /proc's 10 ms`],
      ['  service CPU: watching / watching nothing, ms', `${f(watch.watching.cpuMs)} / ${f(watch.notWatching.cpuMs)}`, '', ''],
      ['  its main thread (JavaScript, the watch\'s timers): watching / watching nothing, ms', `${f(watch.watching.mainThreadCpuMs)} / ${f(watch.notWatching.mainThreadCpuMs)}`, '0 added', `${f(watch.addedMainThreadCpuMs)} added`],
      ['  context switches of its threads: watching / watching nothing', `${f(watch.watching.wakeups)} / ${f(watch.notWatching.wakeups)}`, '', `${f(watch.addedWakeups)} added`],
    );
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n');
}

// `npm run bench -- throughput store`: only the measurements named (the table shows theirs).
const MEASUREMENTS = {
  sandbox: sandboxThroughput,
  criticalPath,
  runbook,
  throughput,
  memory,
  heapLimits,
  coldStart,
  // PostgreSQL only with a database to write to, as the store's tests (.ci/start-postgres).
  storeCost: () => storeCost(process.env.PREFLIGHT_TEST_DATABASE_URL),
  coverage: policyCoverageCost,
  watchIdle,
} as const;
const named = process.argv.slice(2);
const unknown = named.filter((name) => !(name in MEASUREMENTS));
if (unknown.length) throw new Error(`unknown measurement ${unknown.join(', ')}: one of ${Object.keys(MEASUREMENTS).join(', ')}`);

// The service runs as production runs it: the compiled JavaScript.
execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
for (const [name, measure] of Object.entries(MEASUREMENTS)) {
  if (named.length === 0 || named.includes(name)) results[name] = await measure();
}
rmSync(COMPILE_CACHE_DIR, { recursive: true, force: true });
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`Preflight benchmark, ${results.date}, ${results.cores} cores, Node ${results.node}\n\n${table()}\n\nraw results: ${file}\n`);
