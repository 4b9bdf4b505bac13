// Clients from the factory: per-call steps that do nothing for the service are not on the stack.
import { describe, expect, it } from 'vitest';
import { AWS_SERVICES, createClientFactory } from '../../src/aws/clients.js';

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
