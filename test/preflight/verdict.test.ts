// The one rule for a capability's status (decideStatus) and what fixes it (remediationFor), on
// evidence written by hand: no engine, no AWS.
import { describe, expect, it } from 'vitest';
import { type CapabilityId, capabilityById } from '../../src/catalogue/capabilities.js';
import { type ClassifiedError, type QueryStatus, classifyQueryFailure } from '../../src/preflight/classify.js';
import { resolveConnection } from '../../src/preflight/connection.js';
import type { PreflightRequest } from '../../src/preflight/request.js';
import type { ActionResult, Finding, ProbeReport } from '../../src/preflight/types.js';
import { remediationFor } from '../../src/preflight/fix.js';
import { type Evidence, decideStatus } from '../../src/preflight/verdict.js';
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
  probe('athena-query', ['query-execution'], ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults']),
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
    expect(other!.summary).toMatch(/the first command, run in 999988887777\)\. Where the two accounts are not in the same AWS organization, .* accepts it.*aws ram accept-resource-share-invitation/);
    expect(other!.commands).toEqual([
      `aws lakeformation grant-permissions --region eu-west-1 --principal DataLakePrincipalIdentifier=123456789012 --permissions DESCRIBE SELECT --permissions-with-grant-option DESCRIBE SELECT --resource '{"Table":{"CatalogId":"999988887777","DatabaseName":"sales","Name":"orders"}}'`,
      // Outside one organization the share is an AWS RAM invitation, accepted in this account.
      `aws ram get-resource-share-invitations --region eu-west-1 --query 'resourceShareInvitations[?status=='\\''PENDING'\\'' && senderAccountId=='\\''999988887777'\\'']'`,
      `aws ram accept-resource-share-invitation --region eu-west-1 --resource-share-invitation-arn '<resourceShareInvitationArn from get-resource-share-invitations>'`,
      `aws lakeformation grant-permissions --region eu-west-1 --principal DataLakePrincipalIdentifier=arn:aws:iam::123456789012:role/Reader --permissions DESCRIBE SELECT --resource '{"Table":{"CatalogId":"999988887777","DatabaseName":"sales","Name":"orders"}}'`,
      `aws lakeformation grant-permissions --region eu-west-1 --principal DataLakePrincipalIdentifier=arn:aws:iam::123456789012:role/Reader --permissions DESCRIBE --resource '{"Table":{"DatabaseName":"web","Name":"orders_link"}}'`,
    ]);
  });

  it("in another account's catalog refused by its resource policy: the statement for the owner, and this account's grants on the owner's ARNs", () => {
    const given = evidence({ request: { glue: { catalogId: '999988887777', databases: ['shared'] } }, facts: { identity }, results: { 'glue-databases': { 'glue:GetDatabases': failed('glue-databases', resourceDenied) } } });
    const fix = remediationFor(metadata, given, decideStatus(metadata, given));
    // The owner's ARNs; and, in this account's own root catalog, the default database Athena looks up.
    const own = ['arn:aws:glue:eu-west-1:123456789012:catalog', 'arn:aws:glue:eu-west-1:123456789012:database/default'];
    const identityArns = fix.remediation!.statements.flatMap((s) => s.Resource);
    expect(identityArns.filter((arn) => !arn.startsWith('arn:aws:glue:eu-west-1:999988887777:'))).toEqual(expect.arrayContaining(own));
    expect(identityArns.filter((arn) => !arn.startsWith('arn:aws:glue:eu-west-1:999988887777:') && !own.includes(arn))).toEqual([]);
    const [owner] = fix.remediation!.otherAccounts!;
    // put-resource-policy replaces the whole policy: merged on the hash it was read with, or made where there is none.
    expect(owner!.commands).toEqual([
      'aws glue get-resource-policy --region eu-west-1',
      `aws glue put-resource-policy --region eu-west-1 --policy-in-json file://policy.json --policy-hash-condition '<PolicyHash from get-resource-policy>'`,
      'aws glue put-resource-policy --region eu-west-1 --policy-in-json file://policy.json --policy-exists-condition NOT_EXIST',
    ]);
    expect(owner!.summary).toMatch(/replaces the whole policy, so merge it/);
    const policy = owner!.resourcePolicy!;
    expect(policy.Statement[0]!.Principal).toEqual({ AWS: 'arn:aws:iam::123456789012:role/Reader' });
    // The owner's resource policy holds the owner's resources only: no default database of either account.
    const ownerArns = policy.Statement.flatMap((s) => s.Resource);
    expect(ownerArns.length).toBeGreaterThan(0);
    expect(ownerArns.every((arn) => arn.startsWith('arn:aws:glue:eu-west-1:999988887777:'))).toBe(true);
    expect(ownerArns.filter((arn) => arn.endsWith('/default'))).toEqual([]);
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

// A failed query's true cause, and Athena's default database: the reason is the
// refusal Athena relayed, and its fix is in the caller's own account's root catalog whichever
// catalog the connection selects.
describe("a failed query's remediation", () => {
  const identity = { accountId: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/Reader/s1', userId: 'AROA' };
  const queryExecution = capabilityById('query-execution');
  const OWN_DEFAULT = 'arn:aws:glue:eu-west-1:123456789012:database/default';
  const OWN_CATALOG = 'arn:aws:glue:eu-west-1:123456789012:catalog';

  /** The evidence of a run whose one query failed as Athena said, with the connection's catalog selection. */
  function failedQuery(status: QueryStatus, glue: PreflightRequest['glue'] = {}) {
    const failure = classifyQueryFailure(status);
    const { action, code, category, message, deniedBy } = failure;
    const given = evidence({
      request: { capabilities: ['query-execution'], options: { runQuery: true }, glue },
      facts: { identity, queryFailure: failure },
      results: {
        'athena-query': { 'athena:StartQueryExecution': granted('athena-query'), 'athena:GetQueryExecution': granted('athena-query'), [action]: { state: 'failed', probe: 'athena-query', error: failure, relayed: true } },
      },
      outcomes: { 'athena-query': { service: 'athena', outcome: 'fail', error: { action, code, category, message, ...(deniedBy ? { deniedBy } : {}) } } },
    });
    const decision = decideStatus(queryExecution, given);
    return { decision, fix: remediationFor(queryExecution, given, decision) };
  }
  /** Whether a statement allows the action on this ARN (IAM's wildcards). */
  const allows = (statements: ReadonlyArray<{ Action: string[]; Resource: string[] }>, action: string, arn: string) =>
    statements.some((s) => s.Action.includes(action) && s.Resource.some((pattern) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(arn)));
  const glueRefusal = (action: string, arn: string) =>
    ({ StateChangeReason: `Insufficient permissions to execute the query. Error: User: arn:aws:sts::123456789012:assumed-role/Reader/s1 is not authorized to perform: ${action} on resource: ${arn} because no identity-based policy allows the ${action} action`, AthenaError: { ErrorCategory: 2, ErrorType: 1500 } }) satisfies QueryStatus;

  it('names the Glue action Athena was refused, and grants it on the default database of this account', () => {
    const { decision, fix } = failedQuery(glueRefusal('glue:GetDatabase', OWN_DEFAULT), { databases: ['sales'] });
    expect(decision.status).toBe('unavailable');
    expect(decision.reasons).toEqual([expect.objectContaining({ action: 'glue:GetDatabase', category: 'permission', deniedBy: { policyType: 'identity', explicit: false } })]);
    expect(fix.missingActions).toContain('glue:GetDatabase');
    expect(allows(fix.remediation!.statements, 'glue:GetDatabase', OWN_DEFAULT)).toBe(true);
    expect(fix.remediation!.summary).not.toMatch(/as written|run the preflight again/);
  });

  it("grants the default database in this account's root catalog for another account's catalog, and a catalog under the root", () => {
    for (const catalogId of ['999988887777', 's3tablescatalog/acme-tables']) {
      const { fix } = failedQuery(glueRefusal('glue:GetDatabase', OWN_DEFAULT), { catalogId, databases: ['sales'] });
      const resources = fix.remediation!.statements.filter((s) => s.Action.includes('glue:GetDatabase')).flatMap((s) => s.Resource);
      expect(resources, catalogId).toEqual(expect.arrayContaining([OWN_CATALOG, OWN_DEFAULT]));
      expect(resources.filter((arn) => arn.endsWith('/default')), catalogId).toEqual([OWN_DEFAULT]);
    }
  });

  it('asks for glue:CreateDatabase on the default database and the catalog, only when Athena was refused creating it', () => {
    const { fix } = failedQuery(glueRefusal('glue:CreateDatabase', OWN_CATALOG), { catalogId: '999988887777' });
    const creating = fix.remediation!.statements.filter((s) => s.Action.includes('glue:CreateDatabase'));
    expect(creating.flatMap((s) => s.Resource).sort()).toEqual([OWN_CATALOG, OWN_DEFAULT]);
    const { fix: other } = failedQuery(glueRefusal('glue:GetDatabase', OWN_DEFAULT));
    expect(other.remediation!.statements.flatMap((s) => s.Action)).not.toContain('glue:CreateDatabase');
  });

  it("grants DESCRIBE on the default database in this account's own catalog, not SELECT on the sampled table, whatever catalog is selected", () => {
    const describe = { StateChangeReason: 'Insufficient permissions to execute the query. Insufficient Lake Formation permission(s): Required Describe on default', AthenaError: { ErrorCategory: 2, ErrorType: 1500 } };
    for (const catalogId of [undefined, '999988887777', 's3tablescatalog/acme-tables']) {
      const { decision, fix } = failedQuery(describe, catalogId ? { catalogId } : {});
      expect(decision.reasons[0], catalogId).toMatchObject({ action: 'glue:GetDatabase', deniedBy: { policyType: 'lake-formation' } });
      expect(fix.remediation!.commands, catalogId).toEqual([
        `aws lakeformation grant-permissions --catalog-id 123456789012 --principal DataLakePrincipalIdentifier=arn:aws:iam::123456789012:role/Reader --permissions DESCRIBE --resource '{"Database":{"Name":"default"}}'`,
      ]);
      expect(fix.remediation!.summary).toContain('DESCRIBE on the default database');
      expect(fix.remediation!.summary).not.toContain('SELECT');
      expect(fix.remediation!.otherAccounts).toBeUndefined();
      expect(fix.remediation!.statements.flatMap((s) => s.Action)).not.toContain('glue:GetDatabase');
    }
  });

  it('grants CREATE_DATABASE on the catalog where Lake Formation refuses creating the default database', () => {
    const { fix } = failedQuery({ StateChangeReason: 'Insufficient Lake Formation permission(s): Required Create Database on Catalog (Service: AWSGlue; Status Code: 400; Error Code: AccessDeniedException)' }, { catalogId: '999988887777' });
    expect(fix.remediation!.commands).toEqual([
      `aws lakeformation grant-permissions --catalog-id 123456789012 --principal DataLakePrincipalIdentifier=arn:aws:iam::123456789012:role/Reader --permissions CREATE_DATABASE --resource '{"Catalog":{}}'`,
    ]);
    expect(fix.remediation!.summary).toContain('CREATE_DATABASE');
  });

  it("reads a refused read of the table's data as the data's location, not the output location", () => {
    const given = failedQuery({ StateChangeReason: 'Permission denied on S3 path: s3://acme-data-lake/sales/orders/part-0000.parquet', AthenaError: { ErrorCategory: 2, ErrorType: 1501 } });
    expect(given.decision.reasons[0]).toMatchObject({ action: 's3:GetObject', code: 'TableDataDenied' });
    expect(given.decision.reasons[0]!.message).not.toContain('output location');
  });
});

