// openapi.yaml is generated from the route schemas: `npm run openapi` writes it, a test fails when
// the committed file drifts from the code.
import { buildApp } from '../app.js';
import { createClientFactory } from '../aws/clients.js';

export async function renderOpenApi(): Promise<string> {
  const clients = createClientFactory();
  const app = await buildApp({ config: { apiKeys: [], authDisabled: false, maxConcurrentRuns: 1 }, engine: { clients, allowAmbient: false, maxRunMs: 1000 } });
  await app.ready();
  const yaml = app.swagger({ yaml: true });
  await app.close();
  clients.destroy();
  return yaml;
}
