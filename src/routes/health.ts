// The routes operators use: liveness and readiness (no key, no AWS call, nothing that waits on the
// report store) and Prometheus metrics (with a key, counted against its rate limit like every
// route behind the key). Polled every few seconds: their request lines are logged at debug, not info.
import type { FastifyPluginAsync } from 'fastify';
import type { Metrics } from '../http/metrics.js';
import { RateLimitedResponse, UnauthorizedResponse } from '../http/responses.js';

export const healthRoutes: FastifyPluginAsync<{ metrics: Metrics }> = async (app, { metrics }) => {
  // No key (`public`), and `security: []` says so in the document, whose default is the API key.
  const open = (status: string) => ({
    security: [],
    response: { 200: { description: `The service is up: \`{"status": "${status}"}\``, type: 'object', properties: { status: { type: 'string' } } } },
  });
  app.get('/healthz', { config: { logAtDebug: true, public: true }, schema: { operationId: 'getHealth', summary: 'Liveness: the process answers (no AWS call)', ...open('ok') } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { logAtDebug: true, public: true }, schema: { operationId: 'getReadiness', summary: 'Readiness: the service accepts preflights (no AWS call)', ...open('ready') } }, async () => ({ status: 'ready' }));
  const metricsSchema = {
    operationId: 'getMetrics',
    summary: 'Prometheus metrics (no AWS call)',
    description: 'Runs, their durations and refusals, probe outcomes by category, AWS call slots, and the process; in the Prometheus text exposition format.',
    security: [{ apiKey: [] }],
    response: {
      200: { description: 'The metrics', content: { 'text/plain': { schema: { type: 'string', description: 'Prometheus text exposition format 0.0.4' } } } },
      401: UnauthorizedResponse,
      429: RateLimitedResponse,
    },
  };
  app.get('/metrics', { schema: metricsSchema }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
};
