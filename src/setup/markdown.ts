// The setup as Markdown, for a customer's ticket or an onboarding e-mail: what the role is for, then
// each form to apply (CloudFormation, Terraform, aws CLI), then the preflight that checks it.
import { markdownCode as code, markdownFence as fenced, markdownText as escape } from '../catalogue/quote.js';
import type { Setup } from './generate.js';

export function renderSetupMarkdown(setup: Setup): string {
  const lines = [
    `## Preflight setup: role ${escape(setup.roleName)}`,
    '',
    `Create the role ${code(setup.roleArn)} in your account with **one** of the forms below. Only ${code(setup.trustedPrincipal)} may assume it, and only with the external ID you were given.`,
    '',
    ...(setup.warnings.length ? ['**Warnings**', '', ...setup.warnings.map((warning) => `- ${escape(warning)}`), ''] : []),
    '| capability | what it is for | required |',
    '|---|---|---|',
    ...setup.capabilities.map((c) => `| ${c.title} (\`${c.id}\`) | ${c.feature} | ${c.required ? 'yes' : 'no'} |`),
    '',
    `Policies (${setup.attachment === 'inline' ? 'inline, on the role' : "managed, attached to the role: together they exceed the role's inline quota"}):`,
    '',
    ...setup.policies.map((p) => `- ${code(p.name)} (${p.characters} characters): ${p.purpose}`),
    '',
    '### CloudFormation',
    '',
    fenced('yaml', setup.cloudFormation.yaml),
    '',
    '### Terraform',
    '',
    fenced('hcl', setup.terraform),
    '',
    '### aws CLI',
    '',
    fenced('sh', setup.awsCli),
    '',
    '### Policies as JSON',
    '',
    'Trust policy:',
    '',
    fenced('json', JSON.stringify(setup.trustPolicy, null, 2)),
    ...setup.policies.flatMap((p) => ['', `${code(p.name)}:`, '', fenced('json', JSON.stringify(p.document, null, 2))]),
    '',
    '### Then check it',
    '',
    'Once the role exists, `POST /preflight` with this body: every capability above should be `ok`.',
    '',
    fenced('json', JSON.stringify(setup.check, null, 2)),
  ];
  return `${lines.join('\n')}\n`;
}
