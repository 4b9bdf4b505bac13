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
import { parseS3Uri } from './preflight/connection.js';
import { PreflightRefused, runPreflight } from './preflight/engine.js';
import { validatePreflightRequest } from './preflight/request.js';
import type { PreflightReport } from './preflight/types.js';
import { renderMarkdown } from './report/markdown.js';
import { renderTable } from './report/text.js';
import { runSandboxCli } from './sandbox/main.js';

const EXIT = { ok: 0, degraded: 1, failed: 2, usage: 3 } as const;

const USAGE = `usage:
  preflight check [FILE|-] [--json|--markdown|--policy] [--server URL --api-key KEY] [--verbose]
  preflight policy --capabilities a,b|all --region R --account A [--workgroup W] [--output s3://…] [--data-location s3://…]
                   [--kms-key ARN] [--databases d1,d2] [--external-id X --trusted-principal ARN]
  preflight sandbox [--scenario NAME|FILE] [--port N]
`;

class UsageError extends Error {}
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
      case 'sandbox':
        return await runSandboxCli(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(USAGE);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof InputError || error instanceof ConfigError) {
      io.stderr.write(`preflight: ${error.message}\n${error instanceof UsageError ? USAGE : ''}`);
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

function options<T extends Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>>(args: string[], spec: T) {
  try {
    return parseArgs({ args, options: { ...spec, verbose: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
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
  const { values, positionals } = options(args, {
    json: { type: 'boolean' },
    markdown: { type: 'boolean' },
    policy: { type: 'boolean' },
    server: { type: 'string' },
    'api-key': { type: 'string' },
  });
  if (positionals.length > 1) throw new UsageError('check takes one connection file (or - for standard input)');
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
    const config = loadConfig(io.env);
    const serviceCredentials = fromNodeProviderChain();
    if (validation.request.credentials.type !== 'accessKey') await ownIdentity(serviceCredentials, validation.request.credentials.type);
    const clients = createClientFactory(networkSettings(config.aws));
    try {
      // In-process, the operator runs the tool with their own identity: ambient is theirs to use.
      report = await runPreflight(
        validation.request,
        { clients, serviceCredentials, allowAmbient: true, maxRunMs: config.maxRunMs },
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
  if (!apiKey) throw new UsageError('--server needs --api-key or PREFLIGHT_API_KEY');
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
  const { values, positionals } = options(args, {
    capabilities: { type: 'string' },
    region: { type: 'string' },
    account: { type: 'string' },
    workgroup: { type: 'string' },
    output: { type: 'string' },
    'data-location': { type: 'string' },
    'kms-key': { type: 'string' },
    databases: { type: 'string' },
    catalog: { type: 'string' },
    'external-id': { type: 'string' },
    'trusted-principal': { type: 'string' },
  });
  if (positionals.length) throw new UsageError(`policy takes no file, got "${positionals[0]}"`);
  const require = (name: 'capabilities' | 'region' | 'account') => {
    const value = values[name];
    if (!value) throw new UsageError(`--${name} is required`);
    return value;
  };
  const asked = require('capabilities').trim();
  const ids = asked === 'all' ? [...CAPABILITY_IDS] : asked.split(',').map((id) => id.trim());
  const unknown = ids.filter((id) => !(CAPABILITY_IDS as readonly string[]).includes(id));
  if (unknown.length) throw new UsageError(`--capabilities: unknown ${unknown.join(', ')} (known: all, ${CAPABILITY_IDS.join(', ')})`);
  const region = require('region');
  if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region)) throw new UsageError(`--region: "${region}" is not an AWS region`);
  const accountId = require('account');
  if (!/^\d{12}$/.test(accountId)) throw new UsageError('--account must be a 12-digit account id');
  const location = (name: 'output' | 'data-location') => {
    const value = values[name];
    if (value === undefined) return undefined;
    if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/|$)/.test(value)) throw new UsageError(`--${name} must be an S3 URI such as s3://bucket/prefix/`);
    return parseS3Uri(value);
  };
  const output = location('output');
  const data = location('data-location');
  // Without the location, the grant could only be on every bucket: refuse rather than print one
  // that a customer might paste.
  const needsOutput = ids.filter((id) => id === 'query-results' || id === 'query-execution');
  if (needsOutput.length && !output) throw new UsageError(`--output s3://bucket/prefix/ is required for ${needsOutput.join(' and ')}: the results location to grant`);
  if (ids.includes('table-data') && !data) throw new UsageError('--data-location s3://bucket/prefix/ is required for table-data: the tables\' data to grant');
  const kmsKey = values['kms-key'];
  if (kmsKey && !/^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/.test(kmsKey)) throw new UsageError('--kms-key must be a KMS key ARN');
  if (Boolean(values['external-id']) !== Boolean(values['trusted-principal'])) throw new UsageError('--external-id and --trusted-principal go together');

  const { identityPolicies, selfCheckPolicy } = setupPolicies(
    CAPABILITIES.filter((c) => ids.includes(c.id)),
    {
      region,
      accountId,
      workgroup: values.workgroup,
      dataCatalog: values.catalog,
      databases: values.databases?.split(',').map((d) => d.trim()).filter(Boolean),
      bucket: output?.bucket,
      prefix: output?.prefix,
      kmsKeyArns: kmsKey ? [kmsKey] : undefined,
    },
    data ? { bucket: data.bucket, prefix: data.prefix } : undefined,
  );
  // One shape: the identity policy (numbered parts when one would exceed IAM's size quota), what
  // the preflight itself calls to check, and the trust policy when asked for.
  const trustPolicy = values['external-id'] ? buildTrustPolicy({ trustedPrincipalArn: values['trusted-principal']!, externalId: values['external-id'] }) : undefined;
  io.stdout.write(`${JSON.stringify({ identityPolicies, selfCheckPolicy, ...(trustPolicy ? { trustPolicy } : {}) }, null, 2)}\n`);
  return EXIT.ok;
}
