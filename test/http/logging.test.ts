// Request log lines: liveness and readiness, polled every few seconds, at debug; every other
// request at info, as before.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createClientFactory } from '../../src/aws/clients.js';

interface Line {
  level: number;
  msg: string;
  reqId?: string;
  err?: unknown;
}

const lines: Line[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});

const clients = createClientFactory();
let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp({
    config: { apiKeys: ['logging-test-key-0000000'], authDisabled: false, maxConcurrentRuns: 1 },
    engine: { clients, allowAmbient: false, maxRunMs: 1000, probes: [] },
    logger: pino({ level: 'trace' }, sink),
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  clients.destroy();
});

/** The request lines (incoming, completed) of one request, by its id. */
async function requestLines(url: string) {
  const response = await app.inject({ method: 'GET', url });
  const requestId = response.headers['x-request-id'] ?? '';
  const own = lines.filter((line) => line.msg === 'incoming request' || line.msg === 'request completed');
  return { response, own: own.filter((line) => (requestId ? line.reqId === requestId : true)) };
}

const DEBUG = pino.levels.values.debug;
const INFO = pino.levels.values.info;

describe('request log lines', () => {
  it.each(['/healthz', '/readyz'])('%s is logged at debug, not info', async (url) => {
    lines.length = 0;
    const { response, own } = await requestLines(url);
    expect(response.statusCode).toBe(200);
    expect(own.map((line) => [line.msg, line.level])).toEqual([
      ['incoming request', DEBUG],
      ['request completed', DEBUG],
    ]);
    expect(lines.filter((line) => line.level >= INFO)).toEqual([]);
  });

  it('at info, a /healthz request writes nothing; other requests still do', async () => {
    const infoLines: Line[] = [];
    const infoApp = await buildApp({
      config: { apiKeys: ['logging-test-key-0000000'], authDisabled: false, maxConcurrentRuns: 1 },
      engine: { clients, allowAmbient: false, maxRunMs: 1000, probes: [] },
      logger: pino(
        { level: 'info' },
        new Writable({
          write(chunk, _encoding, done) {
            infoLines.push(JSON.parse(chunk.toString()));
            done();
          },
        }),
      ),
    });
    try {
      await infoApp.inject({ method: 'GET', url: '/healthz' });
      await infoApp.inject({ method: 'GET', url: '/readyz' });
      expect(infoLines).toEqual([]);
      const metrics = await infoApp.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.statusCode).toBe(401);
      expect(infoLines.map((line) => [line.msg, line.level])).toEqual([
        ['incoming request', INFO],
        ['request completed', INFO],
      ]);
    } finally {
      await infoApp.close();
    }
  });
});
