// Arrows point down: the catalogue is data below everything; the engine (src/preflight) defines what
// a probe is and never imports the probes, whose registry is passed in from the top; nothing but
// the sandbox command (and the demo, which is the sandbox wired to the service) loads the sandbox.
// Read from the sources: every import, static or dynamic, resolved to the part of src/ it lands in.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve('src');

interface Import {
  from: string;
  to: string;
  dynamic: boolean;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

const IMPORTS: Import[] = sources(SRC).flatMap((file) => {
  const text = readFileSync(file, 'utf8');
  const from = relative(SRC, file);
  const to = (specifier: string) => relative(SRC, resolve(dirname(file), specifier)).replace(/\.js$/, '.ts');
  return [
    ...[...text.matchAll(/^\s*(?:import|export)\s[^'";]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => ({ from, to: to(m[1]!), dynamic: false })),
    ...[...text.matchAll(/^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => ({ from, to: to(m[1]!), dynamic: false })),
    ...[...text.matchAll(/\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)].map((m) => ({ from, to: to(m[1]!), dynamic: true })),
  ];
});

const under = (folder: string) => (path: string) => path.startsWith(`${folder}/`);
const arrows = (imports: Import[]) => imports.map((i) => `${i.from} -> ${i.to}${i.dynamic ? ' (dynamic)' : ''}`);

describe('the import arrows', () => {
  it('were read from the sources (a reader that finds nothing would prove nothing)', () => {
    expect(IMPORTS.length).toBeGreaterThan(200);
    expect(arrows(IMPORTS)).toContain('preflight/engine.ts -> preflight/probe.ts');
    expect(arrows(IMPORTS)).toContain('main.ts -> cli/index.ts (dynamic)');
  });

  it('leave the catalogue for nothing: it is data below every other part', () => {
    expect(arrows(IMPORTS.filter((i) => under('catalogue')(i.from) && !under('catalogue')(i.to)))).toEqual([]);
  });

  it('leave the IAM evaluator for nothing: engine and sandbox share it, it depends on neither', () => {
    expect(arrows(IMPORTS.filter((i) => under('iam')(i.from) && !under('iam')(i.to)))).toEqual([]);
    expect(IMPORTS.some((i) => under('sandbox')(i.from) && under('iam')(i.to))).toBe(true);
  });

  it('leave the schemas only for the catalogue: the request, report and setup shapes are below the engine and the routes', () => {
    expect(arrows(IMPORTS.filter((i) => under('schemas')(i.from) && !under('schemas')(i.to) && !under('catalogue')(i.to)))).toEqual([]);
    expect(IMPORTS.some((i) => under('preflight')(i.from) && under('schemas')(i.to))).toBe(true);
    expect(IMPORTS.some((i) => under('routes')(i.from) && under('schemas')(i.to))).toBe(true);
  });

  it('never lead from the engine or the setup generators up into the HTTP layer', () => {
    const http = (path: string) => under('http')(path) || under('routes')(path);
    expect(arrows(IMPORTS.filter((i) => (under('preflight')(i.from) || under('setup')(i.from)) && http(i.to)))).toEqual([]);
  });

  it('never lead from the engine to the probes: the registry is passed in from the top', () => {
    expect(arrows(IMPORTS.filter((i) => under('preflight')(i.from) && (under('probes')(i.to) || under('sandbox')(i.to))))).toEqual([]);
  });

  it('lead from the probes only down: to the engine\'s contract, the catalogue and the AWS clients', () => {
    const allowed = ['probes', 'preflight', 'catalogue', 'aws'];
    expect(arrows(IMPORTS.filter((i) => under('probes')(i.from) && !allowed.some((folder) => under(folder)(i.to))))).toEqual([]);
  });

  it('reach the sandbox only from the sandbox command, when it runs, and from the demo', () => {
    const intoSandbox = IMPORTS.filter((i) => under('sandbox')(i.to) && !under('sandbox')(i.from));
    expect(arrows(intoSandbox.filter((i) => i.from !== 'demo.ts' && !(i.from === 'cli/sandbox.ts' && i.dynamic)))).toEqual([]);
    expect(intoSandbox.some((i) => i.from === 'cli/sandbox.ts')).toBe(true);
  });
});
