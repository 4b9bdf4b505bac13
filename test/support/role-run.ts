// One preflight as a customer's role, through a client factory built from the given network
// settings: the STS call that assumes the role included, as the network tests need it.
import { type NetworkSettings, createClientFactory } from '../../src/aws/clients.js';
import { runPreflight } from '../../src/preflight/engine.js';
import type { PreflightReport } from '../../src/preflight/types.js';
import { validatePreflightRequest } from '../../src/preflight/request.js';
import { sampleRequest, serviceIdentityOf } from '../../src/sandbox/sample.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { PROBES } from '../../src/probes/registry.js';

export async function runAsRole(sandbox: Sandbox, settings: NetworkSettings): Promise<PreflightReport> {
  const clients = createClientFactory({ defaultEndpoint: sandbox.endpoint, s3ForcePathStyle: true, ...settings });
  const identity = serviceIdentityOf(sandbox)!;
  const validation = validatePreflightRequest(sampleRequest(sandbox, { credentials: { type: 'role', roleArn: 'arn:aws:iam::123456789012:role/PreflightReadOnly', externalId: 'acme-7f3c2a' } }));
  if (!validation.ok) throw new Error('bad sample');
  try {
    return await runPreflight(validation.request, { clients, serviceCredentials: async () => identity, allowAmbient: false, maxRunMs: 20_000, probes: PROBES });
  } finally {
    clients.destroy();
  }
}
