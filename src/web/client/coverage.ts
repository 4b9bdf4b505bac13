// The "Check a policy" tab: a pasted IAM policy (and a boundary, SCPs) and the connection, asked of
// POST /policy/coverage; each capability's coverage, what is refused and by which statement, the
// statements that fix it and the over-grants, with copy buttons, and the answer as Markdown.
import type { CoverageAnswer, CoverageDenial } from '../../coverage/types.js';
import { copyButton, download } from './copy.js';
import { CAPABILITIES } from './data.js';
import { $, h, listOf, messageOf, refusal, valueOf } from './dom.js';

function defined<T extends Record<string, unknown>>(object: T): Partial<T> | undefined {
  const out = Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
  return Object.keys(out).length ? (out as Partial<T>) : undefined;
}

/** A pasted JSON field; undefined when empty. Its text is never repeated in the error. */
function pasted(id: string, what: string): unknown {
  const text = $(id, HTMLTextAreaElement).value.trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what} is not valid JSON`);
  }
}

const listOfDocuments = (value: unknown) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);

/** The POST /policy/coverage body the form says. */
function coverageBody() {
  const capabilities = [...document.querySelectorAll<HTMLInputElement>('input[name=ccap]:checked')].map((box) => box.value);
  return (
    defined({
      region: valueOf('c-region'),
      accountId: valueOf('c-account'),
      policies: listOfDocuments(pasted('c-policies', 'The identity policy')),
      permissionsBoundary: pasted('c-boundary', 'The permissions boundary'),
      scps: listOfDocuments(pasted('c-scps', 'The service control policies')),
      athena: defined({ workgroup: valueOf('c-workgroup'), outputLocation: valueOf('c-outputLocation') }),
      glue: defined({ catalogId: valueOf('c-catalogId'), databases: listOf('c-databases') }),
      capabilities: capabilities.length ? capabilities : undefined,
      results: defined({
        encryption: $('c-encryption', HTMLSelectElement).value || undefined,
        kmsKey: valueOf('c-kmsKey'),
        acl: $('c-acl', HTMLInputElement).checked ? 'BUCKET_OWNER_FULL_CONTROL' : undefined,
      }),
      dataLocation: valueOf('c-dataLocation'),
    }) ?? {}
  );
}

const WHO: Record<CoverageDenial['policyType'], string> = { identity: 'the identity policy', boundary: 'the permissions boundary', scp: 'an SCP' };
const why = (denial: CoverageDenial) =>
  `${denial.explicit ? 'Denied by' : 'No allow in'} ${WHO[denial.policyType]}${denial.statement ? `: ${denial.statement.sid ? `"${denial.statement.sid}" ` : ''}${denial.statement.pointer}` : ''}`;

function jsonBlock(value: unknown, file: string): HTMLElement {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  const pre = h('pre', {}, text);
  return h('div', { class: 'block', 'data-file': file }, pre, copyButton(text, pre));
}

function renderCoverage(answer: CoverageAnswer, markdown: string): void {
  const count = (level: string) => answer.capabilities.filter((c) => c.coverage === level).length;
  const markdownShown = h('pre', { hidden: true }, markdown);
  const json = `${JSON.stringify(answer, null, 2)}\n`;
  const downloadJson = h('button', { type: 'button', class: 'secondary', id: 'coverage-download' }, 'Download JSON');
  downloadJson.addEventListener('click', () => download(json, 'policy-coverage.json', 'application/json'));
  const parts: Array<Node | null> = [
    h('div', { class: 'verdict' }, h('h2', { id: 'coverage-summary' }, `${count('covered')} covered, ${count('partly')} partly, ${count('not-covered')} not covered`), h('div', { class: 'actions' }, copyButton(markdown, markdownShown, 'Copy as Markdown'), downloadJson)),
    h('p', { class: 'hint' }, `Account ${answer.accountId}, ${answer.region}. A claim about these documents, never a preflight: what else decides is listed below.`),
    markdownShown,
    h(
      'table',
      { id: 'coverage-table' },
      h('tr', {}, h('th', {}, 'Capability'), h('th', {}, 'Coverage'), h('th', {}, 'Missing, and why')),
      answer.capabilities.map((c) =>
        h(
          'tr',
          { 'data-capability': c.id },
          h('th', { scope: 'row' }, c.title, c.required ? ' (required)' : ''),
          h('td', { class: `coverage ${c.coverage}` }, c.coverage),
          h(
            'td',
            { class: 'detail' },
            c.missingActions.length ? h('div', {}, c.missingActions.join(', ')) : null,
            c.deniedBy ? h('div', { class: 'hint' }, why(c.deniedBy)) : null,
            c.remediation ? h('div', {}, c.remediation.summary) : null,
            c.remediation?.statements.length ? jsonBlock(c.remediation.statements, `${c.id}-statements.json`) : null,
          ),
        ),
      ),
    ),
    answer.warnings.length ? h('h3', {}, 'Over-grants') : null,
    h(
      'ul',
      { id: 'coverage-warnings' },
      answer.warnings.map((w) => h('li', { 'data-code': w.code }, h('strong', {}, w.code), ': ', w.message, w.narrower?.length ? jsonBlock(w.narrower, `${w.code.toLowerCase()}-narrower.json`) : null)),
    ),
    h(
      'details',
      { id: 'coverage-notes' },
      h('summary', {}, 'What the documents cannot show'),
      h('ul', {}, answer.capabilities.flatMap((c) => [...(c.appliesWhen ? [c.appliesWhen] : []), ...c.dependsOn].map((words) => h('li', {}, h('code', {}, c.id), ' ', words)))),
    ),
  ];
  $('coverage-out').replaceChildren(...parts.filter((part): part is Node => part !== null));
  const out = $('coverage-out');
  out.hidden = false;
  const top = out.getBoundingClientRect().top;
  if (top < 0 || top > window.innerHeight / 2) out.scrollIntoView({ block: 'start' });
}

async function check(): Promise<void> {
  const body = JSON.stringify(coverageBody());
  const ask = (accept: string) =>
    fetch('policy/coverage', { method: 'POST', body, headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${$('c-apiKey', HTMLInputElement).value}` } });
  const response = await ask('application/json');
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw refusal(response, answer);
  // The same answer as Markdown, for the ticket: the route's own words.
  const markdown = await (await ask('text/markdown')).text();
  renderCoverage(answer as CoverageAnswer, markdown);
}

export function initCoverage(): void {
  $('c-caps').append(...CAPABILITIES.map((c) => h('label', {}, h('input', { type: 'checkbox', name: 'ccap', value: c.id, checked: c.checked }), c.title)));
  $('coverage-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('coverage-error').textContent = '';
    $('coverage-run', HTMLButtonElement).disabled = true;
    try {
      await check();
    } catch (error) {
      $('coverage-error').textContent = messageOf(error);
      $('coverage-out').hidden = true;
    } finally {
      $('coverage-run', HTMLButtonElement).disabled = false;
    }
  });
}
