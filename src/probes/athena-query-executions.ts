import type { Probe } from './types.js';

export const athenaQueryExecutions: Probe = {
  id: 'athena-query-executions',
  service: 'athena',
  actions: ['athena:ListQueryExecutions'],
  informs: ['query-history'],
  resources: { 'athena:ListQueryExecutions': 'workgroup' },
  roles: { 'query-history': { core: ['athena:ListQueryExecutions'] } },
  async run(context) {
    const page = await context.send('athena:ListQueryExecutions', 'ListQueryExecutionsCommand', { WorkGroup: context.connection.workgroup, MaxResults: 5 });
    context.facts.queryExecutionId = page.QueryExecutionIds?.[0];
    return `${page.QueryExecutionIds?.length ?? 0} recent executions`;
  },
};
