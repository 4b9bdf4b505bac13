// s3-multipart: an upload started and aborted; one left open is a finding naming it.
import { describe, expect, it } from 'vitest';
import { s3Multipart } from '../../src/probes/s3-multipart.js';
import { awsError, endedWith, runProbe } from './fake-run.js';

const output = { athena: { outputLocation: 's3://acme-results/athena/' } };
const KEY = 'athena/preflight-multipart-run000000001.txt';

describe('s3-multipart', () => {
  it('starts and aborts an upload, with no finding', async () => {
    const run = await runProbe(s3Multipart, { request: output, answers: { CreateMultipartUploadCommand: () => ({ UploadId: 'up-1' }), AbortMultipartUploadCommand: () => ({}) } });
    expect(run).toMatchObject({ error: undefined, findings: [] });
    expect(run.sent.map((s) => s.command)).toEqual(['CreateMultipartUploadCommand', 'AbortMultipartUploadCommand']);
    expect(run.sent[1]!.input).toMatchObject({ Bucket: 'acme-results', Key: KEY, UploadId: 'up-1' });
  });

  it('finds MULTIPART_UPLOAD_NOT_ABORTED with the command that aborts it by hand', async () => {
    const run = await runProbe(s3Multipart, {
      request: output,
      answers: { CreateMultipartUploadCommand: () => ({ UploadId: 'up-1' }), AbortMultipartUploadCommand: () => Promise.reject(awsError('AccessDenied', 403)) },
    });
    expect(endedWith(run)).toBe('s3:AbortMultipartUpload permission');
    expect(run.findings).toEqual([
      {
        code: 'MULTIPART_UPLOAD_NOT_ABORTED',
        severity: 'low',
        message: `The multipart upload up-1 to s3://acme-results/${KEY} could not be aborted (AccessDenied).`,
        remediation: `Abort it by hand: aws s3api abort-multipart-upload --bucket acme-results --key ${KEY} --upload-id up-1`,
        commands: [`aws s3api abort-multipart-upload --bucket acme-results --key ${KEY} --upload-id up-1`],
        probe: 's3-multipart',
      },
    ]);
  });
});
