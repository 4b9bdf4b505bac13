// preflight history: a connection file → its fingerprint, computed here as the service computes it
// (the file's secrets are never sent) → the runs the service stored for it, newest first.
import { maskAccessKeyId } from '../preflight/connection.js';
import { validatePreflightRequest } from '../preflight/request.js';
import { type RunsPage, connectionFingerprint } from '../store/types.js';
import { type Command, EXIT, type Io, SERVER_OPTIONS, UsageError, getJson, parseOptions, printIssues, readInput, serviceOf } from './shared.js';

export const history: Command = {
  name: 'history',
  synopsis: 'history FILE',
  summary: "a connection's stored runs, newest first, from a service (--server)",
  help: `usage: preflight history [FILE|-] --server URL [--api-key KEY] [--limit N] [--json]

Lists the runs the service at URL stored for the connection in FILE (the connection as check
takes it; - or none: standard input), newest first: id, start, status, duration. The connection
is found by its fingerprint (account, region, credential type, role ARN or masked key id), computed
here as the service computes it: the file's secrets are never sent.

  --server URL     the service (report history on)
  --api-key KEY    its API key (default: PREFLIGHT_API_KEY)
  --limit N        at most N runs, 1 to 100 (default 20)
  --json           the service's page as JSON (fingerprint, runs, next)
  -h, --help       this help
  -V, --version    the version

exit: 0 listed (none is an empty list), 3 usage or input error, or the service refused
`,
  run: runHistory,
};

async function runHistory(args: string[], io: Io): Promise<number> {
  const parsed = parseOptions(history, args, { ...SERVER_OPTIONS, json: { type: 'boolean' }, limit: { type: 'string', default: '20' } }, io);
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError('history takes one connection file, or - for standard input', 'history');
  const limit = Number(values.limit);
  if (!/^\d+$/.test(values.limit!) || limit < 1 || limit > 100) throw new UsageError('--limit must be an integer from 1 to 100', 'history');
  const service = serviceOf(values, io, 'history');
  const validation = validatePreflightRequest(await readInput(positionals[0] ?? '-', io));
  if (!validation.ok) return printIssues('the connection', validation.issues, io);
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
