// The API's description: the OpenAPI document built from the route schemas (served as
// /openapi.yaml, written to openapi.yaml by `npm run openapi`) and the docs page at /docs.
// Static and public: no key, no AWS call.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { appWide } from './app-wide.js';

/** Swagger UI's static files, in its package (node_modules, in the image as in development). */
function swaggerUiFiles(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@fastify/swagger-ui/package.json')), 'static');
}

// Shared with the app, not encapsulated: swagger documents the routes registered after it anywhere.
export const docs = appWide(async (app) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Preflight',
        version: '0.1.0',
        description: 'Checks an AWS connection for Glue and Athena, capability by capability, and returns the policy that fixes what is missing.',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'One of PREFLIGHT_API_KEYS' } } },
      // Relative: the document is served by the service it describes (GET /openapi.yaml, /docs).
      servers: [{ url: '/', description: 'This service' }],
      // Every route needs a key unless it says otherwise (the health checks: `security: []`).
      security: [{ apiKey: [] }],
    },
  });
  // Its files are named explicitly: the service runs as a bundle, where the plugin cannot find
  // them next to its own code.
  const docsFiles = swaggerUiFiles();
  const logo = { type: 'image/svg+xml', content: readFileSync(join(docsFiles, 'logo.svg')) };
  // Public, as the document they show: every route Swagger UI registers (the page, its static
  // files, the document as JSON and YAML), marked so by a hook of their own plugin alone.
  await app.register(async (docsPage) => {
    docsPage.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    await docsPage.register(swaggerUi, { routePrefix: '/docs', baseDir: docsFiles, logo, uiConfig: { docExpansion: 'list', tryItOutEnabled: false } });
  });
  app.get('/openapi.yaml', { schema: { hide: true }, config: { public: true } }, async (_request, reply) => reply.type('application/yaml').send(app.swagger({ yaml: true })));
});
