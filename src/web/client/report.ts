// A report on screen, from a run as it streams or from the store: the verdict and the capability
// matrix first, then findings and policies (each with a copy button), then the probes as a
// waterfall; Copy as Markdown and Download JSON for the ticket.
import type { CapabilityReport, CapabilityStatus, PreflightReport, ProbeReport } from '../../preflight/types.js';
import { renderMarkdown } from '../../render/markdown.js';
import { COPY_FAILED, copyButton, copyText, download, selectShown } from './copy.js';
import { titleOf } from './data.js';
import { $, type Child, h, narrow, runLink, when } from './dom.js';

/** A row of the matrix: a settled capability, or one whose probes are still running. */
type MatrixRow = Partial<Pick<CapabilityReport, 'title' | 'missingActions' | 'reasons' | 'remediation' | 'skipReason'>> & { id: string; status: CapabilityStatus | 'pending' };

/** A probe on the waterfall: when it started, from the run's start. */
type TimedProbe = Pick<ProbeReport, 'id' | 'outcome' | 'durationMs' | 'startedAtMs' | 'skipReason'> & { error?: { code: string } };

/** The data of a `probe` event of POST /preflight's stream (src/routes/preflight.ts). */
export interface ProbeEventData extends Pick<ProbeReport, 'id' | 'outcome' | 'durationMs' | 'skipReason'> {
  error?: { code: string; category: string };
  capabilities: Array<Pick<CapabilityReport, 'id' | 'status'>>;
}

let shown: PreflightReport | null = null;
let probes: TimedProbe[] = [];
let started = 0;
/** Which view is on screen: a late answer for another one is dropped. */
let viewing = 0;

/** The report on screen, if one is. */
export const shownReport = (): PreflightReport | null => shown;

/** A new view takes the screen; answers for the one before are dropped from now on. */
export const nextView = (): number => ++viewing;
export const isViewing = (token: number): boolean => token === viewing;

function capabilityRow(c: MatrixRow): HTMLTableRowElement {
  const settled = c.status === 'ok' || c.status === 'skipped' || c.status === 'pending';
  const detail = h('td', { class: 'detail' });
  if (!settled) {
    if (c.missingActions?.length) detail.append(h('p', { class: 'why' }, `missing ${c.missingActions.join(', ')}`));
    for (const line of new Set((c.reasons ?? []).map((r) => `${r.code}: ${r.message}`))) detail.append(h('p', { class: 'why' }, line));
    if (c.remediation) {
      const summary = h('span', {}, c.remediation.summary);
      detail.append(h('p', { class: 'fix' }, h('b', {}, 'Fix: '), summary, copyButton(c.remediation.summary, summary)));
    }
  }
  return h(
    'tr',
    { 'data-capability': c.id, 'data-status': c.status },
    h('th', { scope: 'row' }, c.title || titleOf(c.id), h('code', {}, c.id)),
    h('td', { class: `status ${c.status}` }, c.status, c.skipReason ? h('small', {}, ` (${c.skipReason})`) : null),
    detail,
  );
}

function renderMatrix(capabilities: MatrixRow[]): void {
  $('matrix').replaceChildren(h('tr', {}, h('th', {}, 'capability'), h('th', {}, 'status'), h('th', {}, 'why and fix')), ...capabilities.map(capabilityRow));
}

/** The probes as a waterfall: when each started and how long it took, coloured by outcome. */
function renderTimeline(): void {
  const total = Math.max(1, ...probes.map((p) => p.startedAtMs + p.durationMs));
  $('probes').replaceChildren(
    ...probes.map((p) => {
      const bar = h('span', { class: 'bar', title: `${p.id}: ${p.outcome}${p.skipReason ? ` (${p.skipReason})` : ''}${p.error ? ` ${p.error.code}` : ''}, ${p.durationMs} ms` });
      bar.style.left = `${(100 * p.startedAtMs) / total}%`;
      bar.style.width = `${(100 * p.durationMs) / total}%`;
      return h('li', { class: p.outcome, 'data-probe': p.id }, h('span', { class: 'name' }, p.id), h('span', { class: 'track' }, bar), h('span', { class: 'ms' }, `${p.durationMs} ms`));
    }),
  );
  const count = (outcome: string) => probes.filter((p) => p.outcome === outcome).length;
  $('timeline-count').textContent =
    `${probes.length} in ${probes.length ? total : 0} ms: ${count('pass')} passed, ${count('fail')} failed, ${count('error')} could not tell, ${count('skipped')} skipped`;
}

/** A document to copy: pretty JSON unless it is text already. */
function codeBlock(text: string): HTMLDivElement {
  const pre = h('pre', {}, text);
  return h('div', { class: 'block' }, pre, copyButton(text, pre));
}

function block(title: string, value: unknown): HTMLElement[] {
  return [h('h3', {}, title), codeBlock(typeof value === 'string' ? value : JSON.stringify(value, null, 2))];
}

/** A finding's fix: text, with any JSON document in it shown as one, and copyable. */
function fixOf(text: string): Child[] {
  const start = text.indexOf('{');
  for (let end = text.lastIndexOf('}'); start >= 0 && end > start; end = text.lastIndexOf('}', end - 1)) {
    try {
      const pretty = JSON.stringify(JSON.parse(text.slice(start, end + 1)), null, 2);
      return [text.slice(0, start).trim(), codeBlock(pretty), text.slice(end + 1).replace(/^[.\s]+$/, '')];
    } catch {
      // not this span
    }
  }
  const shownText = h('span', {}, text);
  return [shownText, copyButton(text, shownText)];
}

function renderPolicies(report: PreflightReport): void {
  const r = report.remediation;
  $('policies').replaceChildren(
    ...(r.policy ? block('Policy that grants what is missing', r.policy) : [h('h3', {}, 'Policy that grants what is missing'), h('p', {}, 'Nothing to grant.')]),
    ...(r.policies ?? []).flatMap((part) => block(`${part.name} (${part.characters} characters)`, part.document)),
    ...(r.trustPolicy ? block('Trust policy for the role', r.trustPolicy) : []),
    // What another account's owner must do: its catalog's resource policy, its Lake Formation share.
    ...(r.otherAccounts ?? []).flatMap((other) => [
      h('h3', {}, `What the owner of account ${other.accountId} must do`),
      h('p', { 'data-other-account': other.accountId }, other.summary),
      ...(other.resourcePolicy ? block('Its Glue Data Catalog resource policy: statements to add', other.resourcePolicy) : []),
      ...(other.commands?.length ? block('Commands, in order', other.commands.join('\n')) : []),
    ]),
    ...r.notes.map((note) => h('p', { class: 'hint' }, note)),
  );
}

export function renderReport(report: PreflightReport): void {
  shown = report;
  const counts: Record<string, number> = {};
  for (const c of report.capabilities) counts[c.status] = (counts[c.status] ?? 0) + 1;
  $('summary').replaceChildren(
    h('span', { class: `status ${report.status}` }, report.status),
    ' ',
    Object.entries(counts)
      .map(([status, n]) => `${n} ${status}`)
      .join(', '),
  );
  const { connection } = report;
  const catalog = connection.catalog && connection.catalog.id !== connection.accountId ? `, Glue catalog ${connection.catalog.id}` : '';
  $('meta').textContent = `Run ${report.id}, ${when(report.startedAt)}, ${report.durationMs} ms${report.identity ? `, as ${report.identity.arn}` : ''}${catalog}`;
  renderMatrix(report.capabilities);
  $('findings').replaceChildren(
    ...(report.findings.length
      ? report.findings.map((f) => h('li', { class: 'finding' }, h('b', {}, f.code), ` (${f.severity}): ${f.message}`, h('div', { class: 'fix' }, h('b', {}, 'Fix: '), fixOf(f.remediation))))
      : [h('li', {}, 'none')]),
  );
  renderPolicies(report);
  probes = report.probes.slice().sort((a, b) => a.startedAtMs - b.startedAtMs);
  renderTimeline();
  $('actions').hidden = false;
  $('report').hidden = false;
  const link = new URL(runLink(report.id), location.href).href;
  const anchor = h('a', { id: 'share-link', href: runLink(report.id) }, link);
  $('share').replaceChildren('Link for the ticket: ', anchor, copyButton(link, anchor, 'Copy link'));
  // Without a report store the run is not kept: a link would open nothing.
  $('share').hidden = document.body.dataset.history !== 'on';
}

/** Nothing of the report before on screen: no actions on it, no link to it, no Markdown of it. */
export function clearReport(): void {
  shown = null;
  for (const id of ['actions', 'share', 'markdown', 'open-run', 'diff', 'runs']) $(id).hidden = true;
  $('results').hidden = false;
  $('open-error').textContent = '';
  $('copy-markdown').textContent = 'Copy as Markdown for the ticket';
}

/** A run begins, as the view on screen (its token): every capability asked for is pending, the waterfall empty; on a phone, the results (above the form) in view. */
export function startResults(requested: string[]): number {
  const token = nextView();
  clearReport();
  probes = [];
  started = performance.now();
  $('report').hidden = false;
  $('summary').replaceChildren(h('span', { class: 'status pending' }, 'running'));
  $('meta').textContent = '';
  renderMatrix(requested.map((id) => ({ id, status: 'pending' })));
  $('findings').replaceChildren();
  $('policies').replaceChildren();
  renderTimeline();
  if (narrow()) window.scrollTo(0, 0);
  return token;
}

export function onProbe(event: ProbeEventData): void {
  // Live: when it ended is now; when it started, that less its duration.
  const ended = Math.round(performance.now() - started);
  probes.push({ id: event.id, outcome: event.outcome, skipReason: event.skipReason, error: event.error, durationMs: event.durationMs, startedAtMs: Math.max(0, ended - event.durationMs) });
  renderTimeline();
  for (const c of event.capabilities) {
    document.querySelector(`#matrix tr[data-capability="${c.id}"]`)?.replaceWith(capabilityRow({ id: c.id, status: c.status }));
  }
}

/** Copy as Markdown (exactly what `preflight check --markdown` prints) and Download JSON, for the report on screen. */
export function initReportActions(): void {
  const copyMarkdown = $('copy-markdown');
  copyMarkdown.addEventListener('click', async () => {
    if (!shown) return;
    const markdown = renderMarkdown(shown);
    const copied = await copyText(markdown);
    copyMarkdown.textContent = copied ? 'Copied as Markdown' : COPY_FAILED;
    if (copied) return;
    // The Markdown is nowhere on screen: shown, for the reader to copy.
    const pre = $('markdown');
    pre.textContent = markdown;
    pre.hidden = false;
    selectShown(pre);
  });
  $('download').addEventListener('click', () => {
    if (shown) download(JSON.stringify(shown, null, 2), `preflight-${shown.id}.json`, 'application/json');
  });
}
