// Under load every socket can be busy; the SDK's HTTP handler then warns. Those warnings go to the
// service's own (JSON) log, not to the console as loose text.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClientFactory } from '../../src/aws/clients.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'slow' });
});
afterAll(async () => {
  await sandbox.close();
});

describe('the HTTP handler of every client', () => {
  it('sends its warnings to the logger it is given, and none to the console', async () => {
    const warnings: string[] = [];
    const console = vi.spyOn(globalThis.console, 'warn');
    const clients = createClientFactory({ defaultEndpoint: sandbox.endpoint, maxSockets: 1, socketWarningMs: 10, logger: { warn: (message) => warnings.push(message) } });
    try {
      const user = sandbox.scenario.users.find((u) => u.name === 'analyst')!;
      const glue = await clients.create('glue', sandbox.scenario.region, { accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey });
      const { GetDatabasesCommand } = await clients.sdk('glue');
      // One socket, 50 ms a call: the second and third wait for it past the 10 ms warning.
      await Promise.all([1, 2, 3].map(() => glue.send(new GetDatabasesCommand({}))));
      expect(warnings.join('\n')).toMatch(/socket usage at capacity=1 and [12] additional requests are enqueued/);
      expect(console).not.toHaveBeenCalled();
    } finally {
      console.mockRestore();
      clients.destroy();
    }
  });
});
