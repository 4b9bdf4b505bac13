// The support engineers' page: one self-contained HTML document (no framework, no build), served
// at `/`. It streams a run over the same API as everyone else and keeps typed secrets only in the
// form: never in storage, cookies or the URL.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { CAPABILITIES } from '../catalogue/capabilities.js';

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:12px 24px}header h1{margin:0;font-size:18px}
main{display:grid;grid-template-columns:minmax(320px,420px) 1fr;gap:24px;padding:24px}
form,section{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:16px}
label{display:block;margin:8px 0 2px;font-weight:600}input,select,textarea{width:100%;box-sizing:border-box;padding:6px;border:1px solid #c5cbd5;border-radius:4px;font:inherit}
textarea{font-family:ui-monospace,monospace;min-height:90px}fieldset{border:1px solid #dde1e7;border-radius:6px;margin-top:10px}
.checks label{display:inline-block;font-weight:400;margin-right:10px}.checks input{width:auto}
button{margin-top:12px;padding:8px 14px;border:0;border-radius:4px;background:#2456d6;color:#fff;font-weight:600;cursor:pointer}button.secondary{background:#5b6578}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e6e9ee;padding:6px;text-align:left;vertical-align:top}
.ok{color:#11703a}.degraded{color:#9a6400}.unavailable,.failed{color:#b3261e}.unknown{color:#6b3fa0}.skipped{color:#6b7280}
.status{font-weight:700;text-transform:uppercase}pre{background:#0f1420;color:#e6edf3;padding:12px;border-radius:6px;overflow:auto;max-height:360px}
#probes li{font-family:ui-monospace,monospace;font-size:12px}.error{color:#b3261e;white-space:pre-wrap}
`;

const SCRIPT = `
const $ = (id) => document.getElementById(id);
const form = $('connection');
const CAPS = ${JSON.stringify(CAPABILITIES.map((c) => ({ id: c.id, checked: c.requestedByDefault })))};
$('caps').innerHTML = CAPS.map((c) => '<label><input type="checkbox" name="cap" value="' + c.id + '"' + (c.checked ? ' checked' : '') + '> ' + c.id + '</label>').join('');
const showType = () => { for (const el of document.querySelectorAll('[data-type]')) el.hidden = el.dataset.type !== $('type').value; };
$('type').addEventListener('change', showType); showType();
const text = (value) => { const span = document.createElement('span'); span.textContent = value == null ? '' : String(value); return span.innerHTML; };
let lastReport = null;

$('paste').addEventListener('input', () => {
  let c; try { c = JSON.parse($('paste').value); } catch { return; }
  const cred = c.credentials || {};
  const set = (id, v) => { if (v !== undefined) $(id).value = v; };
  set('region', c.region ?? c.aws_region); set('account', c.accountId ?? c.aws_account_id);
  const role = cred.type === 'role' || c.role_arn; $('type').value = role ? 'role' : 'accessKey'; showType();
  set('accessKeyId', cred.accessKeyId ?? c.access_key_id); set('secretAccessKey', cred.secretAccessKey ?? c.access_key_secret);
  set('sessionToken', cred.sessionToken ?? c.session_token); set('roleArn', cred.roleArn ?? c.role_arn); set('externalId', cred.externalId ?? c.external_id);
  set('workgroup', c.athena?.workgroup ?? c.workgroup); set('outputLocation', c.athena?.outputLocation ?? c.s3_output_location ?? c.s3_staging_dir);
  $('paste').value = '';
});

function connection() {
  const value = (id) => $(id).value.trim() || undefined;
  const credentials = $('type').value === 'role'
    ? { type: 'role', roleArn: value('roleArn'), externalId: value('externalId') }
    : { type: 'accessKey', accessKeyId: value('accessKeyId'), secretAccessKey: value('secretAccessKey'), sessionToken: value('sessionToken') };
  const athena = { workgroup: value('workgroup'), outputLocation: value('outputLocation') };
  return { region: value('region'), accountId: value('account'), credentials, athena,
    capabilities: [...document.querySelectorAll('input[name=cap]:checked')].map((el) => el.value),
    options: { runQuery: $('runQuery').checked, writeTest: $('writeTest').checked } };
}

function renderReport(report) {
  lastReport = report;
  $('summary').innerHTML = 'Run ' + text(report.id) + ': <span class="status ' + text(report.status) + '">' + text(report.status) + '</span> in ' + text(report.durationMs) + ' ms' + (report.identity ? ' as ' + text(report.identity.arn) : '');
  $('matrix').innerHTML = '<tr><th>capability</th><th>status</th><th>missing</th><th>why and fix</th></tr>' + report.capabilities.map((c) =>
    '<tr data-capability="' + text(c.id) + '"><td>' + text(c.id) + '</td><td class="status ' + text(c.status) + '">' + text(c.status) + (c.skipReason ? ' (' + text(c.skipReason) + ')' : '') + '</td><td>' + text(c.missingActions.join(', ')) +
    '</td><td>' + c.reasons.map((r) => text(r.action + ': ' + r.message)).join('<br>') + (c.remediation && c.status !== 'ok' ? '<br><b>' + text(c.remediation.summary) + '</b>' : '') + '</td></tr>').join('');
  $('findings').innerHTML = report.findings.map((f) => '<li><b>' + text(f.code) + '</b> (' + text(f.severity) + '): ' + text(f.message) + '<br>Fix: ' + text(f.remediation) + '</li>').join('') || '<li>none</li>';
  $('policy').textContent = report.remediation.policy ? JSON.stringify(report.remediation.policy, null, 2) : '(nothing to grant)';
  $('results').hidden = false;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  $('error').textContent = ''; $('probes').innerHTML = ''; $('results').hidden = true; $('run').disabled = true;
  try {
    const response = await fetch('preflight', { method: 'POST', body: JSON.stringify(connection()),
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: 'Bearer ' + $('apiKey').value } });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw new Error(response.status + ': ' + (body.issues ? body.issues.map((i) => i.path + ' ' + i.message).join('\\n') : body.message || response.statusText));
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (let buffer = ''; ;) {
      const { value, done } = await reader.read(); if (done) break;
      const blocks = (buffer += value).split('\\n\\n'); buffer = blocks.pop();
      for (const block of blocks) {
        const name = /^event: (.*)$/m.exec(block)?.[1]; const data = /^data: (.*)$/m.exec(block)?.[1];
        if (!name || !data) continue;
        const payload = JSON.parse(data);
        if (name === 'probe') $('probes').insertAdjacentHTML('beforeend', '<li class="' + (payload.outcome === 'pass' ? 'ok' : payload.outcome === 'skipped' ? 'skipped' : 'unavailable') + '">' + text(payload.outcome + ' ' + payload.id + ' ' + payload.durationMs + ' ms') + '</li>');
        else if (name === 'report') renderReport(payload);
        else if (name === 'error') throw new Error(payload.message);
      }
    }
  } catch (error) { $('error').textContent = String(error.message || error); }
  finally {
    $('run').disabled = false;
    // Typed secrets live only in the form; forget them once the run is done.
    for (const id of ['secretAccessKey', 'sessionToken', 'externalId']) $(id).value = '';
  }
});

$('copy').addEventListener('click', () => navigator.clipboard.writeText($('policy').textContent).then(() => { $('copy').textContent = 'Copied'; }));
$('download').addEventListener('click', () => {
  if (!lastReport) return;
  const url = URL.createObjectURL(new Blob([JSON.stringify(lastReport, null, 2)], { type: 'application/json' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: 'preflight-' + lastReport.id + '.json' });
  link.click(); URL.revokeObjectURL(url);
});
`;

const BODY = `
<header><h1>Preflight: check an AWS connection</h1></header>
<main>
<form id="connection" method="post" action="#" autocomplete="off">
  <label for="apiKey">API key</label><input id="apiKey" type="password" required>
  <label for="paste">Paste a connection (JSON, canonical or flat)</label><textarea id="paste" spellcheck="false"></textarea>
  <label for="region">Region</label><input id="region" placeholder="eu-west-1" required>
  <label for="account">Account id</label><input id="account" placeholder="123456789012" required>
  <label for="type">Credentials</label><select id="type"><option value="accessKey">access keys</option><option value="role">role with external ID</option></select>
  <div data-type="accessKey"><label for="accessKeyId">Access key id</label><input id="accessKeyId">
    <label for="secretAccessKey">Secret access key</label><input id="secretAccessKey" type="password">
    <label for="sessionToken">Session token (optional)</label><input id="sessionToken" type="password"></div>
  <div data-type="role"><label for="roleArn">Role ARN</label><input id="roleArn">
    <label for="externalId">External ID</label><input id="externalId" type="password"></div>
  <label for="workgroup">Athena workgroup</label><input id="workgroup" placeholder="primary">
  <label for="outputLocation">Output location</label><input id="outputLocation" placeholder="s3://bucket/prefix/">
  <fieldset class="checks"><legend>Capabilities</legend><div id="caps"></div></fieldset>
  <fieldset class="checks"><legend>Options</legend><label><input type="checkbox" id="writeTest" checked> write a marker object</label><label><input type="checkbox" id="runQuery"> run SELECT 1</label></fieldset>
  <button id="run" type="submit">Run preflight</button>
  <p id="error" class="error" role="alert"></p>
</form>
<div>
  <section><h2>Probes</h2><ol id="probes"></ol></section>
  <section id="results" hidden>
    <h2 id="summary"></h2>
    <table id="matrix"></table>
    <h3>Findings</h3><ul id="findings"></ul>
    <h3>Policy that grants what is missing</h3><pre id="policy"></pre>
    <button id="copy" type="button">Copy policy</button> <button id="download" class="secondary" type="button">Download report</button>
  </section>
</div>
</main>`;

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>Preflight</title><style>${STYLE}</style></head><body>${BODY}<script>${SCRIPT}</script></body></html>`;

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

export function registerWebPage(app: FastifyInstance): void {
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .header('content-security-policy', PAGE_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(PAGE),
  );
}
