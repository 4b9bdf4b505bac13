// The table and the Markdown say why a capability is not ok (AWS's code and the report's words)
// and its fix, as the JSON does: on reports of real runs against the sandbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreflightReport } from '../../src/preflight/types.js';
import { markdownText } from '../../src/catalogue/quote.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderTable } from '../../src/render/text.js';
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
    expect(cells[4]).toBe(markdownText(capability(invalidKey, 'connection').remediation!.summary));
    const functions = renderMarkdown(degraded).split('\n').find((line) => line.startsWith('| functions |'))!;
    expect(functions).toContain(`\`AccessDeniedException\`: ${markdownText('Access denied for glue:GetUserDefinedFunctions')}`);
    const results = renderMarkdown(degraded).split('\n').find((line) => line.startsWith('| query-results |'))!;
    expect(results.split('<br>').length).toBe(capability(degraded, 'query-results').reasons.length);
  });
});

// Text from a request or from AWS (a Glue name, an AWS message) never becomes markup in the ticket,
// nor an escape sequence at the terminal. Checked with a real Markdown parser, GitHub-like
// (markdown-it with raw HTML on and bare links turned into links, as linkify does).
describe('text from a request or from AWS', () => {
  const HOSTILE = [
    '<img src=x onerror=alert(1)>',
    '<script>alert(1)</script>',
    '[click](https://evil.example/a)',
    '![x](https://evil.example/i.png)',
    'https://evil.example/b',
    'www.evil.example',
    'mail evil@evil.example',
    '<https://evil.example/c>',
    'a|b',
    '**bold** _it_ `code` ```fence',
    '&lt;b&gt; &#60;',
    '\u001b[2J\u0007',
    'nel\u0085line',
    'rtl\u202eevil',
    'line\nbreak # heading',
  ];
  const hostile = HOSTILE.join(' ');
  /** A report of a real run with every text a reader meets replaced by the hostile ones. */
  function poisoned(report: PreflightReport): PreflightReport {
    return {
      ...report,
      connection: { ...report.connection, roleArn: `arn:aws:iam::123456789012:role/${hostile}` },
      capabilities: report.capabilities.map((c) => ({
        ...c,
        reasons: c.reasons.map((r) => ({ ...r, message: hostile })),
        ...(c.remediation ? { remediation: { ...c.remediation, summary: hostile } } : {}),
      })),
      findings: [{ code: 'DATABASE_NOT_FOUND', severity: 'medium', message: hostile, remediation: hostile }],
      remediation: { ...report.remediation, notes: [hostile], otherAccounts: [{ accountId: '999988887777', summary: hostile, commands: [`aws glue get-database --name '${hostile}'`] }] },
    };
  }

  it('is never read as Markdown: no HTML, link or image, and each text shown as written', async () => {
    const { default: MarkdownIt } = await import('markdown-it');
    const markdown = renderMarkdown(poisoned(degraded));
    const tokens = new MarkdownIt({ html: true, linkify: true }).parse(markdown, {});
    const all = tokens.flatMap((token) => [token, ...(token.children ?? [])]);
    expect(all.filter((t) => /html|link|image/.test(t.type)).map((t) => `${t.type} ${t.content}`)).toEqual([]);
    // The table kept its five columns on every row.
    expect(all.filter((t) => t.type === 'tr_open').length).toBe(degraded.capabilities.length + 1);
    expect(tokens.filter((t) => t.type === 'td_open').length).toBe(degraded.capabilities.length * 5);
    const shown = all.filter((t) => t.type === 'text' || t.type === 'text_special' || t.type === 'code_inline').map((t) => t.content).join('');
    const visible = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f\u202e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    for (const text of HOSTILE) expect(shown).toContain(visible(text));
  });

  it('reaches no terminal as an escape sequence, in the table or the Markdown', () => {
    for (const output of [renderTable(poisoned(degraded)), renderMarkdown(poisoned(degraded))]) {
      expect(output).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      expect(output).toContain('\\u001b[2J\\u0007');
    }
  });
});

describe('the text table, printing a policy', () => {
  it('keeps the policy on its lines, as JSON a terminal shows', () => {
    const table = renderTable(degraded);
    expect(degraded.remediation.policy).not.toBeNull();
    expect(table).toContain(JSON.stringify(degraded.remediation.policy, null, 2));
  });
});
