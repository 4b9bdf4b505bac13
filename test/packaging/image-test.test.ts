// The documentation's container commands are the ones CI runs: scripts/image-test.sh (called by
// .ci/run) builds and runs the image with each command of docs/deployment.md's "Running the image"
// and of the README's container example as written (`docker` there is podman with this machine's
// settings), so a command that drifts from the script is one nobody ran.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const script = readFileSync('scripts/image-test.sh', 'utf8');

/** Shell text as the shell reads it: line continuations joined, runs of blanks made one. */
function flat(text: string): string {
  return text.replace(/\\\n\s*/g, ' ').replace(/[ \t]+/g, ' ');
}

/** The `$ ` commands of the console blocks under a heading, continuations joined, comments dropped. */
function consoleCommands(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) return [];
  const rest = markdown.slice(start + heading.length + 2);
  const section = rest.slice(0, rest.search(/\n#{1,3} /) + 1 || undefined);
  const commands: string[] = [];
  for (const block of section.matchAll(/```console\n([\s\S]*?)```/g)) {
    const lines = block[1]!.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]!.startsWith('$ ')) continue;
      let command = lines[i]!.slice(2);
      while (command.endsWith('\\') && i + 1 < lines.length) command += `\n${lines[++i]}`;
      commands.push(flat(command).replace(/\s+#\s.*$/, '').trim());
    }
  }
  return commands;
}

/** Each section of the documentation that runs the image, and its commands. */
const SECTIONS = [
  { page: 'docs/deployment.md', heading: '## Running the image' },
  { page: 'README.md', heading: '## The container' },
].map((section) => ({ ...section, commands: consoleCommands(readFileSync(section.page, 'utf8'), section.heading) }));
const commands = SECTIONS.flatMap((section) => section.commands);

describe("the documentation's container commands", () => {
  it.each(SECTIONS)('in $page, $heading: build the image, start the service and the sandbox from it, and run check from it', ({ commands }) => {
    expect(commands).toContain('docker build -t preflight:local .');
    expect(commands.filter((command) => command.startsWith('docker run -d '))).toHaveLength(2);
    expect(commands.some((command) => /^docker run --rm .* preflight:local check /.test(command))).toBe(true);
  });

  it('are each run as written by scripts/image-test.sh, which CI runs', () => {
    const run = flat(script);
    for (const command of commands) expect(run, command).toContain(command);
    expect(readFileSync('.ci/run', 'utf8')).toMatch(/^bash scripts\/image-test\.sh$/m);
  });

  it('run the containers as locked down as the compose file does', () => {
    const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as { 'x-hardened': { mem_limit: string; pids_limit: number; tmpfs: string[] } };
    const hardened = compose['x-hardened'];
    const flags = ['--read-only', '--tmpfs /tmp', '--cap-drop ALL', '--security-opt no-new-privileges', `--memory ${hardened.mem_limit}`, `--pids-limit ${hardened.pids_limit}`];
    expect(hardened.tmpfs.some((mount) => mount.startsWith('/tmp'))).toBe(true);
    for (const command of commands.filter((c) => c.startsWith('docker run -d '))) {
      for (const flag of flags) expect(command, flag).toContain(` ${flag} `);
    }
  });
});
