// The report as Markdown, for a support ticket: the same report object, no secret (the report
// holds none: key ids are masked and secrets are never part of it).
import type { PreflightReport } from '../preflight/types.js';
import { reasonLines } from './text.js';

const escape = (text: string) => text.replace(/\|/g, '\\|');

export function renderMarkdown(report: PreflightReport): string {
  const lines = [
    `## Preflight ${report.id}: ${report.status}`,
    '',
    `Account ${report.connection.accountId}, ${report.connection.region}, ${report.connection.credentialType}${report.connection.roleArn ? ` ${report.connection.roleArn}` : ''}${report.connection.accessKeyId ? ` ${report.connection.accessKeyId}` : ''}; ${report.startedAt}, ${report.durationMs} ms.`,
    '',
    '| capability | status | missing | why | fix |',
    '|---|---|---|---|---|',
    ...report.capabilities.map((c) => {
      const settled = c.status === 'ok' || c.status === 'skipped';
      const why = settled ? '' : reasonLines(c).map((line) => escape(line).replace(/^(\w+):/, '`$1`:')).join('<br>');
      return `| ${c.id} | ${c.status}${c.skipReason ? ` (${c.skipReason})` : ''} | ${escape(c.missingActions.join(', '))} | ${why} | ${escape(settled ? '' : (c.remediation?.summary ?? ''))} |`;
    }),
  ];
  if (report.findings.length) {
    lines.push('', '### Findings', '', ...report.findings.map((f) => `- **${f.code}** (${f.severity}): ${f.message} Fix: ${f.remediation}`));
  }
  if (report.remediation.policy) {
    lines.push('', '### Policy that grants what is missing', '', '```json', JSON.stringify(report.remediation.policy, null, 2), '```');
  }
  if (report.remediation.notes.length) lines.push('', ...report.remediation.notes.map((note) => `> ${note}`));
  return `${lines.join('\n')}\n`;
}
