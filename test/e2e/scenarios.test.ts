// Every built-in scenario through POST /preflight: the service's SDK clients sign real requests
// to the sandbox over HTTP. Expected verdicts are derived from IAM semantics and the vendors'
// guides (the one-line reasons), not from what the code happens to print.
import { afterAll, describe, expect, it } from 'vitest';
import { listBuiltInScenarios, loadScenario } from '../../src/sandbox/scenario.js';
import type { PreflightReport } from '../../src/preflight/types.js';
import { type Harness, runSample, sampleRequest, startHarness, statusOf } from '../support/service.js';
import { runPreflight } from '../../src/preflight/engine.js';
import { type PreflightRequest, validatePreflightRequest } from '../../src/preflight/request.js';
import { PROBES } from '../../src/probes/registry.js';

function validated(body: unknown): PreflightRequest {
  const result = validatePreflightRequest(body);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.request;
}

const NR = 'skipped:not-requested';
const NA = 'skipped:not-applicable';
const NC = 'skipped:not-configured';
const NS = 'skipped:no-sample';

const ALL_OK = {
  connection: 'ok',
  metadata: 'ok',
  partitions: 'ok',
  'schema-history': 'ok',
  functions: 'ok',
  search: 'ok',
  'query-history': 'ok',
  'user-attribution': 'ok',
  'athena-catalog': 'ok',
  'query-results': 'ok',
  'query-execution': NR,
  encryption: NA,
  'lake-formation': NA,
  'table-data': NR,
};

interface Expectation {
  overall: PreflightReport['status'];
  capabilities: Record<string, string>;
  findings?: string[];
  /** Request fields beyond the scenario's sample. */
  request?: Record<string, unknown>;
}

const EXPECTED: Record<string, Expectation> = {
  'full-access': { overall: 'ok', capabilities: ALL_OK },
  'coalesce-glue-only': {
    overall: 'degraded',
    capabilities: {
      ...ALL_OK,
      functions: 'unavailable', // the guide lists the UDF actions but no userDefinedFunction ARN, which Glue checks them against
      'query-history': 'unavailable',
      'user-attribution': 'unavailable',
      'athena-catalog': 'unavailable',
      'query-results': NC, // GetWorkGroup is denied and the connection names no output location: nothing to test
    },
  },
  'coalesce-glue-athena': {
    overall: 'degraded',
    capabilities: { ...ALL_OK, functions: 'unavailable', 'user-attribution': 'unavailable', 'query-results': 'unavailable' /* the guide grants no S3 at all */ },
  },
  'coalesce-full': { overall: 'degraded', capabilities: { ...ALL_OK, functions: 'unavailable', 'query-results': 'unavailable' } },
  qualytics: {
    overall: 'degraded',
    capabilities: {
      ...ALL_OK,
      'schema-history': 'unavailable',
      functions: 'unavailable',
      search: 'unavailable',
      'query-history': 'unavailable', // the JDBC driver's policy has no ListQueryExecutions
      'user-attribution': 'unavailable',
      'athena-catalog': 'degraded', // ListDatabases and ListTableMetadata, but no GetDataCatalog nor athena:GetDatabase
    },
    findings: ['ATHENA_PATH_UNPROVEN', 'MARKER_NOT_DELETED'], // no s3:DeleteObject in the guide
  },
  immuta: {
    overall: 'degraded',
    capabilities: {
      ...ALL_OK,
      partitions: 'degraded', // GetPartitions and GetPartition, no BatchGetPartition
      'schema-history': 'degraded', // GetTableVersions, no GetTableVersion
      functions: 'unavailable',
      search: 'unavailable',
      'query-history': 'degraded', // list and batch-get granted, ListWorkGroups and GetWorkGroup not
      'user-attribution': 'unavailable',
      'athena-catalog': 'unavailable', // only athena actions that do not exist (GetCatalogs, GetTables…)
    },
    findings: ['ATHENA_PATH_UNPROVEN', 'MARKER_NOT_DELETED'],
  },
  'skoot-scope-a': {
    overall: 'degraded',
    capabilities: {
      ...ALL_OK,
      partitions: 'degraded', // only GetPartitions
      'schema-history': 'unavailable',
      functions: 'unavailable',
      search: 'unavailable',
      'query-history': 'unavailable',
      'user-attribution': 'unavailable',
      'athena-catalog': 'unavailable',
      'query-results': 'degraded', // write, read and delete, but no s3:AbortMultipartUpload
    },
    findings: ['ATHENA_PATH_UNPROVEN', 'MULTIPART_UPLOAD_NOT_ABORTED'], // so the upload the preflight started stays open, and the report says which
  },
  'skoot-scope-b': {
    overall: 'degraded',
    capabilities: {
      ...ALL_OK,
      partitions: NS, // the one allowed database has no partitioned table
      'schema-history': 'unavailable',
      functions: 'unavailable',
      search: 'unavailable',
      'query-history': 'unavailable',
      'user-attribution': 'unavailable',
      'athena-catalog': 'unavailable',
      'query-results': 'degraded',
    },
    findings: ['ATHENA_PATH_UNPROVEN', 'MULTIPART_UPLOAD_NOT_ABORTED'],
  },
  'secoda-user': {
    overall: 'failed',
    capabilities: {
      ...ALL_OK,
      metadata: 'unavailable', // glue:GetTables is not in the guide's list
      // No table could be listed to sample: that failure, not an empty account (never a quiet no-sample).
      partitions: 'unavailable',
      'schema-history': 'unavailable',
      functions: 'unavailable',
      'query-history': 'unavailable', // no BatchGetQueryExecution
      'user-attribution': 'unavailable',
      'athena-catalog': 'unavailable',
    },
    findings: ['ATHENA_PATH_UNPROVEN', 'MARKER_NOT_DELETED'],
  },
  'secoda-role': {
    overall: 'failed',
    capabilities: {
      ...ALL_OK,
      metadata: 'unavailable',
      partitions: 'unavailable',
      'schema-history': 'unavailable',
      functions: 'unavailable',
      'query-history': 'unavailable',
      'user-attribution': 'unavailable',
      'athena-catalog': 'unavailable',
    },
    findings: ['ATHENA_PATH_UNPROVEN', 'MARKER_NOT_DELETED'], // and no EXTERNAL_ID_NOT_ENFORCED: the trust policy requires it
  },
  'kms-encrypted-results': { overall: 'ok', capabilities: { ...ALL_OK, encryption: 'ok' }, findings: ['ATHENA_PATH_UNPROVEN'] },
  // The key Athena uses is the workgroup's, sent with the write; the bucket policy requires the header.
  'workgroup-kms-key': {
    overall: 'degraded',
    capabilities: { ...ALL_OK, encryption: 'unavailable', 'query-results': 'unavailable' /* S3 relays KMS's refusal of the workgroup's key */ },
    findings: ['WORKGROUP_ENCRYPTION'],
  },
  // Written with the workgroup's ACL and expected owner, as Athena writes, the bucket policy lets it in.
  'results-bucket-owner-acl': { overall: 'ok', capabilities: ALL_OK },
  // CSE_KMS: Athena calls KMS itself; the direct data-key round trip is refused.
  // With CSE_KMS no result is written without a data key from the workgroup's key: query-results depends on it too.
  'cse-kms-results': { overall: 'degraded', capabilities: { ...ALL_OK, encryption: 'unavailable', 'query-results': 'unavailable' }, findings: ['ATHENA_PATH_UNPROVEN', 'WORKGROUP_ENCRYPTION'] },
  // Glue lists nothing when the policy names only the catalog: never a quiet ok or skip.
  'glue-catalog-only': {
    overall: 'failed',
    capabilities: {
      ...ALL_OK,
      metadata: 'unavailable', // required, and nothing at all is visible
      partitions: 'degraded',
      'schema-history': 'degraded',
      functions: 'degraded',
      search: 'degraded',
      'athena-catalog': 'unavailable', // Athena relays Glue's refusal of the database ARNs
    },
    findings: ['NO_DATABASES_VISIBLE'],
  },
  // The Data Catalog is encrypted with a key the analyst may not use: every Glue read is refused by KMS.
  'encrypted-catalog': {
    overall: 'failed',
    capabilities: {
      ...ALL_OK,
      metadata: 'unavailable',
      partitions: 'unavailable',
      'schema-history': 'unavailable',
      functions: 'unavailable',
      search: 'unavailable',
      'athena-catalog': 'unavailable',
      encryption: 'ok', // the results key, which the analyst may use
    }, findings: ['ATHENA_PATH_UNPROVEN'] },
  'kms-denied': {
    overall: 'degraded',
    capabilities: { ...ALL_OK, 'query-results': 'unavailable' /* S3 relays KMS's refusal of the write */, encryption: 'unavailable' },
  },
  'lake-formation-governed': {
    overall: 'degraded',
    // An empty listing in a governed account is never a quiet ok: what it hides is degraded, with the finding's two causes.
    capabilities: { ...ALL_OK, metadata: 'degraded', partitions: 'degraded', 'schema-history': 'degraded', 'lake-formation': 'unknown' },
    findings: ['LAKE_FORMATION_EMPTY_LISTING', 'NO_TABLES_VISIBLE'],
  },
  // Lake Formation hides the named database itself: refused by name, fixed by a Lake Formation grant.
  'lake-formation-hidden-database': {
    overall: 'failed',
    capabilities: {
      ...ALL_OK,
      metadata: 'unavailable',
      partitions: 'unavailable',
      'schema-history': 'unavailable',
      functions: 'unavailable',
      'athena-catalog': 'unavailable',
      'lake-formation': 'unknown',
    },
  },
  'scp-deny-athena': {
    overall: 'degraded',
    capabilities: { ...ALL_OK, 'query-history': 'unavailable', 'athena-catalog': 'unavailable' /* the output location is given, so S3 works without GetWorkGroup */ },
  },
  'permissions-boundary': {
    overall: 'degraded',
    capabilities: { ...ALL_OK, 'query-history': 'unavailable', 'user-attribution': 'unavailable', 'athena-catalog': 'unavailable', 'query-results': 'unavailable' },
  },
  'external-id-not-enforced': { overall: 'ok', capabilities: ALL_OK, findings: ['EXTERNAL_ID_NOT_ENFORCED'] },
  'bucket-other-region': { overall: 'degraded', capabilities: { ...ALL_OK, 'query-results': 'unavailable' }, findings: ['BUCKET_OTHER_REGION'] },
  'workgroup-enforced-location': { overall: 'ok', capabilities: ALL_OK, findings: ['WORKGROUP_ENFORCED_LOCATION'] },
  'workgroup-disabled': {
    overall: 'degraded',
    capabilities: {
      ...Object.fromEntries(Object.keys(ALL_OK).map((id) => [id, NR])),
      connection: 'ok',
      metadata: 'ok',
      'query-history': NS, // nobody could run a query in a disabled workgroup
      'query-results': 'ok',
      'query-execution': 'unavailable', // InvalidRequestException: the workgroup is disabled
    },
    findings: ['WORKGROUP_DISABLED'],
  },
  'throttled-cloudtrail': {
    overall: 'degraded',
    capabilities: { ...ALL_OK, 'user-attribution': 'unknown' /* throttling outlasted the run's deadline (test/e2e/throttling.test.ts) */ },
    request: { options: { timeoutMs: 3000 } }, // LookupEvents is retried until the deadline: a short one
  },
  // Catalogs beyond the account's default (issue 18). A cross-account read needs the caller's
  // identity policy and the owner's catalog resource policy both (Glue Developer Guide, "Granting
  // cross-account access"); a catalog under the root is checked with its path in every ARN
  // ("Specifying AWS Glue resource ARNs"); a resource link on the link and on its target.
  'cross-account-catalog': { overall: 'ok', capabilities: ALL_OK },
  'cross-account-catalog-denied': {
    overall: 'failed',
    capabilities: {
      ...ALL_OK,
      // The owner's resource policy names another principal: every Glue read of its catalog is refused.
      metadata: 'unavailable',
      partitions: 'unavailable',
      'schema-history': 'unavailable',
      functions: 'unavailable',
      search: 'unavailable',
      // Athena's "partner" catalog reads the same refusing catalog with the caller's rights.
      'athena-catalog': 'unavailable',
    },
  },
  'named-catalog': { overall: 'ok', capabilities: ALL_OK },
  'named-catalog-denied': {
    overall: 'failed',
    capabilities: {
      ...ALL_OK,
      // The identity policy names the default catalog's ARNs only: nothing under catalog/s3tablescatalog.
      metadata: 'unavailable',
      partitions: 'unavailable',
      'schema-history': 'unavailable',
      functions: 'unavailable',
      search: 'unavailable',
      'athena-catalog': 'unavailable',
    },
  },
  'lake-formation-shared-database': {
    overall: 'degraded',
    capabilities: {
      ...ALL_OK,
      // The share carries the database and its tables, not its functions: reading those in the owner's
      // catalog needs its Glue resource policy, which allows nobody here.
      functions: 'unavailable',
    },
    findings: ['RESOURCE_LINK', 'SHARED_DATABASES'],
  },
  'lake-formation-share-revoked': {
    overall: 'failed',
    capabilities: {
      ...ALL_OK,
      // Reading through the link is refused by Lake Formation once the share is gone, Athena's relayed reads too.
      metadata: 'unavailable',
      partitions: 'unavailable',
      'schema-history': 'unavailable',
      functions: 'unavailable',
      'athena-catalog': 'unavailable',
      'lake-formation': 'unknown',
    },
    findings: ['RESOURCE_LINK'],
  },
  'athena-catalog-other-account': { overall: 'ok', capabilities: ALL_OK, findings: ['ATHENA_CATALOG_MISMATCH'] },
  // Athena acts on the caller's behalf: its requests carry aws:CalledVia athena.amazonaws.com and none
  // of the caller's network keys (Athena User Guide, "Control access to Amazon S3 from Athena").
  'vpce-only-bucket': { overall: 'degraded', capabilities: { ...ALL_OK, 'query-results': 'unavailable' /* our marker came through the VPC endpoint; Athena's writes do not */ } },
  'vpce-only-bucket-athena-exception': { overall: 'ok', capabilities: ALL_OK /* AWS's exception for aws:CalledVia athena.amazonaws.com: nothing to fix */ },
  'source-ip-bucket': { overall: 'degraded', capabilities: { ...ALL_OK, 'query-results': 'unavailable' /* Athena's S3 requests come from an address of its own */ } },
  'bucket-policy-unreadable': { overall: 'ok', capabilities: ALL_OK, findings: ['ATHENA_PATH_UNPROVEN'] /* our path proved; Athena's could not be judged */ },
  'results-acl-no-putobjectacl': { overall: 'degraded', capabilities: { ...ALL_OK, 'query-results': 'unavailable' /* s3:PutObjectAcl, which a write with x-amz-acl needs */ } },
  'cse-kms-no-data-key': {
    overall: 'degraded',
    // The key policy refuses the key outside the company's range: our direct data key passes, Athena's
    // never does, and only a query (or the key policy, which the preflight does not read) shows it.
    capabilities: { ...ALL_OK, partitions: NR, 'schema-history': NR, functions: NR, search: NR, 'query-history': NR, 'user-attribution': NR, 'athena-catalog': NR, 'lake-formation': NR, encryption: 'unavailable', 'query-results': 'unavailable', 'query-execution': 'unavailable' },
    findings: ['ATHENA_PATH_UNPROVEN', 'WORKGROUP_ENCRYPTION'],
    request: { capabilities: ['connection', 'metadata', 'query-results', 'query-execution', 'encryption'], options: { runQuery: true } },
  },
  'query-glue-default-denied': { overall: 'degraded', capabilities: { ...ALL_OK, partitions: NR, 'schema-history': NR, functions: NR, search: NR, 'query-history': NR, 'user-attribution': NR, 'athena-catalog': NR, encryption: NR, 'lake-formation': NR, 'query-execution': 'unavailable' }, findings: ['ATHENA_PATH_UNPROVEN'] },
  'query-table-data-denied': { overall: 'degraded', capabilities: { ...ALL_OK, partitions: NR, 'schema-history': NR, functions: NR, search: NR, 'query-history': NR, 'user-attribution': NR, 'athena-catalog': NR, encryption: NR, 'lake-formation': NR, 'query-execution': 'unavailable', 'table-data': 'unavailable' /* the data bucket admits only the VPC endpoint */ } },
  'lake-formation-default-describe': { overall: 'degraded', capabilities: { ...ALL_OK, partitions: NR, 'schema-history': NR, functions: NR, search: NR, 'query-history': NR, 'user-attribution': NR, 'athena-catalog': NR, encryption: NR, 'query-results': NR, 'query-execution': 'unavailable', 'lake-formation': 'unavailable' } },
  'lake-formation-no-default-database': { overall: 'degraded', capabilities: { ...ALL_OK, partitions: NR, 'schema-history': NR, functions: NR, search: NR, 'query-history': NR, 'user-attribution': NR, 'athena-catalog': NR, encryption: NR, 'query-results': NR, 'query-execution': 'unavailable', 'lake-formation': 'unavailable' } },
  'catalog-encryption-service-role': { overall: 'ok', capabilities: { ...ALL_OK, encryption: 'ok' /* Glue's service role uses the catalog key, not the caller */ }, findings: ['ATHENA_PATH_UNPROVEN'] },
  slow: { overall: 'ok', capabilities: ALL_OK },
  'hanging-athena': { overall: 'degraded', capabilities: { ...ALL_OK, 'query-history': 'unknown', 'athena-catalog': 'unknown' } },
};

const harnesses: Harness[] = [];
afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
});

const run = (scenario: Parameters<typeof startHarness>[0], extra: Record<string, unknown> = {}) => runSample(harnesses, scenario, extra);

describe('every built-in scenario end to end', () => {
  it('has an expectation for every built-in scenario', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(listBuiltInScenarios());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: ${expected.overall}`, async () => {
      const { report } = await run(name, expected.request);
      expect(statusOf(report)).toEqual(expected.capabilities);
      expect(report.status).toBe(expected.overall);
      expect(report.findings.map((f) => f.code).sort()).toEqual([...(expected.findings ?? [])].sort());
      expect(report.probes.map((p) => p.outcome).every((o) => ['pass', 'fail', 'skipped', 'error'].includes(o))).toBe(true);
    });
  }
});

describe('what the reports say', () => {
  it('names the policy type of a denial: an explicit deny in an SCP cannot be lifted by an Allow', async () => {
    const { report } = await run('scp-deny-athena');
    const history = report.capabilities.find((c) => c.id === 'query-history')!;
    expect(history.reasons[0]).toMatchObject({ action: 'athena:ListQueryExecutions', category: 'permission', deniedBy: { policyType: 'scp', explicit: true } });
    expect(history.remediation?.statements).toEqual([]);
    expect(report.remediation.policy).toBeNull();
    expect(report.remediation.notes.join(' ')).toMatch(/Organizations administrator/);
  });

  it('proves KMS through the S3 round trip and names the refused key action', async () => {
    const { report } = await run('kms-denied');
    const encryption = report.capabilities.find((c) => c.id === 'encryption')!;
    expect(encryption.missingActions).toContain('kms:GenerateDataKey');
    const statement = report.remediation.policy!.Statement.find((s) => s.Action.includes('kms:GenerateDataKey'))!;
    expect(statement.Resource).toEqual(['arn:aws:kms:eu-west-1:123456789012:key/1f0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f']);
  });

  it("writes the marker as Athena writes results: the workgroup's key is the one judged, the bucket policy is not blamed", async () => {
    const { report } = await run('workgroup-kms-key');
    const workgroupKey = 'arn:aws:kms:eu-west-1:123456789012:key/7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';
    const results = report.capabilities.find((c) => c.id === 'query-results')!;
    expect(results.reasons.map((r) => [r.action, r.deniedBy?.policyType])).toEqual([['kms:GenerateDataKey', 'identity']]);
    const encryption = report.capabilities.find((c) => c.id === 'encryption')!;
    expect(encryption.missingActions).toContain('kms:GenerateDataKey');
    const statement = report.remediation.policy!.Statement.find((s) => s.Action.includes('kms:GenerateDataKey'))!;
    expect(statement.Resource).toContain(workgroupKey);
  });

  it('proves a client-side (CSE_KMS) key with a direct data-key round trip', async () => {
    const { report } = await run('cse-kms-results');
    expect(report.probes.find((p) => p.id === 'kms-data-key')).toMatchObject({ outcome: 'fail', error: { action: 'kms:GenerateDataKey', category: 'permission' } });
    expect(report.capabilities.find((c) => c.id === 'encryption')!.missingActions).toContain('kms:GenerateDataKey');
  });

  it('runs a real query on a sampled table with runQuery and reports query-execution', async () => {
    const { report } = await run('immuta', { capabilities: ['connection', 'metadata', 'query-execution'], options: { runQuery: true } });
    expect(statusOf(report)['query-execution']).toBe('ok');
    expect(report.probes.find((p) => p.id === 'athena-query')).toMatchObject({ outcome: 'pass', detail: expect.stringMatching(/read sales\.orders/) });
  });

  it("says a query cannot read a table whose data bucket the policy leaves out (Skoot's guide: add each bucket that backs the tables)", async () => {
    const { report } = await run('skoot-scope-a', { capabilities: ['connection', 'metadata', 'query-execution'], options: { runQuery: true } });
    const execution = report.capabilities.find((c) => c.id === 'query-execution')!;
    expect(execution.status).toBe('unavailable');
    expect(execution.reasons[0]).toMatchObject({ action: 's3:GetObject', category: 'permission' });
    expect(execution.missingActions).toContain('s3:GetObject');
  });

  it('sees Lake Formation-governed tables only with a grant, and reads them only through a query', async () => {
    const { harness } = await run('lake-formation-governed');
    const steward = harness.sandbox.scenario.users.find((u) => u.name === 'steward')!;
    const response = await harness.preflight(
      sampleRequest(harness.sandbox, {
        credentials: { type: 'accessKey', accessKeyId: steward.accessKeyId, secretAccessKey: steward.secretAccessKey },
        options: { runQuery: true },
      }),
    );
    const report = response.body as PreflightReport;
    expect(statusOf(report)['lake-formation']).toBe('ok'); // DESCRIBE + SELECT grants and lakeformation:GetDataAccess
    expect(report.findings.map((f) => f.code)).not.toContain('LAKE_FORMATION_EMPTY_LISTING');
  });

  it('says unknown, not ok, for governed tables while no query proved their data readable', async () => {
    const { harness } = await run('lake-formation-governed');
    const steward = harness.sandbox.scenario.users.find((u) => u.name === 'steward')!;
    const response = await harness.preflight(
      sampleRequest(harness.sandbox, { credentials: { type: 'accessKey', accessKeyId: steward.accessKeyId, secretAccessKey: steward.secretAccessKey } }),
    );
    const report = response.body as PreflightReport;
    const lakeFormation = report.capabilities.find((c) => c.id === 'lake-formation')!;
    expect(lakeFormation.status).toBe('unknown');
    expect(lakeFormation.remediation?.summary).toMatch(/options\.runQuery/);
    expect(report.status).not.toBe('ok');
  });

  it('answers a query refused by Lake Formation with a Lake Formation grant, not an IAM Allow', async () => {
    const base = loadScenario('lake-formation-governed');
    const describeOnly = {
      ...base,
      name: 'lake-formation-describe-only',
      extends: undefined,
      lakeFormation: { ...base.lakeFormation, grants: base.lakeFormation.grants.map((grant) => ({ ...grant, permissions: ['DESCRIBE'] })) },
    };
    const { harness } = await run(describeOnly as never);
    const steward = harness.sandbox.scenario.users.find((u) => u.name === 'steward')!;
    const response = await harness.preflight(
      sampleRequest(harness.sandbox, { credentials: { type: 'accessKey', accessKeyId: steward.accessKeyId, secretAccessKey: steward.secretAccessKey }, options: { runQuery: true } }),
    );
    const report = response.body as PreflightReport;
    const lakeFormation = report.capabilities.find((c) => c.id === 'lake-formation')!;
    expect(lakeFormation.status).toBe('unavailable');
    expect(lakeFormation.reasons[0]).toMatchObject({ action: 'lakeformation:GetDataAccess', deniedBy: { policyType: 'lake-formation' } });
    expect(lakeFormation.remediation?.statements).toEqual([]);
    expect(lakeFormation.remediation?.summary).toContain('aws lakeformation grant-permissions');
    expect(lakeFormation.remediation?.summary).toContain('DataLakePrincipalIdentifier=arn:aws:iam::123456789012:user/steward');
    expect(report.remediation.policy?.Statement.flatMap((s) => s.Action) ?? []).not.toContain('lakeformation:GetDataAccess');
  });

  it("reads a sampled table's data apart from the results location, and scopes its fix to the data", async () => {
    const resultsOnly = {
      extends: 'full-access',
      name: 'results-bucket-only',
      description: 'S3 rights on the results bucket only: table data cannot be read',
      users: [
        {
          name: 'analyst',
          accessKeyId: 'AKIARESULTSONLY00001',
          secretAccessKey: 'sandbox/analyst/secret/results/only/000',
          policies: [
            {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', NotAction: 's3:*', Resource: '*' },
                { Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::acme-athena-results', 'arn:aws:s3:::acme-athena-results/*'] },
              ],
            },
          ],
        },
      ],
    };
    const request = { capabilities: ['connection', 'metadata', 'query-results', 'table-data'] };
    const { report } = await run(resultsOnly as never, request);
    expect(statusOf(report)).toMatchObject({ 'query-results': 'ok', 'table-data': 'unavailable' });
    const tableData = report.capabilities.find((c) => c.id === 'table-data')!;
    expect(tableData.missingActions).toContain('s3:ListBucket');
    const resources = tableData.remediation!.statements.flatMap((s) => s.Resource);
    expect(resources).toContain('arn:aws:s3:::acme-data-lake');
    expect(resources.every((arn) => !arn.includes('acme-athena-results'))).toBe(true);

    // The printed policy, applied, makes it ok: the closed loop for a capability with its own scope.
    const fixed = structuredClone(resultsOnly);
    fixed.users[0]!.policies.push(report.remediation.policy as never);
    const again = (await run(fixed as never, request)).report;
    expect(statusOf(again)).toMatchObject({ 'query-results': 'ok', 'table-data': 'ok' });
  });

  it('answers refused credentials with what fixes the key, never an Allow of sts:GetCallerIdentity', async () => {
    const { harness } = await run('full-access');
    const analyst = harness.sandbox.scenario.users.find((u) => u.name === 'analyst')!;
    for (const [credentials, code, words] of [
      [{ accessKeyId: 'AKIANOSUCHKEY0000001', secretAccessKey: analyst.secretAccessKey }, 'InvalidClientTokenId', /does not know this access key/],
      [{ accessKeyId: analyst.accessKeyId, secretAccessKey: 'not/the/right/secret/at/all/000000' }, 'SignatureDoesNotMatch', /secret access key does not match/],
    ] as const) {
      const response = await harness.preflight(sampleRequest(harness.sandbox, { credentials: { type: 'accessKey', ...credentials } }));
      const report = response.body as PreflightReport;
      const connection = report.capabilities.find((c) => c.id === 'connection')!;
      expect(connection).toMatchObject({ status: 'unavailable', missingActions: [], reasons: [{ code, category: 'auth' }] });
      expect(connection.remediation?.summary).toMatch(words);
      expect(connection.remediation?.statements).toEqual([]);
      expect(report.remediation.policy).toBeNull();
    }
  });

  it("finds a bucket in another region from HeadBucket's header when GetBucketLocation is refused", async () => {
    const { report } = await run({
      extends: 'bucket-other-region',
      name: 'other-region-no-location',
      description: 'the output bucket is in another region and GetBucketLocation is denied',
      users: [
        {
          name: 'analyst',
          accessKeyId: 'AKIAOTHERREGION00002',
          secretAccessKey: 'sandbox/analyst/secret/not-a-real-key',
          policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 's3:GetBucketLocation', Resource: '*' }] }],
        },
      ],
    });
    expect(report.findings.map((f) => f.code)).toContain('BUCKET_OTHER_REGION');
    expect(statusOf(report)['query-results']).toBe('unavailable');
  });

  it("finds a workgroup that does not exist from Athena's own answer", async () => {
    const { report } = await run('full-access', { athena: { workgroup: 'no-such-workgroup' } });
    expect(report.findings.map((f) => f.code)).toEqual(['WORKGROUP_NOT_FOUND']);
    expect(report.probes.find((p) => p.id === 'athena-workgroup')?.error).toMatchObject({ category: 'not-found' });
  });

  it("splits a remediation too large for one managed policy into parts that each fit IAM's quota", async () => {
    const noGlue = {
      extends: 'full-access',
      name: 'no-glue-many-databases',
      description: 'no Glue rights at all, and a connection limited to many long-named databases',
      users: [{ name: 'analyst', accessKeyId: 'AKIANOGLUE0000000001', secretAccessKey: 'sandbox/analyst/secret/no/glue/00000', policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 'glue:*', Resource: '*' }] }] }],
    };
    const databases = Array.from({ length: 40 }, (_, i) => `analytics_${String(i).padStart(3, '0')}_customer_events_history`);
    const { report } = await run(noGlue as never, { glue: { databases } });
    const { policy, policies, notes } = report.remediation;
    expect(JSON.stringify(policy).length).toBeGreaterThan(6144);
    expect(policies!.length).toBeGreaterThan(1);
    for (const part of policies!) expect(part.characters).toBeLessThanOrEqual(6144);
    expect(new Set(policies!.flatMap((p) => p.document.Statement.flatMap((s) => s.Resource)))).toEqual(new Set(policy!.Statement.flatMap((s) => s.Resource)));
    expect(notes.join(' ')).toMatch(/numbered parts/);
  });

  it('answers a database Lake Formation hides with Lake Formation grants, never an IAM Allow', async () => {
    const { report } = await run('lake-formation-hidden-database');
    const metadata = report.capabilities.find((c) => c.id === 'metadata')!;
    expect(metadata.reasons.map((r) => r.deniedBy?.policyType)).toEqual(['lake-formation', 'lake-formation']);
    expect(metadata.remediation!.statements).toEqual([]);
    expect(metadata.remediation!.summary).toContain(`--permissions DESCRIBE --resource '{"Database":{"Name":"finance"}}'`);
    expect(report.remediation.policy).toBeNull();
  });

  it("grants kms:Decrypt on the Data Catalog's key, not the results key, when Glue's reads are refused by KMS", async () => {
    const { report } = await run('encrypted-catalog');
    const metadata = report.capabilities.find((c) => c.id === 'metadata')!;
    expect(metadata.reasons[0]).toMatchObject({ action: 'kms:Decrypt', category: 'permission' });
    const kms = metadata.remediation!.statements.filter((s) => s.Action.includes('kms:Decrypt')).flatMap((s) => s.Resource);
    expect(kms).toEqual(['arn:aws:kms:eu-west-1:123456789012:key/3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f']);
  });

  it('says, for a role run on a service without an AWS identity of its own, how to give it one', async () => {
    const { harness } = await run('full-access');
    const noIdentity = async () => {
      throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    };
    const report = await runPreflight(
      validated(sampleRequest(harness.sandbox, { credentials: { type: 'role', roleArn: 'arn:aws:iam::123456789012:role/PreflightReadOnly', externalId: 'acme-7f3c2a' } })),
      { clients: harness.clients, serviceCredentials: noIdentity, allowAmbient: false, maxRunMs: 30_000, probes: PROBES },
    );
    const connection = report.capabilities.find((c) => c.id === 'connection')!;
    expect(connection).toMatchObject({ status: 'unavailable', reasons: [{ code: 'NoServiceIdentity', category: 'config' }] });
    expect(connection.remediation!.summary).toMatch(/no AWS identity of its own.*sts:AssumeRole/);
    expect(report.remediation.policy).toBeNull();
  });

  it('warns when a role is used without an external ID', async () => {
    const { harness } = await run('external-id-not-enforced');
    const response = await harness.preflight(sampleRequest(harness.sandbox, { credentials: { type: 'role', roleArn: 'arn:aws:iam::123456789012:role/PreflightReadOnly' } }));
    const report = response.body as PreflightReport;
    expect(report.findings.map((f) => f.code)).toEqual(['EXTERNAL_ID_NOT_GIVEN']);
    expect(report.probes.find((p) => p.id === 'sts-external-id')).toMatchObject({ outcome: 'skipped', skipReason: 'not-applicable' });
  });

  it('finds results that never expire, and an output bucket that does not exist', async () => {
    const { report } = await run(
      { extends: 'full-access', name: 'no-lifecycle', description: 'results bucket without a lifecycle rule', s3: { buckets: [{ name: 'acme-athena-results' }] } },
      { athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/primary/' } },
    );
    expect(report.findings.map((f) => f.code)).toEqual(['RESULTS_NO_LIFECYCLE']);
    expect(statusOf(report)['query-results']).toBe('ok');
    const missing = (await run('full-access', { athena: { workgroup: 'primary', outputLocation: 's3://acme-no-such-bucket/results/' } })).report;
    expect(missing.findings.map((f) => f.code)).toContain('BUCKET_NOT_FOUND');
    expect(missing.capabilities.find((c) => c.id === 'query-results')).toMatchObject({ status: 'unavailable', reasons: expect.arrayContaining([expect.objectContaining({ category: 'not-found' })]) });
  });

  it('masks the access key id and carries no secret', async () => {
    const { harness, report } = await run('full-access');
    const user = harness.sandbox.scenario.users.find((u) => u.name === 'analyst')!;
    const text = JSON.stringify(report);
    expect(text).not.toContain(user.secretAccessKey);
    expect(text).not.toContain(user.accessKeyId);
    expect(report.connection.accessKeyId).toBe('AKIA…ST01');
  });

  it('does not leave the marker behind, and says so when it cannot delete it', async () => {
    const { harness, report } = await run('qualytics');
    const finding = report.findings.find((f) => f.code === 'MARKER_NOT_DELETED')!;
    const key = /s3:\/\/acme-athena-results\/(\S+?)\s/.exec(finding.message)?.[1];
    expect(key).toMatch(/^qualytics\/preflight-marker-[0-9a-f]+\.txt$/);
    expect(harness.sandbox.state.objects.get('acme-athena-results')!.has(key!)).toBe(true);
    const clean = await run('full-access');
    expect([...clean.harness.sandbox.state.objects.get('acme-athena-results')!.keys()].some((k) => k.includes('preflight-marker'))).toBe(false);
  });
});

describe('the closed loop: the remediation policy, applied, lifts what it covers', () => {
  // Scenarios where no identity policy is the fix, each with why. Every other scenario with a
  // capability not ok must print a policy, and that policy, applied, must make what it covers ok.
  const NO_POLICY: Record<string, string> = {
    'full-access': 'everything is ok',
    'kms-encrypted-results': 'everything is ok',
    'results-bucket-owner-acl': 'everything is ok',
    'external-id-not-enforced': 'everything is ok; the finding is about the trust policy',
    'workgroup-enforced-location': 'everything is ok; the finding is about the workgroup',
    'bucket-other-region': 'a bucket in another region is fixed by another bucket, not a grant',
    'workgroup-disabled': 'a disabled workgroup is fixed by enabling it',
    'lake-formation-governed': 'Lake Formation hides the tables: a Lake Formation grant, which the finding prints',
    'lake-formation-hidden-database': 'Lake Formation hides the database: a Lake Formation grant, which the remediation prints as commands',
    'permissions-boundary': 'the boundary denies: whoever manages it must act (remediation notes say so)',
    'scp-deny-athena': 'an SCP denies: the Organizations administrator must act (remediation notes say so)',
    'cross-account-catalog': 'everything is ok',
    'named-catalog': 'everything is ok',
    'athena-catalog-other-account': 'everything is ok; the finding is about which catalog Athena reads',
    'lake-formation-share-revoked': "the owner's Lake Formation share is gone: its grants, which remediation.otherAccounts prints as commands",
    'vpce-only-bucket-athena-exception': 'everything is ok',
    'bucket-policy-unreadable': 'everything is ok; the finding says what went unproven',
    'catalog-encryption-service-role': 'everything is ok',
    'lake-formation-default-describe': 'Lake Formation refuses DESCRIBE on default: a Lake Formation grant, which the remediation prints as commands',
    'lake-formation-no-default-database': 'Lake Formation refuses to create default: a Lake Formation grant, which the remediation prints as commands',
    'cse-kms-no-data-key': "the key policy's explicit deny refuses Athena's data key: its owner must change it (the summary says so); no Allow lifts a deny",
  };
  // Where a bucket policy refuses Athena's own requests, the fix is the bucket owner's to merge
  // (remediation.bucketPolicy), not an identity policy: merged here as its owner would.
  const BUCKET_POLICY_FIX = new Set(['vpce-only-bucket', 'source-ip-bucket', 'query-table-data-denied']);
  const closedLoop = Object.keys(EXPECTED).filter((name) => !['hanging-athena', 'throttled-cloudtrail', 'slow'].includes(name));

  it('knows why each scenario without a policy has none', () => {
    for (const name of Object.keys(NO_POLICY)) expect(closedLoop, name).toContain(name);
  });

  for (const name of closedLoop) {
    it(name, async () => {
      const { report } = await run(name, EXPECTED[name]!.request);
      const policy = report.remediation.policy;
      if (name in NO_POLICY) {
        expect(policy, NO_POLICY[name]).toBeNull();
        const blocked = report.capabilities.filter((c) => c.missingActions.length > 0);
        if (blocked.length) expect(report.remediation.notes.length, 'who must act').toBeGreaterThan(0);
        return;
      }
      const bucketFixes = report.capabilities.flatMap((c) => (c.remediation?.bucketPolicy ? [{ capability: c.id, ...c.remediation.bucketPolicy }] : []));
      expect(bucketFixes.length > 0, 'the fix is a bucket policy').toBe(BUCKET_POLICY_FIX.has(name));
      if (!BUCKET_POLICY_FIX.has(name)) expect(policy, 'a scenario with something to lift prints a policy').not.toBeNull();
      const covered = new Set((policy?.Statement ?? []).flatMap((s) => s.Action));
      const lifted = report.capabilities.filter((c) => (c.missingActions.length > 0 && c.missingActions.every((a) => covered.has(a))) || c.remediation?.bucketPolicy);
      expect(lifted.length).toBeGreaterThan(0);

      const scenario = structuredClone(loadScenario(name));
      const [kind, principal] = scenario.sample!.credentials.split(':');
      const target = kind === 'user' ? scenario.users.find((u) => u.name === principal)! : scenario.roles.find((r) => r.name === principal)!;
      if (policy) target.policies.push(policy as (typeof target.policies)[number]);
      // The bucket owner merges the statements: each replaces the statement of the same Sid, or is added.
      for (const fix of bucketFixes) {
        const bucket = scenario.s3.buckets.find((b) => b.name === fix.bucket)!;
        const statements = [bucket.policy!.Statement].flat();
        for (const statement of fix.statements as typeof statements) {
          const at = statements.findIndex((existing) => existing.Sid !== undefined && existing.Sid === statement.Sid);
          if (at >= 0) statements[at] = statement;
          else statements.push(statement);
        }
        bucket.policy = { ...bucket.policy!, Statement: statements };
      }
      // Another account's part, where its catalog's resource policy refused: added as its owner would.
      for (const fix of report.remediation.otherAccounts ?? []) {
        const owner = scenario.otherAccounts.find((account) => account.accountId === fix.accountId);
        if (!owner || !fix.resourcePolicy) continue;
        const existing = owner.glue.resourcePolicy ?? { Version: '2012-10-17', Statement: [] };
        owner.glue.resourcePolicy = { ...existing, Statement: [...[existing.Statement].flat(), ...fix.resourcePolicy.Statement] } as typeof existing;
      }
      const again = (await run(scenario, EXPECTED[name]!.request)).report;
      for (const capability of lifted) {
        expect(again.capabilities.find((c) => c.id === capability.id)!.status, `${capability.id} after remediation`).toBe('ok');
      }
    });
  }
});
