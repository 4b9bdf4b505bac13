import type { ProbeDefinition } from './types.js';

export const athenaQueryExecution: ProbeDefinition = {
  id: 'athena-query-execution',
  service: 'athena',
  actions: ['athena:GetQueryExecution'],
  informs: ['query-history'],
  dependsOn: ['athena-query-executions'],
  requires: ['athena-query-executions'],
  skipUnless: ({ facts }) => (facts.queryExecutionId ? undefined : { reason: 'no-sample', detail: 'the workgroup has no query execution yet' }),
  async run(context) {
    const { GetQueryExecutionCommand } = await context.sdk('athena');
    const athena = await context.client('athena');
    await context.call('athena:GetQueryExecution', (abortSignal) =>
      athena.send(new GetQueryExecutionCommand({ QueryExecutionId: context.facts.queryExecutionId! }), { abortSignal }),
    );
  },
};
