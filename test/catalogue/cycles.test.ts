// No import cycle in src/, type imports included: a cycle is two parts that cannot be read, changed
// or tested one without the other. Found by madge (its own TypeScript parser), independently of
// arrows.test.ts's reader of the imports.
import { resolve } from 'node:path';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

// Type imports count: no tsConfig, which madge would read with the project's TypeScript (7, whose
// compiler API it cannot use; package.json's overrides give its parser TypeScript 5).
const graph = madge(resolve('src'), { fileExtensions: ['ts'], detectiveOptions: { ts: { skipTypeImports: false } } });

describe('the imports of src/', () => {
  it('were read by madge (a reader that finds nothing would prove nothing)', async () => {
    const imports = (await graph).obj();
    expect(Object.keys(imports).length).toBeGreaterThan(140);
    expect(imports['preflight/engine.ts']).toContain('preflight/probe.ts');
    // A type import is an import.
    expect(imports['preflight/context.ts']).toContain('preflight/types.ts');
  });

  it('make no cycle: probe ids are typed from the probe index, below the probes', async () => {
    expect((await graph).circular()).toEqual([]);
  });
});
