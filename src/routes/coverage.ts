// POST /policy/coverage: which capabilities policy documents let a principal use, before any role
// exists and with no AWS call, judged by the evaluator the sandbox and the engine share.
import type { FastifyPluginAsync } from 'fastify';
import { UnauthorizedResponse, bodyAndRateResponses } from '../http/responses.js';
import { InvalidRequestSchema } from '../schemas/errors.js';
import { policyCoverage } from '../coverage/evaluate.js';
import { renderCoverageMarkdown } from '../coverage/render.js';
import { CoverageRequestSchema, validateCoverageRequest } from '../coverage/request.js';
import { CoverageAnswerSchema } from '../coverage/schema.js';

const schema = {
  summary: 'Which capabilities IAM policy documents cover: no AWS call',
  description: [
    'Judges identity policy documents (and a permissions boundary and SCPs, when given) against the requests the product makes for each capability,',
    'as AWS authorizes them: every resource Glue checks (the catalog and each ancestor), the condition keys the calls carry (s3:prefix, s3:x-amz-acl,',
    "kms:ViaService, aws:RequestedRegion) and Athena's forward access for the requests it makes for the caller. The connection fields are POST /preflight's.",
    '',
    'Each capability is `covered`, `partly` (an extended action refused) or `not-covered` (a core action refused), with what is refused, the statement',
    'that denies, the statements that grant what is missing (the report\'s remediation), and `dependsOn`: what decides it too and a policy document cannot show',
    '(resource policies, Lake Formation, key policies, SCPs not given, condition keys the documents test). `warnings` name statements that grant more than',
    'the capabilities need (S3 on every bucket, Glue writes, KMS on every key, actions nothing uses), with the narrower statements.',
    '',
    'Content negotiation (Accept): `application/json` (default) or `text/markdown`. A malformed policy is a 400 naming its element by JSON pointer.',
  ].join('\n'),
  operationId: 'policyCoverage',
  security: [{ apiKey: [] }],
  body: CoverageRequestSchema,
  response: {
    200: {
      description: 'Each capability\'s coverage, in the format Accept asks for',
      content: {
        'application/json': { schema: CoverageAnswerSchema },
        'text/markdown': { schema: { type: 'string', description: 'The same, rendered as Markdown' } },
      },
    },
    400: InvalidRequestSchema,
    401: UnauthorizedResponse,
    ...bodyAndRateResponses,
  },
};

export const coverageRoutes: FastifyPluginAsync = async (app) => {
  app.post(
    '/policy/coverage',
    {
      schema,
      // Validated by validateCoverageRequest: the preflight's rules for the shared fields, every bad element named.
      validatorCompiler: () => (value) => ({ value }),
    },
    async (request, reply) => {
      const validation = validateCoverageRequest(request.body);
      if (!validation.ok) return reply.code(400).send({ error: 'invalid_request', issues: validation.issues });
      const answer = policyCoverage(validation.input);
      request.log.info({ capabilities: answer.capabilities.length, notCovered: answer.capabilities.filter((c) => c.coverage !== 'covered').length, warnings: answer.warnings.length }, 'policy coverage');
      const accept = request.headers.accept ?? '';
      if (accept.includes('text/markdown') && !accept.includes('application/json')) {
        return reply.code(200).type('text/markdown; charset=utf-8').send(renderCoverageMarkdown(answer));
      }
      return reply.code(200).send(answer);
    },
  );
};
