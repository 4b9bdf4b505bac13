// Policy coverage (src/coverage): what a policy document lets the product do, judged as AWS checks
// the product's requests. Agreement with the preflight on every sandbox scenario that only identity
// documents refuse (the e2e table, test/e2e/expected.ts); the request contexts one by one (Glue's
// ancestors, s3:prefix, kms:ViaService, aws:RequestedRegion, Athena's forward access, x-amz-acl);
// the remediation; the over-grants; and every decision cross-checked with @cloud-copilot/iam-simulate.
import { readFileSync } from 'node:fs';
import { type Simulation, runSimulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import { CAPABILITIES, CAPABILITY_IDS } from '../../src/catalogue/capabilities.js';
import { setupPolicies, statementsFor } from '../../src/catalogue/remediation.js';
import { type CoverageAnswer, type DecisionObserver, policyCoverage } from '../../src/coverage/evaluate.js';
import { validateCoverageRequest } from '../../src/coverage/request.js';
import type { AuthorizationRequest, Decision } from '../../src/iam/evaluate.js';
import { listBuiltInScenarios, loadScenario } from '../../src/sandbox/scenario.js';
import { EXPECTED } from '../e2e/expected.js';
import { coverageBodyOf, coveragesFor, refusedByIdentityDocumentsAlone } from '../support/coverage.js';
import { VENDOR_POLICIES } from '../support/vendor-coverage.js';

function judge(body: Record<string, unknown>, observe?: DecisionObserver): CoverageAnswer {
  const validation = validateCoverageRequest(body);
  if (!validation.ok) throw new Error(JSON.stringify(validation.issues));
  return policyCoverage(validation.input, observe);
}
const of = (answer: CoverageAnswer, id: string) => answer.capabilities.find((c) => c.id === id)!;

const ACCOUNT = '123456789012';
const BASE = { region: 'eu-west-1', accountId: ACCOUNT, athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/primary/' } };
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const EVERYTHING = { Sid: 'Everything', Effect: 'Allow', Action: '*', Resource: '*' };
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1f0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

describe('coverage agrees with the preflight', () => {
  const rows = Object.entries(EXPECTED).filter(([name]) => refusedByIdentityDocumentsAlone(loadScenario(name)));

  it('on a table of scenarios that only identity documents refuse: a filter that keeps most, and none that another policy decides', () => {
    const names = rows.map(([name]) => name);
    expect(Object.keys(EXPECTED).sort()).toEqual(listBuiltInScenarios());
    expect(names.length).toBeGreaterThanOrEqual(20);
    // The five vendors' policies, an SCP and a boundary are all in it...
    for (const name of [...VENDOR_POLICIES.map((v) => v.name), 'scp-deny-athena', 'permissions-boundary', 'glue-catalog-only', 'kms-denied']) expect(names).toContain(name);
    // ...and a bucket policy, a network perimeter, Lake Formation, another account, a fault keep a scenario out.
    for (const name of ['vpce-only-bucket', 'results-acl-no-putobjectacl', 'lake-formation-governed', 'cross-account-catalog', 'throttled-cloudtrail', 'encrypted-catalog', 'bucket-other-region']) {
      expect(names).not.toContain(name);
    }
  });

  const compared = { all: 0, refused: 0 };
  for (const [name, row] of rows) {
    it(`${name}: every capability the preflight decided`, () => {
      const answer = judge(coverageBodyOf(name));
      const emptyListing = (row.findings ?? []).some((code) => code === 'NO_DATABASES_VISIBLE' || code === 'NO_TABLES_VISIBLE');
      const disagreements = answer.capabilities.flatMap((c) => {
        const expected = coveragesFor(row.capabilities[c.id]!, emptyListing);
        if (!expected) return [];
        compared.all += 1;
        if (c.coverage !== 'covered') compared.refused += 1;
        return expected.includes(c.coverage) ? [] : [`${c.id}: the preflight finds ${row.capabilities[c.id]}, coverage says ${c.coverage} (${c.missingActions.join(', ')})`];
      });
      expect(disagreements).toEqual([]);
    });
  }

  it('compared enough capabilities, refused ones among them', () => {
    expect(compared.all).toBeGreaterThan(150);
    expect(compared.refused).toBeGreaterThan(40);
  });
});

describe('the requests, as AWS checks them', () => {
  it("checks Glue's ancestors: a grant without the catalog covers no Glue read, a named catalog's needs each catalog on the way down", () => {
    const glue = { Effect: 'Allow', Action: 'glue:Get*', Resource: ['arn:aws:glue:eu-west-1:123456789012:database/*', 'arn:aws:glue:eu-west-1:123456789012:table/*/*'] };
    const metadata = of(judge({ ...BASE, policies: [doc(glue)], capabilities: ['metadata'] }), 'metadata');
    expect(metadata.coverage).toBe('not-covered');
    expect(metadata.notGranted).toContainEqual({ action: 'glue:GetDatabases', resource: 'arn:aws:glue:eu-west-1:123456789012:catalog', by: 'product', deniedBy: { policyType: 'identity', explicit: false } });

    const root = { ...glue, Resource: [...glue.Resource, 'arn:aws:glue:eu-west-1:123456789012:catalog'] };
    expect(of(judge({ ...BASE, policies: [doc(root)], capabilities: ['metadata'] }), 'metadata').coverage).toBe('covered');
    const named = of(judge({ ...BASE, glue: { catalogId: 's3tablescatalog/acme-tables' }, policies: [doc(root)], capabilities: ['metadata'] }), 'metadata');
    expect(named.coverage).toBe('not-covered');
    // database/* and table/*/* name the named catalog's databases and tables too (a wildcard crosses "/"); its catalogs they do not.
    expect(new Set(named.notGranted.map((n) => n.resource))).toEqual(new Set(['arn:aws:glue:eu-west-1:123456789012:catalog/s3tablescatalog', 'arn:aws:glue:eu-west-1:123456789012:catalog/s3tablescatalog/acme-tables']));
  });

  it('reads the databases named, and a query also the default database Athena looks up for the caller', () => {
    const sales = doc(
      { Effect: 'Allow', Action: 'glue:Get*', Resource: ['arn:aws:glue:eu-west-1:123456789012:catalog', 'arn:aws:glue:eu-west-1:123456789012:database/sales', 'arn:aws:glue:eu-west-1:123456789012:table/sales/*'] },
      { Effect: 'Allow', Action: ['athena:*', 's3:*'], Resource: '*' },
    );
    const answer = judge({ ...BASE, glue: { databases: ['sales'] }, policies: [sales], capabilities: ['metadata', 'query-execution'] });
    expect(of(answer, 'metadata').coverage).toBe('covered');
    // Not named, every database: a grant on sales alone does not cover it.
    expect(of(judge({ ...BASE, policies: [sales], capabilities: ['metadata'] }), 'metadata').coverage).toBe('not-covered');
    const query = of(answer, 'query-execution');
    expect(query.coverage).toBe('not-covered');
    expect(query.notGranted).toEqual([{ action: 'glue:GetDatabase', resource: 'arn:aws:glue:eu-west-1:123456789012:database/default', by: 'athena', deniedBy: { policyType: 'identity', explicit: false } }]);
    expect(query.remediation!.statements.flatMap((s) => s.Resource)).toContain('arn:aws:glue:eu-west-1:123456789012:database/default');
  });

  it('sends s3:prefix with the listing of the output location', () => {
    const results = (prefix: string) =>
      doc(
        { Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], Resource: 'arn:aws:s3:::acme-athena-results/primary/*' },
        { Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], Resource: 'arn:aws:s3:::acme-athena-results' },
        { Sid: 'ListUnderPrefix', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::acme-athena-results', Condition: { StringLike: { 's3:prefix': [prefix, `${prefix}*`] } } },
      );
    expect(of(judge({ ...BASE, policies: [results('primary/')], capabilities: ['query-results'] }), 'query-results').coverage).toBe('covered');
    const elsewhere = of(judge({ ...BASE, policies: [results('other/')], capabilities: ['query-results'] }), 'query-results');
    expect(elsewhere.coverage).toBe('partly');
    expect(elsewhere.missingActions).toEqual(['s3:ListBucket']);
  });

  it('sends kms:ViaService where S3 uses the key for the caller (SSE_KMS), and not where Athena and the client use it directly (CSE_KMS)', () => {
    const s3 = { Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::acme-athena-results', 'arn:aws:s3:::acme-athena-results/*'] };
    const viaS3 = { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: KEY, Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } } };
    const describeKey = { Effect: 'Allow', Action: 'kms:DescribeKey', Resource: KEY };
    const body = { ...BASE, policies: [doc(s3, viaS3, describeKey)], capabilities: ['query-results', 'encryption'] };
    const sse = judge({ ...body, results: { encryption: 'SSE_KMS', kmsKey: KEY } });
    expect([of(sse, 'query-results').coverage, of(sse, 'encryption').coverage]).toEqual(['covered', 'covered']);
    // Without the key grant, S3's write is refused for want of kms:GenerateDataKey: query results too.
    const noKey = judge({ ...body, policies: [doc(s3)], results: { encryption: 'SSE_KMS', kmsKey: KEY } });
    expect(of(noKey, 'query-results').notGranted).toContainEqual({ action: 'kms:GenerateDataKey', resource: KEY, by: 's3', deniedBy: { policyType: 'identity', explicit: false } });
    expect(of(noKey, 'query-results').remediation!.statements).toEqual(statementsFor(['kms:Decrypt', 'kms:GenerateDataKey'], { region: 'eu-west-1', accountId: ACCOUNT, kmsKeyArns: [KEY], s3KmsKeyArns: [KEY] }));
    const cse = judge({ ...body, results: { encryption: 'CSE_KMS', kmsKey: KEY } });
    expect([of(cse, 'query-results').coverage, of(cse, 'encryption').coverage]).toEqual(['not-covered', 'not-covered']);
    expect(of(cse, 'encryption').notGranted.map((n) => [n.action, n.by])).toContainEqual(['kms:GenerateDataKey', 'product']);
  });

  it('sends aws:RequestedRegion: a region guard refuses another region, naming its statement', () => {
    const guard = { Sid: 'OnlyUsEast1', Effect: 'Deny', NotAction: 'sts:*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } } };
    const answer = judge({ ...BASE, policies: [doc(EVERYTHING, guard)], capabilities: ['metadata', 'user-attribution'] });
    expect(of(answer, 'metadata')).toMatchObject({ coverage: 'not-covered', deniedBy: { policyType: 'identity', explicit: true, statement: { pointer: '/policies/0/Statement/1', sid: 'OnlyUsEast1' } } });
    expect(of(answer, 'metadata').remediation).toMatchObject({ statements: [], summary: expect.stringMatching(/explicit deny in an identity-based policy/) });
    const inUsEast1 = judge({ ...BASE, region: 'us-east-1', policies: [doc(EVERYTHING, guard)], capabilities: ['metadata', 'user-attribution'] });
    expect(inUsEast1.capabilities.map((c) => c.coverage)).toEqual(['covered', 'covered', 'covered']);
  });

  it("judges Athena's own requests with its forward access: a deny of requests services make for the principal refuses the results location", () => {
    const noServices = { Sid: 'NoServicesOnMyBehalf', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:ViaAWSService': 'true' } } };
    const results = of(judge({ ...BASE, policies: [doc(EVERYTHING, noServices)], capabilities: ['query-results'] }), 'query-results');
    expect(results.coverage).toBe('not-covered');
    expect(new Set(results.notGranted.map((n) => n.by))).toEqual(new Set(['athena']));
    expect(results.deniedBy!.statement).toEqual({ pointer: '/policies/0/Statement/1', sid: 'NoServicesOnMyBehalf' });
    // AWS's documented exception for Athena lets its requests through.
    const exception = { ...noServices, Condition: { ...noServices.Condition, 'ForAllValues:StringNotEquals': { 'aws:CalledVia': ['athena.amazonaws.com'] } } };
    expect(of(judge({ ...BASE, policies: [doc(EVERYTHING, exception)], capabilities: ['query-results'] }), 'query-results').coverage).toBe('covered');
  });

  it('sends s3:x-amz-acl when the workgroup sends an ACL, which needs s3:PutObjectAcl', () => {
    const s3 = { Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:ListBucket', 's3:GetBucketLocation', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:ListBucketMultipartUploads'], Resource: ['arn:aws:s3:::acme-athena-results', 'arn:aws:s3:::acme-athena-results/*'] };
    const requireAcl = { Sid: 'RequireOwnerAcl', Effect: 'Deny', Action: 's3:PutObject', Resource: '*', Condition: { StringNotEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } };
    const withoutAcl = of(judge({ ...BASE, policies: [doc(s3, requireAcl)], capabilities: ['query-results'] }), 'query-results');
    expect(withoutAcl).toMatchObject({ coverage: 'not-covered', missingActions: ['s3:PutObject'], deniedBy: { explicit: true, statement: { sid: 'RequireOwnerAcl' } } });
    const acl = of(judge({ ...BASE, policies: [doc(s3, requireAcl)], capabilities: ['query-results'], results: { acl: 'BUCKET_OWNER_FULL_CONTROL' } }), 'query-results');
    expect(acl).toMatchObject({ coverage: 'not-covered', missingActions: ['s3:PutObjectAcl'] });
    expect(acl.remediation!.statements.flatMap((s) => s.Action)).toEqual(['s3:PutObjectAcl']);
    const both = doc({ ...s3, Action: [...s3.Action, 's3:PutObjectAcl'] }, requireAcl);
    expect(of(judge({ ...BASE, policies: [both], capabilities: ['query-results'], results: { acl: 'BUCKET_OWNER_FULL_CONTROL' } }), 'query-results').coverage).toBe('covered');
  });

  it('names the SCP or the boundary that allows nothing here, and says an Allow cannot lift it', () => {
    const glueOnly = doc({ Effect: 'Allow', Action: 'glue:*', Resource: '*' });
    const scp = of(judge({ ...BASE, policies: [doc(EVERYTHING)], scps: [doc(EVERYTHING), glueOnly], capabilities: ['query-history'] }), 'query-history');
    expect(scp).toMatchObject({ coverage: 'not-covered', deniedBy: { policyType: 'scp', explicit: false, statement: { pointer: '/scps/1' } }, remediation: { statements: [] } });
    expect(scp.remediation!.summary).toMatch(/Organizations administrator/);
    const boundary = of(judge({ ...BASE, policies: [doc(EVERYTHING)], permissionsBoundary: glueOnly, capabilities: ['query-history'] }), 'query-history');
    expect(boundary.deniedBy).toEqual({ policyType: 'boundary', explicit: false, statement: { pointer: '/permissionsBoundary' } });
    expect(boundary.dependsOn.join(' ')).toMatch(/No service control policy was given/);
    expect(scp.dependsOn.join(' ')).not.toMatch(/No service control policy was given/);
  });

  it('says which keys a statement tests that the documents cannot show, and judges without them', () => {
    const office = { Sid: 'FromTheOffice', Effect: 'Allow', Action: 'glue:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } } };
    const metadata = of(judge({ ...BASE, policies: [doc(office)], capabilities: ['metadata'] }), 'metadata');
    expect(metadata.coverage).toBe('not-covered');
    expect(metadata.dependsOn).toContain('Statement "FromTheOffice" (/policies/0/Statement/0) tests aws:SourceIp, which these documents cannot show: judged as a request without it.');
    // A key the request carries is no unknown.
    const inRegion = { ...office, Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } };
    expect(of(judge({ ...BASE, policies: [doc(inRegion)], capabilities: ['metadata'] }), 'metadata').dependsOn.join(' ')).not.toMatch(/tests aws:/);
  });

  it('covers every capability with the policy POST /setup generates for them, with nothing over-granted', () => {
    const scope = { region: 'eu-west-1', accountId: ACCOUNT, workgroup: 'primary', bucket: 'acme-athena-results', prefix: 'primary/', databases: ['sales'], kmsKeyArns: [KEY] };
    const { identityPolicies } = setupPolicies(CAPABILITIES, scope, { bucket: 'acme-data-lake', prefix: 'sales/' });
    const answer = judge({
      ...BASE,
      glue: { databases: ['sales'] },
      policies: identityPolicies.map((p) => p.document),
      capabilities: [...CAPABILITY_IDS],
      results: { encryption: 'SSE_KMS', kmsKey: KEY },
      dataLocation: 's3://acme-data-lake/sales/',
    });
    expect(answer.capabilities.filter((c) => c.coverage !== 'covered').map((c) => `${c.id}: ${c.missingActions.join(', ')}`)).toEqual([]);
    expect(answer.warnings).toEqual([]);
  });
});

describe('the fix', () => {
  // Every vendor policy, every capability: with the statements coverage asks for added, what an
  // Allow can lift is covered.
  for (const { name } of VENDOR_POLICIES) {
    it(`${name}: adding each capability's statements covers it`, () => {
      const body = coverageBodyOf(name, { capabilities: [...CAPABILITY_IDS], dataLocation: 's3://acme-data-lake/sales/', results: { encryption: 'SSE_KMS', kmsKey: KEY } });
      const before = judge(body);
      const fixed = before.capabilities.filter((c) => c.remediation?.statements.length);
      expect(fixed.length).toBeGreaterThan(3);
      const after = judge({ ...body, policies: [...body.policies, ...fixed.map((c) => doc(...c.remediation!.statements))] });
      expect(after.capabilities.filter((c) => c.coverage !== 'covered').map((c) => `${c.id}: ${c.missingActions.join(', ')}`)).toEqual([]);
    });
  }
});

describe('over-grants', () => {
  it('names S3 on every bucket, Glue writes and KMS beyond use on every key, each with the narrower statements', () => {
    const { warnings } = judge({ ...BASE, policies: [doc(EVERYTHING)] });
    expect(warnings.map((w) => w.code)).toEqual(['S3_EVERY_BUCKET', 'GLUE_WRITE', 'KMS_EVERY_KEY']);
    for (const warning of warnings) expect(warning.statement).toEqual({ pointer: '/policies/0/Statement/0', sid: 'Everything' });
    expect(new Set(warnings[0]!.narrower!.flatMap((s) => s.Resource))).toEqual(new Set(['arn:aws:s3:::acme-athena-results', 'arn:aws:s3:::acme-athena-results/primary/*']));
    expect(warnings[1]!.message).toMatch(/glue:DeleteTable/);
    expect(warnings[1]!.narrower!.flatMap((s) => s.Action).every((a) => /^glue:(Get|BatchGet|Search)/.test(a))).toBe(true);
    expect(warnings[2]!.narrower!.flatMap((s) => s.Action).sort()).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey']);
    // Without the output location, the narrower S3 statement could only be on every bucket: not offered.
    const unnamed = judge({ ...BASE, athena: { workgroup: 'primary' }, policies: [doc(EVERYTHING)] }).warnings.find((w) => w.code === 'S3_EVERY_BUCKET')!;
    expect(unnamed.narrower).toBeUndefined();
    expect(unnamed.message).toMatch(/Name the output location/);
  });

  it('is limited by the boundary: what the boundary keeps from a statement is no over-grant', () => {
    const { warnings } = judge({ ...BASE, policies: [doc(EVERYTHING)], permissionsBoundary: doc({ Effect: 'Allow', Action: ['glue:Get*', 's3:GetObject'], Resource: '*' }) });
    expect(warnings.map((w) => w.code)).toEqual(['S3_EVERY_BUCKET']);
    expect(warnings[0]!.message).toMatch(/allows s3:GetObject on every bucket/);
  });

  it("names actions no capability uses (Immuta's guide lists some that do not exist), with the statement without them", () => {
    const immuta = JSON.parse(readFileSync('examples/vendor-policies/immuta.json', 'utf8'));
    const [warning] = judge({ ...BASE, policies: [immuta] }).warnings;
    expect(warning).toMatchObject({ code: 'ACTIONS_NOT_USED', statement: { pointer: '/policies/0/Statement/0' } });
    expect(warning!.message).toMatch(/athena:RunQuery/);
    expect(warning!.narrower![0]!.Action).toContain('glue:GetTables');
    expect(warning!.narrower![0]!.Action).not.toContain('athena:RunQuery');
  });
});

describe('every decision, cross-checked with iam-simulate (AGPL, tests only)', () => {
  type Outcome = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
  const outcome = (decision: Decision): Outcome => (decision.allowed ? 'Allowed' : decision.denial.explicit ? 'ExplicitlyDenied' : 'ImplicitlyDenied');

  /**
   * iam-simulate reads a `*` in a request's resource as "some resource like this" (a wildcard
   * request); coverage reads it as "every one": a name no statement names but by a wildcard. Such a
   * name stands in for it.
   */
  const everyOne = (resource: string) => (resource === '*' ? resource : resource.replace(/\*/g, 'every-one'));

  async function reference(request: AuthorizationRequest, body: Record<string, any>): Promise<Outcome> {
    const context: Record<string, string | string[]> = { 'aws:PrincipalArn': request.principal.arn, 'aws:PrincipalAccount': request.principal.accountId, 'aws:ResourceAccount': request.principal.accountId, 'aws:SecureTransport': 'true' };
    for (const [key, value] of Object.entries(request.context ?? {})) if (value !== undefined) context[key] = typeof value === 'boolean' ? String(value) : (value as string | string[]);
    const simulation: Simulation = {
      request: { principal: request.principal.arn, action: request.action, resource: { resource: everyOne(request.resource), accountId: request.principal.accountId }, contextVariables: context },
      identityPolicies: body.policies.map((policy: object, i: number) => ({ name: `identity${i}`, policy })),
      serviceControlPolicies: (body.scps ?? []).map((policy: object, i: number) => ({ orgIdentifier: `ou-${i}`, policies: [{ name: `scp${i}`, policy }] })),
      resourceControlPolicies: [],
      permissionBoundaryPolicies: body.permissionsBoundary ? [{ name: 'boundary', policy: body.permissionsBoundary }] : undefined,
      // A key's own policy must allow too: coverage assumes, and says, the default one that delegates to IAM.
      ...(request.action.startsWith('kms:') ? { resourcePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] } } : {}),
    };
    const result = await runSimulation(simulation, {});
    if (result.resultType !== 'single') throw new Error(`iam-simulate could not evaluate ${JSON.stringify(request)}: ${JSON.stringify(result)}`);
    // A context key iam-simulate does not know for the action would be dropped silently.
    if (result.result.ignoredContextKeys?.length) throw new Error(`iam-simulate ignored ${result.result.ignoredContextKeys.join(', ')} of ${JSON.stringify(request)}`);
    return result.overallResult;
  }

  const BODIES: Array<[string, Record<string, any>]> = [
    ...VENDOR_POLICIES.map(({ name }): [string, Record<string, any>] => [name, coverageBodyOf(name, { capabilities: [...CAPABILITY_IDS], dataLocation: 's3://acme-data-lake/sales/' })]),
    ['scp-deny-athena', coverageBodyOf('scp-deny-athena')],
    ['permissions-boundary', coverageBodyOf('permissions-boundary')],
    ['kms-denied', coverageBodyOf('kms-denied', { capabilities: [...CAPABILITY_IDS] })],
  ];
  for (const [name, body] of BODIES) {
    it(`${name}: the same decision for every request coverage judged`, async () => {
      const judged: Array<[AuthorizationRequest, Decision]> = [];
      judge(body, (request, decision) => judged.push([request, decision]));
      expect(judged.length).toBeGreaterThan(30);
      const differences: string[] = [];
      for (const [request, decision] of judged) {
        const theirs = await reference(request, body);
        if (theirs !== outcome(decision)) differences.push(`${request.action} ${request.resource} ${JSON.stringify(request.context)}: ours ${outcome(decision)}, iam-simulate ${theirs}`);
      }
      expect(differences).toEqual([]);
    }, 60_000);
  }
});
