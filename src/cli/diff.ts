// preflight diff: two reports (run ids a service stored, or two report files) → what changed, by the
// service's own diff → a list or JSON, exit 1 when something got worse.
import { terminalText } from '../catalogue/quote.js';
import type { PreflightReport } from '../preflight/types.js';
import { type ReportDiff, diffReports } from '../store/diff.js';
import { type Command, EXIT, InputError, type Io, RUN_ID, SERVER_OPTIONS, UsageError, getJson, parseOptions, readInput, serviceOf } from './shared.js';

export const diff: Command = {
  name: 'diff',
  synopsis: 'diff OLD NEW',
  summary: 'what changed between two reports (ids with --server, or two report files)',
  help: `usage: preflight diff OLD NEW [--server URL [--api-key KEY]] [--json]

What changed from the report OLD to the report NEW: capabilities whose status changed, actions
newly missing or granted, findings added or gone. OLD and NEW are run ids with --server
(GET /preflight/OLD/diff/NEW), or two report files (check --json's output) without it; both ways
compare with the service's own diff.

  --server URL     the service that stored both runs
  --api-key KEY    its API key (default: PREFLIGHT_API_KEY)
  --json           the diff as JSON, as the API answers
  -h, --help       this help
  -V, --version    the version

exit: 0 nothing got worse, 1 something got worse (the overall status or a capability, or an action
is newly missing), 3 usage or input error, or the service refused
`,
  run: runDiff,
};

async function runDiff(args: string[], io: Io): Promise<number> {
  const parsed = parseOptions(diff, args, { ...SERVER_OPTIONS, json: { type: 'boolean' } }, io);
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  if (positionals.length !== 2) throw new UsageError('diff takes two reports: OLD NEW (run ids with --server, or report files)', 'diff');
  const [older, newer] = positionals as [string, string];
  let result: ReportDiff;
  if (values.server) {
    for (const id of positionals) if (!RUN_ID.test(id)) throw new UsageError('with --server, OLD and NEW are run ids: letters, digits and -', 'diff');
    result = await getJson<ReportDiff>(serviceOf(values, io, 'diff'), `preflight/${older}/diff/${newer}`);
  } else {
    if (older === '-' && newer === '-') throw new UsageError('only one of OLD and NEW can be standard input', 'diff');
    result = diffReports(await readReport(older, io), await readReport(newer, io));
  }
  io.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : renderDiff(result));
  return result.worse ? EXIT.degraded : EXIT.ok;
}

async function readReport(source: string, io: Io): Promise<PreflightReport> {
  const report = (await readInput(source, io)) as Partial<PreflightReport> | null;
  const ok =
    typeof report === 'object' && report !== null && typeof report.id === 'string' && typeof report.startedAt === 'string' && ['ok', 'degraded', 'failed'].includes(report.status as string) &&
    Array.isArray(report.capabilities) && Array.isArray(report.probes) && Array.isArray(report.findings);
  if (!ok) throw new InputError(`${source} is not a preflight report (check --json, or GET /preflight/ID, writes one)`);
  return report as PreflightReport;
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
  section('findings added', d.findings.added.map((f) => `${f.code}: ${terminalText(f.message)}`));
  section('findings gone', d.findings.gone.map((f) => `${f.code}: ${terminalText(f.message)}`));
  if (!d.capabilities.length && !d.actions.newlyMissing.length && !d.actions.newlyGranted.length && !d.findings.added.length && !d.findings.gone.length) lines.push('', 'nothing changed');
  return `${lines.join('\n')}\n`;
}
