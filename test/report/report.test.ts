// The table and the Markdown say why a capability is not ok (AWS's code and the report's words)
// and its fix, as the JSON does: on reports of real runs against the sandbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreflightReport } from '../../src/preflight/types.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTable } from '../../src/report/text.js';
import { type Harness, sampleRequest, startHarness } from '../support/service.js';

let harness: Harness;
let invalidKey: PreflightReport;
let degraded: PreflightReport;

beforeAll(async () => {
  harness = await startHarness('coalesce-glue-athena');
  degraded = (await harness.preflight(sampleRequest(harness.sandbox))).body;
  // An access key id the account never issued: STS answers InvalidClientTokenId.
  invalidKey = (await harness.preflight(sampleRequest(harness.sandbox, { credentials: { type: 'accessKey', accessKeyId: 'AKIANOSUCHKEY0000001', secretAccessKey: 'report-test-secret-DO-NOT-PRINT-0001' } }))).body;
});
afterAll(() => harness?.close());

const capability = (report: PreflightReport, id: string) => report.capabilities.find((c) => c.id === id)!;

describe('the text table', () => {
  it('shows an invalid key\'s reason, InvalidClientTokenId, and the fix for the key', () => {
    const connection = capability(invalidKey, 'connection');
    expect(connection.reasons[0]).toMatchObject({ code: 'InvalidClientTokenId' });
    const table = renderTable(invalidKey);
    expect(table).toMatch(/^ {2}connection +unavailable.*\n +why: InvalidClientTokenId: .+\n +fix: .+/m);
    expect(table).toContain(`why: InvalidClientTokenId: ${connection.reasons[0]!.message}`);
    expect(table).toContain(`fix: ${connection.remediation!.summary}`);
    expect(table).not.toContain('report-test-secret-DO-NOT-PRINT-0001');
  });

  it('gives every failing capability its reasons, once each, and its fix; nothing under ok or skipped ones', () => {
    const table = renderTable(degraded);
    const failing = degraded.capabilities.filter((c) => c.status !== 'ok' && c.status !== 'skipped');
    expect(failing.map((c) => c.id)).toEqual(expect.arrayContaining(['functions', 'user-attribution', 'query-results']));
    for (const c of failing) {
      const block = new RegExp(`^ {2}${c.id} .*\\n((?: {4,}(?:why|fix): .*\\n)*)`, 'm').exec(table)![1]!;
      for (const reason of c.reasons) expect(block.split(`why: ${reason.code}: ${reason.message}\n`), c.id).toHaveLength(2);
      expect(block, c.id).toContain(`fix: ${c.remediation!.summary}\n`);
    }
    expect(table).toMatch(/why: AccessDeniedException: Access denied for glue:GetUserDefinedFunctions/);
    expect(table).toMatch(/^ {2}metadata +ok +\n {2}partitions/m);
  });
});

describe('the Markdown', () => {
  it('has a why column with the code and the reason, beside the fix', () => {
    const markdown = renderMarkdown(invalidKey);
    expect(markdown).toContain('| capability | status | missing | why | fix |');
    const row = markdown.split('\n').find((line) => line.startsWith('| connection |'))!;
    const cells = row.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim());
    expect(cells).toHaveLength(5);
    expect(cells[3]).toMatch(/^`InvalidClientTokenId`: /);
    expect(cells[4]).toBe(capability(invalidKey, 'connection').remediation!.summary.replace(/\|/g, '\\|'));
    const functions = renderMarkdown(degraded).split('\n').find((line) => line.startsWith('| functions |'))!;
    expect(functions).toContain('`AccessDeniedException`: Access denied for glue:GetUserDefinedFunctions');
    const results = renderMarkdown(degraded).split('\n').find((line) => line.startsWith('| query-results |'))!;
    expect(results.split('<br>').length).toBe(capability(degraded, 'query-results').reasons.length);
  });
});
