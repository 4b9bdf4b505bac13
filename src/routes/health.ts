// The routes operators use: liveness and readiness (no key, no AWS call) and Prometheus metrics
// (with a key). Polled every few seconds: their request lines are logged at debug, not info.
import type { FastifyPluginAsync } from 'fastify';
import type { Metrics } from '../http/metrics.js';

export const healthRoutes: FastifyPluginAsync<{ metrics: Metrics }> = async (app, { metrics }) => {
  const statusSchema = { response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } };
  app.get('/healthz', { config: { logAtDebug: true }, schema: { summary: 'Liveness: the process answers (no AWS call)', ...statusSchema } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { logAtDebug: true }, schema: { summary: 'Readiness: the service accepts preflights (no AWS call)', ...statusSchema } }, async () => ({ status: 'ready' }));
  app.get('/metrics', { schema: { hide: true }, preHandler: app.authenticate }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
};
