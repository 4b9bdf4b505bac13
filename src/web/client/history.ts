// A stored report, at /#/runs/ID (the link shown after a run, for a ticket: the run id and nothing
// else; the API key is typed, as for a run): GET /preflight/{id} drawn as a run's report is, the
// connection's recent runs, and what changed since the previous one.
import type { OverallStatus, PreflightReport } from '../../preflight/types.js';
import type { ReportDiff } from '../../store/diff.js';
import { titleOf } from './data.js';
import { $, Refusal, h, messageOf, refusal, runLink, when } from './dom.js';
import { clearReport, isViewing, nextView, renderReport } from './report.js';
import { selectTab } from './tabs.js';

const RUN_ID = /^[A-Za-z0-9-]{1,64}$/;
const FINGERPRINT = /^[0-9a-f]{24}$/;

interface RunsPage {
  runs: Array<{ id: string; startedAt: string; status: OverallStatus }>;
  next?: string;
}

/** The run the address names (#/runs/ID), or null. */
function routedRun(): string | null {
  const match = /^#\/runs\/(.*)$/.exec(location.hash);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return match[1]!;
  }
}

/** GET one of the history routes with the page's API key: the JSON answer and the headers, or the service's refusal. */
async function apiGet<T>(path: string): Promise<{ answer: T; headers: Headers }> {
  const response = await fetch(path, { headers: { accept: 'application/json', authorization: `Bearer ${$('apiKey', HTMLInputElement).value}` } });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw refusal(response, answer);
  return { answer: answer as T, headers: response.headers };
}

/** Asks for the API key, which stays in the page. */
function askForKey(hint: string): void {
  $('open-hint').textContent = hint;
  $('open-run').hidden = false;
  $('o-apiKey').focus();
}

async function openRun(id: string): Promise<void> {
  const token = nextView();
  selectTab('check');
  clearReport();
  $('report').hidden = true;
  $('summary').replaceChildren(`Run ${id}`);
  $('meta').textContent = 'A stored report';
  if (!RUN_ID.test(id)) {
    $('open-error').textContent = `Cannot open this report: "${id}" is not a run id (letters, digits and dashes, as in /#/runs/7b3f6a3c4fdb).`;
    return;
  }
  if (!$('apiKey', HTMLInputElement).value) {
    askForKey('Type the API key to open this stored report. The key stays in this page: it is never put in the link.');
    return;
  }
  let found;
  try {
    found = await apiGet<PreflightReport>(`preflight/${encodeURIComponent(id)}`);
  } catch (error) {
    if (!isViewing(token)) return;
    $('open-error').textContent = `Cannot open this report. ${messageOf(error)}`;
    if (error instanceof Refusal && (error.status === 401 || error.status === 403)) askForKey('The API key was refused: type it again.');
    return;
  }
  if (!isViewing(token)) return;
  renderReport(found.answer);
  await showHistory(found.answer, found.headers.get('x-connection-fingerprint'), token);
}

/** The connection's runs, newest first, paged until this run and the one before it are in (at most 10 pages). */
async function connectionRuns(fingerprint: string, id: string) {
  const runs: RunsPage['runs'] = [];
  let next: string | undefined;
  let at = -1;
  for (let pages = 0; pages < 10; pages++) {
    const { answer } = await apiGet<RunsPage>(`connections/${fingerprint}/runs?limit=20${next ? `&cursor=${encodeURIComponent(next)}` : ''}`);
    runs.push(...answer.runs);
    next = answer.next;
    at = runs.findIndex((run) => run.id === id);
    if (!next || (at >= 0 && at < runs.length - 1)) break;
  }
  return { runs, at, more: Boolean(next) };
}

async function showHistory(report: PreflightReport, fingerprint: string | null, token: number): Promise<void> {
  $('runs').hidden = false;
  $('diff').hidden = false;
  if (!fingerprint || !FINGERPRINT.test(fingerprint)) {
    $('runs').replaceChildren(h('p', { class: 'hint' }, 'The service did not name the connection: its other runs cannot be listed.'));
    $('diff').hidden = true;
    return;
  }
  let listed;
  try {
    listed = await connectionRuns(fingerprint, report.id);
  } catch (error) {
    if (!isViewing(token)) return;
    $('runs').replaceChildren(h('h3', {}, "This connection's recent runs"), h('p', { class: 'error-text' }, `Cannot list them. ${messageOf(error)}`));
    $('diff').hidden = true;
    return;
  }
  if (!isViewing(token)) return;
  const { runs, at, more } = listed;
  const shown = runs.slice(0, 20);
  $('runs').replaceChildren(
    h('h3', {}, "This connection's recent runs"),
    h(
      'table',
      { id: 'runs-table' },
      h('tr', {}, h('th', {}, 'started'), h('th', {}, 'status'), h('th', {}, 'run')),
      shown.map((run) =>
        h(
          'tr',
          { 'data-run': run.id, 'aria-current': run.id === report.id ? 'true' : undefined },
          h('td', {}, h('time', { dateTime: run.startedAt }, when(run.startedAt))),
          h('td', { class: `status ${run.status}` }, run.status),
          h('td', {}, h('a', { href: runLink(run.id) }, run.id), run.id === report.id ? ' (this report)' : null),
        ),
      ),
    ),
    ...(at >= shown.length ? [h('p', { class: 'hint' }, 'This report is older than these runs.')] : []),
    ...(more || runs.length > shown.length ? [h('p', { class: 'hint' }, 'Older runs: preflight history with --server lists them all.')] : []),
  );
  const previous = at >= 0 ? runs[at + 1] : undefined;
  if (!previous) {
    $('diff').replaceChildren(
      h('h3', {}, 'Since the previous run'),
      h(
        'p',
        {},
        at >= 0
          ? "This is the connection's first stored run: there is no earlier one to compare it with."
          : "This run is not among the connection's stored runs that were looked at: nothing to compare it with.",
      ),
    );
    return;
  }
  try {
    const { answer } = await apiGet<ReportDiff>(`preflight/${encodeURIComponent(previous.id)}/diff/${encodeURIComponent(report.id)}`);
    if (isViewing(token)) renderDiff(answer);
  } catch (error) {
    if (isViewing(token)) $('diff').replaceChildren(h('h3', {}, 'Since the previous run'), h('p', { class: 'error-text' }, `Cannot compare the two runs. ${messageOf(error)}`));
  }
}

const statusOf = (status: string | null) => (status === null ? h('span', { class: 'status skipped' }, 'not in the report') : h('span', { class: `status ${status}` }, status));

/** What changed from the previous run to this one, or plainly that nothing did. */
function renderDiff(diff: ReportDiff): void {
  const finding = (f: ReportDiff['findings']['added'][number]) => h('li', {}, h('b', {}, f.code), ` (${f.severity}): ${f.message}`);
  const groups = (
    [
      ['capabilities', 'Capabilities whose status changed', diff.capabilities.map((c) => h('li', {}, `${titleOf(c.id)} (${c.id}): `, statusOf(c.from), ' → ', statusOf(c.to)))],
      ['newly-missing', 'Actions newly missing', diff.actions.newlyMissing.map((action) => h('li', {}, h('code', {}, action)))],
      ['newly-granted', 'Actions newly granted', diff.actions.newlyGranted.map((action) => h('li', {}, h('code', {}, action)))],
      ['findings-added', 'Findings added', diff.findings.added.map(finding)],
      ['findings-gone', 'Findings gone', diff.findings.gone.map(finding)],
    ] as const
  ).filter(([, , items]) => items.length);
  const overall =
    diff.from.status === diff.to.status ? null : h('p', { 'data-change': 'status' }, 'Overall: ', statusOf(diff.from.status), ' → ', statusOf(diff.to.status), diff.worse ? ': worse' : '');
  const changes =
    groups.length || overall
      ? [overall, diff.worse && !overall ? h('p', { 'data-change': 'worse' }, 'Something got worse.') : null, ...groups.flatMap(([key, title, items]) => [h('h4', {}, title), h('ul', { 'data-change': key }, items)])]
      : [h('p', { 'data-change': 'none' }, 'Nothing changed since the previous run: the same capabilities, actions and findings.')];
  $('diff').replaceChildren(
    h('h3', {}, 'Since the previous run, ', h('a', { href: runLink(diff.from.id) }, diff.from.id), ` (${when(diff.from.startedAt)})`),
    ...changes.filter((change) => change !== null),
  );
}

/** Opens the run the address names, if it names one: on load, when the address changes, when the key is typed. */
export function initHistory(): void {
  const route = () => {
    const id = routedRun();
    if (id !== null) void openRun(id);
  };
  $('open-run').addEventListener('submit', (event) => {
    event.preventDefault();
    route();
  });
  window.addEventListener('hashchange', route);
  route();
}
