// How `preflight sandbox` stops: on SIGTERM or SIGINT, however many of them arrive (Ctrl-C under
// npm reaches npm, tsx and the process at once, and npm and tsx pass it on), with exit 0.
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('preflight sandbox', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('ends with exit 0 on %s, sent twice in a row', async (signal) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'sandbox', '--port', '0'], { env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await once(child.stdout, 'data'); // the JSON line: listening
      const exited = once(child, 'exit');
      child.kill(signal);
      child.kill(signal);
      expect(await exited).toEqual([0, null]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
