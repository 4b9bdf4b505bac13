// The support engineers' page: one self-contained HTML document (no framework, no build), served
// at `/`. It streams a run over the same API as everyone else and keeps typed secrets only in the
// form: never in storage, cookies or the URL. What a run answers comes first: the verdict and the
// capability matrix, then findings and policies (each with a copy button), then the probes as a
// waterfall. A "Set up" tab, before "Check", asks POST /setup and shows every form it answers
// (CloudFormation, Terraform, aws CLI, the policies, the check) with copy and download buttons.
// A stored report opens at `/#/runs/ID` (the link shown after a run, for a ticket: the run id and
// nothing else; the API key is typed, as for a run): GET /preflight/{id} drawn as a run's report
// is, the connection's recent runs, and what changed since the previous one.
// Everything from a report is put in the page as text (DOM nodes), never as HTML.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { CAPABILITIES } from '../catalogue/capabilities.js';
import { FLAT_FIELDS } from '../preflight/request.js';
import { renderMarkdown } from '../report/markdown.js';

const STYLE = `
*{box-sizing:border-box}[hidden]{display:none!important}
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9;overflow-wrap:anywhere}
header{background:#1d2330;color:#fff;padding:10px 20px;display:flex;flex-wrap:wrap;gap:4px 12px;align-items:baseline}
header h1{margin:0;font-size:18px}header p{margin:0;color:#c5cbd5}
main{display:grid;grid-template-columns:minmax(280px,360px) minmax(0,1fr);gap:20px;padding:20px;align-items:start}
form,section{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:14px 16px;min-width:0}
#results{grid-column:2;grid-row:1;position:sticky;top:0;max-height:100vh;overflow:auto}
#connection{grid-column:1;grid-row:1}
label{display:block;margin:8px 0 2px;font-weight:600}
input,select,textarea{width:100%;padding:6px;border:1px solid #c5cbd5;border-radius:4px;font:inherit}
textarea{font-family:ui-monospace,monospace;min-height:64px}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:0 8px}
details.more,fieldset{border:1px solid #dde1e7;border-radius:6px;margin-top:10px;padding:4px 10px 8px}
details.more summary{cursor:pointer;font-weight:600;padding:4px 0}
.checks{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:0 8px}
.checks label{display:flex;gap:6px;align-items:baseline;font-weight:400;margin:3px 0}.checks input{width:auto}
button{padding:7px 12px;border:0;border-radius:4px;background:#2456d6;color:#fff;font:inherit;font-weight:600;cursor:pointer}
button.secondary{background:#5b6578}button.copy{padding:2px 8px;font-size:12px;background:#e8ecf3;color:#1d2330;border:1px solid #c5cbd5}
#run{margin-top:12px}.hint{color:#5b6578;font-size:12px;margin:6px 0 0}
.verdict{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;justify-content:space-between}
.verdict h2{margin:0;font-size:18px}.actions{display:flex;flex-wrap:wrap;gap:8px}
table{border-collapse:collapse;width:100%;margin-top:10px}td,th{border-bottom:1px solid #e6e9ee;padding:6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
#matrix th[scope=row]{font-weight:600;width:30%}#matrix th code{font-weight:400;color:#5b6578;font-size:12px;margin-left:6px}
#matrix td.status{width:9.5em;overflow-wrap:normal;white-space:nowrap}#matrix td.status small{display:block;font-weight:400;text-transform:none}#matrix tr[data-status=skipped],#matrix tr[data-status=pending]{color:#6b7280}#matrix td,#matrix th{padding:4px 6px}
.why{margin:0 0 2px}.fix{margin:2px 0}.fix .copy,.finding .copy{margin-left:6px}
.ok{color:#11703a}.degraded{color:#9a6400}.unavailable,.failed{color:#b3261e}.unknown{color:#6b3fa0}.skipped,.pending{color:#6b7280}
.status{font-weight:700;text-transform:uppercase;font-size:12px}
h3{margin:16px 0 6px;font-size:15px}ul{padding-left:20px;margin:4px 0}
.block{position:relative}.block .copy{position:absolute;top:6px;right:6px}
pre{background:#0f1420;color:#e6edf3;padding:10px 12px;border-radius:6px;overflow:auto;max-height:320px;margin:4px 0 8px;font-size:12px}
#timeline{margin-top:16px}#timeline summary{cursor:pointer;font-weight:600}
#probes{list-style:none;margin:6px 0 0;padding:0;font-size:12px}
#probes li{display:grid;grid-template-columns:minmax(0,15em) minmax(0,1fr) 4.5em;gap:8px;align-items:center;min-height:16px}
#probes .name{font-family:ui-monospace,monospace;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
#probes .track{position:relative;height:10px;background:#eef0f3;border-radius:2px}
#probes .bar{position:absolute;top:0;bottom:0;min-width:2px;border-radius:2px}
#probes .ms{text-align:right;font-variant-numeric:tabular-nums;color:#5b6578}
.pass .bar,.legend .pass{background:#2e9e5b}.fail .bar,.legend .fail{background:#c8372d}.error .bar,.legend .error{background:#7b4fb8}.skipped .bar,.legend .skipped{background:#b8bec8}
.legend{font-weight:400;color:#5b6578;font-size:12px;margin-left:8px}.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 3px 0 8px}
.error-text{color:#b3261e;white-space:pre-wrap}
#share{margin:2px 0 0}#share .copy{margin-left:6px}
#open-run{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-end;border:0;padding:0;margin-top:10px}#open-run>div{flex:1 1 200px}#open-run label{margin-top:0}#open-run .hint{flex-basis:100%;margin:0}
#diff h4{margin:8px 0 2px;font-size:13px}#runs-table tr[aria-current=true] td{font-weight:600}#runs-table td{padding:4px 6px}
.tabs{display:flex;gap:4px;margin-left:auto}.tabs button{background:transparent;color:#c5cbd5;border-radius:0;border-bottom:2px solid transparent;padding:2px 8px}
.tabs button[aria-selected=true]{color:#fff;border-bottom-color:#fff}
main.setup>#connection,main.setup>#results,main:not(.setup)>#setup{display:none!important}
#setup{grid-column:1/-1;grid-row:1;display:grid;grid-template-columns:minmax(280px,360px) minmax(0,1fr);gap:20px;align-items:start;background:none;border:0;padding:0}
#setup-out .block .download{position:absolute;top:6px;right:64px}#setup-out{position:sticky;top:0;max-height:100vh;overflow:auto}
@media (max-width:800px){
#setup{grid-template-columns:minmax(0,1fr);gap:12px}#setup-out{position:static;max-height:none;overflow:visible}
main{grid-template-columns:minmax(0,1fr);padding:10px;gap:12px}
#results,#connection{grid-column:1;grid-row:auto;position:static;max-height:none;overflow:visible}
#matrix tr{display:grid;grid-template-columns:minmax(0,1fr) auto}#matrix th[scope=row],#matrix td.status{width:auto;border:0}
#matrix td.detail{grid-column:1/-1}#matrix tr:first-child{display:none}
#probes li{grid-template-columns:minmax(0,9em) minmax(0,1fr) 4em}
}
`;

const SCRIPT = `
'use strict';
const $ = (id) => document.getElementById(id);
const CAPS = ${JSON.stringify(CAPABILITIES.map((c) => ({ id: c.id, title: c.title, checked: c.requestedByDefault })))};
const FLAT = ${JSON.stringify(FLAT_FIELDS.map(({ name, path }) => [name, path]))};
const SECRETS = ['secretAccessKey', 'sessionToken', 'externalId'];
const renderMarkdown = ${renderMarkdown.toString()};

/** An element with text children only: nothing from a report is ever parsed as HTML. */
function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value; else if (key in el && key !== 'list') el[key] = value; else el.setAttribute(key, value);
  }
  for (const child of children.flat()) if (child !== undefined && child !== null && child !== false) el.append(child instanceof Node ? child : String(child));
  return el;
}

/** What the service refused, as its status and its words (each field's issue, for a 400). */
function refusal(response, answer) {
  const error = new Error(response.status + ': ' + (answer.issues ? answer.issues.map((i) => i.path + ' ' + i.message).join('\\n') : answer.message || response.statusText));
  error.status = response.status;
  return error;
}

/** A copy button for a text kept in the page (never in the DOM as an attribute). */
const copies = new Map();
function copyButton(text, label) {
  const button = h('button', { type: 'button', class: 'copy' }, label || 'Copy');
  copies.set(button, text);
  return button;
}
document.addEventListener('click', (event) => {
  const button = event.target.closest && event.target.closest('button');
  if (!button || !copies.has(button)) return;
  navigator.clipboard.writeText(copies.get(button)).then(() => { button.textContent = 'Copied'; }, () => { button.textContent = 'Copy failed'; });
});

$('caps').append(...CAPS.map((c) => h('label', {}, h('input', { type: 'checkbox', name: 'cap', value: c.id, checked: c.checked }), c.title)));
const showType = () => { for (const el of document.querySelectorAll('[data-type]')) el.hidden = el.dataset.type !== $('type').value; };
$('type').addEventListener('change', showType); showType();

/** A pasted connection, canonical or flat, as the canonical shape. */
function canonical(pasted) {
  if (!pasted || typeof pasted !== 'object') return {};
  if (!('aws_region' in pasted) && !('aws_account_id' in pasted)) return pasted;
  const out = { credentials: { type: pasted.role_arn ? 'role' : 'accessKey' } };
  for (const [name, path] of FLAT) {
    if (pasted[name] === undefined) continue;
    const keys = path.split('/').slice(1); let at = out;
    for (const key of keys.slice(0, -1)) at = at[key] = at[key] || {};
    at[keys[keys.length - 1]] = pasted[name];
  }
  return out;
}

$('paste').addEventListener('input', () => {
  let c; try { c = canonical(JSON.parse($('paste').value)); } catch { return; }
  const cred = c.credentials || {}; const athena = c.athena || {}; const glue = c.glue || {}; const options = c.options || {};
  const set = (id, v) => { if (v !== undefined && v !== null) $(id).value = Array.isArray(v) ? v.join(', ') : String(v); };
  set('region', c.region); set('account', c.accountId);
  if (['accessKey', 'role', 'ambient'].includes(cred.type)) { $('type').value = cred.type; showType(); }
  set('accessKeyId', cred.accessKeyId); set('secretAccessKey', cred.secretAccessKey); set('sessionToken', cred.sessionToken);
  set('roleArn', cred.roleArn); set('externalId', cred.externalId); set('sessionName', cred.sessionName);
  set('workgroup', athena.workgroup); set('outputLocation', athena.outputLocation); set('catalog', athena.catalog);
  set('catalogId', glue.catalogId); set('databases', glue.databases); set('timeoutMs', options.timeoutMs);
  if (options.runQuery !== undefined) $('runQuery').checked = Boolean(options.runQuery);
  if (options.writeTest !== undefined) $('writeTest').checked = Boolean(options.writeTest);
  if (Array.isArray(c.capabilities)) for (const box of document.querySelectorAll('input[name=cap]')) box.checked = c.capabilities.includes(box.value);
  if (athena.catalog || glue.catalogId || glue.databases || options.timeoutMs || cred.sessionName) $('more').open = true;
  $('paste').value = '';
});

function connection() {
  const value = (id) => $(id).value.trim() || undefined;
  const type = $('type').value;
  const credentials = type === 'role' ? { type, roleArn: value('roleArn'), externalId: value('externalId'), sessionName: value('sessionName') }
    : type === 'ambient' ? { type }
    : { type, accessKeyId: value('accessKeyId'), secretAccessKey: value('secretAccessKey'), sessionToken: value('sessionToken') };
  const databases = value('databases') && value('databases').split(',').map((d) => d.trim()).filter(Boolean);
  const timeout = value('timeoutMs');
  return { region: value('region'), accountId: value('account'), credentials,
    athena: { workgroup: value('workgroup'), catalog: value('catalog'), outputLocation: value('outputLocation') },
    glue: value('catalogId') || databases ? { catalogId: value('catalogId'), databases } : undefined,
    capabilities: [...document.querySelectorAll('input[name=cap]:checked')].map((el) => el.value),
    options: { runQuery: $('runQuery').checked, writeTest: $('writeTest').checked, timeoutMs: timeout === undefined ? undefined : Number(timeout) } };
}

// ---- the results ----
let lastReport = null;
let probes = [];
let started = 0;
const titleOf = (id) => (CAPS.find((c) => c.id === id) || { title: id }).title;
/** A time as the reports give it (ISO 8601, UTC), to the second. */
const when = (iso) => String(iso).slice(0, 19).replace('T', ' ') + ' UTC';
/** The page's address of a stored run: its id and nothing else. */
const runLink = (id) => '#/runs/' + id;
/** Which run is on screen: a late answer for another one is dropped. */
let viewing = 0;

function capabilityRow(c) {
  const settled = c.status === 'ok' || c.status === 'skipped' || c.status === 'pending';
  const detail = h('td', { class: 'detail' });
  if (!settled) {
    if (c.missingActions && c.missingActions.length) detail.append(h('p', { class: 'why' }, 'missing ' + c.missingActions.join(', ')));
    for (const line of [...new Set((c.reasons || []).map((r) => r.code + ': ' + r.message))]) detail.append(h('p', { class: 'why' }, line));
    if (c.remediation) detail.append(h('p', { class: 'fix' }, h('b', {}, 'Fix: '), c.remediation.summary, copyButton(c.remediation.summary)));
  }
  return h('tr', { 'data-capability': c.id, 'data-status': c.status },
    h('th', { scope: 'row' }, c.title || titleOf(c.id), h('code', {}, c.id)),
    h('td', { class: 'status ' + c.status }, c.status, c.skipReason ? h('small', {}, ' (' + c.skipReason + ')') : null),
    detail);
}

function renderMatrix(capabilities) {
  $('matrix').replaceChildren(h('tr', {}, h('th', {}, 'capability'), h('th', {}, 'status'), h('th', {}, 'why and fix')), ...capabilities.map(capabilityRow));
}

/** The probes as a waterfall: when each started and how long it took, coloured by outcome. */
function renderTimeline() {
  const total = Math.max(1, ...probes.map((p) => p.startedAtMs + p.durationMs));
  $('probes').replaceChildren(...probes.map((p) => {
    const bar = h('span', { class: 'bar', title: p.id + ': ' + p.outcome + (p.skipReason ? ' (' + p.skipReason + ')' : '') + (p.error ? ' ' + p.error.code : '') + ', ' + p.durationMs + ' ms' });
    bar.style.left = (100 * p.startedAtMs / total) + '%';
    bar.style.width = (100 * p.durationMs / total) + '%';
    return h('li', { class: p.outcome, 'data-probe': p.id }, h('span', { class: 'name' }, p.id), h('span', { class: 'track' }, bar), h('span', { class: 'ms' }, p.durationMs + ' ms'));
  }));
  const count = (outcome) => probes.filter((p) => p.outcome === outcome).length;
  $('timeline-count').textContent = probes.length + ' in ' + (probes.length ? total : 0) + ' ms: ' + count('pass') + ' passed, ' + count('fail') + ' failed, ' + count('error') + ' could not tell, ' + count('skipped') + ' skipped';
}

function block(title, value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return [h('h3', {}, title), h('div', { class: 'block' }, h('pre', {}, text), copyButton(text))];
}

/** A finding's fix: text, with any JSON document in it shown as one, and copyable. */
function fixOf(text) {
  const start = text.indexOf('{');
  for (let end = text.lastIndexOf('}'); start >= 0 && end > start; end = text.lastIndexOf('}', end - 1)) {
    try {
      const doc = JSON.parse(text.slice(start, end + 1));
      const pretty = JSON.stringify(doc, null, 2);
      return [text.slice(0, start).trim(), h('div', { class: 'block' }, h('pre', {}, pretty), copyButton(pretty)), text.slice(end + 1).replace(/^[.\\s]+$/, '')];
    } catch { /* not this span */ }
  }
  return [text, copyButton(text)];
}

function renderReport(report) {
  lastReport = report;
  const counts = {};
  for (const c of report.capabilities) counts[c.status] = (counts[c.status] || 0) + 1;
  $('summary').replaceChildren(h('span', { class: 'status ' + report.status }, report.status), ' ',
    Object.entries(counts).map(([status, n]) => n + ' ' + status).join(', '));
  const catalog = report.connection.catalog && report.connection.catalog.id !== report.connection.accountId ? ', Glue catalog ' + report.connection.catalog.id : '';
  $('meta').textContent = 'Run ' + report.id + ', ' + when(report.startedAt) + ', ' + report.durationMs + ' ms' + (report.identity ? ', as ' + report.identity.arn : '') + catalog;
  renderMatrix(report.capabilities);
  $('findings').replaceChildren(...(report.findings.length ? report.findings.map((f) => h('li', { class: 'finding' },
    h('b', {}, f.code), ' (' + f.severity + '): ' + f.message, h('div', { class: 'fix' }, h('b', {}, 'Fix: '), fixOf(f.remediation)))) : [h('li', {}, 'none')]));
  const r = report.remediation;
  $('policies').replaceChildren(
    ...(r.policy ? block('Policy that grants what is missing', r.policy) : [h('h3', {}, 'Policy that grants what is missing'), h('p', {}, 'Nothing to grant.')]),
    ...(r.policies || []).flatMap((part) => block(part.name + ' (' + part.characters + ' characters)', part.document)),
    ...(r.trustPolicy ? block('Trust policy for the role', r.trustPolicy) : []),
    // What another account's owner must do: its catalog's resource policy, its Lake Formation share.
    ...(r.otherAccounts || []).flatMap((other) => [
      h('h3', {}, 'What the owner of account ' + other.accountId + ' must do'),
      h('p', { 'data-other-account': other.accountId }, other.summary),
      ...(other.resourcePolicy ? block('Its Glue Data Catalog resource policy: statements to add', other.resourcePolicy) : []),
      ...(other.commands && other.commands.length ? block('Commands, in order', other.commands.join('\\n')) : []),
    ]),
    ...r.notes.map((note) => h('p', { class: 'hint' }, note)));
  probes = report.probes.slice().sort((a, b) => a.startedAtMs - b.startedAtMs);
  renderTimeline();
  $('actions').hidden = false; $('report').hidden = false;
  const link = new URL(runLink(report.id), location.href).href;
  $('share').replaceChildren('Link for the ticket: ', h('a', { id: 'share-link', href: runLink(report.id) }, link), copyButton(link, 'Copy link'));
  // Without a report store the run is not kept: a link would open nothing.
  $('share').hidden = document.body.dataset.history !== 'on';
}

function startResults(requested) {
  lastReport = null; probes = []; started = performance.now(); copies.clear(); viewing++;
  $('results').hidden = false; $('actions').hidden = true; $('share').hidden = true; $('report').hidden = false;
  $('open-run').hidden = true; $('open-error').textContent = ''; $('diff').hidden = true; $('runs').hidden = true;
  $('summary').replaceChildren(h('span', { class: 'status pending' }, 'running'));
  $('meta').textContent = '';
  renderMatrix(requested.map((id) => ({ id, status: 'pending' })));
  $('findings').replaceChildren(); $('policies').replaceChildren(); renderTimeline();
  if (matchMedia('(max-width: 800px)').matches) window.scrollTo(0, 0);
}

function onProbe(event) {
  // Live: when it ended is now; when it started, that less its duration.
  const ended = Math.round(performance.now() - started);
  probes.push({ id: event.id, outcome: event.outcome, skipReason: event.skipReason, error: event.error, durationMs: event.durationMs, startedAtMs: Math.max(0, ended - event.durationMs) });
  renderTimeline();
  for (const c of event.capabilities) {
    const row = document.querySelector('#matrix tr[data-capability="' + c.id + '"]');
    if (row) row.replaceWith(capabilityRow({ id: c.id, status: c.status }));
  }
}

$('connection').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('error').textContent = ''; $('secrets-cleared').hidden = true; $('run').disabled = true;
  const body = connection();
  // A fresh run is not the stored one the address names.
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  startResults(body.capabilities.length ? body.capabilities : CAPS.filter((c) => c.checked).map((c) => c.id));
  const token = viewing;
  try {
    const response = await fetch('preflight', { method: 'POST', body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: 'Bearer ' + $('apiKey').value } });
    if (!response.ok) {
      throw refusal(response, await response.json().catch(() => ({})));
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (let buffer = ''; ;) {
      const { value, done } = await reader.read(); if (done) break;
      const blocks = (buffer += value).split('\\n\\n'); buffer = blocks.pop();
      for (const chunk of blocks) {
        const name = /^event: (.*)$/m.exec(chunk)?.[1]; const data = /^data: (.*)$/m.exec(chunk)?.[1];
        if (!name || !data) continue;
        const payload = JSON.parse(data);
        if (token !== viewing) continue; // a stored report was opened meanwhile: it keeps the screen
        if (name === 'probe') onProbe(payload);
        else if (name === 'report') renderReport(payload);
        else if (name === 'error') throw new Error(payload.message);
      }
    }
  } catch (error) {
    $('error').textContent = String(error.message || error);
    if (!lastReport && token === viewing) $('results').hidden = true;
  } finally {
    $('run').disabled = false;
    // Typed secrets live only in the form; forget them once the run is done. The rest stays for the next run.
    const typed = SECRETS.filter((id) => $(id).value !== '');
    for (const id of SECRETS) $(id).value = '';
    $('secrets-cleared').hidden = typed.length === 0;
  }
});

// ---- the Set up tab: POST /setup, every form with copy and download buttons ----
function selectTab(name) {
  document.querySelector('main').classList.toggle('setup', name === 'setup');
  $('tab-setup').setAttribute('aria-selected', String(name === 'setup'));
  $('tab-check').setAttribute('aria-selected', String(name !== 'setup'));
}
$('tab-setup').addEventListener('click', () => selectTab('setup'));
$('tab-check').addEventListener('click', () => selectTab('check'));
// One API key for the whole page: typed in any form, it is in all of them (and nowhere else).
const KEY_FIELDS = ['apiKey', 's-apiKey', 'o-apiKey'];
for (const id of KEY_FIELDS) $(id).addEventListener('input', () => { for (const other of KEY_FIELDS) if (other !== id) $(other).value = $(id).value; });
$('s-caps').append(...CAPS.map((c) => h('label', {}, h('input', { type: 'checkbox', name: 'scap', value: c.id, checked: c.checked }), c.title)));

const downloads = new Map();
document.addEventListener('click', (event) => {
  const button = event.target.closest && event.target.closest('button');
  if (!button || !downloads.has(button)) return;
  const [text, file] = downloads.get(button);
  const url = URL.createObjectURL(new Blob([text], { type: 'application/octet-stream' }));
  const link = h('a', { href: url, download: file });
  link.click(); URL.revokeObjectURL(url);
});

function setupBody() {
  const value = (id) => $(id).value.trim() || undefined;
  const list = (id) => value(id) && value(id).split(',').map((d) => d.trim()).filter(Boolean);
  const defined = (o) => { const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)); return Object.keys(out).length ? out : undefined; };
  const capabilities = [...document.querySelectorAll('input[name=scap]:checked')].map((el) => el.value);
  return defined({ region: value('s-region'), accountId: value('s-account'), externalId: value('s-externalId'), roleName: value('s-roleName'),
    capabilities: capabilities.length ? capabilities : undefined, required: list('s-required'),
    athena: defined({ workgroup: value('s-workgroup'), catalog: value('s-catalog'), outputLocation: value('s-outputLocation') }),
    glue: defined({ databases: list('s-databases') }), dataLocation: value('s-dataLocation'), kmsKeys: list('s-kmsKeys'),
    options: $('s-selfCheck').checked ? undefined : { selfCheck: false } }) || {};
}

function setupBlock(title, value, file) {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2) + '\\n';
  const download = h('button', { type: 'button', class: 'copy download' }, 'Download');
  downloads.set(download, [text, file]);
  return [h('h3', {}, title), h('div', { class: 'block', 'data-file': file }, h('pre', {}, text), download, copyButton(text))];
}

function renderSetup(setup) {
  copies.clear(); downloads.clear();
  $('setup-out').replaceChildren(
    h('h2', { id: 'setup-summary' }, 'Role ' + setup.roleName),
    h('p', { class: 'hint' }, 'Create ' + setup.roleArn + ' with one of these forms. Only ' + setup.trustedPrincipal + ' may assume it, and only with the external ID. Policies: ' + setup.attachment + '.'),
    ...setup.warnings.map((warning) => h('p', { class: 'error-text setup-warning', role: 'note' }, 'Warning: ' + warning)),
    h('ul', {}, setup.capabilities.map((c) => h('li', {}, c.title + ' (' + c.id + ')' + (c.required ? ', required' : '') + ': ' + c.feature))),
    ...setupBlock('CloudFormation (YAML)', setup.cloudFormation.yaml, 'preflight-role.yaml'),
    ...setupBlock('CloudFormation (JSON)', setup.cloudFormation.json, 'preflight-role.json'),
    ...setupBlock('Terraform', setup.terraform, 'preflight-role.tf'),
    ...setupBlock('aws CLI', setup.awsCli, 'preflight-role.sh'),
    ...setupBlock('Trust policy', setup.trustPolicy, 'trust-policy.json'),
    ...setup.policies.flatMap((p) => setupBlock(p.name + ' (' + p.characters + ' characters): ' + p.purpose, p.document, p.name + '.json')),
    ...setupBlock('Then check it: the POST /preflight body', setup.check, 'preflight-check.json'));
  $('setup-out').hidden = false;
}

$('setup-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('setup-error').textContent = ''; $('setup-run').disabled = true;
  try {
    const response = await fetch('setup', { method: 'POST', body: JSON.stringify(setupBody()),
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: 'Bearer ' + $('s-apiKey').value } });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw refusal(response, answer);
    renderSetup(answer);
  } catch (error) {
    $('setup-error').textContent = String(error.message || error);
    $('setup-out').hidden = true;
  } finally {
    $('setup-run').disabled = false;
  }
});

$('copy-markdown').addEventListener('click', () => {
  if (!lastReport) return;
  navigator.clipboard.writeText(renderMarkdown(lastReport)).then(() => { $('copy-markdown').textContent = 'Copied as Markdown'; });
});
$('download').addEventListener('click', () => {
  if (!lastReport) return;
  const url = URL.createObjectURL(new Blob([JSON.stringify(lastReport, null, 2)], { type: 'application/json' }));
  const link = h('a', { href: url, download: 'preflight-' + lastReport.id + '.json' });
  link.click(); URL.revokeObjectURL(url);
});

// ---- a stored report, at /#/runs/ID: the report, the connection's recent runs, the diff against the previous run ----
const RUN_ID = /^[A-Za-z0-9-]{1,64}$/;
const FINGERPRINT = /^[0-9a-f]{24}$/;

function routedRun() {
  const match = /^#\\/runs\\/(.*)$/.exec(location.hash);
  if (!match) return null;
  try { return decodeURIComponent(match[1]); } catch { return match[1]; }
}

/** GET one of the history routes with the page's API key: the JSON answer and the headers, or the service's refusal. */
async function apiGet(path) {
  const response = await fetch(path, { headers: { accept: 'application/json', authorization: 'Bearer ' + $('apiKey').value } });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw refusal(response, answer);
  return { answer, headers: response.headers };
}

async function openRun(id) {
  const token = ++viewing;
  selectTab('check');
  lastReport = null; copies.clear();
  $('results').hidden = false; $('report').hidden = true; $('actions').hidden = true; $('share').hidden = true;
  $('diff').hidden = true; $('runs').hidden = true; $('open-run').hidden = true; $('open-error').textContent = '';
  $('summary').replaceChildren('Run ' + id); $('meta').textContent = 'A stored report';
  if (!RUN_ID.test(id)) {
    $('open-error').textContent = 'Cannot open this report: "' + id + '" is not a run id (letters, digits and dashes, as in /#/runs/7b3f6a3c4fdb).';
    return;
  }
  if (!$('apiKey').value) {
    $('open-hint').textContent = 'Type the API key to open this stored report. The key stays in this page: it is never put in the link.';
    $('open-run').hidden = false; $('o-apiKey').focus();
    return;
  }
  let found;
  try {
    found = await apiGet('preflight/' + encodeURIComponent(id));
  } catch (error) {
    if (token !== viewing) return;
    $('open-error').textContent = 'Cannot open this report. ' + error.message;
    if (error.status === 401 || error.status === 403) {
      $('open-hint').textContent = 'The API key was refused: type it again.';
      $('open-run').hidden = false; $('o-apiKey').focus();
    }
    return;
  }
  if (token !== viewing) return;
  renderReport(found.answer);
  await showHistory(found.answer, found.headers.get('x-connection-fingerprint'), token);
}

/** The connection's runs, newest first, paged until this run and the one before it are in (at most 10 pages). */
async function connectionRuns(fingerprint, id) {
  const runs = [];
  let next; let at = -1;
  for (let pages = 0; pages < 10; pages++) {
    const { answer } = await apiGet('connections/' + fingerprint + '/runs?limit=20' + (next ? '&cursor=' + encodeURIComponent(next) : ''));
    runs.push(...answer.runs); next = answer.next;
    at = runs.findIndex((run) => run.id === id);
    if (!next || (at >= 0 && at < runs.length - 1)) break;
  }
  return { runs, at, more: Boolean(next) };
}

async function showHistory(report, fingerprint, token) {
  $('runs').hidden = false; $('diff').hidden = false;
  if (!FINGERPRINT.test(fingerprint || '')) {
    $('runs').replaceChildren(h('p', { class: 'hint' }, 'The service did not name the connection: its other runs cannot be listed.'));
    $('diff').hidden = true;
    return;
  }
  let listed;
  try {
    listed = await connectionRuns(fingerprint, report.id);
  } catch (error) {
    if (token !== viewing) return;
    $('runs').replaceChildren(h('h3', {}, "This connection's recent runs"), h('p', { class: 'error-text' }, 'Cannot list them. ' + error.message));
    $('diff').hidden = true;
    return;
  }
  if (token !== viewing) return;
  const { runs, at, more } = listed;
  const shown = runs.slice(0, 20);
  $('runs').replaceChildren(...[h('h3', {}, "This connection's recent runs"),
    h('table', { id: 'runs-table' }, h('tr', {}, h('th', {}, 'started'), h('th', {}, 'status'), h('th', {}, 'run')),
      ...shown.map((run) => h('tr', { 'data-run': run.id, 'aria-current': run.id === report.id ? 'true' : undefined },
        h('td', {}, h('time', { dateTime: run.startedAt }, when(run.startedAt))),
        h('td', { class: 'status ' + run.status }, run.status),
        h('td', {}, h('a', { href: runLink(run.id) }, run.id), run.id === report.id ? ' (this report)' : null)))),
    at >= shown.length ? h('p', { class: 'hint' }, 'This report is older than these runs.') : null,
    more || runs.length > shown.length ? h('p', { class: 'hint' }, 'Older runs: preflight history with --server lists them all.') : null].filter(Boolean));
  const previous = at >= 0 ? runs[at + 1] : undefined;
  if (!previous) {
    $('diff').replaceChildren(h('h3', {}, 'Since the previous run'), h('p', {}, at >= 0
      ? "This is the connection's first stored run: there is no earlier one to compare it with."
      : "This run is not among the connection's stored runs that were looked at: nothing to compare it with."));
    return;
  }
  try {
    const { answer } = await apiGet('preflight/' + encodeURIComponent(previous.id) + '/diff/' + encodeURIComponent(report.id));
    if (token === viewing) renderDiff(answer);
  } catch (error) {
    if (token === viewing) $('diff').replaceChildren(h('h3', {}, 'Since the previous run'), h('p', { class: 'error-text' }, 'Cannot compare the two runs. ' + error.message));
  }
}

const statusOf = (status) => status === null ? h('span', { class: 'status skipped' }, 'not in the report') : h('span', { class: 'status ' + status }, status);

/** What changed from the previous run to this one, or plainly that nothing did. */
function renderDiff(diff) {
  const groups = [
    ['capabilities', 'Capabilities whose status changed', diff.capabilities.map((c) => h('li', {}, (c.title || titleOf(c.id)) + ' (' + c.id + '): ', statusOf(c.from), ' → ', statusOf(c.to)))],
    ['newly-missing', 'Actions newly missing', diff.actions.newlyMissing.map((action) => h('li', {}, h('code', {}, action)))],
    ['newly-granted', 'Actions newly granted', diff.actions.newlyGranted.map((action) => h('li', {}, h('code', {}, action)))],
    ['findings-added', 'Findings added', diff.findings.added.map((f) => h('li', {}, h('b', {}, f.code), ' (' + f.severity + '): ' + f.message))],
    ['findings-gone', 'Findings gone', diff.findings.gone.map((f) => h('li', {}, h('b', {}, f.code), ' (' + f.severity + '): ' + f.message))],
  ].filter(([, , items]) => items.length);
  const overall = diff.from.status === diff.to.status ? null : h('p', { 'data-change': 'status' }, 'Overall: ', statusOf(diff.from.status), ' → ', statusOf(diff.to.status), diff.worse ? ': worse' : '');
  const changes = groups.length || overall
    ? [overall, diff.worse && !overall ? h('p', { 'data-change': 'worse' }, 'Something got worse.') : null,
      ...groups.flatMap(([key, title, items]) => [h('h4', {}, title), h('ul', { 'data-change': key }, items)])]
    : [h('p', { 'data-change': 'none' }, 'Nothing changed since the previous run: the same capabilities, actions and findings.')];
  $('diff').replaceChildren(h('h3', {}, 'Since the previous run, ', h('a', { href: runLink(diff.from.id) }, diff.from.id), ' (' + when(diff.from.startedAt) + ')'),
    ...changes.filter(Boolean));
}

$('open-run').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = routedRun();
  if (id !== null) openRun(id);
});
const route = () => { const id = routedRun(); if (id !== null) openRun(id); };
window.addEventListener('hashchange', route);
route();
`;

const BODY = `
<header><h1>Preflight</h1><p>check an AWS connection: what works, what does not, and the fix</p>
<nav class="tabs" role="tablist"><button type="button" role="tab" id="tab-setup" aria-controls="setup" aria-selected="false">Set up</button><button type="button" role="tab" id="tab-check" aria-controls="connection" aria-selected="true">Check</button></nav></header>
<main>
<section id="setup" role="tabpanel" aria-labelledby="tab-setup">
<form id="setup-form" method="post" action="#" autocomplete="off">
  <p class="hint">The role the customer creates for the service, from the same catalogue that judges the check.</p>
  <label for="s-apiKey">API key</label><input id="s-apiKey" type="password" required>
  <div class="pair"><div><label for="s-region">Region</label><input id="s-region" placeholder="eu-west-1" required></div>
    <div><label for="s-account">Account id</label><input id="s-account" placeholder="123456789012" required></div></div>
  <div class="pair"><div><label for="s-externalId">External ID</label><input id="s-externalId" type="password" required></div>
    <div><label for="s-roleName">Role name</label><input id="s-roleName" placeholder="PreflightAccess"></div></div>
  <fieldset><legend>Capabilities</legend><div id="s-caps" class="checks"></div></fieldset>
  <label for="s-required">Required (comma-separated ids)</label><input id="s-required" placeholder="connection, metadata">
  <div class="pair"><div><label for="s-workgroup">Athena workgroup</label><input id="s-workgroup" placeholder="every one"></div>
    <div><label for="s-outputLocation">Output location</label><input id="s-outputLocation" placeholder="s3://bucket/prefix/"></div></div>
  <div class="pair"><div><label for="s-catalog">Athena data catalog</label><input id="s-catalog" placeholder="AwsDataCatalog"></div>
    <div><label for="s-databases">Databases (comma-separated)</label><input id="s-databases" placeholder="every database"></div></div>
  <label for="s-dataLocation">Tables' data (for table-data and query-execution)</label><input id="s-dataLocation" placeholder="s3://bucket/prefix/">
  <label for="s-kmsKeys">KMS key ARNs (comma-separated)</label><input id="s-kmsKeys">
  <fieldset class="checks"><legend>Options</legend><label><input type="checkbox" id="s-selfCheck" checked> grant what the preflight's own checks call</label></fieldset>
  <button id="setup-run" type="submit">Generate the setup</button>
  <p id="setup-error" class="error-text" role="alert"></p>
</form>
<section id="setup-out" hidden aria-live="polite"></section>
</section>
<section id="results" hidden aria-live="polite">
  <div class="verdict"><div><h2 id="summary"></h2><div id="meta" class="hint"></div></div>
    <div id="actions" class="actions" hidden><button id="copy-markdown" type="button">Copy as Markdown for the ticket</button><button id="download" class="secondary" type="button">Download JSON</button></div></div>
  <p id="share" class="hint" hidden></p>
  <p id="open-error" class="error-text" role="alert"></p>
  <form id="open-run" method="post" action="#" autocomplete="off" hidden>
    <p id="open-hint" class="hint"></p>
    <div><label for="o-apiKey">API key</label><input id="o-apiKey" type="password" required></div><button id="open" type="submit">Open the report</button>
  </form>
  <div id="diff" hidden></div>
  <div id="report">
  <table id="matrix"></table>
  <h3>Findings</h3><ul id="findings"></ul>
  <div id="policies"></div>
  <details id="timeline" open><summary>Probes: <span id="timeline-count"></span><span class="legend"><i class="pass"></i>passed<i class="fail"></i>failed<i class="error"></i>could not tell<i class="skipped"></i>skipped</span></summary><ol id="probes"></ol></details>
  </div>
  <div id="runs" hidden></div>
</section>
<form id="connection" method="post" action="#" autocomplete="off">
  <label for="apiKey">API key</label><input id="apiKey" type="password" required>
  <label for="paste">Paste a connection (JSON, canonical or flat)</label><textarea id="paste" spellcheck="false"></textarea>
  <div class="pair"><div><label for="region">Region</label><input id="region" placeholder="eu-west-1" required></div>
    <div><label for="account">Account id</label><input id="account" placeholder="123456789012" required></div></div>
  <label for="type">Credentials</label><select id="type"><option value="accessKey">access keys</option><option value="role">role with external ID</option><option value="ambient">the service's own identity</option></select>
  <div data-type="accessKey"><label for="accessKeyId">Access key id</label><input id="accessKeyId">
    <label for="secretAccessKey">Secret access key</label><input id="secretAccessKey" type="password">
    <label for="sessionToken">Session token (optional)</label><input id="sessionToken" type="password"></div>
  <div data-type="role"><label for="roleArn">Role ARN</label><input id="roleArn">
    <label for="externalId">External ID</label><input id="externalId" type="password"></div>
  <div class="pair"><div><label for="workgroup">Athena workgroup</label><input id="workgroup" placeholder="primary"></div>
    <div><label for="outputLocation">Output location</label><input id="outputLocation" placeholder="s3://bucket/prefix/"></div></div>
  <details class="more" id="more"><summary>Catalog, databases, timeout</summary>
    <div class="pair"><div><label for="catalog">Athena data catalog</label><input id="catalog" placeholder="AwsDataCatalog"></div>
      <div><label for="catalogId">Glue catalog</label><input id="catalogId" placeholder="the account's own; 999988887777, s3tablescatalog/bucket"></div></div>
    <label for="databases">Databases (comma-separated)</label><input id="databases" placeholder="every database">
    <div class="pair"><div><label for="timeoutMs">Timeout (ms)</label><input id="timeoutMs" type="number" min="1000" max="300000" step="1000" placeholder="the service's"></div>
      <div data-type="role"><label for="sessionName">Role session name</label><input id="sessionName" placeholder="preflight-&lt;run&gt;"></div></div>
  </details>
  <fieldset><legend>Capabilities</legend><div id="caps" class="checks"></div></fieldset>
  <fieldset class="checks"><legend>Options</legend><label><input type="checkbox" id="writeTest" checked> write a marker object</label><label><input type="checkbox" id="runQuery"> run SELECT 1</label></fieldset>
  <button id="run" type="submit">Run preflight</button>
  <p id="secrets-cleared" class="hint" hidden>Secrets were cleared after the run: type them again to run again.</p>
  <p id="error" class="error-text" role="alert"></p>
</form>
</main>`;

// An inline icon: the browser asks for no /favicon.ico (which would be a 404).
const ICON = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#2456d6"/><path d="M4 8.5l3 3 5-7" stroke="#fff" stroke-width="2" fill="none"/></svg>')}`;

// Whether the service keeps reports is said in the markup (the script's hash stays one): without a
// store, a run offers no link to a report that will not be there.
const page = (history: boolean) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><link rel="icon" href="${ICON}"><title>Preflight</title><style>${STYLE}</style></head><body data-history="${history ? 'on' : 'off'}">${BODY}<script>${SCRIPT}</script></body></html>`;

const hash = (source: string) => `'sha256-${createHash('sha256').update(source).digest('base64')}'`;

/** Only this page's own script and style run; it may talk to this origin and nothing else. */
export const PAGE_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src ${hash(SCRIPT)}`,
  `style-src ${hash(STYLE)}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function registerWebPage(app: FastifyInstance, options: { history: boolean } = { history: true }): void {
  const html = page(options.history);
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .header('content-security-policy', PAGE_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(html),
  );
}
