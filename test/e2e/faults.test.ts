// What AWS's network can do to a run, end to end over real HTTP: a run always ends by its deadline
// plus a small margin, whatever an endpoint does, and the service keeps counting it correctly.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { PreflightReport } from '../../src/preflight/types.js';
import { TEST_API_KEY, type Harness, sampleRequest, startHarness, statusOf } from '../support/service.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const withFaults = (faults: unknown[]) => ({ extends: 'full-access', name: 'faulty', description: 'full-access with injected faults', faults });

async function gauge(target: Harness, name: string): Promise<number> {
  const response = await target.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TEST_API_KEY}` } });
  const line = response.body.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

describe('a run under a hostile network', () => {
  it('ends when an S3 body stalls after its headers, and says the read timed out', async () => {
    harness = await startHarness(withFaults([{ service: 's3', operation: 'GetObject', stallBodyAfterBytes: 4 }]));
    const timeoutMs = 2000;
    const pending = harness.preflight(sampleRequest(harness.sandbox, { options: { timeoutMs } }));
    // The run's own deadline must end it; the race only stops this test from hanging on failure.
    const outcome = await Promise.race([pending, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), timeoutMs + 5000))]);
    expect(outcome).not.toBe('hung');
    const { status, body } = outcome as { status: number; body: PreflightReport };
    expect(status).toBe(200);
    expect(statusOf(body)['query-results']).toBe('unknown');
    const read = body.probes.find((p) => p.id === 's3-read')!;
    expect(read).toMatchObject({ outcome: 'error', error: { action: 's3:GetObject', category: 'timeout' } });
    expect(await gauge(harness, 'preflight_runs_in_flight')).toBe(0);
  });
});

const leftBehind = (target: Harness) =>
  [...target.sandbox.state.objects.values()].flatMap((objects) => [...objects.keys()]).filter((key) => key.includes('preflight-marker'));

async function until(condition: () => boolean | Promise<boolean>, what: string, limitMs = 8000): Promise<void> {
  for (const started = Date.now(); !(await condition()); ) {
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('clean-up on every path', () => {
  it('deletes a marker whose write S3 applied but never answered', async () => {
    harness = await startHarness(withFaults([{ service: 's3', operation: 'PutObject', hangAfterApplying: true }]));
    const { body } = await harness.preflight(sampleRequest(harness.sandbox, { options: { timeoutMs: 2000 } }));
    const report = body as PreflightReport;
    expect(report.probes.find((p) => p.id === 's3-put-marker')).toMatchObject({ outcome: 'error', error: { category: 'timeout' } });
    expect(report.probes.find((p) => p.id === 's3-delete-marker')).toMatchObject({ outcome: 'pass' });
    expect(leftBehind(harness)).toEqual([]);
  });

  // S3 received the whole write, but applies it late: a run that stops meanwhile must not delete
  // first (a delete of nothing passes) and leave the write to land after it.
  it('waits for a write S3 applies late before deleting the marker, when the run stops meanwhile', async () => {
    harness = await startHarness(withFaults([{ service: 's3', operation: 'PutObject', latencyMs: 1300 }]));
    const { body } = await harness.preflight(sampleRequest(harness.sandbox, { options: { timeoutMs: 1000 } }));
    const report = body as PreflightReport;
    expect(report.probes.find((p) => p.id === 's3-put-marker')).toMatchObject({ outcome: 'pass' });
    expect(report.probes.find((p) => p.id === 's3-delete-marker')).toMatchObject({ outcome: 'pass' });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(leftBehind(harness)).toEqual([]);
    expect(report.findings.map((f) => f.code)).not.toContain('MARKER_NOT_DELETED');
  });

  it('says the marker may be left when S3 answers its write only after the run has given up on it', async () => {
    harness = await startHarness(withFaults([{ service: 's3', operation: 'PutObject', latencyMs: 2600 }]));
    const { body } = await harness.preflight(sampleRequest(harness.sandbox, { options: { timeoutMs: 1000 } }));
    const report = body as PreflightReport;
    const finding = report.findings.find((f) => f.code === 'MARKER_NOT_DELETED')!;
    expect(finding.message).toMatch(/may be left: its write had not been answered/);
    expect(finding.commands![0]).toMatch(/^aws s3api delete-object --bucket \S+ --key \S+preflight-marker-/);
  });

  it('aborts an upload whose start S3 answers late, when the run stops meanwhile', async () => {
    harness = await startHarness(withFaults([{ service: 's3', operation: 'CreateMultipartUpload', latencyMs: 1300 }]));
    const { body } = await harness.preflight(sampleRequest(harness.sandbox, { options: { timeoutMs: 1000 } }));
    const report = body as PreflightReport;
    expect(report.probes.find((p) => p.id === 's3-multipart')).toMatchObject({ outcome: 'pass' });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(harness.sandbox.state.multipartUploads.size).toBe(0);
  });

  it('finds and aborts an upload whose start was never answered, by listing under its own key', async () => {
    harness = await startHarness(withFaults([{ service: 's3', operation: 'CreateMultipartUpload', hangAfterApplying: true }]));
    const { body } = await harness.preflight(sampleRequest(harness.sandbox, { options: { timeoutMs: 1000 } }));
    const report = body as PreflightReport;
    expect(report.probes.find((p) => p.id === 's3-multipart')).toMatchObject({ outcome: 'error', error: { category: 'timeout' } });
    expect(harness.sandbox.state.multipartUploads.size).toBe(0);
    expect(report.findings.map((f) => f.code)).not.toContain('MULTIPART_UPLOAD_NOT_ABORTED');
  });

  it('logs what it could not clean up, with the command that removes it, even when the client read the report', async () => {
    const lines: Array<{ level: number; msg: string; leftBehind?: Array<{ code: string; commands: string[] }> }> = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (chunk.toString().split('\n').filter(Boolean).forEach((line: string) => lines.push(JSON.parse(line))), done()) });
    harness = await startHarness(withFaults([{ service: 's3', operation: 'DeleteObject', hang: true }]), { logger: pino({ level: 'info' }, sink) });
    const { body } = await harness.preflight(sampleRequest(harness.sandbox, { options: { timeoutMs: 1000 } }));
    const finding = (body as PreflightReport).findings.find((f) => f.code === 'MARKER_NOT_DELETED')!;
    const line = lines.find((l) => l.msg === 'objects the run could not clean up')!;
    expect(line.level).toBe(40);
    expect(line.leftBehind).toEqual([{ code: 'MARKER_NOT_DELETED', message: finding.message, commands: finding.commands }]);
  });

  it('deletes the marker and aborts the upload when the client disconnects mid-run', async () => {
    // The read hangs, so the run is still going when the client leaves; marker and upload exist by then.
    harness = await startHarness(withFaults([{ service: 's3', operation: 'GetObject', hang: true }]));
    const target = harness;
    const address = await target.app.listen({ host: '127.0.0.1', port: 0 });
    const client = new AbortController();
    const sent = fetch(`${address}/preflight`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(sampleRequest(target.sandbox, { options: { timeoutMs: 20_000 } })),
      signal: client.signal,
    }).catch((error: Error) => error.name);
    await until(() => leftBehind(target).length === 1 && target.sandbox.state.multipartUploads.size === 0, 'the marker written and the upload aborted');
    client.abort();
    expect(await sent).toBe('AbortError');
    await until(async () => (await gauge(target, 'preflight_runs_in_flight')) === 0, 'the run to end');
    expect(leftBehind(target)).toEqual([]);
    expect(target.sandbox.state.multipartUploads.size).toBe(0);
  });
});
