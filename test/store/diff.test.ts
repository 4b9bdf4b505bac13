// The diff of two reports: what changed, and whether anything got worse.
import { describe, expect, it } from 'vitest';
import type { PreflightReport } from '../../src/preflight/types.js';
import { diffReports } from '../../src/store/diff.js';
import { report } from './fixtures.js';

const denied = (r: PreflightReport): PreflightReport => ({
  ...r,
  status: 'degraded',
  capabilities: r.capabilities.map((c) => (c.id === 'query-execution' ? { ...c, status: 'unavailable', missingActions: ['athena:StartQueryExecution'] } : c)),
  probes: r.probes.map((p) => (p.id === 'athena-query' ? { ...p, outcome: 'fail' } : p)),
  findings: [{ code: 'RESULTS_NO_LIFECYCLE', severity: 'low', message: 'no lifecycle rule', remediation: 'add one', probe: 's3-lifecycle' }],
});

describe('diffReports', () => {
  const good = report();
  const bad = denied(report());

  it('names the capabilities, actions and findings that changed, and says it got worse', () => {
    const diff = diffReports(good, bad);
    expect(diff.from).toEqual({ id: good.id, startedAt: good.startedAt, status: 'ok' });
    expect(diff.to.status).toBe('degraded');
    expect(diff.capabilities).toEqual([{ id: 'query-execution', from: 'ok', to: 'unavailable' }]);
    expect(diff.actions).toEqual({ newlyMissing: ['athena:StartQueryExecution'], newlyGranted: [] });
    expect(diff.findings.added.map((f) => f.code)).toEqual(['RESULTS_NO_LIFECYCLE']);
    expect(diff.findings.gone).toEqual([]);
    expect(diff.worse).toBe(true);
  });

  it('the other way round: granted again, finding gone, not worse', () => {
    const diff = diffReports(bad, good);
    expect(diff.capabilities).toEqual([{ id: 'query-execution', from: 'unavailable', to: 'ok' }]);
    expect(diff.actions).toEqual({ newlyMissing: [], newlyGranted: ['athena:StartQueryExecution'] });
    expect(diff.findings).toEqual({ added: [], gone: bad.findings });
    expect(diff.worse).toBe(false);
  });

  it('is empty between two runs with the same verdicts', () => {
    const diff = diffReports(good, report());
    expect(diff).toMatchObject({ worse: false, capabilities: [], actions: { newlyMissing: [], newlyGranted: [] }, findings: { added: [], gone: [] } });
  });
});
