// preflight show: a run id → the report a service stored (GET /preflight/ID) → printed as check
// prints one, the report's status as the exit code.
import type { PreflightReport } from '../preflight/types.js';
import { type Command, EXIT, type Io, RUN_ID, SERVER_OPTIONS, UsageError, getJson, parseOptions, printReport, serviceOf } from './shared.js';

export const show: Command = {
  name: 'show',
  synopsis: 'show ID',
  summary: 'a stored report, from a service (--server)',
  help: `usage: preflight show ID --server URL [--api-key KEY] [--json|--markdown]

Prints the report the service at URL stored for the run ID (GET /preflight/ID), as check prints
one: a table, or the JSON the API answers, or Markdown for a ticket.

  --server URL     the service that ran it (report history on)
  --api-key KEY    its API key (default: PREFLIGHT_API_KEY)
  --json           the report as JSON, as the API answers
  --markdown       the report as Markdown
  -h, --help       this help
  -V, --version    the version

exit: the report's status as check's (0 ok, 1 degraded, 2 failed); 3 usage error, or the service
refused (an unknown or expired id, a wrong key, history off)
`,
  run: runShow,
};

async function runShow(args: string[], io: Io): Promise<number> {
  const parsed = parseOptions(show, args, { ...SERVER_OPTIONS, json: { type: 'boolean' }, markdown: { type: 'boolean' } }, io);
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError('show takes one run id', 'show');
  const id = positionals[0]!;
  if (!RUN_ID.test(id)) throw new UsageError('a run id is letters, digits and -, such as 7b3f6a3c4fdb', 'show');
  if (values.json && values.markdown) throw new UsageError('--json and --markdown do not go together: pick one', 'show');
  const report = await getJson<PreflightReport>(serviceOf(values, io, 'show'), `preflight/${id}`);
  printReport(report, values, io);
  return EXIT[report.status] ?? EXIT.usage;
}
