// The coverage answer for people: Markdown for a ticket or a review, a table for a terminal. The
// same answer object as the API's; every text from the request (a Sid, a resource) passes through
// the quoting function for where it lands.
import { markdownFence, markdownText as escape, terminalText as show } from '../catalogue/quote.js';
import { mergeStatements } from '../catalogue/remediation.js';
import { type CoverageAnswer, type CoverageDenial, describeRef } from './evaluate.js';

const denialWords = (denial: CoverageDenial) =>
  `${denial.explicit ? 'an explicit deny in' : 'no allow in'} ${denial.policyType === 'identity' ? 'the identity policies' : denial.policyType === 'scp' ? 'an SCP' : 'the permissions boundary'}${denial.statement ? `, ${describeRef(denial.statement)}` : ''}`;

/** The statements that grant what an Allow can lift, every capability's merged. */
const fixOf = (answer: CoverageAnswer) => mergeStatements(answer.capabilities.flatMap((c) => c.remediation?.statements ?? []));

const headline = (answer: CoverageAnswer) => {
  const count = (level: string) => answer.capabilities.filter((c) => c.coverage === level).length;
  return `${count('covered')} covered, ${count('partly')} partly, ${count('not-covered')} not covered`;
};

const CLAIM = 'A claim about these documents, never a preflight: resource policies, Lake Formation, key policies and what the documents do not show decide too (each capability says which).';

export function renderCoverageMarkdown(answer: CoverageAnswer): string {
  const json = (value: unknown) => markdownFence('json', JSON.stringify(value, null, 2)).split('\n');
  const lines = [
    `## Policy coverage: ${headline(answer)}`,
    '',
    `Account ${answer.accountId}, ${answer.region}. ${CLAIM}`,
    '',
    '| capability | coverage | missing | why | fix |',
    '|---|---|---|---|---|',
    ...answer.capabilities.map(
      (c) =>
        `| ${c.id}${c.required ? ' (required)' : ''} | ${c.coverage} | ${escape(c.missingActions.join(', '))} | ${c.deniedBy ? escape(denialWords(c.deniedBy)) : ''} | ${escape(c.remediation?.summary ?? '')} |`,
    ),
  ];
  const fix = fixOf(answer);
  if (fix.length) lines.push('', '### Statements that grant what is missing', '', ...json({ Version: '2012-10-17', Statement: fix }));
  if (answer.warnings.length) {
    lines.push('', '### Over-grants', '');
    for (const warning of answer.warnings) {
      lines.push(`- **${warning.code}**: ${escape(warning.message)}`);
      if (warning.narrower?.length) lines.push('', ...json(warning.narrower).map((line) => `  ${line}`), '');
    }
  }
  lines.push('', '### What the documents cannot show', '');
  for (const c of answer.capabilities) {
    for (const words of [...(c.appliesWhen ? [c.appliesWhen] : []), ...c.dependsOn]) lines.push(`- ${c.id}: ${escape(words)}`);
  }
  return `${lines.join('\n')}\n`;
}

const COLOURS = { covered: '\x1b[32m', partly: '\x1b[33m', 'not-covered': '\x1b[31m' } as const;
const RESET = '\x1b[0m';

export function renderCoverageTable(answer: CoverageAnswer, options: { color?: boolean; notes?: boolean } = {}): string {
  const paint = (level: keyof typeof COLOURS, text: string) => (options.color ? `${COLOURS[level]}${text}${RESET}` : text);
  const width = Math.max(...answer.capabilities.map((c) => c.id.length)) + 2;
  const indent = ' '.repeat(width + 2);
  const lines = [`Policy coverage: ${headline(answer)}`, `  ${answer.accountId} ${answer.region}. ${CLAIM}`, ''];
  for (const c of answer.capabilities) {
    const missing = c.missingActions.length ? ` missing ${c.missingActions.join(', ')}` : '';
    lines.push(`  ${c.id.padEnd(width)}${paint(c.coverage, c.coverage.padEnd(13))}${show(missing)}`);
    if (c.deniedBy && c.coverage !== 'covered') lines.push(`${indent}why: ${show(denialWords(c.deniedBy))}`);
    if (c.remediation) lines.push(`${indent}fix: ${show(c.remediation.summary)}`);
    if (options.notes) for (const words of [...(c.appliesWhen ? [c.appliesWhen] : []), ...c.dependsOn]) lines.push(`${indent}note: ${show(words)}`);
  }
  for (const warning of answer.warnings) lines.push('', `Over-grant ${warning.code}: ${show(warning.message)}`);
  const fix = fixOf(answer);
  // Line by line: a line break is the table's own, every other control character is shown as \uXXXX.
  if (fix.length) lines.push('', 'Statements that grant what is missing:', ...JSON.stringify({ Version: '2012-10-17', Statement: fix }, null, 2).split('\n').map(show));
  if (!options.notes) lines.push('', 'What the documents cannot show, per capability: --notes, --json or --markdown.');
  return `${lines.join('\n')}\n`;
}
