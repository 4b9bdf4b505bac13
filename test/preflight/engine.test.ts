// The scheduler and the verdict rules, with probes that make no AWS call.
import { describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../src/aws/clients.js';
import { createCallSlots } from '../../src/preflight/call-slots.js';
import { runPreflight } from '../../src/preflight/engine.js';
import type { PreflightRequest } from '../../src/preflight/request.js';
import type { ProbeDefinition } from '../../src/probes/types.js';

const noClients: ClientFactory = {
  create: () => Promise.reject(new Error('no AWS in this test')),
  sdk: () => Promise.reject(new Error('no AWS in this test')),
  endpointOf: () => 'http://nowhere',
  routeOf: () => ({ endpoint: 'http://nowhere', configured: true }),
  destroy: () => undefined,
  preload: () => Promise.resolve(),
};

const request: PreflightRequest = {
  region: 'eu-west-1',
  accountId: '123456789012',
  credentials: { type: 'accessKey', accessKeyId: 'AKIAEXAMPLEEXAMPLE01', secretAccessKey: 'secret-secret-secret-01' },
  capabilities: ['metadata', 'search'],
};

function awsError(name: string, status: number, message = name) {
  return Object.assign(new Error(message), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status, requestId: `req-${name}` } });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function identityProbe(overrides: Partial<ProbeDefinition> = {}): ProbeDefinition {
  return {
    id: 'sts-caller-identity',
    service: 'sts',
    actions: ['sts:GetCallerIdentity'],
    informs: ['connection'],
    needs: [],
    async run(context) {
      await context.call('sts:GetCallerIdentity', async () => ({}));
      context.facts.identity = { accountId: '123456789012', arn: 'arn:aws:iam::123456789012:user/x', userId: 'AIDA' };
    },
    ...overrides,
  };
}

function probe(id: string, action: ProbeDefinition['actions'][number], behaviour: () => Promise<unknown>, extra: Partial<ProbeDefinition> = {}): ProbeDefinition {
  return {
    id,
    service: 'glue',
    actions: [action],
    informs: ['metadata'],
    after: ['sts-caller-identity'],
    async run(context) {
      await context.call(action, behaviour);
    },
    ...extra,
  };
}

const deps = (probes: ProbeDefinition[], extra = {}) => ({ clients: noClients, allowAmbient: false, maxRunMs: 30_000, probes, retry: { maxAttempts: 3, baseDelayMs: 5 }, ...extra });

describe('the engine', () => {
  it('runs independent probes concurrently and reports them in registry order', async () => {
    // Concurrency as a count, not a time: the peak of calls in flight at once.
    let inFlight = 0;
    let peak = 0;
    const tracked = (ms: number) => async () => {
      peak = Math.max(peak, ++inFlight);
      await delay(ms);
      inFlight -= 1;
    };
    const probes = [
      identityProbe(),
      probe('glue-databases', 'glue:GetDatabases', tracked(20)),
      probe('glue-tables', 'glue:GetTables', tracked(20)),
      probe('glue-database', 'glue:GetDatabase', tracked(10)),
      probe('glue-table', 'glue:GetTable', tracked(10)),
      probe('glue-search', 'glue:SearchTables', tracked(10), { informs: ['search'] }),
    ];
    const report = await runPreflight(request, deps(probes));
    expect(peak).toBe(5);
    expect(report.probes.map((p) => p.id)).toEqual(probes.map((p) => p.id));
    expect(report.status).toBe('ok');
    expect(report.capabilities.find((c) => c.id === 'metadata')).toMatchObject({ status: 'ok', missingActions: [], untestedActions: [] });
    expect(report.capabilities.find((c) => c.id === 'partitions')).toMatchObject({ status: 'skipped', skipReason: 'not-requested' });
  });

  it('skips everything after a failed connection, with the reason', async () => {
    const probes = [
      identityProbe({ run: async (context) => void (await context.call('sts:GetCallerIdentity', () => Promise.reject(awsError('InvalidClientTokenId', 403)))) }),
      probe('glue-databases', 'glue:GetDatabases', async () => ({})),
    ];
    const report = await runPreflight(request, deps(probes));
    expect(report.status).toBe('failed');
    expect(report.capabilities.find((c) => c.id === 'connection')).toMatchObject({ status: 'unavailable' });
    expect(report.capabilities.find((c) => c.id === 'metadata')).toMatchObject({ status: 'skipped', skipReason: 'prerequisite-failed' });
    expect(report.probes[1]).toMatchObject({ outcome: 'skipped', skipReason: 'prerequisite-failed' });
    expect(report.probes[0]!.error).toMatchObject({ code: 'InvalidClientTokenId', category: 'auth' });
  });

  it('says unavailable for a denied core action and degraded for a denied extended one', async () => {
    const denied = () => Promise.reject(awsError('AccessDeniedException', 400, 'User: arn:aws:sts::123456789012:assumed-role/Admin/jane.doe@example.com is not authorized to perform: glue:GetTable on resource: arn:aws:glue:eu-west-1:123456789012:table/a/b because no identity-based policy allows the glue:GetTable action'));
    const degraded = await runPreflight(request, deps([identityProbe(), probe('glue-databases', 'glue:GetDatabases', async () => ({})), probe('glue-tables', 'glue:GetTables', async () => ({})), probe('glue-table', 'glue:GetTable', denied), probe('glue-database', 'glue:GetDatabase', async () => ({}))]));
    const metadata = degraded.capabilities.find((c) => c.id === 'metadata')!;
    expect(metadata).toMatchObject({ status: 'degraded', missingActions: ['glue:GetTable'] });
    expect(metadata.reasons[0]).toMatchObject({ action: 'glue:GetTable', category: 'permission', deniedBy: { policyType: 'identity', explicit: false }, requestId: 'req-AccessDeniedException' });
    expect(degraded.status).toBe('degraded');
    expect(degraded.remediation.policy?.Statement.flatMap((s) => s.Action)).toEqual(['glue:GetTable']);
    expect(JSON.stringify(degraded)).not.toContain('jane.doe');

    const unavailable = await runPreflight(request, deps([identityProbe(), probe('glue-databases', 'glue:GetDatabases', denied)]));
    expect(unavailable.capabilities.find((c) => c.id === 'metadata')).toMatchObject({ status: 'unavailable', missingActions: ['glue:GetDatabases'], untestedActions: ['glue:GetTables', 'glue:GetDatabase', 'glue:GetTable'] });
    expect(unavailable.status).toBe('failed');
  });

  it('retries throttling within the deadline but never a denial', async () => {
    let throttled = 0;
    let denied = 0;
    const report = await runPreflight(
      request,
      deps([
        identityProbe(),
        probe('glue-databases', 'glue:GetDatabases', async () => {
          throttled += 1;
          if (throttled < 3) throw awsError('ThrottlingException', 400);
          return {};
        }),
        probe('glue-search', 'glue:SearchTables', async () => {
          denied += 1;
          throw awsError('AccessDeniedException', 400);
        }, { informs: ['search'] }),
      ]),
    );
    expect(throttled).toBe(3);
    expect(denied).toBe(1);
    expect(report.probes[1]).toMatchObject({ outcome: 'pass' });
    expect(report.capabilities.find((c) => c.id === 'search')).toMatchObject({ status: 'unavailable' });
  });

  it('calls a capability unknown when throttling outlasts the retries', async () => {
    const report = await runPreflight(request, deps([identityProbe(), probe('glue-search', 'glue:SearchTables', () => Promise.reject(awsError('ThrottlingException', 400)), { informs: ['search'] })]));
    expect(report.capabilities.find((c) => c.id === 'search')).toMatchObject({ status: 'unknown', reasons: [{ category: 'throttled' }] });
    expect(report.probes[1]).toMatchObject({ outcome: 'error' });
  });

  it('ends a run at its deadline, aborting calls in flight', async () => {
    let aborted = false;
    const hanging = probe('glue-databases', 'glue:GetDatabases', async () => undefined, {
      async run(context) {
        await context.call('glue:GetDatabases', (signal) =>
          new Promise((_, reject) => signal.addEventListener('abort', () => {
            aborted = true;
            reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
          })),
        );
      },
    });
    const report = await runPreflight({ ...request, options: { timeoutMs: 1000 } }, deps([identityProbe(), hanging]));
    expect(aborted).toBe(true);
    expect(report.probes[1]).toMatchObject({ outcome: 'error', error: { category: 'timeout' } });
    expect(report.capabilities.find((c) => c.id === 'metadata')).toMatchObject({ status: 'unknown' });
  });

  it('keeps AWS calls in flight across runs within the shared cap', async () => {
    let inFlight = 0;
    let most = 0;
    const measured = async () => {
      most = Math.max(most, ++inFlight);
      await delay(10);
      inFlight -= 1;
      return {};
    };
    const probes = [identityProbe(), ...['glue-databases', 'glue-tables', 'glue-search', 'glue-partitions'].map((id) => probe(id, 'glue:GetDatabases', measured))];
    const callSlots = createCallSlots(3);
    const reports = await Promise.all(Array.from({ length: 4 }, () => runPreflight(request, deps(probes, { callSlots }))));
    expect(most).toBe(3);
    expect(reports.flatMap((report) => report.probes.map((p) => p.outcome))).toEqual(Array(20).fill('pass'));
    expect({ inFlight: callSlots.inFlight, waiting: callSlots.waiting }).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('counts waiting for a slot against the deadline, and gives the slot back when a run ends', async () => {
    const callSlots = createCallSlots(1);
    const hanging = probe('glue-databases', 'glue:GetDatabases', () => new Promise(() => undefined), {
      async run(context) {
        await context.call('glue:GetDatabases', (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })))));
      },
    });
    // The first run holds the only slot for its call's budget (1.5 s); the second waits behind it and runs out of time first.
    const [holder, waiter] = await Promise.all([
      runPreflight({ ...request, options: { timeoutMs: 3000 } }, deps([identityProbe(), hanging], { callSlots })),
      delay(20).then(() => runPreflight({ ...request, options: { timeoutMs: 1000 } }, deps([identityProbe()], { callSlots }))),
    ]);
    expect(holder.probes[1]).toMatchObject({ outcome: 'error', error: { category: 'timeout' } });
    expect(waiter.probes[0]).toMatchObject({ outcome: 'error', error: { category: 'timeout' } });
    expect({ inFlight: callSlots.inFlight, waiting: callSlots.waiting }).toEqual({ inFlight: 0, waiting: 0 });
    // Nothing leaked: the next run gets the slot at once.
    const after = await runPreflight(request, deps([identityProbe()], { callSlots }));
    expect(after.probes[0]).toMatchObject({ outcome: 'pass' });
  });

  it('ends a run even when a probe waits for something that ignores every signal', async () => {
    const deaf = probe('glue-databases', 'glue:GetDatabases', async () => undefined, {
      async run() {
        await new Promise(() => undefined); // a body read outside any call, say
      },
    });
    const after = probe('glue-tables', 'glue:GetTables', async () => undefined, { after: ['glue-databases'] });
    const report = await runPreflight({ ...request, options: { timeoutMs: 200 } }, deps([identityProbe(), deaf, after]));
    expect(report.probes.map((p) => p.outcome)).toEqual(['pass', 'error', 'error']);
    expect(report.probes[1]).toMatchObject({ detail: 'had not finished when the run ended', error: { category: 'timeout' } });
    expect(report.capabilities.find((c) => c.id === 'metadata')).toMatchObject({ status: 'unknown' });
  });

  it('still runs clean-up after the deadline, within its own grace, and after the caller went away', async () => {
    for (const stop of ['deadline', 'caller'] as const) {
      const calls: string[] = [];
      const hanging = probe('glue-databases', 'glue:GetDatabases', async () => undefined, {
        async run(context) {
          await context.call('glue:GetDatabases', (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))));
        },
      });
      const cleanup = probe('glue-tables', 'glue:GetTables', async () => undefined, {
        after: ['glue-databases'],
        cleanup: true,
        async run(context) {
          await context.call('glue:GetTables', async (signal) => {
            calls.push(signal.aborted ? 'aborted' : 'live');
          });
        },
      });
      const caller = new AbortController();
      // The caller leaves once the call hangs, not after some time.
      if (stop === 'caller') hanging.run = async (context) => {
        await context.call('glue:GetDatabases', (signal) => {
          const hung = new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
          caller.abort();
          return hung;
        });
      };
      const report = await runPreflight({ ...request, options: { timeoutMs: stop === 'deadline' ? 200 : 10_000 } }, deps([identityProbe(), hanging, cleanup]), { signal: caller.signal });
      expect(calls, stop).toEqual(['live']);
      expect(report.probes.map((p) => p.outcome), stop).toEqual(['pass', 'error', 'pass']);
    }
  });

  it('stops when the caller goes away', async () => {
    const controller = new AbortController();
    let sawAbort = false;
    const hanging = probe('glue-databases', 'glue:GetDatabases', async () => undefined, {
      async run(context) {
        await context.call('glue:GetDatabases', (signal) => {
          const hung = new Promise((_, reject) => signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
          }));
          controller.abort(); // the caller leaves while the call hangs
          return hung;
        });
      },
    });
    // A deadline far beyond the test's own timeout: only the caller's leaving can end this run in time.
    const report = await runPreflight({ ...request, options: { timeoutMs: 60_000 } }, deps([identityProbe(), hanging], { maxRunMs: 60_000 }), { signal: controller.signal });
    expect(sawAbort).toBe(true);
    expect(report.probes[1]).toMatchObject({ outcome: 'error' });
  });

  it('refuses ambient credentials unless the operator enabled them', async () => {
    await expect(runPreflight({ ...request, credentials: { type: 'ambient' } }, deps([identityProbe()]))).rejects.toMatchObject({
      name: 'PreflightRefused',
      issues: [{ path: '/credentials/type' }],
    });
  });

  it('emits one event per finished probe, with capability statuses once settled', async () => {
    const events: Array<{ probe: string; capabilities: string[] }> = [];
    await runPreflight(request, deps([identityProbe(), probe('glue-databases', 'glue:GetDatabases', async () => ({}))]), {
      onProbe: (event) => events.push({ probe: event.probe.id, capabilities: event.capabilities.map((c) => `${c.id}:${c.status}`) }),
    });
    expect(events.map((e) => e.probe)).toEqual(['sts-caller-identity', 'glue-databases']);
    expect(events[0]!.capabilities).toContain('connection:ok');
    expect(events[1]!.capabilities.some((c) => c.startsWith('metadata:'))).toBe(true);
  });
});
