// Issue 6's "no leak of clients, sockets or timers", checked directly rather than through RSS:
// after many runs against the sandbox, every run's SDK clients can be collected, no timer is left
// behind, and the sockets are the agent's bounded keep-alive pool.
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientFactory } from '../../src/aws/clients.js';
import { createCallSlots } from '../../src/preflight/call-slots.js';
import { runPreflight } from '../../src/preflight/engine.js';
import { validatePreflightRequest } from '../../src/preflight/request.js';
import { sampleRequest, serviceIdentityOf } from '../../src/sandbox/sample.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { PROBES } from '../../src/probes/registry.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let sandbox: Sandbox;
beforeAll(async () => {
  // Eight runs at a time would queue some 4 s a wave on LookupEvents' real 2 a second, which the
  // engine now waits out (test/e2e/throttling.test.ts); at 8 a second each wave after the first
  // still meets the previous wave's calls in the window, so throttling and its retries still happen.
  sandbox = await startSandbox({ scenario: { extends: 'full-access', name: 'leaks', description: 'full-access, LookupEvents at 8 a second', cloudtrail: { lookupRatePerSecond: 8 } } });
});
afterAll(() => sandbox.close());

const resources = () => {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
};

async function collected(refs: Array<WeakRef<object>>): Promise<number> {
  for (let i = 0; i < 10 && refs.some((ref) => ref.deref()); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    gc();
  }
  return refs.filter((ref) => !ref.deref()).length;
}

describe('after many runs', () => {
  it('leaves no client, timer or socket beyond the keep-alive pool', async () => {
    const factory = createClientFactory({ defaultEndpoint: sandbox.endpoint, s3ForcePathStyle: true, maxSockets: 16 });
    const clientRefs: Array<WeakRef<object>> = [];
    const clients = {
      ...factory,
      async create(...args: Parameters<typeof factory.create>) {
        const client = await factory.create(...args);
        clientRefs.push(new WeakRef(client));
        return client;
      },
    } as typeof factory;
    const identity = serviceIdentityOf(sandbox);
    const deps = { clients, serviceCredentials: identity ? async () => identity : undefined, allowAmbient: false, maxRunMs: 30_000, callSlots: createCallSlots(32), probes: PROBES };
    const validated = validatePreflightRequest(sampleRequest(sandbox));
    if (!validated.ok) throw new Error('the sample request should be valid');

    await runPreflight(validated.request, deps);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = resources();

    for (let wave = 0; wave < 5; wave++) {
      const reports = await Promise.all(Array.from({ length: 8 }, () => runPreflight(validated.request, deps)));
      // CloudTrail's quota throttles some runs: their retries' timers count too.
      for (const report of reports) expect(['ok', 'degraded']).toContain(report.status);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = resources();

    expect(clientRefs.length).toBeGreaterThanOrEqual(41 * 5); // every run built its own clients (five services or more)...
    expect(await collected(clientRefs)).toBe(clientRefs.length); // ...and none outlived its run
    expect(after.Timeout ?? 0).toBeLessThanOrEqual(before.Timeout ?? 0);
    expect(after.TCPSocketWrap ?? 0).toBeLessThanOrEqual(2 * 16); // client and server ends of the pool
    expect(deps.callSlots).toMatchObject({ inFlight: 0, waiting: 0 });
    factory.destroy();
  });
});
