import type { ProbeDefinition } from './types.js';

export const athenaBatchQueryExecution: ProbeDefinition = {
  id: 'athena-batch-query-execution',
  service: 'athena',
  actions: ['athena:BatchGetQueryExecution'],
  informs: ['query-history'],
  dependsOn: ['athena-query-executions'],
  requires: ['athena-query-executions'],
  skipUnless: ({ facts }) => (facts.queryExecutionId ? undefined : { reason: 'no-sample', detail: 'the workgroup has no query execution yet' }),
  async run(context) {
    const { BatchGetQueryExecutionCommand } = await context.sdk('athena');
    const athena = await context.client('athena');
    await context.call('athena:BatchGetQueryExecution', (abortSignal) =>
      athena.send(new BatchGetQueryExecutionCommand({ QueryExecutionIds: [context.facts.queryExecutionId!] }), { abortSignal }),
    );
  },
};
