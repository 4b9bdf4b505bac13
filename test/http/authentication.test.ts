// Every route needs the key unless it is declared public: found by walking every route the app
// registers (its own, and those its plugins register: Swagger UI's, CORS's), not from a list, so
// a route added later is checked without anyone adding it here.
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildApp } from '../../src/app.js';
import { type ClientFactory, createClientFactory } from '../../src/aws/clients.js';

// Every route, as Fastify announces it (onRoute) to a hook added when the app is created.
const registered = vi.hoisted(() => [] as RouteOptions[]);
vi.mock('fastify', async (importOriginal) => {
  const fastify = await importOriginal<typeof import('fastify')>();
  const create = ((options: Parameters<typeof fastify.default>[0]) => {
    const app = fastify.default(options);
    app.addHook('onRoute', (route) => void registered.push(route as unknown as RouteOptions));
    return app;
  }) as typeof fastify.default;
  return { ...fastify, default: Object.assign(create, fastify.default) };
});

const KEY = 'walk-every-route-key-0123456789';
const ORIGIN = 'https://onboarding.example.com';
/** The routes a caller reaches without a key: the health checks, the page, the API's docs, and CORS's preflight answers. */
const PUBLIC = (url: string) => ['/healthz', '/readyz', '/', '/openapi.yaml', '*'].includes(url) || url === '/docs' || url.startsWith('/docs/');

let app: FastifyInstance;
let clients: ClientFactory;
beforeAll(async () => {
  clients = createClientFactory();
  app = await buildApp({
    // CORS on, so that its own route (OPTIONS *) is walked too.
    config: { apiKeys: [KEY], authDisabled: false, maxConcurrentRuns: 1, corsOrigins: [ORIGIN] },
    engine: { clients, allowAmbient: false, maxRunMs: 1000, probes: [] },
  });
  // A route added later, by a plugin of its own, saying nothing about keys.
  await app.register(async (later) => {
    later.get('/added-later', async () => ({ secret: 'behind the key' }));
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  clients?.destroy();
});

/** A URL for a route: each path parameter a value its pattern accepts, a wildcard a file name (CORS's `*`, a route's path). */
function urlOf(route: RouteOptions): string {
  const samples: Record<string, string> = { id: 'a1b2c3d4e5f6', otherId: 'a1b2c3d4e5f7', fingerprint: '0'.repeat(24) };
  return route.url.replace(/:(\w+)/g, (_, name: string) => samples[name] ?? 'x').replace(/^\*$/, '/preflight').replace(/\*$/, 'index.html');
}

const routes = () => registered.flatMap((route) => [route.method].flat().map((method) => ({ method, url: route.url, path: urlOf(route), public: route.config?.public === true })));

describe('authentication, on every route', () => {
  it('walks the routes the app registers (a walk that finds nothing would prove nothing)', () => {
    const seen = routes().map(({ method, url }) => `${method} ${url}`);
    for (const route of ['POST /preflight', 'POST /setup', 'GET /preflight/:id', 'GET /metrics', 'GET /healthz', 'GET /docs/static/*', 'OPTIONS *', 'GET /added-later']) {
      expect(seen).toContain(route);
    }
  });

  it('answers 401 without a key on every route but the public ones, and only these are public', async () => {
    const answers: string[] = [];
    for (const route of routes()) {
      const response = await app.inject({ method: route.method as 'GET', url: route.path, remoteAddress: '10.9.0.1' });
      const refused = response.statusCode === 401;
      answers.push(`${route.method} ${route.url}: ${route.public ? 'public' : 'behind the key'}, ${refused ? '401' : `not 401 (${response.statusCode})`}`);
      if (refused) {
        expect(response.headers['www-authenticate']).toBe('Bearer');
        if (route.method !== 'HEAD') expect(response.json()).toEqual({ error: 'unauthorized', message: expect.stringContaining('API key') });
      }
    }
    const expected = routes().map((route) => `${route.method} ${route.url}: ${PUBLIC(route.url) ? 'public, not 401' : 'behind the key, 401'}`);
    expect(answers.map((answer) => answer.replace(/ \(\d+\)$/, ''))).toEqual(expected);
  });

  it('lets the key through on a route nobody declared anything for', async () => {
    const response = await app.inject({ method: 'GET', url: '/added-later', headers: { authorization: `Bearer ${KEY}` } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ secret: 'behind the key' });
  });

  it('refuses before reading a body: a large one without a key is answered 401, not 413', async () => {
    const response = await app.inject({ method: 'POST', url: '/preflight', headers: { 'content-type': 'application/json' }, payload: `"${'x'.repeat(200 * 1024)}"`, remoteAddress: '10.9.0.2' });
    expect(response.statusCode).toBe(401);
  });

  it('answers a browser\'s CORS preflight, which carries no key, before asking for one', async () => {
    const response = await app.inject({ method: 'OPTIONS', url: '/preflight', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(ORIGIN);
  });

  it('is what the OpenAPI document says: `security: []` on exactly the public operations', () => {
    const document = parseYaml(app.swagger({ yaml: true })) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, open: operation.security?.length === 0 })),
    );
    expect(operations.length).toBeGreaterThan(5);
    const publicRoutes = new Set(routes().filter((route) => route.public).map((route) => `${route.method} ${route.url}`));
    for (const { route, open } of operations) expect({ route, open }).toEqual({ route, open: publicRoutes.has(route) });
  });
});
