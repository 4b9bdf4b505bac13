// The Check tab: a connection typed or pasted (canonical or flat JSON), run over POST /preflight's
// event stream, the results drawn as the probes settle. Typed secrets live only in the form, and
// are forgotten once the run is done.
import type { PreflightReport } from '../../preflight/types.js';
import { CAPABILITIES, FLAT_FIELDS } from './data.js';
import { $, h, listOf, messageOf, refusal, valueOf } from './dom.js';
import { type ProbeEventData, isViewing, onProbe, renderReport, shownReport, startResults } from './report.js';

const SECRETS = ['secretAccessKey', 'sessionToken', 'externalId'];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const section = (value: unknown): Json => (isObject(value) ? value : {});

/** A pasted connection, canonical or flat, as the canonical shape. */
function canonical(pasted: unknown): Json {
  if (!isObject(pasted)) return {};
  if (!('aws_region' in pasted) && !('aws_account_id' in pasted)) return pasted;
  const out: Json = { credentials: { type: pasted.role_arn ? 'role' : 'accessKey' } };
  for (const [name, path] of FLAT_FIELDS) {
    if (pasted[name] === undefined) continue;
    const keys = path.split('/').slice(1);
    let at = out;
    for (const key of keys.slice(0, -1)) at = (at[key] = section(at[key]));
    at[keys[keys.length - 1]!] = pasted[name];
  }
  return out;
}

const showCredentialFields = () => {
  for (const element of document.querySelectorAll<HTMLElement>('[data-type]')) element.hidden = element.dataset.type !== $('type', HTMLSelectElement).value;
};

/** Fills the form from a pasted connection, then empties the paste box. */
function fillFrom(pasted: string): void {
  let c: Json;
  try {
    c = canonical(JSON.parse(pasted));
  } catch {
    return;
  }
  const cred = section(c.credentials);
  const athena = section(c.athena);
  const glue = section(c.glue);
  const options = section(c.options);
  const set = (id: string, v: unknown) => {
    if (v !== undefined && v !== null) $(id, HTMLInputElement).value = Array.isArray(v) ? v.join(', ') : String(v);
  };
  set('region', c.region);
  set('account', c.accountId);
  if (typeof cred.type === 'string' && ['accessKey', 'role', 'ambient'].includes(cred.type)) {
    $('type', HTMLSelectElement).value = cred.type;
    showCredentialFields();
  }
  set('accessKeyId', cred.accessKeyId);
  set('secretAccessKey', cred.secretAccessKey);
  set('sessionToken', cred.sessionToken);
  set('roleArn', cred.roleArn);
  set('externalId', cred.externalId);
  set('sessionName', cred.sessionName);
  set('workgroup', athena.workgroup);
  set('outputLocation', athena.outputLocation);
  set('catalog', athena.catalog);
  set('catalogId', glue.catalogId);
  set('databases', glue.databases);
  set('timeoutMs', options.timeoutMs);
  if (options.runQuery !== undefined) $('runQuery', HTMLInputElement).checked = Boolean(options.runQuery);
  if (options.writeTest !== undefined) $('writeTest', HTMLInputElement).checked = Boolean(options.writeTest);
  const capabilities = c.capabilities;
  if (Array.isArray(capabilities)) for (const box of document.querySelectorAll<HTMLInputElement>('input[name=cap]')) box.checked = capabilities.includes(box.value);
  if (athena.catalog || glue.catalogId || glue.databases || options.timeoutMs || cred.sessionName) $('more', HTMLDetailsElement).open = true;
  $('paste', HTMLTextAreaElement).value = '';
}

/** The POST /preflight body the form says. */
function connection() {
  const type = $('type', HTMLSelectElement).value;
  const credentials =
    type === 'role'
      ? { type, roleArn: valueOf('roleArn'), externalId: valueOf('externalId'), sessionName: valueOf('sessionName') }
      : type === 'ambient'
        ? { type }
        : { type, accessKeyId: valueOf('accessKeyId'), secretAccessKey: valueOf('secretAccessKey'), sessionToken: valueOf('sessionToken') };
  const databases = listOf('databases');
  const timeout = valueOf('timeoutMs');
  return {
    region: valueOf('region'),
    accountId: valueOf('account'),
    credentials,
    athena: { workgroup: valueOf('workgroup'), catalog: valueOf('catalog'), outputLocation: valueOf('outputLocation') },
    glue: valueOf('catalogId') || databases ? { catalogId: valueOf('catalogId'), databases } : undefined,
    capabilities: [...document.querySelectorAll<HTMLInputElement>('input[name=cap]:checked')].map((box) => box.value),
    options: { runQuery: $('runQuery', HTMLInputElement).checked, writeTest: $('writeTest', HTMLInputElement).checked, timeoutMs: timeout === undefined ? undefined : Number(timeout) },
  };
}

/** Runs the form's connection over the event stream, drawing each probe as it settles. */
async function run(): Promise<void> {
  const body = connection();
  // A fresh run is not the stored one the address names.
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  const token = startResults(body.capabilities.length ? body.capabilities : CAPABILITIES.filter((c) => c.checked).map((c) => c.id));
  try {
    const response = await fetch('preflight', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${$('apiKey', HTMLInputElement).value}` },
    });
    if (!response.ok) throw refusal(response, await response.json().catch(() => ({})));
    if (!response.body) throw new Error(`${response.status}: the service answered nothing`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (let buffer = ''; ; ) {
      const { value, done } = await reader.read();
      if (done) break;
      const blocks = (buffer += value).split('\n\n');
      buffer = blocks.pop() ?? '';
      for (const chunk of blocks) {
        const name = /^event: (.*)$/m.exec(chunk)?.[1];
        const data = /^data: (.*)$/m.exec(chunk)?.[1];
        if (!name || !data) continue;
        const payload: unknown = JSON.parse(data);
        if (!isViewing(token)) continue; // a stored report was opened meanwhile: it keeps the screen
        if (name === 'probe') onProbe(payload as ProbeEventData);
        else if (name === 'report') renderReport(payload as PreflightReport);
        else if (name === 'error') throw new Error(String(section(payload).message));
      }
    }
  } catch (error) {
    $('error').textContent = messageOf(error);
    if (!shownReport() && isViewing(token)) $('results').hidden = true;
  }
}

export function initCheck(): void {
  $('caps').append(...CAPABILITIES.map((c) => h('label', {}, h('input', { type: 'checkbox', name: 'cap', value: c.id, checked: c.checked }), c.title)));
  $('type').addEventListener('change', showCredentialFields);
  showCredentialFields();
  const paste = $('paste', HTMLTextAreaElement);
  paste.addEventListener('input', () => fillFrom(paste.value));
  $('connection').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('error').textContent = '';
    $('secrets-cleared').hidden = true;
    $('run', HTMLButtonElement).disabled = true;
    try {
      await run();
    } finally {
      $('run', HTMLButtonElement).disabled = false;
      // Typed secrets live only in the form; forget them once the run is done. The rest stays for the next run.
      const typed = SECRETS.filter((id) => $(id, HTMLInputElement).value !== '');
      for (const id of SECRETS) $(id, HTMLInputElement).value = '';
      $('secrets-cleared').hidden = typed.length === 0;
    }
  });
}
