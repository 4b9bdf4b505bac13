import { runQuery } from './query.js';
import type { ProbeDefinition } from './types.js';

/** The one probe that costs the customer money: a `SELECT 1`, only with options.runQuery. */
export const athenaQuery: ProbeDefinition = {
  id: 'athena-query',
  service: 'athena',
  actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'],
  informs: ['query-execution'],
  dependsOn: ['athena-workgroup'],
  requires: ['sts-caller-identity'],
  skipUnless: ({ connection }) => (connection.runQuery ? undefined : { reason: 'disabled-by-option', detail: 'options.runQuery is false' }),
  async run(context) {
    const { queryExecutionId, rows } = await runQuery(context, 'SELECT 1');
    return `query ${queryExecutionId} returned ${rows} rows`;
  },
};
