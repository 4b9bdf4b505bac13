// preflight setup: POST /setup's fields as options → the route's own validator and generators, with
// no service and no AWS call → the role to create, as Markdown, JSON, CloudFormation, Terraform or
// aws CLI commands.
import { CAPABILITY_IDS } from '../catalogue/capabilities.js';
import { loadConfig } from '../config.js';
import { buildSetup } from '../setup/generate.js';
import { renderSetupMarkdown } from '../setup/markdown.js';
import { validateSetupRequest } from '../setup/request.js';
import { type Command, EXIT, type Io, SELECTION_FLAGS, SELECTION_OPTIONS, UsageError, listOption, optionOf, parseOptions, printIssues } from './shared.js';

const FORMATS = ['markdown', 'json', 'cloudformation', 'cloudformation-json', 'terraform', 'cli'] as const;

export const setup: Command = {
  name: 'setup',
  synopsis: 'setup',
  summary: 'the role to create for the service: CloudFormation, Terraform, aws CLI (no AWS call)',
  help: `usage: preflight setup --region R --account A --external-id X --trusted-principal ARN [options]

Prints, with no AWS call, the role a customer creates for the service, as POST /setup answers it:
the identity policies (split to fit IAM's quotas), the self-check policy, the trust policy (only
the service's principal, only with the external ID), a CloudFormation template, a Terraform
configuration, aws CLI commands, and the POST /preflight body that checks the role once created.

  --region R                the connection's region, such as eu-west-1
  --account A               the customer's 12-digit account id
  --external-id X           the external ID the vendor assigned to this customer
  --trusted-principal ARN   the service's own principal, the one the role trusts
                            (default: PREFLIGHT_TRUSTED_PRINCIPAL)
  --role-name NAME          the role to create (default PreflightAccess)
  --capabilities a,b|all    what the product needs (default: what a preflight checks by default):
                            ${CAPABILITY_IDS.join(', ')}
  --required a,b            which of them it cannot work without (default: connection, metadata)
  --workgroup W             the Athena workgroup
  --catalog C               the Athena data catalog
  --output s3://…           the query results location (needed for query-results, query-execution)
  --catalog-id C            the Glue catalog: another account's id, a catalog under the root
                            (s3tablescatalog/bucket or ACCOUNT:path), or its ARN
  --databases d1,d2         only these databases
  --data-location s3://…    the tables' data (needed for table-data; query-execution reads it
                            too: without it, a warning on stderr)
  --kms-keys ARN,ARN        KMS key or alias ARNs that protect query results or the data
  --no-self-check           leave out what only the preflight calls to check
  --format F                markdown (default: every form, for a ticket), json (POST /setup's
                            answer), cloudformation (the template in YAML), cloudformation-json,
                            terraform, cli (the aws CLI commands)
  -h, --help                this help
  -V, --version             the version

exit: 0 printed, 3 usage error
`,
  run: async (args, io) => runSetup(args, io),
};

/** Where POST /setup's issues point, as the options that set those fields. */
const OPTION_OF: ReadonlyArray<[string, string]> = [
  ...SELECTION_OPTIONS,
  ['/externalId', '--external-id'],
  ['/roleName', '--role-name'],
  ['/kmsKeys', '--kms-keys'],
];

function runSetup(args: string[], io: Io): number {
  const parsed = parseOptions(
    setup,
    args,
    {
      ...SELECTION_FLAGS,
      'external-id': { type: 'string' },
      'trusted-principal': { type: 'string' },
      'role-name': { type: 'string' },
      required: { type: 'string' },
      'kms-keys': { type: 'string' },
      'no-self-check': { type: 'boolean' },
      format: { type: 'string', default: 'markdown' },
    },
    io,
  );
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  // Not the argument itself: a stray word can be a value meant for an option (an external ID).
  if (positionals.length) throw new UsageError('setup takes options only, no file', 'setup');
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`, 'setup');
  for (const name of ['region', 'account', 'external-id'] as const) if (!values[name]) throw new UsageError(`--${name} is required`, 'setup');
  const trustedPrincipal = values['trusted-principal'] ?? loadConfig(io.env, { listening: false }).trustedPrincipal;
  if (!trustedPrincipal) throw new UsageError('--trusted-principal ARN (or PREFLIGHT_TRUSTED_PRINCIPAL) is required: the service\'s own principal, which the role trusts', 'setup');
  if (/^arn:aws[\w-]*:sts::/.test(trustedPrincipal)) throw new UsageError('--trusted-principal must be the role\'s IAM ARN, not an STS session ARN: a trust policy names the role', 'setup');
  if (!/^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:(root|(role|user)\/[\w+=,.@/-]{1,512})$/.test(trustedPrincipal)) {
    throw new UsageError('--trusted-principal must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/preflight-service', 'setup');
  }
  const capabilities = values.capabilities?.trim() === 'all' ? [...CAPABILITY_IDS] : listOption(values.capabilities);
  const athena = { workgroup: values.workgroup, catalog: values.catalog, outputLocation: values.output };
  const glue = { catalogId: values['catalog-id'], databases: listOption(values.databases) };
  const defined = (object: Record<string, unknown>) => Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
  // POST /setup's body, judged by the route's own validator.
  const body = defined({
    region: values.region,
    accountId: values.account,
    externalId: values['external-id'],
    roleName: values['role-name'],
    capabilities,
    required: listOption(values.required),
    athena: Object.values(athena).some((v) => v !== undefined) ? defined(athena) : undefined,
    glue: Object.values(glue).some((v) => v !== undefined) ? defined(glue) : undefined,
    dataLocation: values['data-location'],
    kmsKeys: listOption(values['kms-keys']),
    options: values['no-self-check'] ? { selfCheck: false } : undefined,
  });
  const validation = validateSetupRequest(body);
  if (!validation.ok) {
    const byOption = validation.issues.map(({ path, message }) => ({ path: optionOf(OPTION_OF, path), message }));
    return printIssues('the setup', byOption, io);
  }
  const result = buildSetup(validation.input, { trustedPrincipalArn: trustedPrincipal });
  // On stderr, so that stdout stays the setup alone (a template piped to a file).
  for (const warning of result.warnings) io.stderr.write(`preflight: warning: ${warning}\n`);
  const output = {
    markdown: () => renderSetupMarkdown(result),
    json: () => `${JSON.stringify(result, null, 2)}\n`,
    cloudformation: () => result.cloudFormation.yaml,
    'cloudformation-json': () => result.cloudFormation.json,
    terraform: () => result.terraform,
    cli: () => result.awsCli,
  }[format]();
  io.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
  return EXIT.ok;
}
