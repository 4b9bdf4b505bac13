// The report as a table for people at a terminal. It shows the same report object as the API; every
// text from a request or from AWS in it passes through terminalText, so no escape sequence in a
// name or a message reaches the terminal (only this table's own colours do).
import { terminalText as show } from '../catalogue/quote.js';
import type { CapabilityReport, CapabilityStatus, PreflightReport } from '../preflight/types.js';

const COLOURS: Record<CapabilityStatus | 'failed', string> = {
  ok: '\x1b[32m',
  degraded: '\x1b[33m',
  unavailable: '\x1b[31m',
  failed: '\x1b[31m',
  unknown: '\x1b[35m',
  skipped: '\x1b[90m',
};
const RESET = '\x1b[0m';

/**
 * Why a capability is not ok, once per distinct cause: AWS's code (InvalidClientTokenId,
 * AccessDeniedException…) and the report's words for it. Shared with the Markdown.
 */
export function reasonLines(capability: Pick<CapabilityReport, 'reasons'>): string[] {
  return [...new Set(capability.reasons.map((reason) => `${reason.code}: ${reason.message}`))];
}

/** A JSON document, indented, line by line: each line shown as terminalText shows it (its line breaks kept). */
const showJson = (value: unknown): string[] => JSON.stringify(value, null, 2).split('\n').map(show);

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export function renderTable(report: PreflightReport, options: { color?: boolean } = {}): string {
  const paint = (status: keyof typeof COLOURS, text: string) => (options.color ? `${COLOURS[status]}${text}${RESET}` : text);
  const lines: string[] = [];
  const who = report.identity?.arn ?? report.connection.roleArn ?? report.connection.accessKeyId ?? report.connection.credentialType;
  // A high finding (a role anyone could assume) can come with every capability ok: said in the first line, never only below.
  const high = report.findings.filter((finding) => finding.severity === 'high').length;
  const highs = high ? `, ${paint('failed', `${high} high finding${high === 1 ? '' : 's'}`)},` : '';
  lines.push(`Preflight ${report.id}: ${paint(report.status === 'ok' ? 'ok' : report.status === 'degraded' ? 'degraded' : 'failed', report.status.toUpperCase())}${highs} in ${report.durationMs} ms`);
  const catalog = report.connection.catalog && report.connection.catalog.id !== report.connection.accountId ? `, Glue catalog ${report.connection.catalog.id}` : '';
  lines.push(`  ${report.connection.accountId} ${report.connection.region} as ${show(who)}${show(catalog)}`, '');
  const width = Math.max(...report.capabilities.map((c) => c.id.length)) + 2;
  for (const capability of report.capabilities) {
    const status = capability.status === 'skipped' ? `skipped (${capability.skipReason})` : capability.status;
    const missing = capability.missingActions.length ? ` missing ${capability.missingActions.join(', ')}` : '';
    lines.push(`  ${pad(capability.id, width)}${paint(capability.status, pad(status, 30))}${missing}`);
    if (capability.status === 'ok' || capability.status === 'skipped') continue;
    const indent = `  ${' '.repeat(width)}`;
    for (const reason of reasonLines(capability)) lines.push(`${indent}why: ${show(reason)}`);
    if (capability.remediation) lines.push(`${indent}fix: ${show(capability.remediation.summary)}`);
  }
  if (report.findings.length) {
    lines.push('', 'Findings:');
    for (const finding of report.findings) lines.push(`  [${finding.severity}] ${finding.code}: ${show(finding.message)}`, `      fix: ${show(finding.remediation)}`);
  }
  if (report.remediation.policy) {
    // JSON escapes C0 controls itself; terminalText's \uXXXX for the rest is a JSON escape too.
    lines.push('', 'Policy that grants what is missing:', ...showJson(report.remediation.policy));
  }
  for (const other of report.remediation.otherAccounts ?? []) {
    lines.push('', `What the owner of account ${other.accountId} must do: ${show(other.summary)}`);
    if (other.resourcePolicy) lines.push('Statements for its Glue Data Catalog resource policy:', ...showJson(other.resourcePolicy));
    for (const command of other.commands ?? []) lines.push(`  ${show(command)}`);
  }
  for (const note of report.remediation.notes) lines.push(`  note: ${show(note)}`);
  return `${lines.join('\n')}\n`;
}
