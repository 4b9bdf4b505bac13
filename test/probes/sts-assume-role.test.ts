// sts-assume-role: the service's identity assumes the customer's role; a refusal is answered with
// the trust policy to give the role.
import { describe, expect, it } from 'vitest';
import { EXTERNAL_ID_PLACEHOLDER, SERVICE_PRINCIPAL_PLACEHOLDER } from '../../src/catalogue/remediation.js';
import { stsAssumeRole } from '../../src/probes/sts-assume-role.js';
import { awsError, endedWith, runProbe } from './fake-run.js';

const ROLE = 'arn:aws:iam::123456789012:role/PreflightReadOnly';
const role = (externalId?: string) => ({ credentials: { type: 'role' as const, roleArn: ROLE, ...(externalId ? { externalId } : {}) } });
const assumed = { AssumeRoleCommand: () => ({ Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token' }, AssumedRoleUser: { Arn: 'arn:aws:sts::123456789012:assumed-role/PreflightReadOnly/preflight' } }) };
const refused = () => Promise.reject(awsError('AccessDenied', 403, 'User: arn:aws:sts::999999999999:assumed-role/PreflightService/i-0abc is not authorized to perform: sts:AssumeRole'));

describe('sts-assume-role', () => {
  it('assumes the role with the external ID, with no finding', async () => {
    const run = await runProbe(stsAssumeRole, { request: role('acme-7f3c2a'), answers: assumed });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: 'assumed as arn:aws:sts::123456789012:assumed-role/PreflightReadOnly/preflight' });
    expect(run.sent[0]!.input).toMatchObject({ RoleArn: ROLE, ExternalId: 'acme-7f3c2a', RoleSessionName: 'preflight-run000000001' });
  });

  it('finds EXTERNAL_ID_NOT_GIVEN for a role given without an external ID', async () => {
    const run = await runProbe(stsAssumeRole, { request: role(), answers: assumed });
    expect(run.error).toBeUndefined();
    expect(run.findings).toEqual([
      {
        code: 'EXTERNAL_ID_NOT_GIVEN',
        severity: 'medium',
        message: "No external ID was given for the role: nothing distinguishes this customer's requests from another's naming the same role (the confused-deputy problem).",
        remediation: 'Require an external ID in the role\'s trust policy ("Condition": {"StringEquals": {"sts:ExternalId": "<id>"}}) and give it in the connection.',
        probe: 'sts-assume-role',
      },
    ]);
  });

  it("finds ASSUME_ROLE_DENIED naming the service's role, with its trust policy and, from a session, the path caveat", async () => {
    const run = await runProbe(stsAssumeRole, {
      request: role('acme-7f3c2a'),
      answers: { AssumeRoleCommand: refused, GetCallerIdentityCommand: () => ({ Arn: 'arn:aws:sts::999999999999:assumed-role/PreflightService/i-0abc' }) },
    });
    expect(endedWith(run)).toBe('sts:AssumeRole permission');
    expect(run.facts.servicePrincipalArn).toBe('arn:aws:iam::999999999999:role/PreflightService');
    const [finding] = run.findings;
    expect(finding).toMatchObject({ code: 'ASSUME_ROLE_DENIED', severity: 'high', probe: 'sts-assume-role' });
    expect(finding!.message).toBe(
      `The service (arn:aws:iam::999999999999:role/PreflightService) could not assume ${ROLE}: the role does not exist, its trust policy does not name the service, or the external ID does not match.`,
    );
    expect(finding!.remediation).toContain(`with your external ID in place of ${EXTERNAL_ID_PLACEHOLDER}: {"Version":"2012-10-17"`);
    expect(finding!.remediation).toContain('"AWS":"arn:aws:iam::999999999999:role/PreflightService"');
    expect(finding!.remediation).toMatch(/If the service's role has a path, write it into the ARN/);
    expect(finding!.remediation).not.toContain('acme-7f3c2a');
  });

  it("leaves a placeholder for the service's principal when its identity cannot be read, and no path caveat for a user", async () => {
    const unread = await runProbe(stsAssumeRole, { request: role('acme-7f3c2a'), answers: { AssumeRoleCommand: refused, GetCallerIdentityCommand: () => Promise.reject(awsError('AccessDenied', 403)) } });
    expect(unread.findings[0]!.message).toMatch(/^The service \(its principal could not be read\) could not assume/);
    expect(unread.findings[0]!.remediation).toContain(SERVICE_PRINCIPAL_PLACEHOLDER);
    expect(unread.facts.servicePrincipalArn).toBeUndefined();
    const user = await runProbe(stsAssumeRole, { request: role('acme-7f3c2a'), answers: { AssumeRoleCommand: refused, GetCallerIdentityCommand: () => ({ Arn: 'arn:aws:iam::999999999999:user/preflight-service' }) } });
    expect(user.findings[0]!.remediation).toContain('"AWS":"arn:aws:iam::999999999999:user/preflight-service"');
    expect(user.findings[0]!.remediation).not.toMatch(/path/);
  });
});
