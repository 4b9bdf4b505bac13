// Process edge for people and runbooks: argv → one command (one file each, beside this one) → table |
// json | markdown | policy on stdout, progress on stderr, an exit code (0 ok, 1 degraded, 2 failed,
// 3 usage or internal error). The environment reaches the commands through `io.env` from main.ts only.
import { ConfigError } from '../config.js';
import { check } from './check.js';
import { coverage } from './coverage.js';
import { diff } from './diff.js';
import { history } from './history.js';
import { policy } from './policy.js';
import { sandbox } from './sandbox.js';
import { serve } from './serve.js';
import { setup } from './setup.js';
import { type Command, EXIT, EXIT_CODES, InputError, type Io, UsageError, errorName, version } from './shared.js';
import { show } from './show.js';
import { watch } from './watch.js';

export type { Io } from './shared.js';

const COMMANDS: readonly Command[] = [check, policy, coverage, setup, show, history, diff, watch, serve, sandbox];

const USAGE = `usage: preflight <command> [options]

${COMMANDS.map((command) => `  ${command.synopsis.padEnd(17)}${command.summary}`).join('\n')}

preflight <command> --help describes a command; preflight --version (or -V) prints the version.
${EXIT_CODES}
`;

export async function runCli(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  const command = COMMANDS.find((candidate) => candidate.name === name);
  try {
    if (command) return await command.run(rest, io);
    switch (name) {
      case '--version':
      case '-V':
        io.stdout.write(`preflight ${version()}\n`);
        return EXIT.ok;
      case undefined:
        // A usage error, as one line: the commands, and where their descriptions are.
        io.stderr.write(`usage: preflight <${COMMANDS.map((candidate) => candidate.name).join('|')}> [options] (see preflight --help)\n`);
        return EXIT.usage;
      case 'help':
      case '--help':
      case '-h': {
        const topic = name === 'help' ? COMMANDS.find((candidate) => candidate.name === rest[0]) : undefined;
        io.stdout.write(topic?.help ?? USAGE);
        return EXIT.ok;
      }
      default:
        throw new UsageError(`unknown command "${name}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`preflight: ${error.message} (see preflight ${error.command ? `${error.command} ` : ''}--help)\n`);
    } else if (error instanceof InputError || error instanceof ConfigError) {
      io.stderr.write(`preflight: ${error.message}\n`);
    } else {
      // An exception's words may quote its input (a secret): a fixed text, and under --verbose the stack's frames without them.
      io.stderr.write(rest.includes('--verbose') ? `preflight: internal error (${errorName(error)})\n${stackFrames(error)}\n` : 'preflight: internal error (--verbose shows the stack)\n');
    }
    return EXIT.usage;
  }
}

/** The `at …` lines of a stack: the message that heads it is left out. */
function stackFrames(error: unknown): string {
  const stack = (error as Error | undefined)?.stack;
  const frames = typeof stack === 'string' ? stack.split('\n').filter((line) => /^\s+at /.test(line)) : [];
  return frames.length ? frames.join('\n') : '    (no stack)';
}
