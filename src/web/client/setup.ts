// The Set up tab: POST /setup, and every form it answers (CloudFormation, Terraform, aws CLI, the
// policies, the check) with copy and download buttons.
import type { Setup } from '../../setup/generate.js';
import { copyButton, downloadButton } from './copy.js';
import { CAPABILITIES } from './data.js';
import { $, h, listOf, messageOf, refusal, valueOf } from './dom.js';

/** An object without its undefined fields; undefined if none is left. */
function defined<T extends Record<string, unknown>>(object: T): Partial<T> | undefined {
  const out = Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
  return Object.keys(out).length ? (out as Partial<T>) : undefined;
}

/** The POST /setup body the form says. */
function setupBody() {
  const capabilities = [...document.querySelectorAll<HTMLInputElement>('input[name=scap]:checked')].map((box) => box.value);
  return (
    defined({
      region: valueOf('s-region'),
      accountId: valueOf('s-account'),
      externalId: valueOf('s-externalId'),
      roleName: valueOf('s-roleName'),
      capabilities: capabilities.length ? capabilities : undefined,
      required: listOf('s-required'),
      athena: defined({ workgroup: valueOf('s-workgroup'), catalog: valueOf('s-catalog'), outputLocation: valueOf('s-outputLocation') }),
      glue: defined({ databases: listOf('s-databases') }),
      dataLocation: valueOf('s-dataLocation'),
      kmsKeys: listOf('s-kmsKeys'),
      options: $('s-selfCheck', HTMLInputElement).checked ? undefined : { selfCheck: false },
    }) ?? {}
  );
}

function setupBlock(title: string, value: unknown, file: string): HTMLElement[] {
  const text = typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`;
  const pre = h('pre', {}, text);
  return [h('h3', {}, title), h('div', { class: 'block', 'data-file': file }, pre, downloadButton(text, file), copyButton(text, pre))];
}

function renderSetup(setup: Setup): void {
  const out = $('setup-out');
  out.replaceChildren(
    h('h2', { id: 'setup-summary' }, `Role ${setup.roleName}`),
    h('p', { class: 'hint' }, `Create ${setup.roleArn} with one of these forms. Only ${setup.trustedPrincipal} may assume it, and only with the external ID. Policies: ${setup.attachment}.`),
    ...setup.warnings.map((warning) => h('p', { class: 'error-text setup-warning', role: 'note' }, `Warning: ${warning}`)),
    h('ul', {}, setup.capabilities.map((c) => h('li', {}, `${c.title} (${c.id})${c.required ? ', required' : ''}: ${c.feature}`))),
    ...setupBlock('CloudFormation (YAML)', setup.cloudFormation.yaml, 'preflight-role.yaml'),
    ...setupBlock('CloudFormation (JSON)', setup.cloudFormation.json, 'preflight-role.json'),
    ...setupBlock('Terraform', setup.terraform, 'preflight-role.tf'),
    ...setupBlock('aws CLI', setup.awsCli, 'preflight-role.sh'),
    ...setupBlock('Trust policy', setup.trustPolicy, 'trust-policy.json'),
    ...setup.policies.flatMap((p) => setupBlock(`${p.name} (${p.characters} characters): ${p.purpose}`, p.document, `${p.name}.json`)),
    ...setupBlock('Then check it: the POST /preflight body', setup.check, 'preflight-check.json'),
  );
  out.hidden = false;
  // On a phone the answer is below the form, out of sight: bring it up (beside the form, it is in view already).
  const top = out.getBoundingClientRect().top;
  if (top < 0 || top > window.innerHeight / 2) out.scrollIntoView({ block: 'start' });
}

async function generate(): Promise<void> {
  const response = await fetch('setup', {
    method: 'POST',
    body: JSON.stringify(setupBody()),
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${$('s-apiKey', HTMLInputElement).value}` },
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw refusal(response, answer);
  renderSetup(answer as Setup);
}

export function initSetup(): void {
  $('s-caps').append(...CAPABILITIES.map((c) => h('label', {}, h('input', { type: 'checkbox', name: 'scap', value: c.id, checked: c.checked }), c.title)));
  $('setup-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('setup-error').textContent = '';
    $('setup-run', HTMLButtonElement).disabled = true;
    try {
      await generate();
    } catch (error) {
      $('setup-error').textContent = messageOf(error);
      $('setup-out').hidden = true;
    } finally {
      $('setup-run', HTMLButtonElement).disabled = false;
    }
  });
}
