// The CLI's internal-error path, in process: whatever an unexpected exception says, its words are
// not printed (they may hold an input value), only a fixed text, and the stack frames under --verbose.
import { Readable, Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';

const SECRET = 'internal-error-secret-DO-NOT-PRINT-0006';

vi.mock('../../src/preflight/engine.js', async (original) => ({
  ...(await original<typeof import('../../src/preflight/engine.js')>()),
  runPreflight: async (request: { credentials: { secretAccessKey: string } }) => {
    throw new TypeError(`Cannot read the run of '${request.credentials.secretAccessKey}'\nsecond line ${request.credentials.secretAccessKey}`);
  },
}));

const { runCli } = await import('../../src/cli.js');

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (write: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        write(chunk.toString());
        done();
      },
    });
  const body = { region: 'eu-west-1', accountId: '123456789012', credentials: { type: 'accessKey', accessKeyId: 'AKIAEXAMPLEEXAMPLE01', secretAccessKey: SECRET } };
  const code = await runCli(['check', '-', ...args], {
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
    stdin: Readable.from([JSON.stringify(body)]),
    env: { AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
  });
  return { code, stdout, stderr };
}

describe('preflight check on an internal error', () => {
  it('prints a fixed text, not the exception\'s message', async () => {
    const result = await run([]);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe('preflight: internal error (--verbose shows the stack)\n');
    expect(result.stdout).toBe('');
  });

  it('prints the stack\'s frames under --verbose, still without the message', async () => {
    const result = await run(['--verbose']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^preflight: internal error \(TypeError\)\n {4}at /);
    expect(result.stderr).not.toContain(SECRET);
    expect(result.stderr).not.toContain('Cannot read');
  });
});
