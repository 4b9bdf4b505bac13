// docs/sandbox.md's table of the built-in scenarios, read from the scenario files through the
// loader: each one's name, the scenario it extends and the first sentence of its description (the
// file has the rest, and what a preflight should find). `npm run generate` writes it between its
// markers; test/docs/sandbox.test.ts fails when the page has drifted from the files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Markers, markersOf, withGenerated } from '../catalogue/generated.js';
import { BUILT_IN_SCENARIO_DIR, listBuiltInScenarios, loadScenario } from './scenario.js';

export const SCENARIO_MARKERS: Markers = markersOf('scenarios', 'src/sandbox/scenarios/*.json');

/** Where docs/sandbox.md reaches the scenario files. */
const FILES = '../src/sandbox/scenarios';

/**
 * The text up to the end of its first sentence: a full stop (or ! or ?) followed by a capital, an
 * opening parenthesis or the end. A lowercase word after a full stop (`query-results is …`, an id)
 * does not start a sentence, so that sentence runs on.
 */
export function firstSentence(text: string): string {
  return /^.*?[.!?](?=\s+[A-Z(]|\s*$)/s.exec(text.trim())?.[0] ?? text.trim();
}

const cell = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');

/** The table's rows, one per built-in scenario, in the order of their names. */
export function scenarioTable(): string {
  const rows = listBuiltInScenarios().map((name) => {
    // The loader merges what a scenario extends into it: which one it was is in the file itself.
    const base = (JSON.parse(readFileSync(join(BUILT_IN_SCENARIO_DIR, `${name}.json`), 'utf8')) as { extends?: string }).extends;
    const scenario = loadScenario(name);
    return `| [\`${name}\`](${FILES}/${name}.json) | ${base ? `[\`${base}\`](${FILES}/${base}.json)` : ''} | ${cell(firstSentence(scenario.description))} |`;
  });
  return ['| scenario | extends | what it sets up (the first sentence of its description) |', '|---|---|---|', ...rows].join('\n');
}

/** A Markdown text (docs/sandbox.md) with its table of built-in scenarios replaced by the files'. */
export const withScenarioTable = (markdown: string): string => withGenerated(markdown, SCENARIO_MARKERS, scenarioTable());
