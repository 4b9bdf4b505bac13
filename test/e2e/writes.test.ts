// A run touches only what its requested capabilities need: over real HTTP against the sandbox,
// counting every S3 write the sandbox applies (an object stored, a multipart upload started).
// Checking the catalog or a table's data writes nothing to the results bucket; checking the
// results location does (the marker, a multipart upload), which shows the count sees writes.
import { afterAll, describe, expect, it } from 'vitest';
import type { PreflightReport } from '../../src/preflight/types.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import type { StoredObject } from '../../src/sandbox/state.js';
import { type Harness, sampleRequest, startHarness, statusOf } from '../support/service.js';

const harnesses: Harness[] = [];
afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
});

/** Every write the sandbox's S3 applies from now on, as `bucket/key` (a started upload as `upload bucket/key`). */
function countWrites(sandbox: Sandbox): string[] {
  const writes: string[] = [];
  const watch = (bucket: string, objects: Map<string, StoredObject>) => {
    const set = objects.set.bind(objects);
    objects.set = (key, object) => {
      writes.push(`${bucket}/${key}`);
      return set(key, object);
    };
    return objects;
  };
  const { objects, multipartUploads } = sandbox.state;
  for (const [bucket, stored] of objects) watch(bucket, stored);
  // A bucket that held nothing gets its map on the first write.
  const setBucket = objects.set.bind(objects);
  objects.set = (bucket, stored) => setBucket(bucket, watch(bucket, stored));
  const setUpload = multipartUploads.set.bind(multipartUploads);
  multipartUploads.set = (id, upload) => {
    writes.push(`upload ${upload.bucket}/${upload.key}`);
    return setUpload(id, upload);
  };
  return writes;
}

async function runCounting(capabilities: string[]): Promise<{ report: PreflightReport; writes: string[] }> {
  const harness = await startHarness('full-access');
  harnesses.push(harness);
  const writes = countWrites(harness.sandbox);
  const response = await harness.preflight(sampleRequest(harness.sandbox, { capabilities, required: ['connection'] }));
  expect(response.status).toBe(200);
  return { report: response.body as PreflightReport, writes };
}

describe('what a run writes to S3', () => {
  it('writes nothing for metadata alone', async () => {
    const { report, writes } = await runCounting(['metadata']);
    expect(statusOf(report).metadata).toBe('ok');
    expect(writes).toEqual([]);
    expect(report.probes.filter((p) => ['s3-put-marker', 's3-multipart', 's3-delete-marker'].includes(p.id)).map((p) => p.skipReason)).toEqual(['not-requested', 'not-requested', 'not-requested']);
  });

  it('writes nothing for table data alone', async () => {
    const { report, writes } = await runCounting(['table-data']);
    expect(statusOf(report)['table-data']).toBe('ok');
    expect(writes).toEqual([]);
  });

  it('writes its marker and starts a multipart upload when the results location is asked for', async () => {
    const { report, writes } = await runCounting(['query-results']);
    expect(statusOf(report)['query-results']).toBe('ok');
    expect(writes.filter((w) => w.includes('preflight-marker-'))).toHaveLength(1);
    expect(writes.filter((w) => w.startsWith('upload ') && w.includes('preflight-multipart-'))).toHaveLength(1);
  });
});
