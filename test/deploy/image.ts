// What the deployment examples must agree with, read from the Dockerfile's run stage: its
// environment (the heap limits among it), user, port and health check.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const instructions = readFileSync('Dockerfile', 'utf8')
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));
const runStage = instructions.slice(instructions.findLastIndex((line) => line.startsWith('FROM ')));

/** `ENV A=1 B="two words"` lines of the run stage, as the container's environment. */
function environment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of runStage.filter((l) => l.startsWith('ENV '))) {
    for (const [, name, quoted, bare] of line.slice(4).matchAll(/(\w+)=(?:"([^"]*)"|(\S*))/g)) env[name!] = quoted ?? bare ?? '';
  }
  return env;
}

function healthCheck() {
  const line = runStage.find((l) => l.startsWith('HEALTHCHECK '))!;
  const seconds = (name: string) => Number(new RegExp(`--${name}=(\\d+)s`).exec(line)![1]);
  return {
    command: JSON.parse(line.slice(line.indexOf(' CMD ') + 5)) as string[],
    intervalSeconds: seconds('interval'),
    timeoutSeconds: seconds('timeout'),
    startPeriodSeconds: seconds('start-period'),
    retries: Number(/--retries=(\d+)/.exec(line)![1]),
  };
}

export const IMAGE = {
  env: environment(),
  /** The run stage's USER: distroless's `nonroot`, uid and gid 65532 (its /etc/passwd). */
  user: runStage.find((l) => l.startsWith('USER '))!.slice(5).trim(),
  exposedPort: Number(runStage.find((l) => l.startsWith('EXPOSE '))!.slice(7)),
  healthCheck: healthCheck(),
  version: (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version,
};

/** distroless's nonroot user (gcr.io/distroless: /etc/passwd's `nonroot:x:65532:65532`). */
export const NONROOT_UID = 65532;

/**
 * The heap V8 allows (heap_size_limit, MiB) under these NODE_OPTIONS: asked of this Node (the
 * image's major version, 24), not computed, since V8 adds its young generation to the old space.
 */
export function heapLimitMiB(nodeOptions: string): number {
  const run = spawnSync(process.execPath, [...nodeOptions.split(/\s+/).filter(Boolean), '-p', "require('node:v8').getHeapStatistics().heap_size_limit"], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  if (run.status !== 0) throw new Error(`node ${nodeOptions}: ${run.stderr}`);
  return Number(run.stdout.trim()) / 2 ** 20;
}

/**
 * The peak RSS (MiB) measured with 200 runs in flight under the image's heap limits: 180–203 over
 * the benchmark's runs (docs/benchmark.md: "memory: peak RSS with 200 runs in flight"). 200 is what the
 * image's heap is sized for, three times the default PREFLIGHT_MAX_CONCURRENT_RUNS; a memory limit
 * below this peak would kill the container under that load.
 */
export const MEASURED_PEAK_RSS_MIB = 203;

/** A Kubernetes memory quantity (Mi, Gi, M, G, or bytes) in MiB, as the benchmark counts its "MB" (VmRSS's kB / 1024). */
export function quantityMiB(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|k|M|G)?$/.exec(quantity);
  if (!match) throw new Error(`not a memory quantity: ${quantity}`);
  const factor = { Ki: 1024, Mi: 2 ** 20, Gi: 2 ** 30, k: 1e3, M: 1e6, G: 1e9, '': 1 }[match[2] ?? '']!;
  return (Number(match[1]) * factor) / 2 ** 20;
}
