// A sandbox scenario as a policy coverage request: the documents of its sample's principal (its
// policies, its boundary, the account's SCPs) and the connection its sample preflight checks, with
// what that preflight learns from the account before it judges (the workgroup's output location,
// encryption and ACL, the bucket's default key) given as a customer would give it. And the rule by
// which a coverage answer agrees with a preflight's verdict.
import { type Scenario, loadScenario } from '../../src/sandbox/scenario.js';

const SAMPLE = /^(user|role):(.+)$/;

/** The principal a scenario's sample connects as. */
export function samplePrincipal(scenario: Scenario) {
  const [, kind, name] = SAMPLE.exec(scenario.sample?.credentials ?? '') ?? [];
  const principal = kind === 'user' ? scenario.users.find((u) => u.name === name) : scenario.roles.find((r) => r.name === name);
  if (!principal) throw new Error(`scenario ${scenario.name} has no sample principal`);
  return principal;
}

export function coverageBodyOf(name: string, extra: Record<string, unknown> = {}): Record<string, any> {
  const scenario = loadScenario(name);
  const principal = samplePrincipal(scenario);
  const request = (scenario.sample?.request ?? {}) as { athena?: { workgroup?: string; catalog?: string; outputLocation?: string }; glue?: Record<string, unknown>; capabilities?: string[] };
  const workgroupName = request.athena?.workgroup ?? 'primary';
  const workgroup = scenario.athena.workgroups.find((w) => w.name === workgroupName);
  // The workgroup's location wins when it enforces its configuration, else the connection's, else the workgroup's.
  const outputLocation = workgroup?.enforceWorkGroupConfiguration && workgroup.outputLocation ? workgroup.outputLocation : (request.athena?.outputLocation ?? workgroup?.outputLocation);
  const bucket = outputLocation ? scenario.s3.buckets.find((b) => b.name === /^s3:\/\/([^/]+)/.exec(outputLocation)![1]) : undefined;
  const encryption = workgroup?.encryption?.option ?? (bucket?.encryption?.algorithm === 'aws:kms' ? 'SSE_KMS' : undefined);
  const kmsKey = workgroup?.encryption?.kmsKey ?? (encryption === 'SSE_KMS' ? bucket?.encryption?.kmsKeyId : undefined);
  const results = { ...(encryption ? { encryption } : {}), ...(kmsKey ? { kmsKey } : {}), ...(workgroup?.aclOption ? { acl: workgroup.aclOption } : {}) };
  return {
    region: scenario.region,
    accountId: scenario.accountId,
    policies: principal.policies,
    ...(principal.permissionsBoundary ? { permissionsBoundary: principal.permissionsBoundary } : {}),
    ...(scenario.serviceControlPolicies.length ? { scps: scenario.serviceControlPolicies } : {}),
    athena: { ...request.athena, workgroup: workgroupName, ...(outputLocation ? { outputLocation } : {}) },
    ...(request.glue ? { glue: request.glue } : {}),
    ...(request.capabilities ? { capabilities: request.capabilities } : {}),
    ...(Object.keys(results).length ? { results } : {}),
    ...extra,
  };
}

/**
 * Whether a scenario's refusals can come only from the documents coverage reads: nothing else in the
 * account refuses or hides (no bucket policy, no key policy that keeps the key from IAM, no Lake
 * Formation governance, no other account, no encrypted catalog, no network perimeter), and nothing
 * but permissions decides (no fault, no disabled workgroup, no bucket in another region).
 */
export function refusedByIdentityDocumentsAlone(scenario: Scenario): boolean {
  const delegatesToIam = (policy: Scenario['kms']['keys'][number]['policy']) =>
    (Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement]).some(
      (s) => s.Effect === 'Allow' && s.Principal !== '*' && [s.Principal?.AWS].flat().includes(`arn:aws:iam::${scenario.accountId}:root`) && [s.Action].flat().includes('kms:*'),
    );
  const lakeFormationGoverns =
    !scenario.lakeFormation.iamAllowedPrincipalsByDefault ||
    [...scenario.glue.databases, ...scenario.glue.catalogs.flatMap((c) => c.databases)].some((d) => d.registeredWithLakeFormation || d.targetDatabase || d.tables.some((t) => t.registeredWithLakeFormation));
  return (
    scenario.faults.length === 0 &&
    !scenario.network &&
    scenario.otherAccounts.length === 0 &&
    !scenario.glue.catalogEncryption &&
    !lakeFormationGoverns &&
    scenario.s3.buckets.every((b) => !b.policy && (!b.region || b.region === scenario.region)) &&
    scenario.kms.keys.every((k) => delegatesToIam(k.policy)) &&
    scenario.athena.workgroups.every((w) => w.state === 'ENABLED') &&
    scenario.athena.dataCatalogs.every((c) => !c.parameters?.['catalog-id'] || c.parameters['catalog-id'] === scenario.accountId)
  );
}

/**
 * The coverage a preflight's verdict stands for: ok is covered, degraded partly, unavailable not
 * covered. A skip or an unknown decided nothing about permissions: no comparison. Where a Glue
 * listing left the preflight nothing to sample (NO_DATABASES_VISIBLE, NO_TABLES_VISIBLE), its
 * "degraded" says "no better than": partly or not covered.
 */
export function coveragesFor(status: string, emptyListing: boolean): string[] | undefined {
  if (status === 'ok') return ['covered'];
  if (status === 'degraded') return emptyListing ? ['partly', 'not-covered'] : ['partly'];
  if (status === 'unavailable') return ['not-covered'];
  return undefined;
}
