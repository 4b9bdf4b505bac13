import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAPABILITIES } from '../../src/catalogue/capabilities.js';
import { PROBES } from '../../src/probes/registry.js';

describe('probe registry', () => {
  it('has unique ids, and every dependency points to an earlier probe', () => {
    const seen = new Set<string>();
    for (const probe of PROBES) {
      expect(seen.has(probe.id), `duplicate ${probe.id}`).toBe(false);
      for (const dependency of [...probe.dependsOn, ...(probe.requires ?? [])]) {
        expect(seen.has(dependency), `${probe.id} depends on ${dependency}, which is not before it`).toBe(true);
      }
      seen.add(probe.id);
    }
  });

  it('waits for every probe it requires', () => {
    for (const probe of PROBES) {
      for (const required of probe.requires ?? []) {
        // A required probe's outcome is read at start, so it must have settled: it is a dependency too,
        // directly or through the connection gate.
        const reachable = new Set<string>();
        const visit = (id: string) => {
          for (const dependency of PROBES.find((p) => p.id === id)?.dependsOn ?? []) {
            if (!reachable.has(dependency)) {
              reachable.add(dependency);
              visit(dependency);
            }
          }
        };
        visit(probe.id);
        expect(reachable.has(required), `${probe.id} requires ${required} without waiting for it`).toBe(true);
      }
    }
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
});
