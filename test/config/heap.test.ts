// Runs admitted by the heap they need: the concurrency limits against V8's heap limit (the image sets one).
import { describe, expect, it } from 'vitest';
import { ConfigError, admitByHeap } from '../../src/config.js';

const MB = 2 ** 20;
const IMAGE_LIMIT = 100 * MB; // 88 MB old space + 3 x 4 MB young, as the Dockerfile sets it

describe('admitByHeap', () => {
  it('admits every run the default limits allow under the image heap limit, and more than twice as many at most', () => {
    expect(admitByHeap({ maxConcurrentRuns: 64, maxConcurrentCalls: 256 }, IMAGE_LIMIT)).toEqual({ maxConcurrentRuns: 64 });
    expect(admitByHeap({ maxConcurrentRuns: 150, maxConcurrentCalls: 256 }, IMAGE_LIMIT)).toEqual({ maxConcurrentRuns: 150 });
  });

  it('admits fewer than crashed the image heap: 208 runs waiting on a hanging AWS, two tries in three', () => {
    expect(admitByHeap({ maxConcurrentRuns: 208, maxConcurrentCalls: 256 }, IMAGE_LIMIT).maxConcurrentRuns).toBeLessThan(175);
  });

  it('admits what the image heap holds when the run limit is raised alone, and says so: the variables, the heap needed, the way out', () => {
    const admission = admitByHeap({ maxConcurrentRuns: 400, maxConcurrentCalls: 256 }, IMAGE_LIMIT);
    expect(admission.maxConcurrentRuns).toBeGreaterThanOrEqual(150);
    expect(admission.maxConcurrentRuns).toBeLessThan(175);
    expect(admission.warning).toContain('PREFLIGHT_MAX_CONCURRENT_RUNS=400');
    expect(admission.warning).toContain('PREFLIGHT_MAX_CONCURRENT_CALLS=256');
    expect(admission.warning).toMatch(/need about \d+ MB of heap but V8's limit is 100 MB/);
    expect(admission.warning).toContain(`at most ${admission.maxConcurrentRuns} runs at once, the others answer 503 busy`);
    expect(admission.warning).toContain('--max-old-space-size');
  });

  it('admits fewer runs for a smaller heap and for more AWS calls in flight', () => {
    const admitted = (calls: number, limit: number) => admitByHeap({ maxConcurrentRuns: 10_000, maxConcurrentCalls: calls }, limit).maxConcurrentRuns;
    expect(admitted(256, 76 * MB)).toBeLessThan(admitted(256, IMAGE_LIMIT));
    expect(admitted(1000, IMAGE_LIMIT)).toBeLessThan(admitted(256, IMAGE_LIMIT));
  });

  it('refuses limits that contradict each other: a heap that cannot hold one run besides the calls', () => {
    expect(() => admitByHeap({ maxConcurrentRuns: 64, maxConcurrentCalls: 4000 }, IMAGE_LIMIT)).toThrow(ConfigError);
    expect(() => admitByHeap({ maxConcurrentRuns: 64, maxConcurrentCalls: 4000 }, IMAGE_LIMIT)).toThrow(/not enough for a single run .*lower PREFLIGHT_MAX_CONCURRENT_CALLS/);
  });
});
