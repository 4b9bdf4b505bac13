// athena-query-executions: lists the workgroup's recent executions and keeps the first as the sample.
import { describe, expect, it } from 'vitest';
import { athenaQueryExecutions } from '../../src/probes/athena-query-executions.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

describe('athena-query-executions', () => {
  it("passes listing the connection's workgroup, and samples its first execution", async () => {
    const run = await runProbe(athenaQueryExecutions, {
      request: { athena: { workgroup: 'analytics' } },
      answers: { ListQueryExecutionsCommand: () => ({ QueryExecutionIds: ['qe-1', 'qe-2'] }) },
    });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: '2 recent executions' });
    expect(run.facts.queryExecutionId).toBe('qe-1');
    expect(run.sent[0]!.input).toEqual({ WorkGroup: 'analytics', MaxResults: 5 });
  });

  it('fails on a refusal of athena:ListQueryExecutions, sampling nothing', async () => {
    const run = await runProbe(athenaQueryExecutions, { answers: { ListQueryExecutionsCommand: () => Promise.reject(accessDenied('athena:ListQueryExecutions')) } });
    expect(endedWith(run)).toBe('athena:ListQueryExecutions permission');
    expect(run.facts.queryExecutionId).toBeUndefined();
  });
});
