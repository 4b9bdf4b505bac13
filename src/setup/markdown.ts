// The setup as Markdown, for a customer's ticket or an onboarding e-mail: what the role is for, then
// each form to apply (CloudFormation, Terraform, aws CLI), then the preflight that checks it.
import type { Setup } from './generate.js';

const escape = (text: string) => text.replace(/\|/g, '\\|');

/** A fenced block whose fence no line of the text can close. */
function fenced(language: string, text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text.replace(/\n$/, '')}\n${fence}`;
}

export function renderSetupMarkdown(setup: Setup): string {
  const lines = [
    `## Preflight setup: role ${setup.roleName}`,
    '',
    `Create the role \`${setup.roleArn}\` in your account with **one** of the forms below. Only \`${setup.trustedPrincipal}\` may assume it, and only with the external ID you were given.`,
    '',
    ...(setup.warnings.length ? ['**Warnings**', '', ...setup.warnings.map((warning) => `- ${warning}`), ''] : []),
    '| capability | what it is for | required |',
    '|---|---|---|',
    ...setup.capabilities.map((c) => `| ${c.title} (\`${c.id}\`) | ${escape(c.feature)} | ${c.required ? 'yes' : 'no'} |`),
    '',
    `Policies (${setup.attachment === 'inline' ? 'inline, on the role' : "managed, attached to the role: together they exceed the role's inline quota"}):`,
    '',
    ...setup.policies.map((p) => `- \`${p.name}\` (${p.characters} characters): ${p.purpose}`),
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
    ...setup.policies.flatMap((p) => ['', `\`${p.name}\`:`, '', fenced('json', JSON.stringify(p.document, null, 2))]),
    '',
    '### Then check it',
    '',
    'Once the role exists, `POST /preflight` with this body: every capability above should be `ok`.',
    '',
    fenced('json', JSON.stringify(setup.check, null, 2)),
  ];
  return `${lines.join('\n')}\n`;
}
