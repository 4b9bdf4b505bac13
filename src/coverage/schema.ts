// POST /policy/coverage's answer as a schema: the source of openapi.yaml and, for responses, an
// allow-list. Its enums come from the lists the answer's types are built from.
import Type, { type Static } from 'typebox';
import { CAPABILITY_IDS } from '../catalogue/capabilities.js';
import { PolicyDocument } from '../schemas/report.js';
import { COVERAGE_LEVELS, type CoverageAnswer, REQUESTERS, WARNING_CODES } from './types.js';

const literals = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
const Statement = PolicyDocument.properties.Statement.items;

const StatementRef = Type.Object(
  {
    pointer: Type.String({ description: 'JSON pointer of the statement (or the document) in the request, such as /policies/0/Statement/2' }),
    sid: Type.Optional(Type.String()),
  },
  { description: 'A statement of the request' },
);

const Denial = Type.Object({
  policyType: literals(['identity', 'boundary', 'scp'] as const),
  explicit: Type.Boolean(),
  statement: Type.Optional(StatementRef),
});

export const CoverageAnswerSchema = Type.Object(
  {
    region: Type.String(),
    accountId: Type.String(),
    capabilities: Type.Array(
      Type.Object({
        id: literals(CAPABILITY_IDS),
        title: Type.String(),
        required: Type.Boolean(),
        coverage: literals(COVERAGE_LEVELS),
        missingActions: Type.Array(Type.String(), { description: 'Actions refused on at least one resource the calls need' }),
        notGranted: Type.Array(
          Type.Object({
            action: Type.String(),
            resource: Type.String({ description: 'As AWS checks it; `*` in a name means every one (a database, a bucket, a key not named in the request)' }),
            by: literals(REQUESTERS),
            deniedBy: Denial,
          }),
          { description: 'Each request refused: by whom it is made (the product, Athena for the caller, S3 asking KMS for the caller)' },
        ),
        deniedBy: Type.Optional(Denial),
        remediation: Type.Optional(Type.Object({ summary: Type.String(), statements: Type.Array(Statement) })),
        appliesWhen: Type.Optional(Type.String({ description: 'Where the capability is needed only in some accounts: when' })),
        dependsOn: Type.Array(Type.String(), { description: 'What decides the capability too that the documents cannot show' }),
      }),
    ),
    warnings: Type.Array(
      Type.Object({
        code: literals(WARNING_CODES),
        message: Type.String(),
        statement: Type.Optional(StatementRef),
        narrower: Type.Optional(Type.Array(Statement, { description: 'What the capabilities need instead' })),
      }),
      { description: 'Statements that grant more than the capabilities asked for need' },
    ),
  },
  { $id: 'Coverage', description: "Which capabilities the policy documents let a principal use: a claim about these documents, never a preflight" },
);

// Everything the evaluator answers is declared here, or the allow-list would drop it.
type Assert<T extends true> = T;
export type CoverageMatchesSchema = Assert<CoverageAnswer extends Static<typeof CoverageAnswerSchema> ? true : false>;
