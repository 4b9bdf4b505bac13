// preflight watch: the connections a service watches on its own (GET /watch), each with its latest
// run and its next; or, with --check, a watch file checked here as the service checks it at start.
import { WatchFileError, loadWatchFile } from '../watch/file.js';
import { type Command, EXIT, InputError, type Io, SERVER_OPTIONS, UsageError, getJson, parseOptions, serviceOf } from './shared.js';

export interface WatchList {
  connections: Array<{ label: string; lastRun: { id: string; at: string; status: 'ok' | 'degraded' | 'failed' } | null; nextRunAt: string }>;
}

export const watch: Command = {
  name: 'watch',
  synopsis: 'watch',
  summary: 'the connections a service watches: latest and next run (--server)',
  help: `usage: preflight watch --server URL [--api-key KEY] [--json]
       preflight watch --check FILE

Lists the connections the service at URL watches on its own (its PREFLIGHT_WATCH_FILE, GET /watch):
each one's label, its latest run (when, its status, its run id: preflight show ID prints it) and
when it runs next.

With --check FILE, checks a watch file here as the service checks it at start, without a service:
JSON or YAML, role mode only (access keys and an external ID written in the file are refused), each
externalIdEnv set in this environment, each externalIdFile readable.

  --server URL     the service
  --api-key KEY    its API key (default: PREFLIGHT_API_KEY)
  --json           the service's answer as JSON ({ connections: [{ label, lastRun, nextRunAt }] })
  --check FILE     check a watch file instead
  -h, --help       this help
  -V, --version    the version

exit: the worst latest run, as check's (0 ok or not run yet, 1 degraded, 2 failed); with --check, 0
when the file is valid; 3 usage error, a file that is not valid, or the service refused
`,
  run: runWatch,
};

const STATUS_EXIT = { ok: EXIT.ok, degraded: EXIT.degraded, failed: EXIT.failed } as const;

/** An interval as the watch file writes one: 6h, 30m, 1h30m. */
export function formatInterval(ms: number): string {
  const units: Array<[string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];
  let left = ms;
  let text = '';
  for (const [unit, size] of units) {
    const count = Math.floor(left / size);
    if (count) text += `${count}${unit}`;
    left -= count * size;
  }
  return text || '0s';
}

async function runWatch(args: string[], io: Io): Promise<number> {
  const parsed = parseOptions(watch, args, { ...SERVER_OPTIONS, json: { type: 'boolean' }, check: { type: 'string' } }, io);
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  if (positionals.length) throw new UsageError('watch takes no file but with --check FILE', 'watch');
  if (values.check !== undefined) {
    if (values.server || values.json) throw new UsageError('--check checks a file here: it takes neither --server nor --json', 'watch');
    let connections;
    try {
      connections = await loadWatchFile(values.check, io.env);
    } catch (error) {
      if (error instanceof WatchFileError) throw new InputError(error.message);
      throw error;
    }
    io.stdout.write(`${values.check}: ${connections.length} connection${connections.length === 1 ? '' : 's'} to watch\n`);
    for (const connection of connections) {
      io.stdout.write(`  ${connection.label}: ${connection.request.credentials.roleArn} in ${connection.request.region}, every ${formatInterval(connection.intervalMs)}, external ID from the ${connection.externalIdSource}\n`);
    }
    return EXIT.ok;
  }
  const list = await getJson<WatchList>(serviceOf(values, io, 'watch'), 'watch');
  if (values.json) io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
  else if (!list.connections.length) io.stderr.write('preflight: the service watches no connection (PREFLIGHT_WATCH_FILE is not set there)\n');
  else {
    const rows = list.connections.map((c) => [c.label, c.lastRun?.at ?? 'not yet', c.lastRun?.status ?? '', c.lastRun?.id ?? '', c.nextRunAt]);
    const header = ['connection', 'latest run', 'status', 'run', 'next run'];
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
    const line = (cells: string[]) => `${cells.map((cell, column) => (column < cells.length - 1 ? cell.padEnd(widths[column]!) : cell)).join('  ')}\n`;
    io.stdout.write(`${line(header)}${rows.map(line).join('')}`);
  }
  return Math.max(EXIT.ok, ...list.connections.map((c) => (c.lastRun ? STATUS_EXIT[c.lastRun.status] : EXIT.ok)));
}
