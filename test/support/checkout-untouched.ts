// vitest's global setup: the suite leaves the checkout's ./data (the service's default report store,
// the user's own reports) as it found it. A test that starts a service or the CLI keeps its reports
// in a temporary directory (PREFLIGHT_DATA_DIR) or none (PREFLIGHT_REPORT_STORE=off); this fails the
// run when one did not.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const DATA = resolve('data');

/**
 * Every file under ./data with its size and modification time (a user's store may be large: it is
 * not read); undefined when there is no ./data.
 */
export function dataSnapshot(dir = DATA): Map<string, string> | undefined {
  if (!existsSync(dir)) return undefined;
  const files = (readdirSync(dir, { recursive: true }) as string[]).map((name) => [name, statSync(join(dir, name))] as const).filter(([, stat]) => stat.isFile());
  return new Map(files.sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, stat]) => [name, `${stat.size} ${stat.mtimeMs}`]));
}

/** What changed between two snapshots, in words; empty when nothing did. */
export function dataChanges(before: Map<string, string> | undefined, after: Map<string, string> | undefined): string[] {
  if (!before && !after) return [];
  if (!before) return [`./data was created (${[...after!.keys()].join(', ') || 'empty'})`];
  if (!after) return ['./data was deleted'];
  return [...new Set([...before.keys(), ...after.keys()])].flatMap((name) =>
    !after.has(name) ? [`./data/${name} was deleted`] : !before.has(name) ? [`./data/${name} was created`] : before.get(name) !== after.get(name) ? [`./data/${name} was changed`] : [],
  );
}

export default function checkoutUntouched() {
  const before = dataSnapshot();
  return () => {
    const changes = dataChanges(before, dataSnapshot());
    if (!changes.length) return;
    // A teardown's error is printed but does not fail vitest's run: the exit code does.
    process.exitCode = 1;
    throw new Error(`the tests wrote into the checkout: ${changes.join('; ')}. A test that starts the service or the CLI keeps its reports in a temporary PREFLIGHT_DATA_DIR, or none (PREFLIGHT_REPORT_STORE=off).`);
  };
}
