// What changed between two reports of a connection: capabilities whose status changed, actions
// newly missing or newly granted, findings added or gone. `worse` says whether anything got worse
// (the CLI's `preflight diff` exits 1 on it).
import type { CapabilityStatus, Finding, OverallStatus, PreflightReport } from '../preflight/types.js';

export interface ReportDiff {
  from: { id: string; startedAt: string; status: OverallStatus };
  to: { id: string; startedAt: string; status: OverallStatus };
  worse: boolean;
  /** Capabilities whose status differs; null where one report does not have the capability. */
  capabilities: { id: string; from: CapabilityStatus | null; to: CapabilityStatus | null }[];
  actions: {
    /** Missing in `to`, not missing in `from`. */
    newlyMissing: string[];
    /** Proven granted in `to` (a probe that uses it passed), not proven in `from`. */
    newlyGranted: string[];
  };
  findings: { added: Finding[]; gone: Finding[] };
}

/** How bad a status is; skipped is not on the scale (a capability not asked for is neither). */
export const CAPABILITY_RANK: Partial<Record<CapabilityStatus, number>> = { ok: 0, degraded: 1, unknown: 2, unavailable: 3 };
export const OVERALL_RANK: Record<OverallStatus, number> = { ok: 0, degraded: 1, failed: 2 };

function missingActions(report: PreflightReport): Set<string> {
  return new Set(report.capabilities.flatMap((c) => c.missingActions));
}

function grantedActions(report: PreflightReport): Set<string> {
  return new Set(report.probes.filter((p) => p.outcome === 'pass').flatMap((p) => p.actions));
}

const findingKey = (finding: Finding) => JSON.stringify([finding.code, finding.probe ?? '', finding.message]);

export function diffReports(from: PreflightReport, to: PreflightReport): ReportDiff {
  const before = new Map(from.capabilities.map((c) => [c.id, c.status]));
  const after = new Map(to.capabilities.map((c) => [c.id, c.status]));
  const capabilities: ReportDiff['capabilities'] = [];
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(id) ?? null;
    const is = after.get(id) ?? null;
    if (was !== is) capabilities.push({ id, from: was, to: is });
  }
  const [missingBefore, missingAfter] = [missingActions(from), missingActions(to)];
  const [grantedBefore, grantedAfter] = [grantedActions(from), grantedActions(to)];
  const newlyMissing = [...missingAfter].filter((a) => !missingBefore.has(a)).sort();
  const newlyGranted = [...grantedAfter].filter((a) => !grantedBefore.has(a) && !missingAfter.has(a)).sort();
  const fromKeys = new Set(from.findings.map(findingKey));
  const toKeys = new Set(to.findings.map(findingKey));
  const capabilityWorse = capabilities.some(({ from: was, to: is }) => {
    const [a, b] = [was && CAPABILITY_RANK[was], is && CAPABILITY_RANK[is]];
    return typeof a === 'number' && typeof b === 'number' && b > a;
  });
  return {
    from: { id: from.id, startedAt: from.startedAt, status: from.status },
    to: { id: to.id, startedAt: to.startedAt, status: to.status },
    worse: OVERALL_RANK[to.status] > OVERALL_RANK[from.status] || capabilityWorse || newlyMissing.length > 0,
    capabilities,
    actions: { newlyMissing, newlyGranted },
    findings: { added: to.findings.filter((f) => !fromKeys.has(findingKey(f))), gone: from.findings.filter((f) => !toKeys.has(findingKey(f))) },
  };
}
