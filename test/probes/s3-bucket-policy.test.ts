// s3-bucket-policy: Athena's own requests judged against the output bucket's policy. A policy that
// admits only the company's VPC endpoint passes our own write and refuses Athena's, which carries
// aws:CalledVia athena.amazonaws.com and no aws:SourceVpce (Athena User Guide, "Control access to
// Amazon S3 from Athena").
import { describe, expect, it } from 'vitest';
import { s3BucketPolicy } from '../../src/probes/s3-bucket-policy.js';
import { awsError, endedWith, runProbe } from './fake-run.js';

const request = { athena: { outputLocation: 's3://acme-results/athena/' } };
const identity = { accountId: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/Reader/s1', userId: 'AROA' };
const VPCE_ONLY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'OnlyThroughOurEndpoint',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::acme-results', 'arn:aws:s3:::acme-results/*'],
      Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } },
    },
  ],
};
const policyAnswer = (policy: unknown) => ({ GetBucketPolicyCommand: () => ({ Policy: JSON.stringify(policy) }) });

describe('s3-bucket-policy', () => {
  it("passes a policy that admits Athena's requests: none at all, or one with AWS's exception for Athena", async () => {
    const none = await runProbe(s3BucketPolicy, { request, facts: { identity }, answers: { GetBucketPolicyCommand: () => Promise.reject(awsError('NoSuchBucketPolicy', 404)) } });
    expect(none).toMatchObject({ error: undefined, findings: [] });
    const excepted = structuredClone(VPCE_ONLY) as { Statement: Array<{ Condition: Record<string, unknown> }> };
    excepted.Statement[0]!.Condition['ForAllValues:StringNotEquals'] = { 'aws:CalledVia': ['athena.amazonaws.com'] };
    const run = await runProbe(s3BucketPolicy, { request, facts: { identity }, answers: policyAnswer(excepted) });
    expect(run.error).toBeUndefined();
    expect(run.facts.athenaPaths?.results).toEqual({ bucket: 'acme-results' });
  });

  it('refuses for Athena what a VPC-endpoint-only policy refuses it, naming the statement, with the statement to merge', async () => {
    const run = await runProbe(s3BucketPolicy, { request, facts: { identity }, answers: policyAnswer(VPCE_ONLY) });
    expect(endedWith(run)).toBe('s3:PutObject permission');
    expect(run.evidence.get('s3:PutObject')).toMatchObject({ state: 'failed', error: { code: 'AthenaRequestDenied', deniedBy: { policyType: 'resource', explicit: true } } });
    expect((run.evidence.get('s3:GetObject') as { error: { message: string } }).error.message).toContain('"OnlyThroughOurEndpoint" (Deny, on aws:SourceVpce)');
    const [fixed] = run.facts.athenaPaths!.results!.fix!;
    expect(fixed!.Condition).toEqual({ StringNotEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' }, 'ForAllValues:StringNotEquals': { 'aws:CalledVia': ['athena.amazonaws.com'] } });
  });

  it("says Athena's path went unproven when the policy cannot be read (403, or 405 outside the owner's account)", async () => {
    for (const [code, status, why] of [
      ['AccessDenied', 403, 's3:GetBucketPolicy was refused (AccessDenied)'],
      ['MethodNotAllowed', 405, "S3 lets only the bucket owner's account read its policy (405)"],
    ] as const) {
      const run = await runProbe(s3BucketPolicy, { request, facts: { identity }, answers: { GetBucketPolicyCommand: () => Promise.reject(awsError(code, status)) } });
      expect(run.facts.athenaPaths?.results?.unproven).toEqual({ code, why });
      expect(run.findings).toMatchObject([{ code: 'ATHENA_PATH_UNPROVEN', severity: 'info', remediation: expect.stringContaining('s3:GetBucketPolicy on arn:aws:s3:::acme-results') }]);
    }
  });
});
