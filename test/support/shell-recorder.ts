// A stand-in for `aws` that records the arguments it receives: a printed command is run by a real
// POSIX shell (sh), quoting and all, and what the program got is compared with what was meant.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ShellRecorder {
  /** Runs a script with `aws` (and `curl`) recorded; returns each call's argument vector, program first. */
  run(script: string): string[][];
  /** Files that appeared in the recorder's scratch directory (a command that ran more than `aws` would leave some). */
  strayFiles(): string[];
  remove(): void;
}

export function shellRecorder(): ShellRecorder {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-shell-'));
  const bin = join(dir, 'bin');
  const scratch = join(dir, 'scratch');
  execFileSync('mkdir', ['-p', bin, scratch]);
  for (const program of ['aws', 'curl']) {
    writeFileSync(join(bin, program), `#!/bin/sh\nprintf '%s\\0' "${program}" >> "$CALLS"\nfor a in "$@"; do printf '%s\\0' "$a"; done >> "$CALLS"\nprintf '\\n\\0' >> "$CALLS"\n`);
    chmodSync(join(bin, program), 0o755);
  }
  let runs = 0;
  return {
    run(script) {
      const calls = join(dir, `calls-${runs++}`);
      writeFileSync(calls, '');
      // The scratch directory is the working directory: `>x` or `touch x` in a name would land there.
      execFileSync('sh', ['-c', script], { cwd: scratch, env: { PATH: `${bin}:/usr/bin:/bin`, CALLS: calls, HOME: scratch } });
      const commands: string[][] = [];
      let current: string[] = [];
      for (const word of readFileSync(calls, 'utf8').split('\0').slice(0, -1)) {
        if (word === '\n') (commands.push(current), (current = []));
        else current.push(word);
      }
      return commands;
    },
    strayFiles: () => readdirSync(scratch),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
