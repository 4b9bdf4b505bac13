// POST /setup: the role a customer creates for the service, in every form (JSON, CloudFormation,
// Terraform, aws CLI), from the catalogue that judges the preflight run afterwards.
import type { FastifyPluginAsync } from 'fastify';
import { UnauthorizedResponse, bodyAndRateResponses } from '../http/responses.js';
import { ErrorSchema, InvalidRequestSchema } from '../schemas/errors.js';
import { SetupRequestSchema, SetupSchema } from '../schemas/setup.js';
import { buildSetup } from '../setup/generate.js';
import { renderSetupMarkdown } from '../setup/markdown.js';
import type { FoundPrincipal } from '../setup/principal.js';
import { validateSetupRequest } from '../setup/request.js';

export interface SetupRouteOptions {
  /** The service's own principal, the one the role trusts (PREFLIGHT_TRUSTED_PRINCIPAL). */
  trustedPrincipal?: string;
  /** Without it: who the service is, asked of STS (trustedPrincipalFinder); neither, or STS cannot tell: 503. */
  findTrustedPrincipal?: (region: string) => Promise<FoundPrincipal | undefined>;
}

const schema = {
  summary: 'The role to create for the service: policies, CloudFormation, Terraform, aws CLI',
  description: [
    'Makes no AWS call. From the capabilities the product needs and where its data lies: the identity policies (split to fit IAM quotas),',
    'the self-check policy, the trust policy (the service principal, the external ID required), a CloudFormation template (JSON and YAML),',
    'a Terraform configuration and aws CLI commands creating the role; and `check`, the POST /preflight body that proves it once created.',
    '',
    'Content negotiation (Accept): `application/json` (default) or `text/markdown`. The external ID is in the answer (the caller gave it), never in an error or a log.',
    'The role trusts PREFLIGHT_TRUSTED_PRINCIPAL or, unset, the identity sts:GetCallerIdentity gives the service (a role session read as its role);',
    '503 `not_configured` when neither tells.',
  ].join('\n'),
  operationId: 'generateSetup',
  security: [{ apiKey: [] }],
  body: SetupRequestSchema,
  response: {
    200: {
      description: 'The role, in every form, in the format Accept asks for',
      content: {
        'application/json': { schema: SetupSchema },
        'text/markdown': { schema: { type: 'string', description: 'The same, rendered as Markdown' } },
      },
    },
    400: InvalidRequestSchema,
    401: UnauthorizedResponse,
    ...bodyAndRateResponses,
    503: { description: 'The service does not know its own principal (`not_configured`): set PREFLIGHT_TRUSTED_PRINCIPAL', content: { 'application/json': { schema: ErrorSchema } } },
  },
};

export const setupRoutes: FastifyPluginAsync<SetupRouteOptions> = async (app, options) => {
  app.post(
    '/setup',
    {
      schema,
      // Validated by validateSetupRequest: the preflight's rules for the shared fields, every bad field named.
      validatorCompiler: () => (value) => ({ value }),
    },
    async (request, reply) => {
      const validation = validateSetupRequest(request.body);
      if (!validation.ok) return reply.code(400).send({ error: 'invalid_request', issues: validation.issues });
      const trustedPrincipal = options.trustedPrincipal ?? (await options.findTrustedPrincipal?.(validation.input.region))?.principal;
      if (!trustedPrincipal) {
        return reply.code(503).send({ error: 'not_configured', message: 'the service does not know its own principal: set PREFLIGHT_TRUSTED_PRINCIPAL to the role ARN it runs as', requestId: request.id });
      }
      const setup = buildSetup(validation.input, { trustedPrincipalArn: trustedPrincipal });
      request.log.info({ capabilities: setup.capabilities.length, policies: setup.policies.length, attachment: setup.attachment }, 'setup generated');
      const accept = request.headers.accept ?? '';
      if (accept.includes('text/markdown') && !accept.includes('application/json')) {
        return reply.code(200).type('text/markdown; charset=utf-8').send(renderSetupMarkdown(setup));
      }
      return reply.code(200).send(setup);
    },
  );
};
