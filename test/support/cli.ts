// The CLI two ways: in process through runCli (what most tests use: no Node start, no tsx compile),
// and as the real binary, src/main.ts in a child process (for the wiring of argv, streams and the
// exit code, which only a process has).
import { spawn } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import { format } from 'node:util';
import { runCli } from '../../src/cli/index.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** The whole environment the CLI sees: nothing of the test process's leaks in. */
  env?: Record<string, string>;
  stdin?: string;
}

/** No shared AWS config or credentials file of the machine running the tests. */
const BASE_ENV = { AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };

function sink(write: (text: string) => void): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      write(chunk.toString());
      done();
    },
  });
}

/**
 * runCli with captured output. Its streams are not terminals, as in a pipe: no progress lines, no
 * colours. What anything else prints during the run (console.*, process.stdout/stderr.write: an SDK
 * warning, a stray log) is captured too, into stdout or stderr as a process would print it, so that
 * "never prints a secret" holds in process as it does for the binary. runCli reads its environment
 * from `io.env`, but the AWS SDK's credential chain (the service identity of a role check) reads
 * process.env itself: for the duration of the run the process's AWS_* variables are exactly those
 * of `env`, and are put back afterwards. Runs in one file are sequential (no `it.concurrent`), so
 * no two runs see each other's variables or output.
 */
export async function cliInProcess(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const env = { ...BASE_ENV, ...options.env };
  const saved = Object.entries(process.env).filter(([name]) => name.startsWith('AWS_'));
  for (const [name] of saved) delete process.env[name];
  for (const [name, value] of Object.entries(env)) if (name.startsWith('AWS_')) process.env[name] = value;
  let stdout = '';
  let stderr = '';
  const restore: Array<() => void> = [];
  const intercept = <T extends object, K extends keyof T>(target: T, key: K, replacement: T[K]) => {
    const original = target[key];
    target[key] = replacement;
    restore.push(() => {
      target[key] = original;
    });
  };
  const writeTo = (append: (text: string) => void) =>
    ((chunk: unknown, ...rest: unknown[]) => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
      const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof process.stdout.write;
  intercept(process.stdout, 'write', writeTo((text) => (stdout += text)));
  intercept(process.stderr, 'write', writeTo((text) => (stderr += text)));
  for (const method of ['log', 'info', 'debug'] as const) intercept(console, method, (...values: unknown[]) => void (stdout += `${format(...values)}\n`));
  for (const method of ['warn', 'error', 'trace'] as const) intercept(console, method, (...values: unknown[]) => void (stderr += `${format(...values)}\n`));
  try {
    const code = await runCli(args, {
      stdout: sink((text) => (stdout += text)),
      stderr: sink((text) => (stderr += text)),
      stdin: Readable.from(options.stdin ? [Buffer.from(options.stdin)] : []),
      env,
    });
    return { code, stdout, stderr };
  } finally {
    for (const undo of restore.reverse()) undo();
    for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
    for (const [name, value] of saved) process.env[name] = value;
  }
}

/** The real binary: `node --import tsx src/main.ts …`, its exit code as the shell would see it. */
export function cliProcess(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...BASE_ENV, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? -1, stdout, stderr: signal ? `${stderr}(killed by ${signal})\n` : stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
