// `npm run demo`: the service wired to the sandbox, one sample preflight over real HTTP, printed.
// Everything here is explicit: the sandbox's endpoint and keys are passed in, never picked up
// from the environment, so nothing can fall back to a fake AWS by accident.
import { parseArgs } from 'node:util';
import { buildApp } from './app.js';
import { createClientFactory } from './aws/clients.js';
import { createCallSlots } from './preflight/call-slots.js';
import type { PreflightReport } from './preflight/types.js';
import { renderTable } from './report/text.js';
import { sampleRequest, serviceIdentityOf } from './sandbox/sample.js';
import { startSandbox } from './sandbox/server.js';

const { values } = parseArgs({
  options: { scenario: { type: 'string', default: 'coalesce-glue-athena' }, json: { type: 'boolean', default: false }, serve: { type: 'boolean', default: false } },
});

const sandbox = await startSandbox({ scenario: values.scenario! });
const clients = createClientFactory({ defaultEndpoint: sandbox.endpoint, s3ForcePathStyle: true });
const serviceIdentity = serviceIdentityOf(sandbox);
const apiKey = 'demo-key-not-secret-0000';
const app = await buildApp({
  config: { apiKeys: [apiKey], authDisabled: false, maxConcurrentRuns: 16 },
  engine: { clients, serviceCredentials: serviceIdentity ? async () => serviceIdentity : undefined, allowAmbient: false, maxRunMs: 60_000, callSlots: createCallSlots(256) },
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stderr.write(`demo: sandbox scenario "${sandbox.scenario.name}" at ${sandbox.endpoint}; service at ${address}\n`);

const response = await fetch(`${address}/preflight`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
  body: JSON.stringify(sampleRequest(sandbox)),
});
const report = (await response.json()) as PreflightReport;
process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderTable(report, { color: process.stdout.isTTY && !process.env.NO_COLOR }));

if (values.serve) {
  process.stderr.write(`demo: serving until Ctrl-C (API key: ${apiKey})\n`);
} else {
  await app.close();
  await sandbox.close();
  clients.destroy();
}
