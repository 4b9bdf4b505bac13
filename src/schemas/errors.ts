// The service's refusals and failures, as every route answers them.
import Type from 'typebox';

export const InvalidRequestSchema = Type.Object(
  {
    error: Type.Literal('invalid_request'),
    issues: Type.Array(Type.Object({ path: Type.String({ description: 'JSON pointer of the offending field' }), message: Type.String() })),
  },
  { $id: 'InvalidRequest' },
);

export const ErrorSchema = Type.Object({ error: Type.String(), message: Type.String(), requestId: Type.Optional(Type.String()) }, { $id: 'Error' });
