// Processes as a newcomer starts them: a fresh copy of the checkout (nothing built, node_modules
// linked, as after `npm install`), and long-running commands started in a process group of their
// own, so that stopping one stops npm, tsx and node under it alike.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CHECKOUT = ['src', 'scripts', 'examples', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', '.env.example'];

/** The working tree's sources in a temporary directory, without dist/; node_modules is the repository's. */
export function freshCheckout(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-checkout-'));
  for (const entry of CHECKOUT) cpSync(resolve(entry), join(dir, entry), { recursive: true });
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** PATH as a person's shell has it: without the node_modules/.bin that npm and npx put first for this test run. */
export function userPath(path = process.env.PATH ?? ''): string {
  return path
    .split(':')
    .filter((entry) => entry && !/node_modules[\\/]\.bin$/.test(entry) && !/node_modules[\\/]node[\\/]bin$/.test(entry))
    .join(':');
}

export interface Started {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in stdout and stderr; rejects if the process exits first or after `ms`. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** SIGTERM to the whole group, then SIGKILL if it is still there after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export function start(command: string, args: string[], options: { cwd?: string; env: Record<string, string | undefined> }): Started {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<void>((done) => child.once('close', () => done()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // the group is gone already
    }
  };
  return {
    child,
    output: () => output,
    waitFor(pattern, ms = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match) finish(() => resolve(match));
          else if (child.exitCode !== null || child.signalCode !== null) finish(() => reject(new Error(`exited (${child.exitCode ?? child.signalCode}) before ${pattern}:\n${output}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`no ${pattern} within ${ms} ms:\n${output}`))), ms);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('close', check);
          settle();
        };
        listeners.add(check);
        child.once('close', check);
        check();
      });
    },
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      signal('SIGKILL'); // anything of the group that outlived its leader
    },
  };
}

/** A process's state and parent from /proc/PID/stat (the name, in parentheses, can hold spaces); undefined once it is gone. */
function stat(pid: number): { state: string; parent: number } | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return { state: fields[0]!, parent: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** Every process under `pid`, children and theirs, as /proc tells it now (Linux). */
export function descendants(pid: number): number[] {
  const all = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  const found: number[] = [];
  for (let parents = [pid]; parents.length; ) {
    const children = all.filter((candidate) => parents.includes(stat(candidate)?.parent ?? -1));
    found.push(...children);
    parents = children;
  }
  return found;
}

/** Those of `pids` that still run: a zombie has ended, only its parent has not collected it yet. */
export function running(pids: number[]): number[] {
  return pids.filter((pid) => {
    const state = stat(pid)?.state;
    return state !== undefined && state !== 'Z' && state !== 'X';
  });
}
