// The report as Markdown, for a support ticket: the same report object, no secret (the report
// holds none: key ids are masked and secrets are never part of it).
import type { PreflightReport } from '../preflight/types.js';

/**
 * The support page's script bundles this function (src/web/client/report.ts), so that "Copy as
 * Markdown" there is exactly this text: keep what it imports to types, or the page carries it too.
 */
export function renderMarkdown(report: PreflightReport): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  // Why a capability is not ok, once per distinct cause, as the text table says it (reasonLines).
  const why = (c: PreflightReport['capabilities'][number]) => [...new Set(c.reasons.map((r) => `\`${r.code}\`: ${escape(r.message)}`))].join('<br>');
  const json = (value: unknown) => ['```json', JSON.stringify(value, null, 2), '```'];
  const lines = [
    `## Preflight ${report.id}: ${report.status}`,
    '',
    `Account ${report.connection.accountId}, ${report.connection.region}, ${report.connection.credentialType}${report.connection.roleArn ? ` ${report.connection.roleArn}` : ''}${report.connection.accessKeyId ? ` ${report.connection.accessKeyId}` : ''}${report.connection.catalog && report.connection.catalog.id !== report.connection.accountId ? `; Glue catalog ${report.connection.catalog.id}` : ''}; ${report.startedAt}, ${report.durationMs} ms.`,
    '',
    '| capability | status | missing | why | fix |',
    '|---|---|---|---|---|',
    ...report.capabilities.map((c) => {
      const settled = c.status === 'ok' || c.status === 'skipped';
      return `| ${c.id} | ${c.status}${c.skipReason ? ` (${c.skipReason})` : ''} | ${escape(c.missingActions.join(', '))} | ${settled ? '' : why(c)} | ${escape(settled ? '' : (c.remediation?.summary ?? ''))} |`;
    }),
  ];
  if (report.findings.length) {
    lines.push('', '### Findings', '', ...report.findings.map((f) => `- **${f.code}** (${f.severity}): ${f.message} Fix: ${f.remediation}`));
  }
  if (report.remediation.policy) lines.push('', '### Policy that grants what is missing', '', ...json(report.remediation.policy));
  if (report.remediation.trustPolicy) lines.push('', '### Trust policy for the role', '', ...json(report.remediation.trustPolicy));
  for (const other of report.remediation.otherAccounts ?? []) {
    lines.push('', `### What the owner of account ${other.accountId} must do`, '', other.summary);
    if (other.resourcePolicy) lines.push('', 'Statements for its Glue Data Catalog resource policy:', '', ...json(other.resourcePolicy));
    if (other.commands?.length) lines.push('', '```sh', ...other.commands, '```');
  }
  if (report.remediation.notes.length) lines.push('', ...report.remediation.notes.map((note) => `> ${note}`));
  return `${lines.join('\n')}\n`;
}
