import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { clientConfig, userCredentials } from '../support/sandbox.js';

const base = { extends: 'full-access', name: 'faulty', description: 'full-access with injected faults' };
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function withFaults(faults: unknown[], seed = 1) {
  sandbox = await startSandbox({ scenario: { ...base, seed, faults } });
  return new STSClient(clientConfig(sandbox, userCredentials(sandbox, 'analyst')));
}

const identity = (client: STSClient, abortSignal?: AbortSignal) => client.send(new GetCallerIdentityCommand({}), { abortSignal });

describe('fault injection', () => {
  it('adds latency', async () => {
    const client = await withFaults([{ service: 'sts', latencyMs: 120 }]);
    const started = Date.now();
    await identity(client);
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
  });

  it('throttles with the protocol\'s throttling error', async () => {
    const client = await withFaults([{ service: 'sts', operation: 'GetCallerIdentity', throttle: { probability: 1 } }]);
    await expect(identity(client)).rejects.toMatchObject({ name: 'Throttling', $metadata: { httpStatusCode: 400 } });
  });

  it('answers 5xx that the SDK reports as a server fault', async () => {
    const client = await withFaults([{ serverErrorProbability: 1 }]);
    await expect(identity(client)).rejects.toMatchObject({ name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } });
  });

  it('hangs until the client gives up', async () => {
    const client = await withFaults([{ service: 'sts', hang: true }]);
    const started = Date.now();
    await expect(identity(client, AbortSignal.timeout(300))).rejects.toMatchObject({ name: expect.stringMatching(/AbortError|TimeoutError/) });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('resets connections', async () => {
    const client = await withFaults([{ resetProbability: 1 }]);
    await expect(identity(client)).rejects.toThrow(/ECONNRESET|socket hang up|aborted/i);
  });

  it('leaves other services alone', async () => {
    const client = await withFaults([{ service: 'athena', hang: true }]);
    await expect(identity(client)).resolves.toMatchObject({ Account: '123456789012' });
  });

  it('repeats the same outcomes for the same seed', async () => {
    const outcomes = async (seed: number) => {
      const client = await withFaults([{ throttle: { probability: 0.5 } }], seed);
      const results: boolean[] = [];
      for (let i = 0; i < 12; i++) results.push(await identity(client).then(() => true, () => false));
      await sandbox!.close();
      sandbox = undefined;
      return results;
    };
    const first = await outcomes(42);
    expect(await outcomes(42)).toEqual(first);
    expect(first).toContain(true);
    expect(first).toContain(false);
  });
});
