// docs/adding-a-probe.md, followed to the letter in a copy of src/: its code blocks written where
// their first line says (a new file, or into an existing one before the line it names), its
// generator run, then the type check and the new probe's own test. Adding a probe touches three
// files, and nothing else needs a hand: this fails when a step is missing from the page.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const GUIDE = readFileSync('docs/adding-a-probe.md', 'utf8');

interface Step {
  file: string;
  /** Written into the file before the first line that holds this; absent: the file is new. */
  before?: string;
  text: string;
}

/** The guide's TypeScript blocks that say where they go: `// <file>` or `// <file>, before <line>`. */
function stepsOf(markdown: string): Step[] {
  return [...markdown.matchAll(/```ts\n\/\/ (\S+?)(?:, before (.+))?\n([\s\S]*?)```/g)].map(([, file, before, text]) => ({ file: file!, ...(before ? { before } : {}), text: text! }));
}

/** Every file's hash under the given folders of `root`. */
function snapshot(root: string, folders: readonly string[]): Map<string, string> {
  const files = folders.flatMap((folder) => (readdirSync(join(root, folder), { recursive: true }) as string[]).map((name) => join(folder, name)));
  return new Map(files.filter((file) => !file.endsWith('/') && file.includes('.')).map((file) => [file, createHash('sha256').update(readFileSync(join(root, file))).digest('hex')]));
}

const changed = (before: Map<string, string>, after: Map<string, string>) => [...after].filter(([file, hash]) => before.get(file) !== hash).map(([file]) => file).sort();

describe('docs/adding-a-probe.md, followed in a copy of the sources', () => {
  let dir: string;
  const run = (command: string, args: string[]) => execFileSync(join(dir, 'node_modules/.bin', command), args, { cwd: dir, encoding: 'utf8', stdio: 'pipe', timeout: 120_000, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
  let original: Map<string, string>;
  let written: string[];
  let generated: string[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'preflight-new-probe-'));
    cpSync(resolve('src'), join(dir, 'src'), { recursive: true });
    for (const file of ['package.json', 'tsconfig.json', 'scripts/probe-index.ts', 'test/probes/fake-run.ts']) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      cpSync(resolve(file), join(dir, file));
    }
    symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
    original = snapshot(dir, ['src', 'test']);
    for (const step of stepsOf(GUIDE)) {
      const path = join(dir, step.file);
      mkdirSync(dirname(path), { recursive: true });
      if (!step.before) {
        writeFileSync(path, step.text);
        continue;
      }
      const text = readFileSync(path, 'utf8');
      const at = text.indexOf(step.before);
      if (at < 0) throw new Error(`${step.file} has no line with "${step.before}" to write the guide's block before`);
      const lineStart = text.lastIndexOf('\n', at) + 1;
      writeFileSync(path, text.slice(0, lineStart) + step.text + text.slice(lineStart));
    }
    const afterSteps = snapshot(dir, ['src', 'test']);
    written = changed(original, afterSteps);
    // `npm run generate`'s first step, which the type check and the tests need (its second rewrites the docs).
    run('tsx', ['scripts/probe-index.ts']);
    generated = changed(afterSteps, snapshot(dir, ['src', 'test']));
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has its steps in three files: the probe, the sandbox, the test', () => {
    expect(stepsOf(GUIDE).map((step) => step.file)).toEqual(['src/probes/athena-named-queries.ts', 'src/sandbox/services/athena.ts', 'test/probes/athena-named-queries.test.ts']);
    expect(written).toEqual(['src/probes/athena-named-queries.ts', 'src/sandbox/services/athena.ts', 'test/probes/athena-named-queries.test.ts']);
  });

  it('has the generator, which `npm run generate` starts with, write only the probe index and the registry', () => {
    expect(GUIDE).toContain('npm run generate');
    expect(JSON.parse(readFileSync('package.json', 'utf8')).scripts.generate).toMatch(/^tsx scripts\/probe-index\.ts && /);
    expect(generated).toEqual(['src/catalogue/probe-index.ts', 'src/probes/registry.ts']);
    const index = readFileSync(join(dir, 'src/catalogue/probe-index.ts'), 'utf8');
    expect(index).toContain("'athena:ListNamedQueries': 'workgroup', // athena-named-queries");
    expect(index).toMatch(/extended: \['athena:ListWorkGroups', 'athena:GetWorkGroup', 'athena:GetQueryExecution', 'athena:ListNamedQueries'\]/);
  });

  it('then passes the type check and the new probe\'s own test', () => {
    writeFileSync(
      join(dir, 'tsconfig.check.json'),
      JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: true }, include: ['src', 'test/probes/fake-run.ts', 'test/probes/athena-named-queries.test.ts'], exclude: ['src/web/client'] }),
    );
    // Either throws with the compiler's or the test's output when it fails.
    expect(run('tsc', ['--noEmit', '-p', 'tsconfig.check.json'])).toBe('');
    expect(run('vitest', ['run', 'test/probes/athena-named-queries.test.ts', '--root', dir])).toMatch(/Tests\s+2 passed/);
  }, 120_000);
});
