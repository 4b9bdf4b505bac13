// `npm run demo` as a process: its help, its one-line refusals, with --serve the ports it was given
// and curls that work as printed, and how it stops; with -s and --json, a report a pipe can parse.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { descendants, running, start, userPath } from '../docs/processes.js';

const env = { PATH: process.env.PATH, HOME: process.env.HOME, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
const demo = (args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/demo.ts', ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

/** Whether 127.0.0.1:port can be listened on now. */
async function free(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Polls `done` until it holds or `ms` have gone by; whether it held. */
async function eventually(done: () => boolean, ms = 10_000): Promise<boolean> {
  for (let waited = 0; !done(); waited += 50) {
    if (waited >= ms) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

async function busyPort(): Promise<{ port: number; close(): void }> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as { port: number }).port, close: () => server.close() };
}

describe('npm run demo', () => {
  it('prints its help with --help and exits 0', async () => {
    const run = await demo(['--help']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^usage: npm run demo -- \[--scenario NAME\|FILE\]/);
    expect(run.stdout).toContain('--sandbox-port N');
  });

  it('refuses a bad scenario, an unknown option and a busy port in one line each, exit 3', async () => {
    const busy = await busyPort();
    try {
      const runs = await Promise.all([
        demo(['--scenario', 'no-such-scenario']),
        demo(['--frobnicate']),
        demo(['--serve', '--port', String(busy.port), '--sandbox-port', '0']),
        demo(['--serve', '--port', '0', '--sandbox-port', String(busy.port)]),
      ]);
      expect(runs.map((run) => run.code)).toEqual([3, 3, 3, 3]);
      for (const run of runs) {
        expect(run.stderr.trimEnd().split('\n'), run.stderr).toHaveLength(1);
        expect(run.stderr).not.toMatch(/^\s+at /m);
      }
      expect(runs[0]!.stderr).toMatch(/^demo: no built-in scenario or file named/);
      expect(runs[1]!.stderr).toBe('demo: unknown option --frobnicate (npm run demo -- --help)\n');
      expect(runs[2]!.stderr).toBe(`demo: the service: port ${busy.port} is in use (--port picks another)\n`);
      expect(runs[3]!.stderr).toBe(`demo: the sandbox: port ${busy.port} is in use (--sandbox-port picks another)\n`);
    } finally {
      busy.close();
    }
  });

  it('with --serve, stays up on the ports given and prints curls, role mode included, that work as printed', async () => {
    const served = start(process.execPath, ['--import', 'tsx', 'src/demo.ts', '--serve', '--port', '0', '--sandbox-port', '0'], { env });
    try {
      await served.waitFor(/open http:\/\/127\.0\.0\.1:\d+\/ for the support page/);
      expect(served.output()).toMatch(/Preflight [0-9a-f]{12}: OK/); // full-access by default
      const curls = [...served.output().matchAll(/^ {2}(curl .*\\\n.*)$/gm)].map((m) => m[1]!.replace(/\\\n\s*/, ''));
      expect(curls).toHaveLength(2);
      for (const [i, curl] of curls.entries()) {
        const [, url] = /^curl -s (\S+)/.exec(curl)!;
        const body = /-d '(.*)'$/.exec(curl)![1]!;
        expect(curl).toContain("-H 'Authorization: Bearer demo-key-not-secret-0000'");
        expect(JSON.parse(body).credentials.type).toBe(i === 0 ? 'accessKey' : 'role');
        const response = await fetch(url!, { method: 'POST', headers: { authorization: 'Bearer demo-key-not-secret-0000', 'content-type': 'application/json', accept: 'text/plain' }, body });
        expect(response.status).toBe(200);
        expect(await response.text()).toMatch(/Preflight [0-9a-f]{12}: OK/);
      }
    } finally {
      await served.stop();
    }
  });

  // As a supervisor or a script stops it: the signal to npm's process only, not to its group, as
  // Ctrl-C would send it. npm passes it on to its child, which must be the demo's (through tsx),
  // not a shell that dies and leaves the demo running with both ports.
  it.each(['SIGTERM', 'SIGINT'] as const)('with --serve, stops with everything it started on %s to npm alone, both ports freed', async (signal) => {
    const npm = start('npm', ['run', 'demo', '--', '--serve', '--port', '0', '--sandbox-port', '0'], { env: { ...env, PATH: userPath(), npm_config_update_notifier: 'false' } });
    let tree: number[] = [];
    try {
      const [, sandboxPort, servicePort] = await npm.waitFor(/at http:\/\/127\.0\.0\.1:(\d+); service at http:\/\/127\.0\.0\.1:(\d+)/);
      await npm.waitFor(/for the support page/);
      tree = descendants(npm.child.pid!);
      expect(tree.length, 'the demo under npm').toBeGreaterThanOrEqual(2);
      process.kill(npm.child.pid!, signal);
      expect(await eventually(() => npm.child.exitCode !== null || npm.child.signalCode !== null), 'npm ended').toBe(true);
      expect(await eventually(() => running(tree).length === 0), `still running: ${running(tree).join(', ')}`).toBe(true);
      expect(npm.output()).toContain('demo: stopping the service and the sandbox');
      expect([await free(Number(sandboxPort)), await free(Number(servicePort))]).toEqual([true, true]);
    } finally {
      for (const pid of running(tree)) process.kill(pid, 'SIGKILL');
      await npm.stop();
    }
  });

  it('with -s and --json, prints the report alone on stdout: a pipe to jq gets JSON', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'demo', '--', '--json'], { env: { ...env, PATH: userPath(), npm_config_update_notifier: 'false' } });
    expect(JSON.parse(stdout)).toMatchObject({ status: 'ok', id: expect.stringMatching(/^[0-9a-f]{12}$/) });
  });
});
