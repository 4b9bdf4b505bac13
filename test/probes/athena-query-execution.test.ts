// athena-query-execution: describes the sampled query execution, as query history does.
import { describe, expect, it } from 'vitest';
import { athenaQueryExecution } from '../../src/probes/athena-query-execution.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

const facts = { queryExecutionId: 'qe-1' };

describe('athena-query-execution', () => {
  it('passes describing the sampled execution, by its id', async () => {
    const run = await runProbe(athenaQueryExecution, { facts: { ...facts }, answers: { GetQueryExecutionCommand: () => ({ QueryExecution: { QueryExecutionId: 'qe-1' } }) } });
    expect(run).toMatchObject({ error: undefined, findings: [] });
    expect(run.sent).toEqual([{ command: 'GetQueryExecutionCommand', input: { QueryExecutionId: 'qe-1' } }]);
  });

  it('fails on a refusal of athena:GetQueryExecution', async () => {
    const run = await runProbe(athenaQueryExecution, { facts: { ...facts }, answers: { GetQueryExecutionCommand: () => Promise.reject(accessDenied('athena:GetQueryExecution')) } });
    expect(endedWith(run)).toBe('athena:GetQueryExecution permission');
  });
});
