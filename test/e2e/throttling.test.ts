// CloudTrail's LookupEvents quota (2 requests a second per account and region, which the sandbox
// enforces) under runs that share it: the verdict must not depend on timing.
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { afterEach, describe, expect, it } from 'vitest';
import type { PreflightReport } from '../../src/preflight/types.js';
import { clientConfig, userCredentials } from '../support/sandbox.js';
import { type Harness, sampleRequest, startHarness, statusOf } from '../support/service.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Every LookupEvents the service sends (its SDK clients try once each: the retries are the engine's), with how it ended. */
function countLookups(target: Harness): string[] {
  const outcomes: string[] = [];
  const create = target.clients.create.bind(target.clients);
  target.clients.create = (async (service: Parameters<typeof create>[0], region: string, credentials: Parameters<typeof create>[2]) => {
    const client = (await create(service, region, credentials)) as unknown as { send(...args: unknown[]): Promise<unknown> };
    if (service === 'cloudtrail') {
      const send = client.send.bind(client);
      client.send = (...args) =>
        send(...args).then(
          (value) => (outcomes.push('ok'), value),
          (error: Error) => {
            outcomes.push(error.name);
            throw error;
          },
        );
    }
    return client;
  }) as typeof target.clients.create;
  return outcomes;
}

describe("CloudTrail's LookupEvents quota", () => {
  it('gives every run of the same account user-attribution ok when runs come together', async () => {
    harness = await startHarness('full-access');
    expect(harness.sandbox.scenario.cloudtrail.lookupRatePerSecond).toBe(2);
    const lookups = countLookups(harness);
    // Three runs at once: more than the quota's two a second, as when another tool shares it.
    const runs = await Promise.all([1, 2, 3].map(() => harness!.preflight(sampleRequest(harness!.sandbox))));
    for (const { status, body } of runs) {
      expect(status).toBe(200);
      expect(statusOf(body as PreflightReport)['user-attribution']).toBe('ok');
      expect((body as PreflightReport).status).toBe('ok');
    }
    // The quota really was exceeded, and each run got its answer by trying again.
    expect(lookups.filter((o) => o === 'ok')).toHaveLength(3);
    expect(lookups.filter((o) => o === 'ThrottlingException').length).toBeGreaterThan(0);
  });

  it('gives two runs started back to back user-attribution ok while another tool uses the quota', async () => {
    harness = await startHarness('full-access');
    const lookups = countLookups(harness);
    // Another tool of the account looks up events, then two preflights start: three calls in the second.
    const tool = new CloudTrailClient(clientConfig(harness.sandbox, userCredentials(harness.sandbox, 'analyst')));
    await tool.send(new LookupEventsCommand({ MaxResults: 1 }));
    tool.destroy();
    const first = harness.preflight(sampleRequest(harness.sandbox));
    const second = harness.preflight(sampleRequest(harness.sandbox));
    for (const { body } of await Promise.all([first, second])) expect(statusOf(body as PreflightReport)['user-attribution']).toBe('ok');
    expect(lookups.filter((o) => o === 'ok')).toHaveLength(2);
  });

  it('says throttled, quota shared with other tools, only once the deadline ran out (throttled-cloudtrail)', async () => {
    harness = await startHarness('throttled-cloudtrail');
    const lookups = countLookups(harness);
    const timeoutMs = 8000;
    const { status, body } = await harness.preflight(sampleRequest(harness.sandbox, { options: { timeoutMs } }));
    expect(status).toBe(200);
    const report = body as PreflightReport;
    expect(report.status).toBe('degraded');
    const attribution = report.capabilities.find((c) => c.id === 'user-attribution')!;
    expect(attribution.status).toBe('unknown');
    expect(attribution.reasons).toEqual([
      expect.objectContaining({ action: 'cloudtrail:LookupEvents', category: 'throttled', message: expect.stringMatching(/throttled.*quota.*shared with other tools/) }),
    ]);
    // The retry loop gave up itself (throttled, not cut off by the run's deadline as a timeout) ...
    expect(report.probes.find((p) => p.id === 'cloudtrail-lookup')).toMatchObject({ outcome: 'error', error: { category: 'throttled' } });
    // ... after trying for as long as the deadline allowed, never faster than the quota's 2 a second.
    expect(lookups.every((o) => o === 'ThrottlingException')).toBe(true);
    // (More than a fixed attempt count allows: the engine's default is 4.)
    expect(lookups.length).toBeGreaterThan(4);
    expect(lookups.length).toBeLessThanOrEqual((timeoutMs / 1000) * 2);
  });
});
