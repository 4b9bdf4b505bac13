// sts-external-id: the confused-deputy check, by assuming the role once more without the external ID.
import { describe, expect, it } from 'vitest';
import { stsExternalId } from '../../src/probes/sts-external-id.js';
import { awsError, runProbe } from './fake-run.js';

const ROLE = 'arn:aws:iam::123456789012:role/PreflightReadOnly';
const request = { credentials: { type: 'role' as const, roleArn: ROLE, externalId: 'acme-7f3c2a' } };

describe('sts-external-id', () => {
  it('passes, with no finding, when the role refuses a session without the external ID', async () => {
    const run = await runProbe(stsExternalId, { request, answers: { AssumeRoleCommand: () => Promise.reject(awsError('AccessDenied', 403)) } });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: 'refused without the external ID: enforced' });
    expect(run.sent[0]!.input).not.toHaveProperty('ExternalId');
  });

  it('finds EXTERNAL_ID_NOT_ENFORCED when the role can be assumed without it', async () => {
    const run = await runProbe(stsExternalId, { request, answers: { AssumeRoleCommand: () => ({ Credentials: {} }) } });
    expect(run.detail).toBe('assumed without the external ID: not enforced');
    expect(run.findings).toEqual([
      {
        code: 'EXTERNAL_ID_NOT_ENFORCED',
        severity: 'high',
        message: `The role ${ROLE} can be assumed without an external ID: any customer of the service could name this role and reach your account (the confused-deputy problem).`,
        remediation: 'Add a condition to the role trust policy: "Condition": {"StringEquals": {"sts:ExternalId": "<your external ID>"}}.',
        probe: 'sts-external-id',
      },
    ]);
  });
});
