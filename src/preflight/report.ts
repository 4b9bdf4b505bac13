// The report, from what a run proved: capability verdicts, the probes in the registry's order,
// findings, and the remediation merged from the capabilities' own statements.
import type { AwsService, ServiceRoute } from '../aws/clients.js';
import { CAPABILITIES } from '../catalogue/capabilities.js';
import {
  EXTERNAL_ID_PLACEHOLDER,
  IAM_POLICY_LIMITS,
  type OtherAccountFix,
  type PolicyDocument,
  SERVICE_PRINCIPAL_PLACEHOLDER,
  buildTrustPolicy,
  liftableByIdentityPolicy,
  mergeStatements,
  policySize,
  splitIntoPolicies,
} from '../catalogue/remediation.js';
import { maskAccessKeyId } from './connection.js';
import type { PreflightRequest } from './request.js';
import type { PreflightReport } from './types.js';
import { type CallFailure, unreachableFindings } from './unreachable.js';
import { type Evidence, capabilityVerdict, overallStatus } from './verdict.js';

export interface RunRecord {
  runId: string;
  requestId?: string;
  startedAt: number;
  credentials: PreflightRequest['credentials'];
  evidence: Evidence;
  /** The way each service's calls took (endpoint, proxy), to name what a service never reached lacks. */
  routeOf(service: AwsService): ServiceRoute;
}

export function buildReport({ runId, requestId, startedAt, credentials, evidence, routeOf }: RunRecord): PreflightReport {
  const { connection, facts } = evidence;
  // The probes' own findings, then one for each service the run never connected to.
  const findings = [...evidence.findings, ...unreachableFindings(callFailures(evidence), connection.region, routeOf)];
  const capabilities = CAPABILITIES.map((definition) => capabilityVerdict(definition, evidence));
  const otherAccounts = mergeOtherAccounts(capabilities);
  // Each capability's statements name its own resources (results location, table data): merged, not re-derived.
  const statements = capabilities.flatMap((c) => c.remediation?.statements ?? []);
  const policy: PolicyDocument | null = statements.length ? { Version: '2012-10-17', Statement: mergeStatements(statements) } : null;
  const tooLarge = policy !== null && policySize(policy) > IAM_POLICY_LIMITS.managedPolicy;
  // Where an Allow cannot help (explicit denies, SCPs, boundaries), say who must act instead.
  const notes = [
    ...new Set(capabilities.flatMap((c) => (c.remediation && c.reasons.some((r) => r.deniedBy && !liftableByIdentityPolicy(r.deniedBy)) ? [c.remediation.summary] : []))),
  ];
  if (tooLarge) notes.push(`The policy is over IAM's ${IAM_POLICY_LIMITS.managedPolicy}-character limit for one managed policy: attach the numbered parts in remediation.policies instead.`);
  return {
    id: runId,
    ...(requestId ? { requestId } : {}),
    status: overallStatus(capabilities),
    startedAt: new Date(startedAt).toISOString(),
    durationMs: Date.now() - startedAt,
    connection: {
      region: connection.region,
      accountId: connection.accountId,
      credentialType: connection.credentialType,
      ...(connection.roleArn ? { roleArn: connection.roleArn, externalIdGiven: connection.externalIdGiven } : {}),
      ...(credentials.type === 'accessKey' ? { accessKeyId: maskAccessKeyId(credentials.accessKeyId) } : {}),
      workgroup: connection.workgroup,
      catalog: { id: connection.catalogId, accountId: connection.catalogOwner, ...(connection.catalogName ? { name: connection.catalogName } : {}) },
      ...(facts.output ? { outputLocation: facts.output.uri } : connection.outputLocation ? { outputLocation: connection.outputLocation.uri } : {}),
    },
    ...(facts.identity ? { identity: facts.identity } : {}),
    capabilities,
    probes: evidence.registry.map((probe) => evidence.probes.get(probe.id)!),
    findings,
    remediation: {
      policy,
      // Too large for one managed policy: the same grants in numbered parts that each fit.
      ...(tooLarge ? { policies: splitIntoPolicies(policy.Statement) } : {}),
      ...(findings.some((f) => f.code === 'ASSUME_ROLE_DENIED')
        ? { trustPolicy: buildTrustPolicy({ trustedPrincipalArn: facts.servicePrincipalArn ?? SERVICE_PRINCIPAL_PLACEHOLDER, externalId: EXTERNAL_ID_PLACEHOLDER }) }
        : {}),
      ...(otherAccounts.length ? { otherAccounts } : {}),
      notes,
    },
  };
}

/** The calls that failed, probe by probe in the registry's order. */
function* callFailures({ registry, actionsByProbe }: Evidence): Generator<CallFailure> {
  for (const probe of registry) {
    for (const [action, result] of actionsByProbe.get(probe.id) ?? []) {
      if (result.state === 'failed' || result.state === 'error') yield { probe: probe.id, action, error: result.error };
    }
  }
}

/** The capabilities' fixes for other accounts, one per account: their resource-policy statements merged, their commands once each. */
function mergeOtherAccounts(capabilities: PreflightReport['capabilities']): OtherAccountFix[] {
  const byAccount = new Map<string, OtherAccountFix>();
  for (const fix of capabilities.flatMap((c) => c.remediation?.otherAccounts ?? [])) {
    const merged = byAccount.get(fix.accountId);
    if (!merged) {
      byAccount.set(fix.accountId, structuredClone(fix));
      continue;
    }
    if (!merged.summary.includes(fix.summary)) merged.summary = `${merged.summary} ${fix.summary}`;
    if (fix.resourcePolicy) {
      // One principal per account's fix: the statements merge as an identity policy's do, then name it again.
      const statements = [...(merged.resourcePolicy?.Statement ?? []), ...fix.resourcePolicy.Statement];
      const principal = fix.resourcePolicy.Statement[0]?.Principal ?? statements[0]!.Principal;
      merged.resourcePolicy = {
        Version: '2012-10-17',
        Statement: mergeStatements(statements.map(({ Principal: _principal, ...statement }) => statement)).map((statement) => ({ ...statement, Principal: principal })),
      };
    }
    if (fix.commands) merged.commands = [...new Set([...(merged.commands ?? []), ...fix.commands])];
  }
  return [...byAccount.values()];
}
