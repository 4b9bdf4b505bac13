// athena-batch-query-execution: reads the sampled query execution in a batch, as query history does.
import { describe, expect, it } from 'vitest';
import { athenaBatchQueryExecution } from '../../src/probes/athena-batch-query-execution.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

const facts = { queryExecutionId: 'qe-1' };

describe('athena-batch-query-execution', () => {
  it('passes reading the sampled execution, by its id', async () => {
    const run = await runProbe(athenaBatchQueryExecution, { facts: { ...facts }, answers: { BatchGetQueryExecutionCommand: () => ({ QueryExecutions: [{ QueryExecutionId: 'qe-1' }] }) } });
    expect(run).toMatchObject({ error: undefined, findings: [] });
    expect(run.sent).toEqual([{ command: 'BatchGetQueryExecutionCommand', input: { QueryExecutionIds: ['qe-1'] } }]);
    expect(run.evidence.get('athena:BatchGetQueryExecution')).toMatchObject({ state: 'granted' });
  });

  it('fails on a refusal of athena:BatchGetQueryExecution', async () => {
    const run = await runProbe(athenaBatchQueryExecution, { facts: { ...facts }, answers: { BatchGetQueryExecutionCommand: () => Promise.reject(accessDenied('athena:BatchGetQueryExecution')) } });
    expect(endedWith(run)).toBe('athena:BatchGetQueryExecution permission');
    expect(run.evidence.get('athena:BatchGetQueryExecution')).toMatchObject({ state: 'failed' });
  });
});
