// s3-delete-marker: one marker left behind is a finding naming it.
import { describe, expect, it } from 'vitest';
import { s3DeleteMarker } from '../../src/probes/s3-delete-marker.js';
import { awsError, endedWith, runProbe } from './fake-run.js';

const output = { athena: { outputLocation: 's3://acme-results/athena/' } };
const facts = { markerKey: 'athena/preflight-marker-run000000001.txt' };

describe('s3-delete-marker', () => {
  it('deletes the marker, with no finding', async () => {
    const run = await runProbe(s3DeleteMarker, { request: output, facts, answers: { DeleteObjectCommand: () => ({}) } });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: 'deleted s3://acme-results/athena/preflight-marker-run000000001.txt' });
  });

  it('finds MARKER_NOT_DELETED with the refusal and the command to delete it by hand', async () => {
    const run = await runProbe(s3DeleteMarker, { request: output, facts, answers: { DeleteObjectCommand: () => Promise.reject(awsError('AccessDenied', 403)) } });
    expect(endedWith(run)).toBe('s3:DeleteObject permission');
    expect(run.findings).toEqual([
      {
        code: 'MARKER_NOT_DELETED',
        severity: 'low',
        message: 'The marker object s3://acme-results/athena/preflight-marker-run000000001.txt could not be deleted (AccessDenied).',
        remediation: 'Delete it by hand: aws s3api delete-object --bucket acme-results --key athena/preflight-marker-run000000001.txt',
        commands: ['aws s3api delete-object --bucket acme-results --key athena/preflight-marker-run000000001.txt'],
        probe: 's3-delete-marker',
      },
    ]);
  });
});
