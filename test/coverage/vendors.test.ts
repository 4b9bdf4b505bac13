// The five vendors' published policies (examples/vendor-policies/, placeholders filled with the
// sandbox account's values): the same documents as the sandbox's vendor scenarios, docs/api.md's
// table generated from their coverage, and that coverage agreeing with a real preflight of the
// sandbox for each, over HTTP.
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { PolicyStatement } from '../../src/catalogue/remediation.js';
import { canonicalJson } from '../../src/catalogue/resources.js';
import { loadScenario } from '../../src/sandbox/scenario.js';
import { coveragesFor, samplePrincipal } from '../support/coverage.js';
import { type Harness, runSample, statusOf } from '../support/service.js';
import { VENDOR_POLICIES, vendorCoverage, withVendorTable } from '../support/vendor-coverage.js';

const harnesses: Harness[] = [];
afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
});

describe('the vendor policies', () => {
  it("are the sandbox's vendor scenarios' documents, one file each", () => {
    expect(readdirSync('examples/vendor-policies').filter((file) => file.endsWith('.json')).sort()).toEqual(VENDOR_POLICIES.map((v) => `${v.name}.json`).sort());
    for (const { name } of VENDOR_POLICIES) {
      expect(JSON.parse(readFileSync(`examples/vendor-policies/${name}.json`, 'utf8'))).toEqual(samplePrincipal(loadScenario(name)).policies[0]);
      expect(samplePrincipal(loadScenario(name)).policies).toHaveLength(1);
    }
  });

  it("make docs/api.md's table (run `npm run openapi` after changing them or the catalogue)", () => {
    const page = readFileSync('docs/api.md', 'utf8');
    expect(page).toContain('<!-- vendor-coverage:');
    expect(withVendorTable(page)).toBe(page);
  });

  /** Each (action, resource, condition) a list of statements grants. */
  const grants = (statements: readonly PolicyStatement[] = []) =>
    new Set(statements.flatMap((s) => s.Action.flatMap((action) => s.Resource.map((arn) => `${action} ${arn} ${s.Condition ? canonicalJson(s.Condition) : ''}`))));

  let compared = 0;
  let fixes = 0;
  for (const { name } of VENDOR_POLICIES) {
    it(`${name}: what a preflight of the sandbox finds agrees with the policy's coverage, and its fix grants no more than the report's`, async () => {
      const { report } = await runSample(harnesses, name);
      const statuses = statusOf(report);
      const emptyListing = report.findings.some((f) => f.code === 'NO_DATABASES_VISIBLE' || f.code === 'NO_TABLES_VISIBLE');
      const coverage = vendorCoverage(name);
      const disagreements = coverage.capabilities.flatMap((c) => {
        const expected = coveragesFor(statuses[c.id]!, emptyListing);
        if (!expected) return [];
        compared += 1;
        return expected.includes(c.coverage) ? [] : [`${c.id}: the preflight finds ${statuses[c.id]}, coverage says ${c.coverage}`];
      });
      expect(disagreements).toEqual([]);
      // The same generator: what coverage asks for, the report asks for too. The report may ask for
      // more (what its run could not test, Athena's relays it cannot see granted): coverage reads
      // the document, so it asks only for what the document lacks.
      const beyondTheReport = report.capabilities.flatMap((c) => {
        const ours = coverage.capabilities.find((o) => o.id === c.id)!;
        if (!c.remediation?.statements.length || !ours.remediation?.statements.length) return [];
        fixes += 1;
        const theirs = grants(c.remediation.statements);
        return [...grants(ours.remediation.statements)].filter((grant) => !theirs.has(grant)).map((grant) => `${c.id}: ${grant}`);
      });
      expect(beyondTheReport).toEqual([]);
    }, 60_000);
  }

  it('compared most capabilities of every vendor policy', () => {
    expect(compared).toBeGreaterThanOrEqual(VENDOR_POLICIES.length * 8);
    expect(fixes).toBeGreaterThanOrEqual(30);
  });
});
