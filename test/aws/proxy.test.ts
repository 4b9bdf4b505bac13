// Customers' networks send AWS traffic through a proxy: every call must go through it, including
// the STS call the service's own identity makes to assume the customer's role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bypassesProxy, createClientFactory } from '../../src/aws/clients.js';
import { runPreflight } from '../../src/preflight/engine.js';
import { validatePreflightRequest } from '../../src/preflight/request.js';
import { sampleRequest } from '../../src/sandbox/sample.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { type RecordingProxy, startProxy } from '../support/proxy.js';
import { runAsRole } from '../support/role-run.js';
import { PROBES } from '../../src/probes/registry.js';

let sandbox: Sandbox;
let proxy: RecordingProxy;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'full-access' });
  proxy = await startProxy();
});
afterAll(async () => {
  await proxy.close();
  await sandbox.close();
});

const roleRun = (noProxy?: string) => runAsRole(sandbox, { proxy: { httpProxy: proxy.url, httpsProxy: proxy.url, noProxy } });

describe('an outbound proxy', () => {
  it('carries every AWS call of a run, the role assumption included', async () => {
    proxy.seen.length = 0;
    const report = await roleRun();
    expect(report.status).toBe('ok');
    const services = new Set(proxy.seen.map((s) => s.service));
    expect([...services].sort()).toEqual(['athena', 'cloudtrail', 'glue', 'lakeformation', 's3', 'sts']);
    // AssumeRole (twice: with and without the external ID) is signed by the service identity.
    expect(proxy.seen.filter((s) => s.service === 'sts').length).toBeGreaterThanOrEqual(3);
    const calls = report.probes.filter((p) => p.outcome !== 'skipped').length;
    expect(proxy.seen.length).toBeGreaterThanOrEqual(calls);
  });

  it('is bypassed for hosts in NO_PROXY', async () => {
    proxy.seen.length = 0;
    const report = await roleRun('localhost,127.0.0.1');
    expect(report.status).toBe('ok');
    expect(proxy.seen).toEqual([]);
  });

  it.each([
    ['glue.eu-west-1.amazonaws.com', '.amazonaws.com', true],
    ['glue.eu-west-1.amazonaws.com', 'amazonaws.com', true],
    ['glue.eu-west-1.amazonaws.com', '*', true],
    ['glue.eu-west-1.amazonaws.com', 'example.com,10.0.0.1', false],
    ['vpce-123.glue.eu-west-1.vpce.amazonaws.com', '*.vpce.amazonaws.com', true],
    ['notamazonaws.com', 'amazonaws.com', false],
  ])('NO_PROXY: %s with "%s" → bypass %s', (host, noProxy, expected) => {
    expect(bypassesProxy(host, noProxy)).toBe(expected);
  });
});

describe('a network failure', () => {
  it('is reported as network with the host, never as denied', async () => {
    const clients = createClientFactory({ defaultEndpoint: 'http://127.0.0.1:9', s3ForcePathStyle: true });
    const validation = validatePreflightRequest(sampleRequest(sandbox));
    if (!validation.ok) throw new Error('bad sample');
    const report = await runPreflight(validation.request, { clients, allowAmbient: false, maxRunMs: 5000, probes: PROBES });
    clients.destroy();
    expect(report.status).toBe('failed');
    expect(report.capabilities[0]).toMatchObject({ id: 'connection', status: 'unknown', missingActions: [] });
    expect(report.probes.find((p) => p.id === 'sts-caller-identity')!.error).toMatchObject({ category: 'network', code: 'ECONNREFUSED' });
  });
});
