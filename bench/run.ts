// `npm run bench`: figures measured in one run on loopback, printed as a table, raw JSON kept
// under bench/results/. Never part of `npm test`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { SignatureV4 } from '@smithy/signature-v4';
import { coldStart, criticalPath, heapLimits, memory, runbook, throughput } from './measurements.js';
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

async function sandboxThroughput(): Promise<void> {
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
    results.sandbox = { requests: done, failed, seconds: elapsed, requestsPerSecond: done / elapsed, sandboxCpuSeconds: cpu, requestsPerCpuSecond: done / cpu };
  } finally {
    await started.stop();
  }
}

const f = (value: number, digits = 0) => value.toFixed(digits);

function table(): string {
  const sandbox = results.sandbox as { requestsPerSecond: number; requestsPerCpuSecond: number; failed: number };
  const path = results.criticalPath as Awaited<ReturnType<typeof criticalPath>>;
  const book = results.runbook as Awaited<ReturnType<typeof runbook>>;
  const load = results.throughput as Awaited<ReturnType<typeof throughput>>;
  const mem = results.memory as Awaited<ReturnType<typeof memory>>;
  const heap = results.heapLimits as Awaited<ReturnType<typeof heapLimits>>;
  const cold = results.coldStart as Awaited<ReturnType<typeof coldStart>>;
  const rows = [
    ['measurement', 'figure', 'goal', 'ratio'],
    ['sandbox: signed Glue GetDatabases per second (16 connections)', f(sandbox.requestsPerSecond), '', ''],
    ['sandbox: requests per CPU-second of its process', f(sandbox.requestsPerCpuSecond), '>= 2000', `${f(sandbox.requestsPerCpuSecond / 2000, 2)} x goal`],
    ['critical path (slow, 50 ms a call): preflight wall time, ms', f(path.wallMs), '', ''],
    [`  lower bound: ${path.chain.length} dependent calls (${path.chain.join(' > ')}), ms`, f(path.boundMs), '<= 1.2 x', `${f(path.ratioToBound, 2)} x bound`],
    [`  the same ${path.calls} calls one after another, ms`, f(path.sequentialMs), '>= 3 x faster', `${f(path.fasterThanSequential, 1)} x faster`],
    [`  the machine's floor: ${path.chain.length} plain HTTP round trips to a server that waits 50 ms, ms`, f(path.loopbackMs), '', `${f(path.ratioToLoopback, 2)} x floor`],
    ['runbook: AWS CLI script vs one preflight over HTTP, ms', `${f(book.runbookMs)} vs ${f(book.preflightMs)}`, '>= 10 x faster', `${f(book.faster, 1)} x faster`],
    ['throughput at concurrency 32: preflights per second', f(load.perSecond, 1), '>= 100', `${f(load.perSecond / 100, 2)} x goal`],
    ['  latency p50 / p99, ms', `${f(load.p50Ms)} / ${f(load.p99Ms)}`, '', ''],
    ['  CPU per preflight: service / sandbox, ms', `${f(load.serviceCpuMsPerPreflight, 1)} / ${f(load.sandboxCpuMsPerPreflight, 1)}`, '', ''],
    [`  SDK floor: ${load.callsPerPreflight} bare SDK calls' CPU, ms`, f(load.sdkFloorMsPerPreflight, 1), '', `service ${f(load.serviceToSdkFloor, 2)} x floor`],
    ['memory: peak RSS with 200 runs in flight, MB', f(mem.peakMbWith200InFlight), '<= 200', `${f(mem.peakMbWith200InFlight / 200, 2)} x goal`],
    ['  RSS after 500 / 5,000 runs, MB', `${f(mem.rssAfter500Mb)} / ${f(mem.rssAfter5000Mb)}`, '<= 10 % growth', `${f(mem.growth * 100, 1)} %`],
    ['  the image\'s V8 heap limits vs V8\'s defaults at concurrency 32: CPU per preflight, ms', `${f(heap.limited.cpuMsPerPreflight, 1)} vs ${f(heap.defaults.cpuMsPerPreflight, 1)}`, '', `${f(heap.cpuRatio, 2)} x CPU`],
    ['    peak RSS, MB', `${f(heap.limited.peakMb)} vs ${f(heap.defaults.peakMb)}`, '', `${f(heap.rssRatio, 2)} x RSS`],
    ['cold start: spawn to /readyz 200 (median of 5 starts), ms', f(cold.readyMs), '<= 500', `${f(cold.readyMs / 500, 2)} x goal`],
    ['  the first start ever (no V8 code cache on disk yet), ms', f(cold.readyFirstEverMs), '', `${f(cold.readyFirstEverMs / cold.readyMs, 2)} x`],
    ['  a bare Node process (node -e 0), spawn to exit, ms', f(cold.bareNodeMs), '', `ready = ${f(cold.readyMs / cold.bareNodeMs, 1)} x bare Node`],
    ['  first preflight vs warm median, ms', `${f(cold.firstPreflightMs)} vs ${f(cold.warmPreflightMs)}`, '', `${f(cold.firstToWarm, 1)} x`],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n');
}

// The service runs as production runs it: the compiled JavaScript.
execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
await sandboxThroughput();
results.criticalPath = await criticalPath();
results.runbook = await runbook();
results.throughput = await throughput();
results.memory = await memory();
results.heapLimits = await heapLimits();
results.coldStart = await coldStart();
rmSync(COMPILE_CACHE_DIR, { recursive: true, force: true });
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`Preflight benchmark, ${results.date}, ${results.cores} cores, Node ${results.node}\n\n${table()}\n\nraw results: ${file}\n`);
