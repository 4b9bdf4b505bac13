// The sandbox and the service as separate processes on loopback, as in production.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const API_KEY = 'bench-api-key-0123456789';

export interface SandboxProcess {
  child: ChildProcess;
  endpoint: string;
  region: string;
  accountId: string;
  principals: Array<{ name: string; accessKeyId: string; secretAccessKey: string; serviceIdentity?: boolean }>;
  roles: Array<{ name: string; arn: string; externalId: string | null }>;
  stop(): Promise<void>;
}

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  /** Milliseconds from spawn to the first 200 from /readyz. */
  readyAfterMs: number;
  stop(): Promise<void>;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

export async function startSandboxProcess(scenario: string): Promise<SandboxProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/main.ts', '--scenario', scenario], { stdio: ['ignore', 'pipe', 'ignore'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const started = JSON.parse(line);
  return { child, ...started, stop: () => stop(child) };
}

const DOCKERFILE = readFileSync('Dockerfile', 'utf8');
/** A variable the image sets on a line of its own (`ENV NAME="value"` or `ENV NAME=value`). */
const imageEnv = (name: string) => DOCKERFILE.match(new RegExp(`^ENV ${name}=(?:"([^"]*)"|(\\S+))$`, 'm'))?.slice(1).find((v) => v !== undefined);

/** The service runs with the image's NODE_OPTIONS (its V8 heap limits), read from the Dockerfile. */
export const IMAGE_NODE_OPTIONS = imageEnv('NODE_OPTIONS') ?? '';
/** The rest of the image's ENV that shapes the process's memory, read from the Dockerfile as well. */
export const IMAGE_MEMORY_ENV: Record<string, string> = Object.fromEntries(
  ['MALLOC_ARENA_MAX'].flatMap((name) => (imageEnv(name) === undefined ? [] : [[name, imageEnv(name)!]])),
);

/** V8's code cache for the service processes of this run (as the image keeps it between starts). */
export const COMPILE_CACHE_DIR = mkdtempSync(join(tmpdir(), 'preflight-bench-cache-'));

export async function startServiceProcess(
  sandbox: SandboxProcess,
  port: number,
  compileCacheDir = COMPILE_CACHE_DIR,
  nodeOptions = IMAGE_NODE_OPTIONS,
  memoryEnv = IMAGE_MEMORY_ENV,
  /** More variables for the service (the watch's). */
  extraEnv: Record<string, string> = {},
): Promise<ServiceProcess> {
  const identity = sandbox.principals.find((p) => p.serviceIdentity)!;
  // Reports kept as the image keeps them (SQLite under the data directory), each service in a
  // directory of its own, removed when it stops.
  const dataDir = mkdtempSync(join(tmpdir(), 'preflight-bench-data-'));
  const spawnedAt = performance.now();
  // The built JavaScript, as the image runs it (bench/run.ts builds it first).
  const child = spawn(process.execPath, ['dist/main.js', 'serve'], {
    env: {
      NODE_COMPILE_CACHE: compileCacheDir,
      NODE_OPTIONS: nodeOptions,
      ...memoryEnv,
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      PREFLIGHT_API_KEYS: API_KEY,
      PREFLIGHT_MAX_CONCURRENT_RUNS: '200', // the memory run's 200 in flight
      PREFLIGHT_RATE_LIMIT_PER_MINUTE: '1000000',
      PREFLIGHT_WEB_UI: 'false',
      PREFLIGHT_DATA_DIR: dataDir,
      AWS_ENDPOINT_URL: sandbox.endpoint,
      PREFLIGHT_S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: identity.accessKeyId,
      AWS_SECRET_ACCESS_KEY: identity.secretAccessKey,
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (child.exitCode !== null) throw new Error('the service exited before it was ready');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return {
    child,
    url,
    readyAfterMs: performance.now() - spawnedAt,
    async stop() {
      await stop(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** CPU seconds a process has used so far (user + system), from /proc; with `thread`, that thread's (the process's id: its main thread, where JavaScript runs). */
export function cpuSeconds(pid: number, thread?: number): number {
  const fields = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Context switches of every thread of a process so far (voluntary and not), from /proc: how often it woke up. */
export function contextSwitches(pid: number): number {
  let total = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const status = readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8');
    for (const match of status.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)$/gm)) total += Number(match[1]);
  }
  return total;
}

/** Resident set size in MB, from /proc. */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.split(/\s+/)[1]) / 1024;
}

export function connectionFor(sandbox: SandboxProcess, extra: Record<string, unknown> = {}) {
  const analyst = sandbox.principals.find((p) => p.name === 'analyst')!;
  return {
    region: sandbox.region,
    accountId: sandbox.accountId,
    credentials: { type: 'accessKey', accessKeyId: analyst.accessKeyId, secretAccessKey: analyst.secretAccessKey },
    athena: { workgroup: 'primary' },
    ...extra,
  };
}

/** A run the service refused for want of room (503 busy: its concurrency or the heap it admits by). */
export class Busy extends Error {
  override name = 'Busy';
}

export async function preflight(service: ServiceProcess, body: unknown): Promise<{ ms: number; report: any }> {
  const started = performance.now();
  const response = await fetch(`${service.url}/preflight`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const report = await response.json();
  if (response.status === 503) throw new Busy(JSON.stringify(report));
  if (response.status !== 200) throw new Error(`preflight answered ${response.status}: ${JSON.stringify(report)}`);
  return { ms: performance.now() - started, report };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
