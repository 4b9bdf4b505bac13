import type { Probe } from './types.js';

export const athenaQueryExecution: Probe = {
  id: 'athena-query-execution',
  service: 'athena',
  actions: ['athena:GetQueryExecution'],
  informs: ['query-history'],
  resources: { 'athena:GetQueryExecution': 'workgroup' },
  roles: { 'query-history': { extended: ['athena:GetQueryExecution'] } },
  needs: ['athena-query-executions'],
  skipWhen: ({ facts }) => (facts.queryExecutionId ? undefined : { reason: 'no-sample', detail: 'the workgroup has no query execution yet' }),
  async run(context) {
    await context.send('athena:GetQueryExecution', 'GetQueryExecutionCommand', { QueryExecutionId: context.facts.queryExecutionId! });
  },
};
