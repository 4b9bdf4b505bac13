// The measurements of the service's speed and memory, each against its own processes, figures as ratios of one run.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import pg from 'pg';
import { CAPABILITY_IDS } from '../src/catalogue/capabilities.js';
import { policyCoverage } from '../src/coverage/evaluate.js';
import { validateCoverageRequest } from '../src/coverage/request.js';
import { waitsFor } from '../src/preflight/engine.js';
import { PROBES } from '../src/probes/registry.js';
import { openPostgresStore } from '../src/store/postgres.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { ReportStore } from '../src/store/types.js';
import {
  API_KEY,
  Busy,
  COMPILE_CACHE_DIR,
  IMAGE_MEMORY_ENV,
  IMAGE_NODE_OPTIONS,
  type SandboxProcess,
  type ServiceProcess,
  connectionFor,
  contextSwitches,
  cpuSeconds,
  percentile,
  preflight,
  rssMb,
  startSandboxProcess,
  startServiceProcess,
} from './processes.js';

const run = promisify(execFile);
const LATENCY_MS = 50;
/** AWS calls a probe makes one after another (the rest make one, or several at once). */
const SEQUENTIAL_CALLS: Record<string, number> = { 's3-multipart': 2 };
/** AWS calls a probe makes side by side: all of them count when calls are made one at a time. */
const PARALLEL_CALLS: Record<string, number> = { 'glue-tables': 3, 'glue-functions': 3 };

let nextPort = 18600;
const port = () => nextPort++;

/** Longest chain of dependent calls among the probes that ran, from what each probe waits for. */
export function criticalChain(ran: ReadonlySet<string>): { ms: number; chain: string[]; calls: number } {
  const finish = new Map<string, number>();
  const previous = new Map<string, string | undefined>();
  let calls = 0;
  for (const probe of PROBES) {
    if (!ran.has(probe.id)) continue;
    calls += PARALLEL_CALLS[probe.id] ?? SEQUENTIAL_CALLS[probe.id] ?? 1;
    let start = 0;
    let before: string | undefined;
    for (const dependency of waitsFor(probe)) {
      if ((finish.get(dependency) ?? 0) > start) [start, before] = [finish.get(dependency)!, dependency];
    }
    finish.set(probe.id, start + (SEQUENTIAL_CALLS[probe.id] ?? 1) * LATENCY_MS);
    previous.set(probe.id, before);
  }
  let last = [...finish].sort((a, b) => b[1] - a[1])[0]!;
  const chain: string[] = [];
  for (let id: string | undefined = last[0]; id; id = previous.get(id)) chain.unshift(id);
  return { ms: last[1], chain, calls };
}

/**
 * The machine's own floor for a chain of `hops` calls: plain Node HTTP round trips, one after
 * another, to a server in another process that answers each after LATENCY_MS. No SDK, no signing,
 * no sandbox logic: what loopback and timers alone cost on top of the bound (median of 5 chains).
 */
async function loopbackChainMs(hops: number): Promise<number> {
  const server = `require('node:http').createServer((q, s) => { q.resume(); q.on('end', () => setTimeout(() => s.end('{}'), ${LATENCY_MS})); }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;
  const child = spawn(process.execPath, ['-e', server], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    const agent = new Agent({ keepAlive: true });
    const roundTrip = () =>
      new Promise<void>((resolve, reject) => {
        const call = request({ host: '127.0.0.1', port: Number(line), method: 'POST', agent, headers: { 'content-type': 'application/x-amz-json-1.1' } }, (response) => {
          response.resume();
          response.on('end', resolve);
        });
        call.on('error', reject);
        call.end('{}');
      });
    const chains: number[] = [];
    for (let i = 0; i < 6; i++) {
      const started = performance.now();
      for (let hop = 0; hop < hops; hop++) await roundTrip();
      if (i > 0) chains.push(performance.now() - started); // the first one connects
    }
    agent.destroy();
    return percentile(chains, 50);
  } finally {
    child.kill();
  }
}

export async function criticalPath() {
  const sandbox = await startSandboxProcess('slow');
  const service = await startServiceProcess(sandbox, port());
  try {
    await preflight(service, connectionFor(sandbox)); // warm the clients and agents
    const runs = [];
    for (let i = 0; i < 5; i++) {
      // One preflight at a time, as a customer runs it: a second apart, so that CloudTrail's quota
      // of 2 LookupEvents a second (which the sandbox enforces) is not spent by the previous run.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      runs.push(await preflight(service, connectionFor(sandbox)));
    }
    const median = runs.sort((a, b) => a.report.durationMs - b.report.durationMs)[2]!;
    const ran = new Set<string>(median.report.probes.filter((p: { outcome: string }) => p.outcome !== 'skipped').map((p: { id: string }) => p.id));
    const bound = criticalChain(ran);
    const sequentialMs = bound.calls * LATENCY_MS;
    const loopbackMs = await loopbackChainMs(bound.chain.length);
    return {
      loopbackMs: Math.round(loopbackMs),
      ratioToLoopback: median.report.durationMs / loopbackMs,
      wallMs: median.report.durationMs,
      httpMs: Math.round(median.ms),
      boundMs: bound.ms,
      chain: bound.chain,
      calls: bound.calls,
      sequentialMs,
      ratioToBound: median.report.durationMs / bound.ms,
      fasterThanSequential: sequentialMs / median.report.durationMs,
    };
  } finally {
    await service.stop();
    await sandbox.stop();
  }
}

/** What a support engineer does without us: one AWS CLI call after another, against the same sandbox. */
export async function runbook() {
  const sandbox = await startSandboxProcess('full-access');
  const service = await startServiceProcess(sandbox, port());
  try {
    const analyst = sandbox.principals.find((p) => p.name === 'analyst')!;
    const started = performance.now();
    await run('bash', ['bench/runbook.sh'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ENDPOINT: sandbox.endpoint,
        AWS_ACCESS_KEY_ID: analyst.accessKeyId,
        AWS_SECRET_ACCESS_KEY: analyst.secretAccessKey,
        AWS_DEFAULT_REGION: sandbox.region,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_PAGER: '',
      },
      timeout: 120_000,
    });
    const runbookMs = performance.now() - started;
    await preflight(service, connectionFor(sandbox));
    const ours = await preflight(service, connectionFor(sandbox));
    return { runbookMs: Math.round(runbookMs), preflightMs: Math.round(ours.ms), faster: runbookMs / ours.ms };
  } finally {
    await service.stop();
    await sandbox.stop();
  }
}

async function load(service: { url: string }, body: unknown, concurrency: number, until: () => boolean) {
  const latencies: number[] = [];
  let failed = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!until()) {
        try {
          latencies.push((await preflight(service as never, body)).ms);
        } catch {
          failed += 1;
        }
      }
    }),
  );
  return { latencies, failed };
}

/** Runs `work` while sampling the process's RSS; returns its result and the peak in MB. */
async function withPeakRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peakMb = rssMb(pid);
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, rssMb(pid))), 10);
  try {
    const result = await work();
    return { result, peakMb: Math.max(peakMb, rssMb(pid)) };
  } finally {
    clearInterval(sampler);
  }
}

/** Preflights at concurrency 32 for `ms` after a warm-up: latencies, CPU per preflight of the service and the sandbox, the service's peak RSS. */
async function measuredLoad(service: ServiceProcess, sandbox: SandboxProcess, { warmMs, ms }: { warmMs: number; ms: number }) {
  const body = connectionFor(sandbox);
  const warmUntil = performance.now() + warmMs;
  await load(service, body, 32, () => performance.now() > warmUntil);
  const [servicePid, sandboxPid] = [service.child.pid!, sandbox.child.pid!];
  const [serviceCpuBefore, sandboxCpuBefore] = [cpuSeconds(servicePid), cpuSeconds(sandboxPid)];
  const started = performance.now();
  const { result, peakMb } = await withPeakRss(servicePid, () => load(service, body, 32, () => performance.now() - started > ms));
  const perPreflightMs = (cpu: number) => (cpu * 1000) / result.latencies.length;
  return {
    ...result,
    seconds: (performance.now() - started) / 1000,
    serviceCpuMsPerPreflight: perPreflightMs(cpuSeconds(servicePid) - serviceCpuBefore),
    sandboxCpuMsPerPreflight: perPreflightMs(cpuSeconds(sandboxPid) - sandboxCpuBefore),
    peakMb,
  };
}

const THROUGHPUT_SCENARIO = 'bench/scenarios/throughput.json';
const SLOW_MANY_ACCOUNTS_SCENARIO = 'bench/scenarios/slow-unthrottled.json';

/** CPU milliseconds the SDK itself spends per AWS call (bench/sdk-floor.ts, a process of its own). */
async function sdkCpuPerCall(sandbox: SandboxProcess, callsPerPreflight: number): Promise<number> {
  const analyst = sandbox.principals.find((p) => p.name === 'analyst')!;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/sdk-floor.ts'], {
    env: {
      PATH: process.env.PATH,
      NODE_OPTIONS: IMAGE_NODE_OPTIONS,
      ...IMAGE_MEMORY_ENV,
      ENDPOINT: sandbox.endpoint,
      REGION: sandbox.region,
      ACCESS_KEY_ID: analyst.accessKeyId,
      SECRET_ACCESS_KEY: analyst.secretAccessKey,
      CALLS_PER_CLIENT: String(callsPerPreflight),
    },
  });
  return JSON.parse(stdout).cpuMsPerCall;
}

export async function throughput() {
  const sandbox = await startSandboxProcess(THROUGHPUT_SCENARIO);
  const service = await startServiceProcess(sandbox, port());
  try {
    const body = connectionFor(sandbox);
    const sample = await preflight(service, body);
    const calls = criticalChain(new Set(sample.report.probes.filter((p: { outcome: string }) => p.outcome !== 'skipped').map((p: { id: string }) => p.id))).calls;
    const sdkMsPerCall = await sdkCpuPerCall(sandbox, calls);
    const measured = await measuredLoad(service, sandbox, { warmMs: 2000, ms: 8000 });
    return {
      preflights: measured.latencies.length,
      failed: measured.failed,
      perSecond: measured.latencies.length / measured.seconds,
      p50Ms: percentile(measured.latencies, 50),
      p99Ms: percentile(measured.latencies, 99),
      serviceCpuMsPerPreflight: measured.serviceCpuMsPerPreflight,
      sandboxCpuMsPerPreflight: measured.sandboxCpuMsPerPreflight,
      callsPerPreflight: calls,
      sdkFloorMsPerPreflight: sdkMsPerCall * calls,
      serviceToSdkFloor: measured.serviceCpuMsPerPreflight / (sdkMsPerCall * calls),
    };
  } finally {
    await service.stop();
    await sandbox.stop();
  }
}

/** What the image's heap limits cost and save at concurrency 32: with them, and with V8's defaults (the image's malloc settings in both). */
export async function heapLimits() {
  const sandbox = await startSandboxProcess(THROUGHPUT_SCENARIO);
  const measure = async (nodeOptions: string) => {
    const service = await startServiceProcess(sandbox, port(), COMPILE_CACHE_DIR, nodeOptions);
    try {
      const { serviceCpuMsPerPreflight, peakMb } = await measuredLoad(service, sandbox, { warmMs: 1000, ms: 5000 });
      return { cpuMsPerPreflight: serviceCpuMsPerPreflight, peakMb };
    } finally {
      await service.stop();
    }
  };
  try {
    // Alternated, twice each: the machine's speed drifts over a run, and the ratio should not.
    const runs: Array<Awaited<ReturnType<typeof measure>>> = [];
    for (const nodeOptions of [IMAGE_NODE_OPTIONS, '', IMAGE_NODE_OPTIONS, '']) runs.push(await measure(nodeOptions));
    // Mean CPU, highest peak.
    const pooled = (pair: typeof runs) => ({ cpuMsPerPreflight: (pair[0]!.cpuMsPerPreflight + pair[1]!.cpuMsPerPreflight) / 2, peakMb: Math.max(pair[0]!.peakMb, pair[1]!.peakMb) });
    const limited = pooled([runs[0]!, runs[2]!]);
    const defaults = pooled([runs[1]!, runs[3]!]);
    return { nodeOptions: IMAGE_NODE_OPTIONS, memoryEnv: IMAGE_MEMORY_ENV, limited, defaults, cpuRatio: limited.cpuMsPerPreflight / defaults.cpuMsPerPreflight, rssRatio: limited.peakMb / defaults.peakMb };
  } finally {
    await sandbox.stop();
  }
}

export async function memory() {
  const slow = await startSandboxProcess(SLOW_MANY_ACCOUNTS_SCENARIO);
  const fast = await startSandboxProcess(THROUGHPUT_SCENARIO);
  const onSlow = await startServiceProcess(slow, port());
  const onFast = await startServiceProcess(fast, port());
  try {
    // 200 runs sent at once against 50 ms calls, RSS sampled while they run. The service admits as
    // many as the image's heap holds (the rest answer 503 busy, and are counted): the peak is that
    // of the runs it admits, the most it ever holds.
    let refused = 0;
    const { peakMb: peak } = await withPeakRss(onSlow.child.pid!, () =>
      Promise.all(
        Array.from({ length: 200 }, () =>
          preflight(onSlow, connectionFor(slow)).catch((error: unknown) => {
            if (!(error instanceof Busy)) throw error;
            refused += 1;
          }),
        ),
      ),
    );

    // Growth: RSS after 500 runs against after 5,000 (a leak of clients, sockets or timers shows here).
    let done = 0;
    const runUntil = async (total: number) => {
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (done < total) {
            done += 1;
            await preflight(onFast, connectionFor(fast));
          }
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      return rssMb(onFast.child.pid!);
    };
    const after500 = await runUntil(500);
    const after5000 = await runUntil(5000);
    return { peakMbWith200Sent: peak, admitted: 200 - refused, refusedBusy: refused, rssAfter500Mb: after500, rssAfter5000Mb: after5000, growth: after5000 / after500 - 1 };
  } finally {
    await Promise.all([onSlow.stop(), onFast.stop()]);
    await Promise.all([slow.stop(), fast.stop()]);
  }
}

/** Spawn to exit of `node -e 0`: what any Node process pays before our first line runs. */
async function bareNodeMs(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await run(process.execPath, ['-e', '0']);
    times.push(performance.now() - started);
  }
  return percentile(times, 50);
}

export async function coldStart() {
  // Without CloudTrail's quota: the warm preflights come one right after another.
  const sandbox = await startSandboxProcess(THROUGHPUT_SCENARIO);
  try {
    const bareMs = await bareNodeMs();
    // A first start ever (empty code cache, as a new container), then starts with the cache warm.
    const emptyCache = mkdtempSync(join(tmpdir(), 'preflight-bench-cold-'));
    const firstEver = await startServiceProcess(sandbox, port(), emptyCache);
    await firstEver.stop();
    rmSync(emptyCache, { recursive: true, force: true });
    const ready: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = await startServiceProcess(sandbox, port());
      ready.push(started.readyAfterMs);
      await started.stop();
    }
    const service = await startServiceProcess(sandbox, port());
    try {
      const first = await preflight(service, connectionFor(sandbox));
      const warm: number[] = [];
      for (let i = 0; i < 10; i++) warm.push((await preflight(service, connectionFor(sandbox))).ms);
      const warmMedian = percentile(warm, 50);
      return {
        readyMs: percentile(ready, 50),
        bareNodeMs: bareMs,
        readyFirstEverMs: firstEver.readyAfterMs,
        firstPreflightMs: first.ms,
        warmPreflightMs: warmMedian,
        firstToWarm: first.ms / warmMedian,
      };
    } finally {
      await service.stop();
    }
  } finally {
    await sandbox.stop();
  }
}

const STORE_WRITES = 2000;

/** Keeps `reports` one after another, after a warm-up: CPU of this process and wall time per write (median). */
async function timeWrites(store: ReportStore, reports: string[], otherCpuSeconds: () => number = () => 0) {
  for (const report of reports.slice(0, 200)) await store.save(report, { apiKeyLabel: 'key:0a1b2c3d' });
  const measured = reports.slice(200);
  const walls: number[] = [];
  const [cpuBefore, otherBefore] = [process.cpuUsage(), otherCpuSeconds()];
  for (const report of measured) {
    const started = performance.now();
    await store.save(report, { apiKeyLabel: 'key:0a1b2c3d' });
    walls.push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return {
    writes: measured.length,
    cpuMs: (cpu.user + cpu.system) / 1000 / measured.length,
    wallMs: percentile(walls, 50),
    otherCpuMs: ((otherCpuSeconds() - otherBefore) * 1000) / measured.length,
  };
}

/**
 * What keeping a report costs, against what a preflight costs in the same run: this
 * run's report (as served) written STORE_WRITES times, each under its own id, through the
 * service's own store code in this process, to a SQLite file (the service's settings) and, given a
 * database URL, to PostgreSQL, each in a schema of its own, dropped afterwards. PostgreSQL's own
 * CPU (its backends, when they run on this machine) is counted beside the service's.
 */
export async function storeCost(databaseUrl: string | undefined) {
  const sandbox = await startSandboxProcess(THROUGHPUT_SCENARIO);
  const service = await startServiceProcess(sandbox, port());
  let report: { id: string } | undefined;
  const walls: number[] = [];
  let cpuMs: number;
  try {
    for (let i = 0; i < 5; i++) await preflight(service, connectionFor(sandbox)); // warm
    // One at a time, as a customer runs it; /proc counts CPU in ticks of 10 ms, so the total over 20.
    const cpuBefore = cpuSeconds(service.child.pid!);
    for (let i = 0; i < 20; i++) {
      const run = await preflight(service, connectionFor(sandbox));
      walls.push(run.ms);
      report = run.report;
    }
    cpuMs = ((cpuSeconds(service.child.pid!) - cpuBefore) * 1000) / walls.length;
  } finally {
    await service.stop();
    await sandbox.stop();
  }
  const { id } = report!;
  const json = JSON.stringify(report);
  const reports = Array.from({ length: STORE_WRITES + 200 }, (_, i) => json.replace(`"id":"${id}"`, `"id":"${id}-${i}"`));
  const preflightFigures = { cpuMs, wallMs: percentile(walls, 50) };

  const dir = mkdtempSync(join(tmpdir(), 'preflight-bench-store-'));
  const sqliteStore = await openSqliteStore({ path: join(dir, 'reports.sqlite'), retentionDays: 30 });
  let sqlite;
  try {
    sqlite = await timeWrites(sqliteStore, reports);
  } finally {
    await sqliteStore.close();
    rmSync(dir, { recursive: true, force: true });
  }

  let postgres: Awaited<ReturnType<typeof timeWrites>> & { databaseCpuCounted: boolean } | undefined;
  if (databaseUrl) {
    const schema = `preflight_bench_${randomBytes(6).toString('hex')}`;
    const application = `preflight-bench-${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA ${schema}`);
      const url = new URL(databaseUrl);
      url.searchParams.set('options', `-c search_path=${schema}`);
      url.searchParams.set('application_name', application);
      const store = await openPostgresStore({ url: url.toString(), retentionDays: 30 });
      try {
        // The store's backends, found by their application name; readable in /proc when local.
        const backends = async () => {
          const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [application]);
          return rows.map((r) => r.pid);
        };
        await store.save(reports[0]!, {}); // a connection in the pool
        const pids = await backends();
        const readable = pids.length > 0 && pids.every((pid) => { try { cpuSeconds(pid); return true; } catch { return false; } });
        const measured = await timeWrites(store, reports.slice(1), readable ? () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) : undefined);
        postgres = { ...measured, databaseCpuCounted: readable };
      } finally {
        await store.close();
      }
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
      await admin.end();
    }
  }
  return { reportKb: Buffer.byteLength(json) / 1024, preflight: preflightFigures, sqlite, postgres };
}

/** IAM's quota for all of a role's inline policies together (IAM User Guide, "IAM and AWS STS quotas"), in characters. */
const POLICY_CHARACTERS = 10_240;

/**
 * A policy of exactly POLICY_CHARACTERS characters (compact JSON, as IAM counts them), as a
 * least-privilege customer writes one: Glue reads database by database, the results location and
 * the tables' data, Athena on its workgroup, a KMS key through S3, a region guard, and a Deny of
 * Glue writes. The last statement's Sid pads it to the exact size.
 */
function largePolicy() {
  const account = '123456789012';
  const glue = (n: number) => ({
    Sid: `GlueReadsDatabase${n}`,
    Effect: 'Allow',
    Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartitions', 'glue:GetPartition', 'glue:BatchGetPartition'],
    Resource: [`arn:aws:glue:eu-west-1:${account}:database/sales_${n}`, `arn:aws:glue:eu-west-1:${account}:table/sales_${n}/*`],
  });
  const fixed = [
    { Sid: 'GlueCatalog', Effect: 'Allow', Action: ['glue:GetDatabases', 'glue:GetDatabase', 'glue:SearchTables', 'glue:GetTableVersions'], Resource: [`arn:aws:glue:eu-west-1:${account}:catalog`, `arn:aws:glue:eu-west-1:${account}:database/default`] },
    { Sid: 'AthenaWorkgroup', Effect: 'Allow', Action: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup', 'athena:ListQueryExecutions', 'athena:BatchGetQueryExecution'], Resource: `arn:aws:athena:eu-west-1:${account}:workgroup/analytics` },
    { Sid: 'AthenaList', Effect: 'Allow', Action: ['athena:ListWorkGroups', 'athena:ListDataCatalogs', 'cloudtrail:LookupEvents'], Resource: '*' },
    { Sid: 'Results', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], Resource: 'arn:aws:s3:::acme-athena-results/analytics/*' },
    { Sid: 'ResultsBucket', Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], Resource: 'arn:aws:s3:::acme-athena-results' },
    { Sid: 'ResultsListing', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::acme-athena-results', Condition: { StringLike: { 's3:prefix': ['analytics/', 'analytics/*'] } } },
    { Sid: 'TableData', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::acme-data-lake', 'arn:aws:s3:::acme-data-lake/sales_*'] },
    { Sid: 'ResultsKey', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: `arn:aws:kms:eu-west-1:${account}:key/1f0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f`, Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } } },
    { Sid: 'OnlyIreland', Effect: 'Deny', NotAction: ['sts:*', 'cloudtrail:*'], Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } } },
    { Sid: 'NoCatalogWrites', Effect: 'Deny', Action: ['glue:Create*', 'glue:Update*', 'glue:Delete*', 'glue:BatchDelete*', 'glue:Put*'], Resource: '*' },
  ];
  const statements: object[] = [...fixed];
  const size = () => JSON.stringify({ Version: '2012-10-17', Statement: statements }).length;
  for (let n = 0; size() < POLICY_CHARACTERS; n++) statements.push(glue(n));
  statements.pop();
  const last = { Sid: 'Pad', Effect: 'Allow', Action: 'glue:GetUserDefinedFunctions', Resource: `arn:aws:glue:eu-west-1:${account}:userDefinedFunction/sales_0/*` };
  statements.push(last);
  last.Sid = `Pad${'x'.repeat(POLICY_CHARACTERS - size())}`;
  const policy = { Version: '2012-10-17', Statement: statements };
  if (JSON.stringify(policy).length !== POLICY_CHARACTERS) throw new Error(`the policy has ${JSON.stringify(policy).length} characters, not ${POLICY_CHARACTERS}`);
  return { policy, statements: statements.length };
}

/**
 * What answering POST /policy/coverage costs for a policy of IAM's inline quota (10,240
 * characters), every capability judged on named databases, the results key and the data: the
 * service's CPU per answer over HTTP (its first answer, which compiles the answer's serializer,
 * and the mean of 200 after it; /proc counts in 10 ms ticks), and the validation and evaluation
 * alone in this process, per call (median and slowest of 200, after 20).
 */
export async function policyCoverageCost() {
  const { policy, statements } = largePolicy();
  const body = {
    region: 'eu-west-1',
    accountId: '123456789012',
    policies: [policy],
    athena: { workgroup: 'analytics', outputLocation: 's3://acme-athena-results/analytics/' },
    glue: { databases: ['sales_0', 'sales_1', 'sales_2'] },
    capabilities: [...CAPABILITY_IDS],
    results: { encryption: 'SSE_KMS', kmsKey: 'arn:aws:kms:eu-west-1:123456789012:key/1f0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f' },
    dataLocation: 's3://acme-data-lake/sales_0/',
  };
  const sandbox = await startSandboxProcess(THROUGHPUT_SCENARIO);
  const service = await startServiceProcess(sandbox, port());
  const ask = async () => {
    const response = await fetch(`${service.url}/policy/coverage`, { method: 'POST', headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = (await response.json()) as { capabilities?: unknown[] };
    if (response.status !== 200 || answer.capabilities?.length !== CAPABILITY_IDS.length) throw new Error(`POST /policy/coverage answered ${response.status}: ${JSON.stringify(answer).slice(0, 500)}`);
  };
  let firstCpuMs: number;
  let warmCpuMs: number;
  const answers = 200;
  try {
    const pid = service.child.pid!;
    let before = cpuSeconds(pid);
    await ask();
    firstCpuMs = (cpuSeconds(pid) - before) * 1000;
    before = cpuSeconds(pid);
    for (let i = 0; i < answers; i++) await ask();
    warmCpuMs = ((cpuSeconds(pid) - before) * 1000) / answers;
  } finally {
    await service.stop();
    await sandbox.stop();
  }
  const perCall: number[] = [];
  for (let i = 0; i < 220; i++) {
    const started = process.cpuUsage();
    const validation = validateCoverageRequest(body);
    if (!validation.ok) throw new Error(JSON.stringify(validation.issues));
    const answer = policyCoverage(validation.input);
    const cpu = process.cpuUsage(started);
    if (answer.capabilities.length !== CAPABILITY_IDS.length) throw new Error('coverage answered fewer capabilities');
    if (i >= 20) perCall.push((cpu.user + cpu.system) / 1000);
  }
  return {
    policyCharacters: POLICY_CHARACTERS,
    statements,
    serviceFirstCpuMs: firstCpuMs,
    serviceWarmCpuMs: warmCpuMs,
    evaluationMedianCpuMs: percentile(perCall, 50),
    evaluationMaxCpuMs: Math.max(...perCall),
  };
}

const WATCH_IDLE_MS = 30_000;
const WATCH_SETTLE_MS = 15_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The watch between runs (issue 28): no polling, so no CPU of its own. A service watching two
 * connections (PREFLIGHT_WATCH_TIME_SCALE=60: the first runs within a second, the next 6 min later),
 * left alone once both have run: its CPU (/proc, in ticks of 10 ms) and its threads' context
 * switches (how often anything in it woke up) over 30 s; against the same service watching
 * nothing after the same two runs made through the API, which has a floor of its own (prom-client's
 * event-loop-delay monitor wakes it every 10 ms). Alternated, twice each: what the watch adds is the
 * difference.
 */
export async function watchIdle() {
  const sandbox = await startSandboxProcess('full-access');
  const dir = mkdtempSync(join(tmpdir(), 'preflight-bench-watch-'));
  try {
    const role = sandbox.roles.find((r) => r.externalId)!;
    const file = join(dir, 'watch.json');
    const connections = ['bench-a', 'bench-b'].map((label) => ({ label, region: sandbox.region, accountId: sandbox.accountId, roleArn: role.arn, externalIdEnv: 'BENCH_EXTERNAL_ID', capabilities: ['metadata', 'query-history'] }));
    writeFileSync(file, JSON.stringify({ connections }));
    const idle = async (env: Record<string, string>) => {
      const service = await startServiceProcess(sandbox, port(), COMPILE_CACHE_DIR, IMAGE_NODE_OPTIONS, IMAGE_MEMORY_ENV, env);
      const watched = async () =>
        ((await (await fetch(`${service.url}/watch`, { headers: { authorization: `Bearer ${API_KEY}` } })).json()) as { connections: Array<{ lastRun: { id: string } | null }> }).connections;
      try {
        let before: string[] = [];
        if (env.PREFLIGHT_WATCH_FILE) {
          for (let list = await watched(); list.some((c) => !c.lastRun); list = await watched()) await pause(200);
          before = (await watched()).map((c) => c.lastRun!.id);
        } else {
          // The same runs made through the API: their after-effects (sockets closing, garbage) fall in both windows alike.
          for (const connection of connections) {
            await preflight(service, { region: connection.region, accountId: connection.accountId, credentials: { type: 'role', roleArn: role.arn, externalId: role.externalId }, capabilities: connection.capabilities });
          }
        }
        // The last runs' sockets close after 10 s of silence, their garbage is collected: before the window.
        await pause(WATCH_SETTLE_MS);
        const pid = service.child.pid!;
        const [cpu, main, switches] = [cpuSeconds(pid), cpuSeconds(pid, pid), contextSwitches(pid)];
        await pause(WATCH_IDLE_MS);
        const figures = { cpuMs: Math.round((cpuSeconds(pid) - cpu) * 1000), mainThreadCpuMs: Math.round((cpuSeconds(pid, pid) - main) * 1000), wakeups: contextSwitches(pid) - switches };
        const after = env.PREFLIGHT_WATCH_FILE ? (await watched()).map((c) => c.lastRun!.id) : [];
        if (after.join() !== before.join()) throw new Error('a watched run fell within the idle window: the measurement is not between runs');
        return figures;
      } finally {
        await service.stop();
      }
    };
    const watchEnv = { PREFLIGHT_WATCH_FILE: file, BENCH_EXTERNAL_ID: role.externalId!, PREFLIGHT_WATCH_TIME_SCALE: '60' };
    const rounds: Array<{ watching: Awaited<ReturnType<typeof idle>>; notWatching: Awaited<ReturnType<typeof idle>> }> = [];
    for (let round = 0; round < 2; round++) rounds.push({ watching: await idle(watchEnv), notWatching: await idle({}) });
    const mean = (pick: (r: (typeof rounds)[number]) => number) => rounds.reduce((sum, r) => sum + pick(r), 0) / rounds.length;
    return {
      seconds: WATCH_IDLE_MS / 1000,
      connections: connections.length,
      rounds,
      watching: { cpuMs: mean((r) => r.watching.cpuMs), mainThreadCpuMs: mean((r) => r.watching.mainThreadCpuMs), wakeups: mean((r) => r.watching.wakeups) },
      notWatching: { cpuMs: mean((r) => r.notWatching.cpuMs), mainThreadCpuMs: mean((r) => r.notWatching.mainThreadCpuMs), wakeups: mean((r) => r.notWatching.wakeups) },
      addedCpuMs: mean((r) => r.watching.cpuMs - r.notWatching.cpuMs),
      addedMainThreadCpuMs: mean((r) => r.watching.mainThreadCpuMs - r.notWatching.mainThreadCpuMs),
      addedWakeups: mean((r) => r.watching.wakeups - r.notWatching.wakeups),
    };
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export { API_KEY };
