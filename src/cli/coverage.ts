// preflight coverage: policy documents and the connection as options → POST /policy/coverage's own
// validator and evaluator, with no service and no AWS call → each capability's coverage as a table,
// JSON or Markdown → an exit code (0 all covered, 1 some not, 2 a required one not covered).
import { CAPABILITY_IDS } from '../catalogue/capabilities.js';
import { policyCoverage } from '../coverage/evaluate.js';
import { renderCoverageMarkdown, renderCoverageTable } from '../coverage/render.js';
import { validateCoverageRequest } from '../coverage/request.js';
import { type Command, EXIT, type Io, SELECTION_FLAGS, SELECTION_OPTIONS, UsageError, listOption, optionOf, parseOptions, printIssues, readInput } from './shared.js';

export const coverage: Command = {
  name: 'coverage',
  synopsis: 'coverage POLICY…',
  summary: 'which capabilities IAM policy documents cover (no AWS call)',
  help: `usage: preflight coverage POLICY.json [POLICY.json…] --region R --account A [options]

Judges, with no AWS call, which capabilities the identity policy documents (files, or - for
standard input) let a principal use, as POST /policy/coverage answers: covered, partly or not
covered, what is refused and by which statement, the statements that grant what is missing, and
what else decides that the documents cannot show. A claim about these documents, never a preflight.

  --region R                the connection's region, such as eu-west-1
  --account A               its 12-digit account id
  --workgroup W             the Athena workgroup (default: every one)
  --catalog C               the Athena data catalog (default: AwsDataCatalog)
  --output s3://…           the query results location (default: every bucket)
  --catalog-id C            the Glue catalog: another account's id, a catalog under the root
                            (s3tablescatalog/bucket or ACCOUNT:path), or its ARN
  --databases d1,d2         the databases the product reads (default: every one)
  --data-location s3://…    the tables' data (table-data, and a query's reads)
  --encryption E            how the workgroup encrypts results: SSE_S3, SSE_KMS, CSE_KMS
  --kms-key ARN             the key of SSE_KMS or CSE_KMS (key or alias ARN)
  --acl                     the workgroup sends BUCKET_OWNER_FULL_CONTROL with result writes
  --boundary FILE           the principal's permissions boundary
  --scps FILE,FILE          service control policies that apply to the account
  --capabilities a,b|all    what to judge (default: what a preflight checks by default):
                            ${CAPABILITY_IDS.join(', ')}
  --required a,b            which of them the product cannot work without (default: connection, metadata)
  --json                    the answer as JSON, as the API answers
  --markdown                the answer as Markdown, for a ticket or a review
  --notes                   in the table, what the documents cannot show for each capability
  -h, --help                this help
  -V, --version             the version

exit: 0 every capability covered, 1 some not, 2 a required one not covered, 3 usage or input error
`,
  run: async (args, io) => runCoverage(args, io),
};

/** Where the validator's issues point, as the options that set those fields. */
const OPTION_OF: ReadonlyArray<[string, string]> = [
  ...SELECTION_OPTIONS,
  ['/results/encryption', '--encryption'],
  ['/results/kmsKey', '--kms-key'],
  ['/results/acl', '--acl'],
];

async function runCoverage(args: string[], io: Io): Promise<number> {
  const parsed = parseOptions(
    coverage,
    args,
    {
      ...SELECTION_FLAGS,
      encryption: { type: 'string' },
      'kms-key': { type: 'string' },
      acl: { type: 'boolean' },
      boundary: { type: 'string' },
      scps: { type: 'string' },
      required: { type: 'string' },
      json: { type: 'boolean' },
      markdown: { type: 'boolean' },
      notes: { type: 'boolean' },
    },
    io,
  );
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  if (!positionals.length) throw new UsageError('coverage needs at least one policy document: a file, or - for standard input', 'coverage');
  if (positionals.filter((file) => file === '-').length > 1) throw new UsageError('standard input (-) can be read once', 'coverage');
  if (values.json && values.markdown) throw new UsageError('--json and --markdown go alone', 'coverage');
  for (const name of ['region', 'account'] as const) if (!values[name]) throw new UsageError(`--${name} is required`, 'coverage');
  const scpFiles = listOption(values.scps) ?? [];
  // Each document read as JSON; where the validator names an element, it is named in its file.
  const files = [...positionals.map((file, i) => [`/policies/${i}`, file] as const), ...(values.boundary ? [['/permissionsBoundary', values.boundary] as const] : []), ...scpFiles.map((file, i) => [`/scps/${i}`, file] as const)];
  const documents = new Map<string, unknown>();
  for (const [path, file] of files) documents.set(path, await readInput(file, io));
  const defined = (object: Record<string, unknown>) => {
    const out = Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
    return Object.keys(out).length ? out : undefined;
  };
  const body = defined({
    region: values.region,
    accountId: values.account,
    policies: positionals.map((_, i) => documents.get(`/policies/${i}`)),
    permissionsBoundary: documents.get('/permissionsBoundary'),
    scps: scpFiles.length ? scpFiles.map((_, i) => documents.get(`/scps/${i}`)) : undefined,
    athena: defined({ workgroup: values.workgroup, catalog: values.catalog, outputLocation: values.output }),
    glue: defined({ catalogId: values['catalog-id'], databases: listOption(values.databases) }),
    capabilities: values.capabilities?.trim() === 'all' ? [...CAPABILITY_IDS] : listOption(values.capabilities),
    required: listOption(values.required),
    results: defined({ encryption: values.encryption, kmsKey: values['kms-key'], acl: values.acl ? 'BUCKET_OWNER_FULL_CONTROL' : undefined }),
    dataLocation: values['data-location'],
  });
  const validation = validateCoverageRequest(body);
  if (!validation.ok) {
    const named = validation.issues.map(({ path, message }) => {
      const file = files.find(([field]) => path === field || path.startsWith(`${field}/`));
      if (file) return { path: `${file[1] === '-' ? 'standard input' : file[1]}${path.slice(file[0].length) ? `: ${path.slice(file[0].length)}` : ''}`, message };
      return { path: optionOf(OPTION_OF, path), message };
    });
    return printIssues('the coverage request', named, io);
  }
  const answer = policyCoverage(validation.input);
  if (values.json) io.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
  else if (values.markdown) io.stdout.write(renderCoverageMarkdown(answer));
  else io.stdout.write(renderCoverageTable(answer, { color: Boolean(io.stdout.isTTY) && !io.env.NO_COLOR, notes: values.notes }));
  if (answer.capabilities.some((c) => c.required && c.coverage === 'not-covered')) return EXIT.failed;
  return answer.capabilities.every((c) => c.coverage === 'covered') ? EXIT.ok : EXIT.degraded;
}
