// glue-function: describes the sampled user-defined function.
import { describe, expect, it } from 'vitest';
import { glueFunction } from '../../src/probes/glue-function.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

const facts = { sampleFunction: { database: 'sales', name: 'mask_email' } };

describe('glue-function', () => {
  it('passes describing the sampled function', async () => {
    const run = await runProbe(glueFunction, { facts: { ...facts }, answers: { GetUserDefinedFunctionCommand: () => ({ UserDefinedFunction: { FunctionName: 'mask_email' } }) } });
    expect(run).toMatchObject({ error: undefined, findings: [] });
    expect(run.sent[0]!.input).toEqual({ CatalogId: '123456789012', DatabaseName: 'sales', FunctionName: 'mask_email' });
  });

  it('fails on a refusal of glue:GetUserDefinedFunction', async () => {
    const run = await runProbe(glueFunction, { facts: { ...facts }, answers: { GetUserDefinedFunctionCommand: () => Promise.reject(accessDenied('glue:GetUserDefinedFunction')) } });
    expect(endedWith(run)).toBe('glue:GetUserDefinedFunction permission');
  });
});
