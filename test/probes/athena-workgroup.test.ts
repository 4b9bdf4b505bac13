// athena-workgroup: the workgroup's configuration as facts, and what in it the customer should know.
import { describe, expect, it } from 'vitest';
import { athenaWorkgroup } from '../../src/probes/athena-workgroup.js';
import { awsError, endedWith, runProbe } from './fake-run.js';

const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1f0c2d3e';
const workgroup = (configuration: Record<string, unknown>, state = 'ENABLED') => ({ GetWorkGroupCommand: () => ({ WorkGroup: { Name: 'analytics', State: state, Configuration: configuration } }) });
const codes = (run: { findings: Array<{ code: string }> }) => run.findings.map((f) => f.code);

describe('athena-workgroup', () => {
  it('passes on an enabled workgroup without encryption, with no finding, and keeps its settings as facts', async () => {
    const run = await runProbe(athenaWorkgroup, {
      request: { athena: { workgroup: 'analytics' } },
      answers: workgroup({ ResultConfiguration: { OutputLocation: 's3://results/analytics/', AclConfiguration: { S3AclOption: 'BUCKET_OWNER_FULL_CONTROL' } } }),
    });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: 'ENABLED, output s3://results/analytics/' });
    expect(run.facts.workgroup).toEqual({ name: 'analytics', state: 'ENABLED', outputLocation: 's3://results/analytics/', enforced: false, acl: 'BUCKET_OWNER_FULL_CONTROL', managedResults: false });
  });

  it('finds WORKGROUP_NOT_FOUND when Athena says the workgroup is not found (an InvalidRequestException)', async () => {
    const run = await runProbe(athenaWorkgroup, {
      request: { athena: { workgroup: 'analytcs' } },
      answers: { GetWorkGroupCommand: () => Promise.reject(awsError('InvalidRequestException', 400, 'WorkGroup analytcs is not found.')) },
    });
    expect(endedWith(run)).toBe('athena:GetWorkGroup not-found');
    expect(run.findings).toEqual([
      { code: 'WORKGROUP_NOT_FOUND', severity: 'high', message: 'The Athena workgroup "analytcs" does not exist in eu-west-1.', remediation: 'Check the workgroup name and the region of the connection.', probe: 'athena-workgroup' },
    ]);
  });

  it('finds nothing when reading the workgroup is refused', async () => {
    const run = await runProbe(athenaWorkgroup, { answers: { GetWorkGroupCommand: () => Promise.reject(awsError('AccessDeniedException', 400)) } });
    expect(endedWith(run)).toBe('athena:GetWorkGroup permission');
    expect(run.findings).toEqual([]);
  });

  it('finds WORKGROUP_DISABLED, with the command that enables it', async () => {
    const run = await runProbe(athenaWorkgroup, { answers: workgroup({}, 'DISABLED') });
    expect(run.error).toBeUndefined();
    expect(run.findings).toEqual([
      {
        code: 'WORKGROUP_DISABLED',
        severity: 'high',
        message: 'The Athena workgroup "analytics" is disabled: every query in it is rejected.',
        remediation: 'Enable it, or use another workgroup: aws athena update-work-group --work-group analytics --state ENABLED',
        commands: ['aws athena update-work-group --work-group analytics --state ENABLED'],
        probe: 'athena-workgroup',
      },
    ]);
  });

  it('finds WORKGROUP_ENFORCED_LOCATION only when the enforced location differs from the connection\'s', async () => {
    const enforced = workgroup({ EnforceWorkGroupConfiguration: true, ResultConfiguration: { OutputLocation: 's3://wg-results/x' } });
    const other = await runProbe(athenaWorkgroup, { request: { athena: { outputLocation: 's3://mine/results/' } }, answers: enforced });
    expect(other.findings).toMatchObject([
      { code: 'WORKGROUP_ENFORCED_LOCATION', severity: 'medium', message: 'The workgroup "analytics" enforces its own output location s3://wg-results/x; results will not go to s3://mine/results/ as the connection says.' },
    ]);
    const same = await runProbe(athenaWorkgroup, { request: { athena: { outputLocation: 's3://wg-results/x/' } }, answers: enforced });
    expect(codes(same)).toEqual([]);
    const notEnforced = await runProbe(athenaWorkgroup, { request: { athena: { outputLocation: 's3://mine/results/' } }, answers: workgroup({ ResultConfiguration: { OutputLocation: 's3://wg-results/x' } }) });
    expect(codes(notEnforced)).toEqual([]);
  });

  it('finds WORKGROUP_ENCRYPTION for SSE_KMS and CSE_KMS, naming the key when the workgroup does, and not for SSE_S3', async () => {
    const sseKms = await runProbe(athenaWorkgroup, { answers: workgroup({ ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: KEY } } }) });
    expect(sseKms.findings).toEqual([
      {
        code: 'WORKGROUP_ENCRYPTION',
        severity: 'info',
        message: `The workgroup encrypts query results with SSE_KMS (key ${KEY}): the connection needs kms:GenerateDataKey and kms:Decrypt on that key.`,
        remediation: "Grant kms:GenerateDataKey and kms:Decrypt on the key to the connection's identity (identity policy and key policy).",
        probe: 'athena-workgroup',
      },
    ]);
    const cseKms = await runProbe(athenaWorkgroup, { answers: workgroup({ ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'CSE_KMS' } } }) });
    expect(cseKms.findings[0]!.message).toBe('The workgroup encrypts query results with CSE_KMS: the connection needs kms:GenerateDataKey and kms:Decrypt on that key.');
    const sseS3 = await runProbe(athenaWorkgroup, { answers: workgroup({ ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } } }) });
    expect(codes(sseS3)).toEqual([]);
  });
});
