import type { Probe } from './types.js';

export const athenaBatchQueryExecution: Probe = {
  id: 'athena-batch-query-execution',
  service: 'athena',
  actions: ['athena:BatchGetQueryExecution'],
  informs: ['query-history'],
  resources: { 'athena:BatchGetQueryExecution': 'workgroup' },
  roles: { 'query-history': { core: ['athena:BatchGetQueryExecution'] } },
  needs: ['athena-query-executions'],
  skipWhen: ({ facts }) => (facts.queryExecutionId ? undefined : { reason: 'no-sample', detail: 'the workgroup has no query execution yet' }),
  async run(context) {
    await context.send('athena:BatchGetQueryExecution', 'BatchGetQueryExecutionCommand', { QueryExecutionIds: [context.facts.queryExecutionId!] });
  },
};
