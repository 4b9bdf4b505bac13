// The start-time warning when the concurrency limit outgrows V8's heap limit (the image sets one).
import { describe, expect, it } from 'vitest';
import { heapShortfall } from '../../src/config.js';

const MB = 2 ** 20;

describe('heapShortfall', () => {
  it('is silent for the defaults under the image heap limit (128 MB old space + 3 x 8 MB young)', () => {
    expect(heapShortfall({ maxConcurrentRuns: 64 }, 152 * MB)).toBeUndefined();
    expect(heapShortfall({ maxConcurrentRuns: 200 }, 152 * MB)).toBeUndefined();
  });

  it('names the variable, the heap needed and the way out when the limit is raised alone', () => {
    const message = heapShortfall({ maxConcurrentRuns: 1000 }, 152 * MB);
    expect(message).toContain('PREFLIGHT_MAX_CONCURRENT_RUNS=1000');
    expect(message).toMatch(/needs about \d+ MB of heap but V8's limit is 152 MB/);
    expect(message).toContain('--max-old-space-size');
  });

  it('grows with the concurrency limit', () => {
    const needed = (runs: number) => Number(heapShortfall({ maxConcurrentRuns: runs }, 0)!.match(/about (\d+) MB/)![1]);
    expect(needed(400)).toBeGreaterThan(needed(100));
  });
});
