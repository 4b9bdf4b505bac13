// preflight check: a connection file → one preflight, in this process with its own AWS settings or
// by a running service → the report as a table, JSON, Markdown or the policy → its status as the
// exit code.
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { createClientFactory, networkSettings } from '../aws/clients.js';
import { SEVERITIES, type Severity } from '../catalogue/findings.js';
import { loadConfig } from '../config.js';
import { PreflightRefused, runPreflight } from '../preflight/engine.js';
import { validatePreflightRequest } from '../preflight/request.js';
import type { PreflightReport } from '../preflight/types.js';
import { PROBES } from '../probes/registry.js';
import {
  type Command,
  EXIT,
  EXIT_CODES,
  InputError,
  type Io,
  SERVER_OPTIONS,
  type Service,
  UsageError,
  callService,
  errorName,
  parseOptions,
  printIssues,
  printReport,
  readInput,
  serviceOf,
} from './shared.js';

export const check: Command = {
  name: 'check',
  synopsis: 'check [FILE|-]',
  summary: 'check a connection: a table, or --json, --markdown, --policy',
  help: `usage: preflight check [FILE|-] [--json|--markdown|--policy] [--server URL --api-key KEY] [--fail-on S] [--verbose]

Checks the connection in FILE (JSON, canonical or flat; - or none: standard input) with this
process's AWS settings (the credential chain, AWS_ENDPOINT_URL…, HTTPS_PROXY). Role and ambient
credentials use this process's own AWS identity. Progress goes to stderr on a terminal.

  --json           the report as JSON, as the API answers
  --markdown       the report as Markdown, for a ticket
  --policy         only the IAM policy that grants what is missing
  --server URL     ask the service at URL instead of checking here
  --api-key KEY    that service's API key (default: PREFLIGHT_API_KEY)
  --fail-on S      exit 1 when a finding of severity S or worse is reported, even if every
                   capability is ok (S: ${SEVERITIES.join(', ')}); for runbooks and CI
  --verbose        the stack's frames of an internal error
  -h, --help       this help
  -V, --version    the version

${EXIT_CODES}
`,
  run: runCheck,
};

async function runCheck(args: string[], io: Io): Promise<number> {
  const parsed = parseOptions(check, args, { json: { type: 'boolean' }, markdown: { type: 'boolean' }, policy: { type: 'boolean' }, 'fail-on': { type: 'string' }, ...SERVER_OPTIONS }, io);
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError('check takes one connection file, or - for standard input', 'check');
  const formats = (['json', 'markdown', 'policy'] as const).filter((format) => values[format]);
  if (formats.length > 1) throw new UsageError(`--${formats.join(' and --')} do not go together: pick one`, 'check');
  const failOn = values['fail-on'];
  if (failOn !== undefined && !(SEVERITIES as readonly string[]).includes(failOn)) throw new UsageError(`--fail-on must be ${SEVERITIES.slice(0, -1).join(', ')} or ${SEVERITIES.at(-1)}`, 'check');
  const body = await readInput(positionals[0] ?? '-', io);
  const validation = validatePreflightRequest(body);
  if (!validation.ok) return printIssues('the connection', validation.issues, io);
  const progress = io.stderr.isTTY ? (line: string) => io.stderr.write(`${line}\n`) : () => undefined;
  const report = values.server ? await remoteCheck(serviceOf(values, io, 'check'), body, progress) : await localCheck(validation.request, io, progress);
  if (values.policy) {
    if (report.remediation.policy) io.stdout.write(`${JSON.stringify(report.remediation.policy, null, 2)}\n`);
    else io.stderr.write('preflight: nothing to grant: no missing action an identity policy can lift\n');
  } else printReport(report, values, io);
  // SEVERITIES runs from the worst: "S or worse" is S and what comes before it.
  const threshold = failOn === undefined ? -1 : SEVERITIES.indexOf(failOn as Severity);
  const failing = report.findings.some((finding) => SEVERITIES.indexOf(finding.severity) <= threshold);
  return Math.max(EXIT[report.status], failing ? EXIT.degraded : EXIT.ok);
}

type Request = Extract<ReturnType<typeof validatePreflightRequest>, { ok: true }>['request'];

async function localCheck(request: Request, io: Io, progress: (line: string) => void): Promise<PreflightReport> {
  const config = loadConfig(io.env, { listening: false });
  const serviceCredentials = fromNodeProviderChain();
  if (request.credentials.type !== 'accessKey') await ownIdentity(serviceCredentials, request.credentials.type);
  const clients = createClientFactory(networkSettings(config.aws));
  try {
    // In-process, the operator runs the tool with their own identity: ambient is theirs to use.
    return await runPreflight(
      request,
      { clients, serviceCredentials, allowAmbient: true, maxRunMs: config.maxRunMs, probes: PROBES },
      { onProbe: ({ probe }) => progress(probeLine(probe)) },
    );
  } catch (error) {
    if (error instanceof PreflightRefused) throw new InputError(error.message);
    throw error;
  } finally {
    clients.destroy();
  }
}

function probeLine(probe: { outcome: string; id: string; error?: { code: string } }): string {
  return `  ${String(probe.outcome).padEnd(7)} ${probe.id}${probe.error ? ` (${probe.error.code})` : ''}`;
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

/** POST /preflight as a stream of events: each probe as it settles (the progress lines), then the report. */
async function remoteCheck(service: Service, body: unknown, progress: (line: string) => void): Promise<PreflightReport> {
  const response = await callService(service, '/preflight', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
  });
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) throw new InputError(`the server answered ${response.status} without a stream of events`);
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
      if (event === 'probe') progress(probeLine(parsed));
      else if (event === 'report') report = parsed as PreflightReport;
      else if (event === 'error') throw new Error(`the server failed: ${parsed.message}`);
    }
  }
  if (!report) throw new Error('the server ended the stream without a report');
  return report;
}
