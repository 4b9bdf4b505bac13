import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INDEX_FILE, REGISTRY_FILE, probeIndexFiles } from '../../scripts/probe-index.js';
import { CAPABILITIES, type CapabilityId } from '../../src/catalogue/capabilities.js';
import { neededProbes } from '../../src/preflight/engine.js';
import { PROBES, PROBES_BY_ID } from '../../src/probes/registry.js';
import type { Probe } from '../../src/probes/types.js';

describe('probe registry', () => {
  it('keeps each probe under its own id, and every probe it waits for is before it', () => {
    const seen = new Set<string>();
    for (const [id, probe] of Object.entries(PROBES_BY_ID)) {
      expect(probe.id, `the registry's ${id}`).toBe(id);
      for (const earlier of [...(probe.after ?? []), ...(probe.needs ?? [])]) {
        expect(seen.has(earlier), `${probe.id} waits for ${earlier}, which is not before it`).toBe(true);
      }
      seen.add(probe.id);
    }
    expect(PROBES.map((probe) => probe.id)).toEqual([...seen]);
  });

  it('types probe ids: a misspelt one fails the type check', () => {
    // @ts-expect-error 'glue-tabels' is no probe's id
    const misspelt: Probe['after'] = ['glue-tabels'];
    expect(misspelt).toBeDefined();
  });

  it('lists no probe in both after and needs (needs implies after)', () => {
    for (const probe of PROBES) expect((probe.after ?? []).filter((id) => probe.needs?.includes(id)), probe.id).toEqual([]);
  });

  it('proves every core action of every capability by a probe that informs it', () => {
    for (const capability of CAPABILITIES) {
      const informing = PROBES.filter((probe) => probe.informs.includes(capability.id));
      expect(informing.length, `${capability.id} has no probe`).toBeGreaterThan(0);
      expect(capability.core.length, `${capability.id} has no core action`).toBeGreaterThan(0);
      for (const action of capability.core) expect(informing.some((probe) => probe.actions.includes(action)), `${capability.id}'s core ${action} is called by no probe that informs it`).toBe(true);
    }
  });

  it('gives core and extended roles only in capabilities the probe informs: their verdicts judge its evidence', () => {
    for (const probe of PROBES) {
      for (const [capability, roles] of Object.entries(probe.roles ?? {})) {
        if (roles.core?.length || roles.extended?.length) expect(probe.informs, `${probe.id} gives ${capability} a core or extended action`).toContain(capability);
      }
    }
  });

  it('has the probe index and the registry as the probe files make them (run `npm run generate`)', async () => {
    const files = await probeIndexFiles();
    expect(readFileSync(INDEX_FILE, 'utf8')).toBe(files[INDEX_FILE]);
    expect(readFileSync(REGISTRY_FILE, 'utf8')).toBe(files[REGISTRY_FILE]);
  });

  it('has a test of its own for every probe: test/probes/<id>.test.ts', () => {
    expect(PROBES.filter((probe) => !existsSync(`test/probes/${probe.id}.test.ts`)).map((probe) => probe.id)).toEqual([]);
  });

  it('keeps one probe per file, named after its id, and nothing else beside them but the registry and its types', () => {
    const files = readdirSync(new URL('../../src/probes/', import.meta.url)).filter((f) => f.endsWith('.ts'));
    expect(files.sort()).toEqual([...PROBES.map((probe) => `${probe.id}.ts`), 'registry.ts', 'types.ts'].sort());
  });

  // The probes that write to the results bucket (the marker, a multipart upload's start): only a
  // capability that judges that bucket may make a run write there.
  const WRITERS = ['s3-put-marker', 's3-multipart'];

  it.each<[string, CapabilityId[]]>([
    ['metadata alone', ['connection', 'metadata']],
    ['table data alone', ['connection', 'table-data']],
    ['metadata and table data', ['connection', 'metadata', 'table-data']],
  ])('runs no probe that writes to the results bucket for %s', (_name, requested) => {
    for (const id of WRITERS) expect(PROBES_BY_ID).toHaveProperty(id);
    const needed = neededProbes(PROBES, new Set(requested));
    expect(WRITERS.filter((id) => needed.has(id))).toEqual([]);
    // Nor the clean-up that follows them: there is nothing of ours to clean up.
    expect(needed.has('s3-delete-marker')).toBe(false);
  });

  it('still writes, and cleans up after, when the results location is asked for', () => {
    const needed = neededProbes(PROBES, new Set<CapabilityId>(['connection', 'query-results']));
    expect(['s3-put-marker', 's3-multipart', 's3-delete-marker'].filter((id) => needed.has(id))).toEqual(['s3-put-marker', 's3-multipart', 's3-delete-marker']);
  });
});
