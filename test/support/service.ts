// The service wired to a sandbox, as in production but with explicit endpoints and keys.
import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp } from '../../src/app.js';
import { type ClientFactory, createClientFactory } from '../../src/aws/clients.js';
import type { PreflightReport } from '../../src/preflight/types.js';
import { createCallSlots } from '../../src/preflight/call-slots.js';
import { sampleRequest, serviceIdentityOf } from '../../src/sandbox/sample.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { PROBES } from '../../src/probes/registry.js';

export const TEST_API_KEY = 'test-api-key-0123456789';

export interface Harness {
  sandbox: Sandbox;
  app: FastifyInstance;
  clients: ClientFactory;
  preflight(body: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startHarness(
  scenario: Parameters<typeof startSandbox>[0]['scenario'],
  // store: report history (off unless given); the harness does not close it, its owner does.
  options: { maxRunMs?: number; allowAmbient?: boolean; config?: Partial<AppOptions['config']>; store?: AppOptions['store']; logger?: AppOptions['logger'] } = {},
): Promise<Harness> {
  const sandbox = await startSandbox({ scenario });
  const clients = createClientFactory({ defaultEndpoint: sandbox.endpoint, s3ForcePathStyle: true });
  const identity = serviceIdentityOf(sandbox);
  const app = await buildApp({
    config: { apiKeys: [TEST_API_KEY], authDisabled: false, maxConcurrentRuns: 64, ...options.config },
    engine: {
      clients,
      serviceCredentials: identity ? async () => identity : undefined,
      allowAmbient: options.allowAmbient ?? false,
      maxRunMs: options.maxRunMs ?? 30_000,
      // No retry override: end-to-end runs retry as production does (the default attempts, and
      // CloudTrail's quota waited out at its pace).
      // As in production, every run's calls go through one shared cap; a small one, so that the
      // end-to-end runs also wait for slots.
      callSlots: createCallSlots(6),
      probes: PROBES,
    },
    store: options.store,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return {
    sandbox,
    app,
    clients,
    async preflight(body) {
      const response = await app.inject({ method: 'POST', url: '/preflight', headers: { authorization: `Bearer ${TEST_API_KEY}` }, payload: body as object });
      return { status: response.statusCode, body: response.json() };
    },
    async close() {
      await app.close();
      await sandbox.close();
      clients.destroy();
    },
  };
}

export function statusOf(report: PreflightReport): Record<string, string> {
  return Object.fromEntries(report.capabilities.map((c) => [c.id, c.status === 'skipped' ? `skipped:${c.skipReason}` : c.status]));
}

export { sampleRequest };

/**
 * One scenario's sample preflight (with `extra` request fields) in a harness of its own, kept in
 * `harnesses` for the test file to close: the report, and the harness to look into.
 */
export async function runSample(harnesses: Harness[], scenario: Parameters<typeof startHarness>[0], extra: Record<string, unknown> = {}) {
  const harness = await startHarness(scenario);
  harnesses.push(harness);
  const response = await harness.preflight(sampleRequest(harness.sandbox, extra));
  if (response.status !== 200) throw new Error(`the sample preflight answered ${response.status}: ${JSON.stringify(response.body)}`);
  return { harness, report: response.body as PreflightReport };
}
