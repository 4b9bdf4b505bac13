// The one rule for a capability's status (decideStatus) and what fixes it (remediationFor), on
// evidence written by hand: no engine, no AWS.
import { describe, expect, it } from 'vitest';
import { type CapabilityId, capabilityById } from '../../src/catalogue/capabilities.js';
import type { ClassifiedError } from '../../src/preflight/classify.js';
import { resolveConnection } from '../../src/preflight/connection.js';
import type { PreflightRequest } from '../../src/preflight/request.js';
import type { ActionResult, Finding, ProbeReport } from '../../src/preflight/types.js';
import { type Evidence, decideStatus, remediationFor } from '../../src/preflight/verdict.js';
import type { ProbeDefinition, RunFacts } from '../../src/probes/types.js';

const request: PreflightRequest = {
  region: 'eu-west-1',
  accountId: '123456789012',
  credentials: { type: 'accessKey', accessKeyId: 'AKIAEXAMPLEEXAMPLE01', secretAccessKey: 'secret-secret-secret-01' },
};

const probe = (id: string, informs: CapabilityId[], actions: ProbeDefinition['actions']): ProbeDefinition => ({ id, service: 'glue', informs, actions, run: async () => undefined });
const REGISTRY = [
  probe('sts-caller-identity', ['connection'], ['sts:GetCallerIdentity']),
  probe('glue-databases', ['metadata'], ['glue:GetDatabases']),
  probe('glue-tables', ['metadata'], ['glue:GetTables']),
  probe('glue-table', ['metadata'], ['glue:GetTable', 'glue:GetDatabase']),
  probe('kms-probe', ['encryption'], ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey']),
  probe('lf-probe', ['lake-formation'], ['lakeformation:GetDataAccess']),
];

const denied: ClassifiedError = { code: 'AccessDeniedException', category: 'permission', message: 'Access denied for glue:GetTable', deniedBy: { policyType: 'identity', explicit: false } };
const scpDenied: ClassifiedError = { ...denied, deniedBy: { policyType: 'scp', explicit: true } };
const timedOut: ClassifiedError = { code: 'Timeout', category: 'timeout', message: 'glue:GetTables did not answer before the deadline' };

interface Given {
  results?: Record<string, Record<string, ActionResult>>;
  outcomes?: Record<string, Partial<ProbeReport>>;
  facts?: RunFacts;
  findings?: Finding[];
  request?: Partial<PreflightRequest>;
}

function evidence(given: Given): Evidence {
  const actionsByProbe = new Map(Object.entries(given.results ?? {}).map(([id, results]) => [id, new Map(Object.entries(results))]));
  const probes = new Map<string, ProbeReport>([
    ['sts-caller-identity', { id: 'sts-caller-identity', service: 'sts', actions: [], outcome: 'pass', startedAtMs: 0, durationMs: 1 }],
    ...Object.entries(given.outcomes ?? {}).map(([id, report]) => [id, { id, service: 'glue', actions: [], outcome: 'pass', startedAtMs: 0, durationMs: 1, ...report } as ProbeReport] as const),
  ]);
  return {
    connection: resolveConnection({ ...request, ...given.request }, { maxRunMs: 30_000 }),
    facts: given.facts ?? {},
    actions: new Map(),
    actionsByProbe,
    probes,
    skipCauses: new Map(),
    findings: given.findings ?? [],
    registry: REGISTRY,
  };
}

const granted = (probeId: string): ActionResult => ({ state: 'granted', probe: probeId });
const failed = (probeId: string, error: ClassifiedError): ActionResult => ({ state: 'failed', probe: probeId, error });
const metadata = capabilityById('metadata');
const allMetadata = {
  'glue-databases': { 'glue:GetDatabases': granted('glue-databases') },
  'glue-tables': { 'glue:GetTables': granted('glue-tables') },
  'glue-table': { 'glue:GetTable': granted('glue-table'), 'glue:GetDatabase': granted('glue-table') },
};

describe('decideStatus', () => {
  it('is ok only when every core action was exercised and granted', () => {
    expect(decideStatus(metadata, evidence({ results: allMetadata })).status).toBe('ok');
  });

  it('is unavailable for a refused core action, degraded for a refused extended one', () => {
    expect(decideStatus(metadata, evidence({ results: { ...allMetadata, 'glue-tables': { 'glue:GetTables': failed('glue-tables', denied) } } })).status).toBe('unavailable');
    const degraded = decideStatus(metadata, evidence({ results: { ...allMetadata, 'glue-table': { 'glue:GetTable': failed('glue-table', denied), 'glue:GetDatabase': granted('glue-table') } } }));
    expect(degraded).toMatchObject({ status: 'degraded', reasons: [{ action: 'glue:GetTable', code: 'AccessDeniedException' }] });
  });

  it('is unknown when a core action could not be told', () => {
    expect(decideStatus(metadata, evidence({ results: { ...allMetadata, 'glue-tables': { 'glue:GetTables': { state: 'error', probe: 'glue-tables', error: timedOut } } } })).status).toBe('unknown');
  });

  it('takes a skip from the probe that would have exercised the core action, never turning it into ok', () => {
    const decision = decideStatus(metadata, evidence({ results: { 'glue-databases': allMetadata['glue-databases'] }, outcomes: { 'glue-tables': { outcome: 'skipped', skipReason: 'no-sample' } } }));
    expect(decision).toMatchObject({ status: 'skipped', skipReason: 'no-sample' });
  });

  it('judges a capability by its own probes: another probe granting the action proves nothing here', () => {
    const other = { 'kms-probe': { 'glue:GetTables': granted('kms-probe') } };
    expect(decideStatus(metadata, evidence({ results: { 'glue-databases': allMetadata['glue-databases'], ...other } })).status).toBe('skipped');
  });

  it('makes an empty listing degraded, or unavailable when required and nothing at all is visible', () => {
    const finding: Finding = { code: 'NO_DATABASES_VISIBLE', severity: 'high', message: 'Glue listed no database', remediation: 'two causes', probe: 'glue-databases' };
    const empty = { results: { 'glue-databases': allMetadata['glue-databases'] }, outcomes: { 'glue-tables': { outcome: 'skipped' as const, skipReason: 'no-sample' as const } }, findings: [finding] };
    expect(decideStatus(metadata, evidence(empty))).toMatchObject({ status: 'unavailable', reasons: [{ code: 'NO_DATABASES_VISIBLE', category: 'not-found' }] });
    expect(decideStatus(metadata, evidence({ ...empty, request: { required: ['connection'] } })).status).toBe('degraded');
  });

  it("applies the catalogue's applicability before any evidence", () => {
    expect(decideStatus(capabilityById('encryption'), evidence({}))).toMatchObject({ status: 'skipped', skipReason: 'not-applicable' });
    const governed = { facts: { tables: [{ database: 'finance', name: 'ledger', partitioned: false, governed: true }] } };
    expect(decideStatus(capabilityById('lake-formation'), evidence(governed))).toMatchObject({ status: 'unknown', why: expect.stringContaining('options.runQuery') });
    expect(decideStatus(capabilityById('lake-formation'), evidence({}))).toMatchObject({ status: 'skipped', skipReason: 'not-applicable' });
    expect(decideStatus(capabilityById('partitions'), evidence({ request: { capabilities: ['metadata'] } }))).toMatchObject({ status: 'skipped', skipReason: 'not-requested' });
  });
});

describe('remediationFor', () => {
  it('grants what was refused and what could not be tried because of it, scoped to the account', () => {
    const given = evidence({ results: { 'glue-databases': { 'glue:GetDatabases': failed('glue-databases', denied) } } });
    const fix = remediationFor(metadata, given, decideStatus(metadata, given));
    expect(fix.missingActions).toEqual(['glue:GetDatabases']);
    expect([...new Set(fix.remediation!.statements.flatMap((s) => s.Action))].sort()).toEqual(['glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables']);
    expect(fix.remediation!.statements.flatMap((s) => s.Resource)).toContain('arn:aws:glue:eu-west-1:123456789012:catalog');
  });

  it('prints no Allow behind an explicit deny an Allow cannot lift, and says who must act', () => {
    const given = evidence({ results: { 'glue-databases': { 'glue:GetDatabases': failed('glue-databases', scpDenied) } } });
    const fix = remediationFor(metadata, given, decideStatus(metadata, given));
    expect(fix.remediation!.statements).toEqual([]);
    expect(fix.remediation!.summary).toMatch(/service control policy/);
  });

  // Issue 18: what another account's owner must do.
  const lakeFormationDenied: ClassifiedError = { code: 'AccessDeniedException', category: 'permission', message: 'Insufficient Lake Formation permission(s)', deniedBy: { policyType: 'lake-formation', explicit: false } };
  const resourceDenied: ClassifiedError = { ...denied, deniedBy: { policyType: 'resource', explicit: false } };
  const identity = { accountId: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/Reader/s1', userId: 'AROA' };

  it("through a table resource link: the owner shares that one table, this account grants the principal it and DESCRIBE on the link", () => {
    const given = evidence({
      results: { 'glue-tables': { 'glue:GetTables': granted('glue-tables') }, 'glue-table': { 'glue:GetTable': failed('glue-table', lakeFormationDenied) }, 'glue-databases': { 'glue:GetDatabases': granted('glue-databases') } },
      facts: { identity, resourceLinks: [{ database: 'web', table: 'orders_link', target: { accountId: '999988887777', catalogId: '999988887777', database: 'sales', table: 'orders' } }] },
    });
    const fix = remediationFor(metadata, given, decideStatus(metadata, given));
    const [other, ...more] = fix.remediation!.otherAccounts!;
    expect(more).toEqual([]);
    expect(other!.accountId).toBe('999988887777');
    expect(other!.summary).toContain('web.orders_link is a resource link to sales.orders in account 999988887777');
    expect(other!.commands).toEqual([
      `aws lakeformation grant-permissions --region eu-west-1 --principal DataLakePrincipalIdentifier=123456789012 --permissions DESCRIBE SELECT --permissions-with-grant-option DESCRIBE SELECT --resource '{"Table":{"CatalogId":"999988887777","DatabaseName":"sales","Name":"orders"}}'`,
      `aws lakeformation grant-permissions --region eu-west-1 --principal DataLakePrincipalIdentifier=arn:aws:iam::123456789012:role/Reader --permissions DESCRIBE SELECT --resource '{"Table":{"CatalogId":"999988887777","DatabaseName":"sales","Name":"orders"}}'`,
      `aws lakeformation grant-permissions --region eu-west-1 --principal DataLakePrincipalIdentifier=arn:aws:iam::123456789012:role/Reader --permissions DESCRIBE --resource '{"Table":{"DatabaseName":"web","Name":"orders_link"}}'`,
    ]);
  });

  it("in another account's catalog refused by its resource policy: the statement for the owner, and this account's grants on the owner's ARNs", () => {
    const given = evidence({ request: { glue: { catalogId: '999988887777' } }, facts: { identity }, results: { 'glue-databases': { 'glue:GetDatabases': failed('glue-databases', resourceDenied) } } });
    const fix = remediationFor(metadata, given, decideStatus(metadata, given));
    expect(fix.remediation!.statements.flatMap((s) => s.Resource).every((arn) => arn.startsWith('arn:aws:glue:eu-west-1:999988887777:'))).toBe(true);
    const statement = fix.remediation!.otherAccounts![0]!.resourcePolicy!.Statement[0]!;
    expect(statement.Principal).toEqual({ AWS: 'arn:aws:iam::123456789012:role/Reader' });
    expect(fix.remediation!.summary).toContain('the owner of account 999988887777 must allow this principal');
  });

  it('asks no other account of a refusal by a resource policy in the account\'s own catalog', () => {
    const given = evidence({ facts: { identity }, results: { 'glue-databases': { 'glue:GetDatabases': failed('glue-databases', resourceDenied) } } });
    const fix = remediationFor(metadata, given, decideStatus(metadata, given));
    expect(fix.remediation!.otherAccounts).toBeUndefined();
  });

  it('asks for nothing on an ok capability', () => {
    const given = evidence({ results: allMetadata });
    expect(remediationFor(metadata, given, decideStatus(metadata, given))).toEqual({ missingActions: [], untestedActions: [] });
  });
});
