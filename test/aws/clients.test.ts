// Clients from the factory: per-call steps that do nothing for the service are not on the stack.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { AWS_SERVICES, createClientFactory } from '../../src/aws/clients.js';
import { startSandbox } from '../../src/sandbox/server.js';
import { userCredentials } from '../support/sandbox.js';

describe('createClientFactory', () => {
  it('builds every client without the logger and recursion-detection steps, the signing step kept', async () => {
    const clients = createClientFactory({ defaultEndpoint: 'http://127.0.0.1:9' });
    try {
      for (const service of AWS_SERVICES) {
        const client = await clients.create(service, 'eu-west-1', { accessKeyId: 'AKIAEXAMPLEEXAMPLE01', secretAccessKey: 'secret' });
        const steps = client.middlewareStack.identify().join('\n');
        expect(steps, service).not.toMatch(/loggerMiddleware|recursionDetectionMiddleware/);
        expect(steps, service).toMatch(/retryMiddleware/);
        expect(steps, service).toMatch(/httpSigningMiddleware/);
      }
    } finally {
      clients.destroy();
    }
  });
});

describe('the HTTP handler', () => {
  it('closes a socket that goes silent mid-body, even for a call without an abort signal', async () => {
    const sandbox = await startSandbox({
      scenario: { extends: 'full-access', name: 'stalled', description: 'a body that stalls', faults: [{ service: 's3', operation: 'GetObject', stallBodyAfterBytes: 2 }] },
    });
    const clients = createClientFactory({ defaultEndpoint: sandbox.endpoint, s3ForcePathStyle: true, socketTimeoutMs: 300 });
    try {
      const s3 = await clients.create('s3', sandbox.scenario.region, userCredentials(sandbox, 'analyst'));
      const bucket = sandbox.scenario.s3.buckets.find((b) => b.objects.some((o) => o.body.length > 2))!;
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket.name, Key: bucket.objects.find((o) => o.body.length > 2)!.key }));
      await expect(object.Body!.transformToByteArray()).rejects.toThrow(/timed out|aborted/i);
    } finally {
      clients.destroy();
      await sandbox.close();
    }
  });
});
