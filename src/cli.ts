// Process edge for people and runbooks: argv → one library call → table | json | markdown |
// policy on stdout, progress on stderr, an exit code (0 ok, 1 degraded, 2 failed, 3 usage or
// internal error). It reads the environment here and nowhere else.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { CAPABILITIES, CAPABILITY_IDS } from './catalogue/capabilities.js';
import { buildTrustPolicy, setupPolicies } from './catalogue/remediation.js';
import { createClientFactory, networkSettings } from './aws/clients.js';
import { jsonErrorPosition } from './json-position.js';
import { ConfigError, loadConfig } from './config.js';
import { maskAccessKeyId, parseS3Uri } from './preflight/connection.js';
import { PreflightRefused, runPreflight } from './preflight/engine.js';
import { CATALOG_ID_PATTERN, validatePreflightRequest } from './preflight/request.js';
import { PROBES } from './probes/registry.js';
import type { PreflightReport } from './preflight/types.js';
import { renderMarkdown } from './report/markdown.js';
import { renderTable } from './report/text.js';
import { buildSetup, catalogScope } from './setup/generate.js';
import { renderSetupMarkdown } from './setup/markdown.js';
import { validateSetupRequest } from './setup/request.js';
import { type ReportDiff, diffReports } from './store/diff.js';
import { type RunsPage, connectionFingerprint } from './store/types.js';

const EXIT = { ok: 0, degraded: 1, failed: 2, usage: 3 } as const;

const EXIT_CODES = 'exit: 0 ok, 1 degraded, 2 failed, 3 usage, input, configuration or internal error';

const USAGE = `usage: preflight <command> [options]

  check [FILE|-]   check a connection: a table, or --json, --markdown, --policy
  policy           print the IAM policies for capabilities (no AWS call)
  setup            the role to create for the service: CloudFormation, Terraform, aws CLI (no AWS call)
  show ID          a stored report, from a service (--server)
  history FILE     a connection's stored runs, newest first, from a service (--server)
  diff OLD NEW     what changed between two reports (ids with --server, or two report files)
  serve            run the HTTP service, configured by environment variables
  sandbox          run the simulated AWS account

preflight <command> --help describes a command; preflight --version prints the version.
${EXIT_CODES}
`;

const HELP: Record<'check' | 'policy' | 'setup' | 'show' | 'history' | 'diff' | 'serve' | 'sandbox', string> = {
  check: `usage: preflight check [FILE|-] [--json|--markdown|--policy] [--server URL --api-key KEY] [--verbose]

Checks the connection in FILE (JSON, canonical or flat; - or none: standard input) with this
process's AWS settings (the credential chain, AWS_ENDPOINT_URL…, HTTPS_PROXY). Role and ambient
credentials use this process's own AWS identity. Progress goes to stderr on a terminal.

  --json           the report as JSON, as the API answers
  --markdown       the report as Markdown, for a ticket
  --policy         only the IAM policy that grants what is missing
  --server URL     ask the service at URL instead of checking here
  --api-key KEY    that service's API key (default: PREFLIGHT_API_KEY)
  --verbose        the stack's frames of an internal error
  -h, --help       this help

${EXIT_CODES}
`,
  policy: `usage: preflight policy --capabilities a,b|all --region R --account A [options]

Prints, with no AWS call, one JSON object: identityPolicies (least privilege for the capabilities,
in numbered parts beyond IAM's size quota), selfCheckPolicy (what only the preflight calls) and,
with --external-id, the role's trustPolicy.

  --capabilities a,b|all    ${CAPABILITY_IDS.join(', ')}
  --region R                the connection's region, such as eu-west-1
  --account A               its 12-digit account id
  --workgroup W             the Athena workgroup (default: every one)
  --catalog C               the Athena data catalog (default: AwsDataCatalog)
  --catalog-id C            the Glue catalog: another account's id, a catalog under the root
                            (s3tablescatalog/bucket or ACCOUNT:path), or its ARN (default: --account's)
  --databases d1,d2         only these databases (default: every one)
  --output s3://…           the query results location (needed for query-results, query-execution)
  --data-location s3://…    the tables' data (needed for table-data)
  --kms-key ARN             the KMS key that encrypts results
  --external-id X           with --trusted-principal: the trust policy that requires X
  --trusted-principal ARN   the service's principal, which the role trusts
  -h, --help                this help

exit: 0 printed, 3 usage error
`,
  setup: `usage: preflight setup --region R --account A --external-id X --trusted-principal ARN [options]

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

exit: 0 printed, 3 usage error
`,
  show: `usage: preflight show ID --server URL [--api-key KEY] [--json|--markdown]

Prints the report the service at URL stored for the run ID (GET /preflight/ID), as check prints
one: a table, or the JSON the API answers, or Markdown for a ticket.

  --server URL     the service that ran it (report history on)
  --api-key KEY    its API key (default: PREFLIGHT_API_KEY)
  --json           the report as JSON, as the API answers
  --markdown       the report as Markdown
  -h, --help       this help

exit: the report's status as check's (0 ok, 1 degraded, 2 failed); 3 usage error, or the service
refused (an unknown or expired id, a wrong key, history off)
`,
  history: `usage: preflight history [FILE|-] --server URL [--api-key KEY] [--limit N] [--json]

Lists the runs the service at URL stored for the connection in FILE (the connection as check
takes it; - or none: standard input), newest first: id, start, status, duration. The connection
is found by its fingerprint (account, region, credential type, role ARN or masked key id), computed
here as the service computes it: the file's secrets are never sent.

  --server URL     the service (report history on)
  --api-key KEY    its API key (default: PREFLIGHT_API_KEY)
  --limit N        at most N runs, 1 to 100 (default 20)
  --json           the service's page as JSON (fingerprint, runs, next)
  -h, --help       this help

exit: 0 listed (none is an empty list), 3 usage or input error, or the service refused
`,
  diff: `usage: preflight diff OLD NEW [--server URL [--api-key KEY]] [--json]

What changed from the report OLD to the report NEW: capabilities whose status changed, actions
newly missing or granted, findings added or gone. OLD and NEW are run ids with --server
(GET /preflight/OLD/diff/NEW), or two report files (check --json's output) without it; both ways
compare with the service's own diff.

  --server URL     the service that stored both runs
  --api-key KEY    its API key (default: PREFLIGHT_API_KEY)
  --json           the diff as JSON, as the API answers
  -h, --help       this help

exit: 0 nothing got worse, 1 something got worse (the overall status or a capability, or an action
is newly missing), 3 usage or input error, or the service refused
`,
  serve: `usage: preflight serve

Runs the HTTP service: POST /preflight, the support page at /, /healthz, /readyz, /metrics,
/openapi.yaml and /docs. It takes no options: environment variables configure it, each one in
.env.example (HOST and PORT, default 127.0.0.1:8080; PREFLIGHT_API_KEYS; AWS_ENDPOINT_URL; …).

exit: 0 after SIGTERM or SIGINT, 3 when its configuration is refused or it cannot listen
`,
  sandbox: `usage: preflight sandbox [--scenario NAME|FILE] [--port N] [--host ADDRESS]

Runs the simulated AWS account: prints one JSON line (endpoint, account, region, principals and
their keys, roles and their external IDs), then serves until SIGTERM or Ctrl-C.

  -s, --scenario NAME|FILE   a built-in scenario or a scenario file (default full-access)
  -p, --port N               the port (default 0: any free one)
  --host ADDRESS             the address to listen on (default 127.0.0.1)
  -h, --help                 this help

exit: 0 after SIGTERM or SIGINT, 3 for a bad scenario or option, or a port in use
`,
};

/** A usage error of one command: said in one line, with where its help is. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: keyof typeof HELP,
  ) {
    super(message);
  }
}
/** Bad input (a missing file, broken JSON): said plainly, without the usage text. */
class InputError extends Error {}

interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  env: Record<string, string | undefined>;
}

export async function runCli(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  const verbose = rest.includes('--verbose');
  try {
    switch (command) {
      case 'check':
        return await check(rest, io);
      case 'policy':
        return policy(rest, io);
      case 'setup':
        return setup(rest, io);
      case 'show':
        return await show(rest, io);
      case 'history':
        return await history(rest, io);
      case 'diff':
        return await diff(rest, io);
      case 'serve':
        return serveHelp(rest, io);
      case 'sandbox':
        return await sandbox(rest, io);
      case '--version':
        io.stdout.write(`preflight ${version()}\n`);
        return EXIT.ok;
      case undefined:
      case 'help':
      case '--help':
      case '-h': {
        const topic = command === 'help' && rest[0] !== undefined && Object.hasOwn(HELP, rest[0]) ? HELP[rest[0] as keyof typeof HELP] : USAGE;
        io.stdout.write(topic);
        return command === undefined ? EXIT.usage : EXIT.ok;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`preflight: ${error.message} (see preflight ${error.command ?? ''}${error.command ? ' ' : ''}--help)\n`);
    } else if (error instanceof InputError || error instanceof ConfigError) {
      io.stderr.write(`preflight: ${error.message}\n`);
    } else {
      // An exception's words may quote its input (a secret): a fixed text, and under --verbose the stack's frames without them.
      io.stderr.write(verbose ? `preflight: internal error (${errorName(error)})\n${stackFrames(error)}\n` : 'preflight: internal error (--verbose shows the stack)\n');
    }
    return EXIT.usage;
  }
}

function errorName(error: unknown): string {
  const name = (error as Error | undefined)?.name;
  return typeof name === 'string' && /^\w{1,64}$/.test(name) ? name : 'Error';
}

/** The `at …` lines of a stack: the message that heads it is left out. */
function stackFrames(error: unknown): string {
  const stack = (error as Error | undefined)?.stack;
  const frames = typeof stack === 'string' ? stack.split('\n').filter((line) => /^\s+at /.test(line)) : [];
  return frames.length ? frames.join('\n') : '    (no stack)';
}

/** The package's version, from the package.json beside src/ and dist/ (the image copies it too). */
function version(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** What parseArgs refused, in words that name the option and never quote a value. */
export function argumentProblem(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const option = /'(-[^'\s=]*)/.exec(message)?.[1] ?? 'an option';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return 'takes no arguments besides options';
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return /does not take/.test(message) ? `${option} takes no value` : `${option} needs a value`;
  return 'bad arguments';
}

type Spec = Record<string, { type: 'string' | 'boolean'; short?: string; default?: string }>;

/**
 * A command's options, --help and --verbose included; null when help was asked for and printed.
 * `--help` wins over any other problem with the arguments.
 */
function options<T extends Spec>(command: keyof typeof HELP, args: string[], spec: T, io: Io) {
  const wantsHelp = () => {
    io.stdout.write(HELP[command]);
    return null;
  };
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...spec, verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    if (args.includes('--help') || args.includes('-h')) return wantsHelp();
    throw new UsageError(argumentProblem(error), command);
  }
  return (parsed.values as { help?: boolean }).help ? wantsHelp() : parsed;
}

async function readInput(source: string, io: Io): Promise<unknown> {
  let text: string;
  if (source === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
    text = Buffer.concat(chunks).toString('utf8');
  } else {
    try {
      text = readFileSync(source, 'utf8');
    } catch (error) {
      throw new InputError(`cannot read ${source}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON.parse's message: it quotes the text around the error, which may be a secret.
    const position = jsonErrorPosition(text);
    throw new InputError(`${source === '-' ? 'standard input' : source} is not valid JSON${position ? `: line ${position.line}, column ${position.column}` : ''}`);
  }
}

async function check(args: string[], io: Io): Promise<number> {
  const parsed = options(
    'check',
    args,
    {
      json: { type: 'boolean' },
      markdown: { type: 'boolean' },
      policy: { type: 'boolean' },
      server: { type: 'string' },
      'api-key': { type: 'string' },
    },
    io,
  );
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError('check takes one connection file, or - for standard input', 'check');
  const formats = (['json', 'markdown', 'policy'] as const).filter((format) => values[format]);
  if (formats.length > 1) throw new UsageError(`--${formats.join(' and --')} do not go together: pick one`, 'check');
  const body = await readInput(positionals[0] ?? '-', io);
  const validation = validatePreflightRequest(body);
  if (!validation.ok) {
    io.stderr.write(`preflight: the connection is not valid:\n${validation.issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}\n`);
    return EXIT.usage;
  }
  const progress = io.stderr.isTTY ? (line: string) => io.stderr.write(`${line}\n`) : () => undefined;
  let report: PreflightReport;
  if (values.server) {
    report = await remoteCheck(values.server, values['api-key'] ?? io.env.PREFLIGHT_API_KEY, body, progress);
  } else {
    const config = loadConfig(io.env, { listening: false });
    const serviceCredentials = fromNodeProviderChain();
    if (validation.request.credentials.type !== 'accessKey') await ownIdentity(serviceCredentials, validation.request.credentials.type);
    const clients = createClientFactory(networkSettings(config.aws));
    try {
      // In-process, the operator runs the tool with their own identity: ambient is theirs to use.
      report = await runPreflight(
        validation.request,
        { clients, serviceCredentials, allowAmbient: true, maxRunMs: config.maxRunMs, probes: PROBES },
        { onProbe: ({ probe }) => progress(`  ${probe.outcome.padEnd(7)} ${probe.id}${probe.error ? ` (${probe.error.code})` : ''}`) },
      );
    } catch (error) {
      if (error instanceof PreflightRefused) throw new InputError(error.message);
      throw error;
    } finally {
      clients.destroy();
    }
  }
  if (values.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (values.markdown) io.stdout.write(renderMarkdown(report));
  else if (values.policy) {
    if (report.remediation.policy) io.stdout.write(`${JSON.stringify(report.remediation.policy, null, 2)}\n`);
    else io.stderr.write('preflight: nothing to grant: no missing action an identity policy can lift\n');
  } else io.stdout.write(renderTable(report, { color: Boolean(io.stdout.isTTY) && !io.env.NO_COLOR }));
  return EXIT[report.status];
}

/**
 * Role and ambient checks need this process's own AWS identity (the role is assumed with it). Without
 * one, the run could only end in an error that names no cause: say so before any probe, and how to
 * give it one. The chain keeps what it found for the run (it caches credentials, not failures).
 */
async function ownIdentity(chain: ReturnType<typeof fromNodeProviderChain>, type: 'role' | 'ambient'): Promise<void> {
  try {
    await chain();
  } catch (error) {
    // Not the chain's words: they can quote a profile's or a process's output.
    const ways = 'AWS_PROFILE, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an instance, task or pod role';
    throw new InputError(
      type === 'role'
        ? `role credentials are assumed with this process's own AWS identity, and it has none (${errorName(error)}): give it one allowed sts:AssumeRole on the role (${ways}), or check with access keys`
        : `ambient credentials are this process's own AWS identity, and it has none (${errorName(error)}): give it one (${ways})`,
    );
  }
}

async function remoteCheck(server: string, apiKey: string | undefined, body: unknown, progress: (line: string) => void): Promise<PreflightReport> {
  if (!apiKey) throw new UsageError('--server needs --api-key or PREFLIGHT_API_KEY', 'check');
  const response = await fetch(new URL('/preflight', server), {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
  });
  if (!response.ok || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
    const answer = (await response.json().catch(() => ({}))) as { message?: string; issues?: Array<{ path: string; message: string }> };
    const detail = answer.issues?.map((issue) => `${issue.path}: ${issue.message}`).join('; ') ?? answer.message ?? response.statusText;
    throw new InputError(`the server answered ${response.status}: ${detail}`);
  }
  let report: PreflightReport | undefined;
  let buffer = '';
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    const blocks = (buffer += decoder.decode(chunk, { stream: true })).split('\n\n');
    buffer = blocks.pop()!;
    for (const block of blocks) {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!event || !data) continue;
      const parsed = JSON.parse(data);
      if (event === 'probe') progress(`  ${String(parsed.outcome).padEnd(7)} ${parsed.id}${parsed.error ? ` (${parsed.error.code})` : ''}`);
      else if (event === 'report') report = parsed as PreflightReport;
      else if (event === 'error') throw new Error(`the server failed: ${parsed.message}`);
    }
  }
  if (!report) throw new Error('the server ended the stream without a report');
  return report;
}

function policy(args: string[], io: Io): number {
  const parsed = options('policy', args, {
    capabilities: { type: 'string' },
    region: { type: 'string' },
    account: { type: 'string' },
    workgroup: { type: 'string' },
    output: { type: 'string' },
    'data-location': { type: 'string' },
    'kms-key': { type: 'string' },
    databases: { type: 'string' },
    catalog: { type: 'string' },
    'catalog-id': { type: 'string' },
    'external-id': { type: 'string' },
    'trusted-principal': { type: 'string' },
  }, io);
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  // Not the argument itself: a stray word can be a value meant for an option (an external ID).
  if (positionals.length) throw new UsageError('policy takes options only, no file', 'policy');
  const require = (name: 'capabilities' | 'region' | 'account') => {
    const value = values[name];
    if (!value) throw new UsageError(`--${name} is required`, 'policy');
    return value;
  };
  const asked = require('capabilities').trim();
  const ids = asked === 'all' ? [...CAPABILITY_IDS] : asked.split(',').map((id) => id.trim());
  const unknown = ids.filter((id) => !(CAPABILITY_IDS as readonly string[]).includes(id));
  if (unknown.length) throw new UsageError(`--capabilities: unknown ${unknown.join(', ')} (known: all, ${CAPABILITY_IDS.join(', ')})`, 'policy');
  const region = require('region');
  if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region)) throw new UsageError('--region must be an AWS region, such as eu-west-1', 'policy');
  const accountId = require('account');
  if (!/^\d{12}$/.test(accountId)) throw new UsageError('--account must be a 12-digit account id', 'policy');
  const location = (name: 'output' | 'data-location') => {
    const value = values[name];
    if (value === undefined) return undefined;
    if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/|$)/.test(value)) throw new UsageError(`--${name} must be an S3 URI such as s3://bucket/prefix/`, 'policy');
    return parseS3Uri(value);
  };
  const output = location('output');
  const data = location('data-location');
  // Without the location, the grant could only be on every bucket: refuse rather than print one
  // that a customer might paste.
  const needsOutput = ids.filter((id) => id === 'query-results' || id === 'query-execution');
  if (needsOutput.length && !output) throw new UsageError(`--output s3://bucket/prefix/ is required for ${needsOutput.join(' and ')}: the results location to grant`, 'policy');
  if (ids.includes('table-data') && !data) throw new UsageError('--data-location s3://bucket/prefix/ is required for table-data: the tables\' data to grant', 'policy');
  const kmsKey = values['kms-key'];
  if (kmsKey && !/^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/.test(kmsKey)) throw new UsageError('--kms-key must be a KMS key ARN', 'policy');
  if (Boolean(values['external-id']) !== Boolean(values['trusted-principal'])) throw new UsageError('--external-id and --trusted-principal go together', 'policy');
  const catalogId = values['catalog-id'];
  if (catalogId !== undefined && !new RegExp(CATALOG_ID_PATTERN).test(catalogId)) {
    throw new UsageError("--catalog-id must be a Glue catalog: a 12-digit account id, ACCOUNT:path, a path such as s3tablescatalog/bucket, or a catalog ARN", 'policy');
  }

  const { identityPolicies, selfCheckPolicy } = setupPolicies(
    CAPABILITIES.filter((c) => ids.includes(c.id)),
    {
      region,
      accountId,
      ...catalogScope(catalogId, accountId),
      workgroup: values.workgroup,
      dataCatalog: values.catalog,
      databases: values.databases?.split(',').map((d) => d.trim()).filter(Boolean),
      bucket: output?.bucket,
      prefix: output?.prefix,
      kmsKeyArns: kmsKey ? [kmsKey] : undefined,
    },
    data ? { bucket: data.bucket, prefix: data.prefix } : undefined,
  );
  // Queries read the tables' data with the caller's rights: without its location nothing grants it.
  if (ids.includes('query-execution') && !data) {
    io.stderr.write("preflight: warning: query-execution: Athena reads the tables' data with the caller's rights; without --data-location the policy cannot grant it (queries on tables not governed by Lake Formation will be refused)\n");
  }
  // One shape: the identity policy (numbered parts when one would exceed IAM's size quota), what
  // the preflight itself calls to check, and the trust policy when asked for.
  const trustPolicy = values['external-id'] ? buildTrustPolicy({ trustedPrincipalArn: values['trusted-principal']!, externalId: values['external-id'] }) : undefined;
  io.stdout.write(`${JSON.stringify({ identityPolicies, selfCheckPolicy, ...(trustPolicy ? { trustPolicy } : {}) }, null, 2)}\n`);
  return EXIT.ok;
}

/** `serve` itself starts in main.ts (before the CLI's imports); here only its help and refusals. */
function serveHelp(args: string[], io: Io): number {
  if (options('serve', args, {}, io) === null) return EXIT.ok;
  throw new UsageError('serve takes no options: environment variables configure it', 'serve');
}

async function sandbox(args: string[], io: Io): Promise<number> {
  const parsed = options(
    'sandbox',
    args,
    { scenario: { type: 'string', short: 's', default: 'full-access' }, port: { type: 'string', short: 'p', default: '0' }, host: { type: 'string', default: '127.0.0.1' } },
    io,
  );
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  if (positionals.length) throw new UsageError('sandbox takes options only', 'sandbox');
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port!) || port > 65535) throw new UsageError('--port must be an integer from 0 to 65535', 'sandbox');
  // Only this command loads the sandbox: `check` never pays for it.
  const [{ describeSandbox }, { ScenarioError }, { startSandbox }] = await Promise.all([import('./sandbox/main.js'), import('./sandbox/scenario.js'), import('./sandbox/server.js')]);
  let started;
  try {
    started = await startSandbox({ scenario: values.scenario!, port, host: values.host });
  } catch (error) {
    if (error instanceof ScenarioError) throw new InputError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new InputError(`the sandbox cannot listen: port ${port} is in use (--port picks another)`);
    if (code === 'EACCES' || code === 'EADDRNOTAVAIL') throw new InputError(`the sandbox cannot listen on ${values.host} port ${port} (${code})`);
    throw error;
  }
  io.stdout.write(`${JSON.stringify(describeSandbox(started))}\n`);
  io.stderr.write(`sandbox: scenario "${started.scenario.name}" listening on ${started.endpoint}\n`);
  const stop = () => void started.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return EXIT.ok;
}


/** The service's address and key for the history commands: both needed, the address a URL. */
function serviceOf(values: { server?: string; 'api-key'?: string }, io: Io, command: 'show' | 'history' | 'diff') {
  if (!values.server) throw new UsageError('--server URL is required: the service that stored the reports', command);
  let url: URL;
  try {
    url = new URL(values.server);
  } catch {
    throw new UsageError('--server must be a URL such as http://127.0.0.1:8080', command);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('--server must be an http or https URL', command);
  const apiKey = values['api-key'] ?? io.env.PREFLIGHT_API_KEY;
  if (!apiKey) throw new UsageError('--server needs --api-key or PREFLIGHT_API_KEY', command);
  return { url, apiKey };
}

/** A GET of the service's JSON; a refusal (404 unknown or history off, 401) said in the service's words. */
async function getJson<T>(service: { url: URL; apiKey: string }, path: string): Promise<T> {
  const target = new URL(path, service.url);
  let response: Response;
  try {
    response = await fetch(target, { headers: { authorization: `Bearer ${service.apiKey}`, accept: 'application/json' } });
  } catch (error) {
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    throw new InputError(`cannot reach ${target.origin}${typeof code === 'string' && /^\w{1,32}$/.test(code) ? ` (${code})` : ''}`);
  }
  if (!response.ok) {
    const answer = (await response.json().catch(() => ({}))) as { message?: string };
    throw new InputError(`the server answered ${response.status}: ${answer.message ?? response.statusText}`);
  }
  return (await response.json()) as T;
}

function printReport(report: PreflightReport, values: { json?: boolean; markdown?: boolean }, io: Io): void {
  if (values.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (values.markdown) io.stdout.write(renderMarkdown(report));
  else io.stdout.write(renderTable(report, { color: Boolean(io.stdout.isTTY) && !io.env.NO_COLOR }));
}

const SERVER_OPTIONS = { server: { type: 'string' }, 'api-key': { type: 'string' } } as const;

async function show(args: string[], io: Io): Promise<number> {
  const parsed = options('show', args, { ...SERVER_OPTIONS, json: { type: 'boolean' }, markdown: { type: 'boolean' } }, io);
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError('show takes one run id', 'show');
  const id = positionals[0]!;
  if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) throw new UsageError('a run id is letters, digits and -, such as 7b3f6a3c4fdb', 'show');
  if (values.json && values.markdown) throw new UsageError('--json and --markdown do not go together: pick one', 'show');
  const service = serviceOf(values, io, 'show');
  const report = await getJson<PreflightReport>(service, `preflight/${id}`);
  printReport(report, values, io);
  return EXIT[report.status] ?? EXIT.usage;
}

async function history(args: string[], io: Io): Promise<number> {
  const parsed = options('history', args, { ...SERVER_OPTIONS, json: { type: 'boolean' }, limit: { type: 'string', default: '20' } }, io);
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError('history takes one connection file, or - for standard input', 'history');
  const limit = Number(values.limit);
  if (!/^\d+$/.test(values.limit!) || limit < 1 || limit > 100) throw new UsageError('--limit must be an integer from 1 to 100', 'history');
  const service = serviceOf(values, io, 'history');
  const body = await readInput(positionals[0] ?? '-', io);
  const validation = validatePreflightRequest(body);
  if (!validation.ok) {
    io.stderr.write(`preflight: the connection is not valid:\n${validation.issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}\n`);
    return EXIT.usage;
  }
  // The connection as a report states it (the key id masked), fingerprinted by the store's own function.
  const { region, accountId, credentials } = validation.request;
  const fingerprint = connectionFingerprint({
    region,
    accountId,
    credentialType: credentials.type,
    ...(credentials.type === 'role' ? { roleArn: credentials.roleArn } : {}),
    ...(credentials.type === 'accessKey' ? { accessKeyId: maskAccessKeyId(credentials.accessKeyId) } : {}),
  });
  const page = await getJson<RunsPage & { fingerprint: string }>(service, `connections/${fingerprint}/runs?limit=${limit}`);
  if (values.json) {
    io.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
    return EXIT.ok;
  }
  if (!page.runs.length) {
    io.stderr.write(`preflight: no stored run of this connection (fingerprint ${fingerprint})\n`);
    return EXIT.ok;
  }
  const rows = page.runs.map((run) => [run.id, run.startedAt, run.status, `${(run.durationMs / 1000).toFixed(1)} s`]);
  const widths = [0, 1, 2].map((column) => Math.max(...[['run', 'started', 'status'][column]!, ...rows.map((row) => row[column]!)].map((cell) => cell.length)));
  const line = (cells: string[]) => `${cells.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]!) : cell)).join('  ')}\n`;
  io.stdout.write(`connection ${fingerprint}, newest first\n${line(['run', 'started', 'status', 'duration'])}${rows.map(line).join('')}`);
  if (page.next) io.stdout.write(`(older runs beyond these ${page.runs.length}: --limit up to 100, or GET /connections/${fingerprint}/runs?cursor=${encodeURIComponent(page.next)})\n`);
  return EXIT.ok;
}

async function readReport(source: string, io: Io): Promise<PreflightReport> {
  const report = (await readInput(source, io)) as Partial<PreflightReport> | null;
  const ok =
    typeof report === 'object' && report !== null && typeof report.id === 'string' && typeof report.startedAt === 'string' && ['ok', 'degraded', 'failed'].includes(report.status as string) &&
    Array.isArray(report.capabilities) && Array.isArray(report.probes) && Array.isArray(report.findings);
  if (!ok) throw new InputError(`${source} is not a preflight report (check --json, or GET /preflight/ID, writes one)`);
  return report as PreflightReport;
}

async function diff(args: string[], io: Io): Promise<number> {
  const parsed = options('diff', args, { ...SERVER_OPTIONS, json: { type: 'boolean' } }, io);
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  if (positionals.length !== 2) throw new UsageError('diff takes two reports: OLD NEW (run ids with --server, or report files)', 'diff');
  const [older, newer] = positionals as [string, string];
  let result: ReportDiff;
  if (values.server) {
    for (const id of positionals) if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) throw new UsageError('with --server, OLD and NEW are run ids: letters, digits and -', 'diff');
    result = await getJson<ReportDiff>(serviceOf(values, io, 'diff'), `preflight/${older}/diff/${newer}`);
  } else {
    if (older === '-' && newer === '-') throw new UsageError('only one of OLD and NEW can be standard input', 'diff');
    result = diffReports(await readReport(older, io), await readReport(newer, io));
  }
  io.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : renderDiff(result));
  return result.worse ? EXIT.degraded : EXIT.ok;
}

function renderDiff(d: ReportDiff): string {
  const lines = [
    `from ${d.from.id} (${d.from.startedAt}, ${d.from.status})`,
    `to   ${d.to.id} (${d.to.startedAt}, ${d.to.status})`,
    d.worse ? 'worse: something got worse' : 'worse: no',
  ];
  const section = (title: string, items: string[]) => {
    if (items.length) lines.push('', `${title}:`, ...items.map((item) => `  ${item}`));
  };
  section('capabilities', d.capabilities.map((c) => `${c.id}: ${c.from ?? '(not checked)'} -> ${c.to ?? '(not checked)'}`));
  section('newly missing', d.actions.newlyMissing);
  section('newly granted', d.actions.newlyGranted);
  section('findings added', d.findings.added.map((f) => `${f.code}: ${f.message}`));
  section('findings gone', d.findings.gone.map((f) => `${f.code}: ${f.message}`));
  if (!d.capabilities.length && !d.actions.newlyMissing.length && !d.actions.newlyGranted.length && !d.findings.added.length && !d.findings.gone.length) lines.push('', 'nothing changed');
  return `${lines.join('\n')}\n`;
}


const SETUP_FORMATS = ['markdown', 'json', 'cloudformation', 'cloudformation-json', 'terraform', 'cli'] as const;

/** Where POST /setup's issues point, as the options that set those fields. */
const SETUP_OPTION_OF: Array<[string, string]> = [
  ['/region', '--region'],
  ['/accountId', '--account'],
  ['/externalId', '--external-id'],
  ['/roleName', '--role-name'],
  ['/capabilities', '--capabilities'],
  ['/required', '--required'],
  ['/athena/workgroup', '--workgroup'],
  ['/athena/catalog', '--catalog'],
  ['/athena/outputLocation', '--output'],
  ['/glue/catalogId', '--catalog-id'],
  ['/glue/databases', '--databases'],
  ['/dataLocation', '--data-location'],
  ['/kmsKeys', '--kms-keys'],
];

function setup(args: string[], io: Io): number {
  const parsed = options(
    'setup',
    args,
    {
      region: { type: 'string' },
      account: { type: 'string' },
      'external-id': { type: 'string' },
      'trusted-principal': { type: 'string' },
      'role-name': { type: 'string' },
      capabilities: { type: 'string' },
      required: { type: 'string' },
      workgroup: { type: 'string' },
      catalog: { type: 'string' },
      output: { type: 'string' },
      'catalog-id': { type: 'string' },
      databases: { type: 'string' },
      'data-location': { type: 'string' },
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
  const format = values.format as (typeof SETUP_FORMATS)[number];
  if (!SETUP_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${SETUP_FORMATS.join(', ')}`, 'setup');
  for (const name of ['region', 'account', 'external-id'] as const) if (!values[name]) throw new UsageError(`--${name} is required`, 'setup');
  const trustedPrincipal = values['trusted-principal'] ?? loadConfig(io.env, { listening: false }).trustedPrincipal;
  if (!trustedPrincipal) throw new UsageError('--trusted-principal ARN (or PREFLIGHT_TRUSTED_PRINCIPAL) is required: the service\'s own principal, which the role trusts', 'setup');
  if (/^arn:aws[\w-]*:sts::/.test(trustedPrincipal)) throw new UsageError('--trusted-principal must be the role\'s IAM ARN, not an STS session ARN: a trust policy names the role', 'setup');
  if (!/^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:(root|(role|user)\/[\w+=,.@/-]{1,512})$/.test(trustedPrincipal)) {
    throw new UsageError('--trusted-principal must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/preflight-service', 'setup');
  }
  const list = (value: string | undefined) => value?.split(',').map((item) => item.trim()).filter(Boolean);
  const capabilities = values.capabilities?.trim() === 'all' ? [...CAPABILITY_IDS] : list(values.capabilities);
  const athena = { workgroup: values.workgroup, catalog: values.catalog, outputLocation: values.output };
  const glue = { catalogId: values['catalog-id'], databases: list(values.databases) };
  const defined = (object: Record<string, unknown>) => Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
  // POST /setup's body, judged by the route's own validator.
  const body = defined({
    region: values.region,
    accountId: values.account,
    externalId: values['external-id'],
    roleName: values['role-name'],
    capabilities,
    required: list(values.required),
    athena: Object.values(athena).some((v) => v !== undefined) ? defined(athena) : undefined,
    glue: Object.values(glue).some((v) => v !== undefined) ? defined(glue) : undefined,
    dataLocation: values['data-location'],
    kmsKeys: list(values['kms-keys']),
    options: values['no-self-check'] ? { selfCheck: false } : undefined,
  });
  const validation = validateSetupRequest(body);
  if (!validation.ok) {
    const named = validation.issues.map((issue) => {
      const option = SETUP_OPTION_OF.find(([path]) => issue.path === path || issue.path.startsWith(`${path}/`))?.[1];
      return `  ${option ?? issue.path}: ${issue.message}`;
    });
    io.stderr.write(`preflight: the setup is not valid:\n${named.join('\n')}\n`);
    return EXIT.usage;
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
