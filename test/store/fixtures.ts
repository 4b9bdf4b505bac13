// Hand-written reports for the store's unit tests: only what the store and the diff read.
import type { PreflightReport } from '../../src/preflight/types.js';

let counter = 0;

export function report(overrides: Partial<PreflightReport> = {}): PreflightReport {
  counter += 1;
  return {
    id: `run${String(counter).padStart(9, '0')}`,
    status: 'ok',
    startedAt: new Date(Date.UTC(2026, 10, 1, 12, 0, counter)).toISOString(),
    durationMs: 1200,
    connection: { region: 'eu-west-1', accountId: '123456789012', credentialType: 'role', roleArn: 'arn:aws:iam::123456789012:role/Analytics', externalIdGiven: true },
    capabilities: [
      { id: 'metadata', title: 'Read the catalogue', status: 'ok', required: true, missingActions: [], untestedActions: [], reasons: [] },
      { id: 'query-execution', title: 'Run queries', status: 'ok', required: true, missingActions: [], untestedActions: [], reasons: [] },
    ],
    probes: [
      { id: 'glue-databases', service: 'glue', actions: ['glue:GetDatabases'], outcome: 'pass', startedAtMs: 0, durationMs: 10 },
      { id: 'athena-query', service: 'athena', actions: ['athena:StartQueryExecution'], outcome: 'pass', startedAtMs: 0, durationMs: 10 },
    ],
    findings: [],
    remediation: { policy: null, notes: [] },
    ...overrides,
  } as PreflightReport;
}
