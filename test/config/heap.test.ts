// The start-time warning when the concurrency limits outgrow V8's heap limit (the image sets one).
import { describe, expect, it } from 'vitest';
import { heapShortfall } from '../../src/config.js';

const MB = 2 ** 20;
const IMAGE_LIMIT = 100 * MB; // 88 MB old space + 3 x 4 MB young, as the Dockerfile sets it

describe('heapShortfall', () => {
  it('is silent for the defaults, and for the 200 runs of the benchmark, under the image heap limit', () => {
    expect(heapShortfall({ maxConcurrentRuns: 64, maxConcurrentCalls: 256 }, IMAGE_LIMIT)).toBeUndefined();
    expect(heapShortfall({ maxConcurrentRuns: 200, maxConcurrentCalls: 256 }, IMAGE_LIMIT)).toBeUndefined();
  });

  it('warns where the benchmark saw the heap thrash: 200 runs in 80 MB of old space', () => {
    expect(heapShortfall({ maxConcurrentRuns: 200, maxConcurrentCalls: 256 }, 92 * MB)).toBeDefined();
  });

  it('names the variables, the heap needed and the way out when a limit is raised alone', () => {
    const message = heapShortfall({ maxConcurrentRuns: 1000, maxConcurrentCalls: 256 }, IMAGE_LIMIT);
    expect(message).toContain('PREFLIGHT_MAX_CONCURRENT_RUNS=1000');
    expect(message).toContain('PREFLIGHT_MAX_CONCURRENT_CALLS=256');
    expect(message).toMatch(/need about \d+ MB of heap but V8's limit is 100 MB/);
    expect(message).toContain('--max-old-space-size');
  });

  it('grows with either limit', () => {
    const needed = (runs: number, calls: number) => Number(heapShortfall({ maxConcurrentRuns: runs, maxConcurrentCalls: calls }, 0)!.match(/about (\d+) MB/)![1]);
    expect(needed(400, 256)).toBeGreaterThan(needed(100, 256));
    expect(needed(100, 4000)).toBeGreaterThan(needed(100, 256));
  });
});
