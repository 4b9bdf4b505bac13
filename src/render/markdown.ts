// The report as Markdown, for a support ticket: the same report object, no secret (the report
// holds none: key ids are masked and secrets are never part of it).
import { markdownFence, markdownText as escape } from '../catalogue/quote.js';
import type { PreflightReport } from '../preflight/types.js';

/**
 * The support page's script bundles this function (src/web/client/report.ts), so that "Copy as
 * Markdown" there is exactly this text: it imports only the quoting rules, which are small.
 * Every text from a request or from AWS goes through markdownText: shown as written, never markup.
 */
export function renderMarkdown(report: PreflightReport): string {
  const fenced = (language: string, text: string) => markdownFence(language, text).split('\n');
  // Why a capability is not ok, once per distinct cause, as the text table says it (reasonLines).
  const why = (c: PreflightReport['capabilities'][number]) => [...new Set(c.reasons.map((r) => `\`${r.code}\`: ${escape(r.message)}`))].join('<br>');
  const json = (value: unknown) => fenced('json', JSON.stringify(value, null, 2));
  const { connection } = report;
  const lines = [
    `## Preflight ${report.id}: ${report.status}`,
    '',
    `Account ${connection.accountId}, ${connection.region}, ${connection.credentialType}${connection.roleArn ? ` ${escape(connection.roleArn)}` : ''}${connection.accessKeyId ? ` ${escape(connection.accessKeyId)}` : ''}${connection.catalog && connection.catalog.id !== connection.accountId ? `; Glue catalog ${escape(connection.catalog.id)}` : ''}; ${report.startedAt}, ${report.durationMs} ms.`,
    '',
    '| capability | status | missing | why | fix |',
    '|---|---|---|---|---|',
    ...report.capabilities.map((c) => {
      const settled = c.status === 'ok' || c.status === 'skipped';
      return `| ${c.id} | ${c.status}${c.skipReason ? ` (${c.skipReason})` : ''} | ${escape(c.missingActions.join(', '))} | ${settled ? '' : why(c)} | ${escape(settled ? '' : (c.remediation?.summary ?? ''))} |`;
    }),
  ];
  if (report.findings.length) {
    lines.push('', '### Findings', '', ...report.findings.map((f) => `- **${f.code}** (${f.severity}): ${escape(f.message)} Fix: ${escape(f.remediation)}`));
  }
  if (report.remediation.policy) lines.push('', '### Policy that grants what is missing', '', ...json(report.remediation.policy));
  if (report.remediation.trustPolicy) lines.push('', '### Trust policy for the role', '', ...json(report.remediation.trustPolicy));
  for (const other of report.remediation.otherAccounts ?? []) {
    lines.push('', `### What the owner of account ${other.accountId} must do`, '', escape(other.summary));
    if (other.resourcePolicy) lines.push('', 'Statements for its Glue Data Catalog resource policy:', '', ...json(other.resourcePolicy));
    if (other.commands?.length) lines.push('', ...fenced('sh', other.commands.join('\n')));
  }
  if (report.remediation.notes.length) lines.push('', ...report.remediation.notes.map((note) => `> ${escape(note)}`));
  return `${lines.join('\n')}\n`;
}
