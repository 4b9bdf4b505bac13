// What every command of the CLI shares: the exit codes, the two kinds of refusal, the streams and
// environment it is given, argument parsing (--help, --version and --verbose on every command), reading
// a JSON input, printing a report, and talking to a running service.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { PreflightReport } from '../preflight/types.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderTable } from '../render/text.js';
import { jsonErrorPosition } from './json-position.js';

export const EXIT = { ok: 0, degraded: 1, failed: 2, usage: 3 } as const;

export const EXIT_CODES = 'exit: 0 ok, 1 degraded, 2 failed, 3 usage, input, configuration or internal error';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  env: Record<string, string | undefined>;
}

/** One command: its line in `preflight --help`, its own help, and argv → library → output → exit code. */
export interface Command {
  name: string;
  /** The command and its arguments as `preflight --help` lists them, such as `check [FILE|-]`. */
  synopsis: string;
  summary: string;
  help: string;
  run(args: string[], io: Io): Promise<number>;
}

/** A usage error of one command: said in one line, with where its help is. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

/** Bad input (a missing file, broken JSON): said plainly, without the usage text. */
export class InputError extends Error {}

/** The package's version, from the package.json at the root of the package, above src/ and dist/ (the image copies it too). */
export function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
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

/** Options that were renamed: the old spelling is refused with the new one, not as unknown. */
const RENAMED: Record<string, string> = {
  '--kms-key': '--kms-keys, a comma-separated list of key or alias ARNs',
};

/**
 * A command's options, --help, --version (-V) and --verbose included; null when help or the version
 * was asked for and printed. `--help` wins over `--version`, and both over any other problem with
 * the arguments.
 */
export function parseOptions<T extends Spec>(command: Pick<Command, 'name' | 'help'>, args: string[], spec: T, io: Io) {
  const answered = (text: string) => {
    io.stdout.write(text);
    return null;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...spec, verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'V' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    if (args.includes('--help') || args.includes('-h')) return answered(command.help);
    if (args.includes('--version') || args.includes('-V')) return answered(`preflight ${version()}\n`);
    const renamed = Object.keys(RENAMED).find((old) => args.some((arg) => arg === old || arg.startsWith(`${old}=`)));
    throw new UsageError(renamed ? `${renamed} is now ${RENAMED[renamed]}` : argumentProblem(error), command.name);
  }
  const flags = parsed.values as { help?: boolean; version?: boolean };
  if (flags.help) return answered(command.help);
  if (flags.version) return answered(`preflight ${version()}\n`);
  return parsed;
}

/** A comma-separated option's items, trimmed, without empty ones; undefined when the option is absent. */
export function listOption(value: string | undefined): string[] | undefined {
  return value?.split(',').map((item) => item.trim()).filter(Boolean);
}

/** A JSON file, or standard input for `-`; the error names the line and column, never the text. */
export async function readInput(source: string, io: Io): Promise<unknown> {
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

/** A validator's issues, one a line under what was not valid; the usage exit code. */
export function printIssues(what: string, issues: ReadonlyArray<{ path: string; message: string }>, io: Io): number {
  io.stderr.write(`preflight: ${what} is not valid:\n${issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}\n`);
  return EXIT.usage;
}

export function printReport(report: PreflightReport, format: { json?: boolean; markdown?: boolean }, io: Io): void {
  if (format.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (format.markdown) io.stdout.write(renderMarkdown(report));
  else io.stdout.write(renderTable(report, { color: Boolean(io.stdout.isTTY) && !io.env.NO_COLOR }));
}

export const SERVER_OPTIONS = { server: { type: 'string' }, 'api-key': { type: 'string' } } as const;

export interface Service {
  url: URL;
  apiKey: string;
}

/** The service's address and key: both needed, the address a URL. */
export function serviceOf(values: { server?: string; 'api-key'?: string }, io: Io, command: string): Service {
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

/**
 * A request to the service with its key. Out of reach, or a refusal (400 with the fields, 401, 404
 * for an unknown id or history off): said in one line, in the service's words.
 */
export async function callService(service: Service, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Response> {
  const target = new URL(path, service.url);
  let response: Response;
  try {
    response = await fetch(target, { ...init, headers: { authorization: `Bearer ${service.apiKey}`, accept: 'application/json', ...init.headers } });
  } catch (error) {
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    throw new InputError(`cannot reach ${target.origin}${typeof code === 'string' && /^\w{1,32}$/.test(code) ? ` (${code})` : ''}`);
  }
  if (!response.ok) {
    const answer = (await response.json().catch(() => ({}))) as { message?: string; issues?: Array<{ path: string; message: string }> };
    const detail = answer.issues?.map((issue) => `${issue.path}: ${issue.message}`).join('; ') ?? answer.message ?? response.statusText;
    throw new InputError(`the server answered ${response.status}: ${detail}`);
  }
  return response;
}

export async function getJson<T>(service: Service, path: string): Promise<T> {
  return (await (await callService(service, path)).json()) as T;
}

/** A run id as the service makes them: letters, digits and -. */
export const RUN_ID = /^[A-Za-z0-9-]{1,64}$/;

/** The options that select a connection's resources, the same in setup, policy and coverage. */
export const SELECTION_FLAGS = {
  region: { type: 'string' },
  account: { type: 'string' },
  capabilities: { type: 'string' },
  workgroup: { type: 'string' },
  catalog: { type: 'string' },
  output: { type: 'string' },
  'catalog-id': { type: 'string' },
  databases: { type: 'string' },
  'data-location': { type: 'string' },
} as const;

/** The connection selection's fields and the options that set them, shared by setup, policy and coverage. */
export const SELECTION_OPTIONS: ReadonlyArray<[field: string, option: string]> = [
  ['/region', '--region'],
  ['/accountId', '--account'],
  ['/capabilities', '--capabilities'],
  ['/required', '--required'],
  ['/athena/workgroup', '--workgroup'],
  ['/athena/catalog', '--catalog'],
  ['/athena/outputLocation', '--output'],
  ['/glue/catalogId', '--catalog-id'],
  ['/glue/databases', '--databases'],
  ['/dataLocation', '--data-location'],
];

/** A validator's issue path as the option that sets that field (a field's item under the field's option). */
export function optionOf(options: ReadonlyArray<[field: string, option: string]>, path: string): string {
  return options.find(([field]) => path === field || path.startsWith(`${field}/`))?.[1] ?? path;
}

export function errorName(error: unknown): string {
  const name = (error as Error | undefined)?.name;
  return typeof name === 'string' && /^\w{1,64}$/.test(name) ? name : 'Error';
}
