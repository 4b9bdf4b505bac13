// sts-caller-identity: who the credentials are, and whether they reach the account the connection names.
import { describe, expect, it } from 'vitest';
import { stsCallerIdentity } from '../../src/probes/sts-caller-identity.js';
import { endedWith, runProbe } from './fake-run.js';

const identity = (Account: string) => ({ GetCallerIdentityCommand: () => ({ Account, Arn: `arn:aws:iam::${Account}:user/analyst`, UserId: 'AIDAEXAMPLE' }) });

describe('sts-caller-identity', () => {
  it('passes for the account the connection names, keeping the identity as a fact', async () => {
    const run = await runProbe(stsCallerIdentity, { answers: identity('123456789012') });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: 'arn:aws:iam::123456789012:user/analyst' });
    expect(run.facts.identity).toEqual({ accountId: '123456789012', arn: 'arn:aws:iam::123456789012:user/analyst', userId: 'AIDAEXAMPLE' });
  });

  it("finds ACCOUNT_MISMATCH for another account's credentials, and fails the connection on it", async () => {
    const run = await runProbe(stsCallerIdentity, { answers: identity('999999999999') });
    expect(endedWith(run)).toBe('sts:GetCallerIdentity config');
    expect(run.findings).toEqual([
      {
        code: 'ACCOUNT_MISMATCH',
        severity: 'high',
        message: 'The credentials belong to account 999999999999, not to 123456789012 as the connection says.',
        remediation: 'Use credentials of the account that holds the Glue catalog and Athena workgroup, or correct the account id.',
        probe: 'sts-caller-identity',
      },
    ]);
  });
});
