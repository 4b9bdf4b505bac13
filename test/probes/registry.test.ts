import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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

  it('covers every core and extended action of every capability with a probe', () => {
    const exercised = new Set(PROBES.flatMap((probe) => probe.actions));
    const uncovered = CAPABILITIES.flatMap((capability) => [...capability.core, ...capability.extended]).filter((action) => !exercised.has(action));
    // These cannot be exercised without side effects or a sample we never create, or have no API
    // at all (GetQueryResultsStream, the drivers' streaming permission); they are reported untested.
    expect(uncovered.sort()).toEqual(['athena:GetQueryResultsStream', 'athena:StopQueryExecution', 's3:ListBucketMultipartUploads', 's3:ListMultipartUploadParts']);
    for (const capability of CAPABILITIES) {
      expect(PROBES.some((probe) => probe.informs.includes(capability.id)), `${capability.id} has no probe`).toBe(true);
    }
  });

  it('keeps one probe per file, named after its id', () => {
    const files = readdirSync(new URL('../../src/probes/', import.meta.url)).filter((f) => f.endsWith('.ts'));
    for (const probe of PROBES) expect(files).toContain(`${probe.id}.ts`);
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
