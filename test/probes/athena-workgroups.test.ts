// athena-workgroups: lists the account's workgroups, as query history does to find them.
import { describe, expect, it } from 'vitest';
import { athenaWorkgroups } from '../../src/probes/athena-workgroups.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

describe('athena-workgroups', () => {
  it('passes listing one page of workgroups', async () => {
    const run = await runProbe(athenaWorkgroups, { answers: { ListWorkGroupsCommand: () => ({ WorkGroups: [{ Name: 'primary' }, { Name: 'analytics' }] }) } });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: '2 workgroups on the first page' });
    expect(run.sent[0]!.input).toEqual({ MaxResults: 10 });
  });

  it('fails on a refusal of athena:ListWorkGroups', async () => {
    const run = await runProbe(athenaWorkgroups, { answers: { ListWorkGroupsCommand: () => Promise.reject(accessDenied('athena:ListWorkGroups')) } });
    expect(endedWith(run)).toBe('athena:ListWorkGroups permission');
  });
});
