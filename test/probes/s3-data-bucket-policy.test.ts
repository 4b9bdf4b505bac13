// s3-data-bucket-policy: a query reads a table's data as Athena's own request for the caller, so the
// data bucket's policy is judged for it as the output bucket's is for results.
import { describe, expect, it } from 'vitest';
import { s3DataBucketPolicy } from '../../src/probes/s3-data-bucket-policy.js';
import { endedWith, runProbe } from './fake-run.js';

const identity = { accountId: '123456789012', arn: 'arn:aws:iam::123456789012:user/analyst', userId: 'AIDA' };
const tableData = { table: 'sales.orders', bucket: 'acme-data-lake', prefix: 'sales/orders/' };
const policy = (condition: Record<string, unknown>) => ({
  GetBucketPolicyCommand: () => ({
    Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'CorporateNetwork', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-data-lake/*', Condition: condition }] }),
  }),
});

describe('s3-data-bucket-policy', () => {
  it("passes when the policy's deny cannot touch Athena's read (it names only another principal's address)", async () => {
    const run = await runProbe(s3DataBucketPolicy, { facts: { identity, tableData }, answers: policy({ NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' }, StringEquals: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:user/someone-else' } }) });
    expect(run).toMatchObject({ error: undefined, findings: [] });
  });

  it("refuses the table's data for Athena under a deny outside the company's address range", async () => {
    const run = await runProbe(s3DataBucketPolicy, { facts: { identity, tableData }, answers: policy({ NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }) });
    expect(endedWith(run)).toBe('s3:GetObject permission');
    expect(run.facts.athenaPaths?.data?.fix?.[0]?.Sid).toBe('CorporateNetwork');
  });

  it('is not applicable when no table data was read', async () => {
    const run = await runProbe(s3DataBucketPolicy, { facts: { identity }, answers: {} });
    expect(s3DataBucketPolicy.skipWhen!({ connection: {} as never, facts: run.facts })).toMatchObject({ reason: 'not-applicable' });
  });
});
