import { CONNECTION_GATE } from './support.js';
import type { ProbeDefinition } from './types.js';

export const athenaQueryExecutions: ProbeDefinition = {
  id: 'athena-query-executions',
  service: 'athena',
  actions: ['athena:ListQueryExecutions'],
  informs: ['query-history'],
  dependsOn: CONNECTION_GATE,
  async run(context) {
    const { ListQueryExecutionsCommand } = await context.sdk('athena');
    const athena = await context.client('athena');
    const page = await context.call('athena:ListQueryExecutions', (abortSignal) =>
      athena.send(new ListQueryExecutionsCommand({ WorkGroup: context.connection.workgroup, MaxResults: 5 }), { abortSignal }),
    );
    context.facts.queryExecutionId = page.QueryExecutionIds?.[0];
    return `${page.QueryExecutionIds?.length ?? 0} recent executions`;
  },
};
