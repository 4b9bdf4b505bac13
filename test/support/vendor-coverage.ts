// docs/api.md's table of what the five vendors' published policies cover (examples/vendor-policies/,
// the same documents as the sandbox's vendor scenarios), generated from POST /policy/coverage's
// evaluator: test/coverage/vendors.test.ts checks the page holds it and that a preflight of the
// sandbox agrees; `npm run openapi` writes it.
import { readFileSync } from 'node:fs';
import { CAPABILITY_IDS } from '../../src/catalogue/capabilities.js';
import { type CoverageAnswer, policyCoverage } from '../../src/coverage/evaluate.js';
import { validateCoverageRequest } from '../../src/coverage/request.js';
import { coverageBodyOf } from './coverage.js';

/** Each vendor policy: its file (and sandbox scenario) name, the guide it comes from, its column's title. */
export const VENDOR_POLICIES = [
  { name: 'coalesce-glue-only', title: 'Coalesce, Glue only' },
  { name: 'coalesce-glue-athena', title: 'Coalesce, + Athena' },
  { name: 'coalesce-full', title: 'Coalesce, + CloudTrail' },
  { name: 'qualytics', title: 'Qualytics' },
  { name: 'immuta', title: 'Immuta' },
  { name: 'skoot-scope-a', title: 'Skoot, scope A' },
  { name: 'skoot-scope-b', title: 'Skoot, scope B' },
  { name: 'secoda-user', title: 'Secoda, user' },
  { name: 'secoda-role', title: 'Secoda, role' },
] as const;

/** Where the sandbox account's tables keep their data: what a query and table-data read. */
export const DATA_LOCATION = 's3://acme-data-lake/sales/';

/** The request for one vendor's policy: its file, every capability, the connection its scenario's sample checks. */
export function vendorRequest(name: string): Record<string, any> {
  const policy = JSON.parse(readFileSync(`examples/vendor-policies/${name}.json`, 'utf8'));
  return coverageBodyOf(name, { policies: [policy], capabilities: [...CAPABILITY_IDS], dataLocation: DATA_LOCATION });
}

export function vendorCoverage(name: string): CoverageAnswer {
  const validation = validateCoverageRequest(vendorRequest(name));
  if (!validation.ok) throw new Error(`${name}: ${JSON.stringify(validation.issues)}`);
  return policyCoverage(validation.input);
}

const TABLE_START = '<!-- vendor-coverage: generated from examples/vendor-policies/ by `npm run openapi`; test/coverage/vendors.test.ts checks it -->';
const TABLE_END = '<!-- /vendor-coverage -->';

/** One cell: covered, or partly / not covered with what is missing (actions without their service, which the row's capability says). */
function cell(capability: CoverageAnswer['capabilities'][number]): string {
  if (capability.coverage === 'covered') return '✓';
  const missing = capability.missingActions.map((action) => action.slice(action.indexOf(':') + 1));
  const shown = missing.length > 3 ? `${missing.slice(0, 2).join(', ')} +${missing.length - 2}` : missing.join(', ');
  return `${capability.coverage === 'partly' ? 'partly' : '✗'}: ${shown}`;
}

export function vendorTable(): string {
  const answers = VENDOR_POLICIES.map(({ name }) => vendorCoverage(name));
  // Capabilities needed only in some accounts (a KMS key, governed tables): marked, and said when below.
  const conditional = CAPABILITY_IDS.flatMap((id) => {
    const words = answers.map((answer) => answer.capabilities.find((c) => c.id === id)!.appliesWhen).find(Boolean);
    return words ? [{ id, words }] : [];
  });
  const mark = (id: string) => {
    const index = conditional.findIndex((c) => c.id === id);
    return index < 0 ? '' : ` ${'¹²³'[index]}`;
  };
  const lines = [
    `| capability | ${VENDOR_POLICIES.map((v) => `[${v.title}](../examples/vendor-policies/${v.name}.json)`).join(' | ')} |`,
    `|---|${VENDOR_POLICIES.map(() => '---').join('|')}|`,
    ...CAPABILITY_IDS.map((id) => `| \`${id}\`${mark(id)} | ${answers.map((answer) => cell(answer.capabilities.find((c) => c.id === id)!)).join(' | ')} |`),
    `| over-grants | ${answers.map((answer) => [...new Set(answer.warnings.map((w) => w.code))].join(', ') || '—').join(' | ')} |`,
    '',
    ...conditional.map(({ id, words }) => `${mark(id).trim()} \`${id}\`: ${words}`),
  ];
  return `${TABLE_START}\n${lines.join('\n')}\n${TABLE_END}`;
}

export function withVendorTable(markdown: string): string {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`no vendor coverage table to replace: it goes between ${TABLE_START} and ${TABLE_END}`);
  return markdown.slice(0, start) + vendorTable() + markdown.slice(end + TABLE_END.length);
}
