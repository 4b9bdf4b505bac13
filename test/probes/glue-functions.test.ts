// glue-functions: lists user-defined functions in a few databases and samples one.
import { describe, expect, it } from 'vitest';
import { glueFunctions } from '../../src/probes/glue-functions.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

describe('glue-functions', () => {
  it('passes listing the first three listed databases, and samples the first function found', async () => {
    const run = await runProbe(glueFunctions, {
      facts: { databases: ['a', 'b', 'c', 'd'] },
      answers: { GetUserDefinedFunctionsCommand: ({ DatabaseName }) => ({ UserDefinedFunctions: DatabaseName === 'b' ? [{ DatabaseName: 'b', FunctionName: 'mask_email' }] : [] }) },
    });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: 'found b.mask_email' });
    expect(run.facts.sampleFunction).toEqual({ database: 'b', name: 'mask_email' });
    expect(run.sent.map((s) => s.input.DatabaseName)).toEqual(['a', 'b', 'c']);
  });

  it('fails on a refusal of glue:GetUserDefinedFunctions', async () => {
    const run = await runProbe(glueFunctions, { request: { glue: { databases: ['sales'] } }, answers: { GetUserDefinedFunctionsCommand: () => Promise.reject(accessDenied('glue:GetUserDefinedFunctions')) } });
    expect(endedWith(run)).toBe('glue:GetUserDefinedFunctions permission');
    expect(run.facts.sampleFunction).toBeUndefined();
  });
});
