// `npm run demo` as a process: its help, its one-line refusals, and with --serve the ports it
// was given and curls that work as printed.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { start } from '../docs/processes.js';

const env = { PATH: process.env.PATH, HOME: process.env.HOME, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
const demo = (args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/demo.ts', ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

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
});
