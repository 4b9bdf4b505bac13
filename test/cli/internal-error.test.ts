// The CLI's internal-error path, in process: whatever an unexpected exception says, its words are
// not printed (they may hold an input value), only a fixed text, and the stack frames under --verbose.
import { describe, expect, it, vi } from 'vitest';

const SECRET = 'internal-error-secret-DO-NOT-PRINT-0006';

vi.mock('../../src/preflight/engine.js', async (original) => ({
  ...(await original<typeof import('../../src/preflight/engine.js')>()),
  runPreflight: async (request: { credentials: { secretAccessKey: string } }) => {
    throw new TypeError(`Cannot read the run of '${request.credentials.secretAccessKey}'\nsecond line ${request.credentials.secretAccessKey}`);
  },
}));

// The helper imports src/cli/index.js, which imports the engine: after the mock above (vi.mock is hoisted).
const { cliInProcess } = await import('../support/cli.js');

const body = { region: 'eu-west-1', accountId: '123456789012', credentials: { type: 'accessKey', accessKeyId: 'AKIAEXAMPLEEXAMPLE01', secretAccessKey: SECRET } };
const run = (args: string[]) => cliInProcess(['check', '-', ...args], { stdin: JSON.stringify(body) });

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
