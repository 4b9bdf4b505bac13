// docs/sandbox.md, checked rather than only read: its table of built-in scenarios is the one the
// scenario files make (`npm run generate` writes it), and its example is a scenario the sandbox takes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listBuiltInScenarios, parseScenario } from '../../src/sandbox/scenario.js';
import { SCENARIO_MARKERS, firstSentence, scenarioTable, withScenarioTable } from '../../src/sandbox/scenario-table.js';

const PAGE = readFileSync('docs/sandbox.md', 'utf8');

describe("docs/sandbox.md's table of built-in scenarios", () => {
  it('is the scenario files\', as generated (run `npm run generate` after adding or changing one)', () => {
    expect(PAGE).toContain(`${SCENARIO_MARKERS.start}\n${scenarioTable()}\n${SCENARIO_MARKERS.end}`);
    expect(withScenarioTable(PAGE)).toBe(PAGE);
  });

  it('has a row for every built-in scenario, and no other', () => {
    const table = PAGE.slice(PAGE.indexOf(SCENARIO_MARKERS.start), PAGE.indexOf(SCENARIO_MARKERS.end));
    const named = [...table.matchAll(/^\| \[`([a-z0-9-]+)`\]\(\.\.\/src\/sandbox\/scenarios\/\1\.json\)/gm)].map((m) => m[1]);
    expect(named).toEqual(listBuiltInScenarios());
    expect(named.length).toBeGreaterThan(40);
  });

  it("gives each scenario its description's first sentence", () => {
    expect(firstSentence('Everything allowed, but CloudTrail throttles. A preflight should find it degraded.')).toBe('Everything allowed, but CloudTrail throttles.');
    // A lower-case word (an id) after a full stop does not start a sentence; nor does a version.
    expect(firstSentence('Athena cannot write there. query-results is unavailable. A preflight says so.')).toBe('Athena cannot write there. query-results is unavailable.');
    expect(firstSentence('Node 24.22 runs it (see below).')).toBe('Node 24.22 runs it (see below).');
    expect(scenarioTable()).toMatch(/^\| \[`kms-denied`\]\(\.\.\/src\/sandbox\/scenarios\/kms-denied\.json\) \| \[`_base`\]\(\.\.\/src\/sandbox\/scenarios\/_base\.json\) \| As kms-encrypted-results, but the principal has no KMS permission/m);
  });
});

describe("docs/sandbox.md's example scenario", () => {
  it('is one the sandbox takes, its faults as written', () => {
    const [example] = [...PAGE.matchAll(/^```json\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
    const scenario = parseScenario(JSON.parse(example!), 'docs/sandbox.md');
    expect(scenario.name).toBe('flaky-glue');
    expect(scenario.faults).toEqual([
      { service: 'glue', throttle: { ratePerSecond: 5 }, serverErrorProbability: 0.05 },
      { service: 'athena', latencyMs: 200, jitterMs: 100 },
    ]);
    // What it extends came with it: full-access's principals.
    expect(scenario.users.map((user) => user.name)).toContain('analyst');
  });
});
