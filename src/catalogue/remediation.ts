// Remediation generated from the catalogue: the minimal identity policy that lifts what is
// missing, scoped to the customer's real resources, valid IAM JSON to paste as it is.
import type { AwsAction } from './actions.js';
import type { CapabilityDefinition } from './capabilities.js';
import { type ResourceScope, resourcesFor } from './resources.js';

export type { ResourceScope };

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

const SERVICE_NAMES: Record<string, string> = {
  glue: 'Glue',
  athena: 'Athena',
  cloudtrail: 'CloudTrail',
  s3: 'S3',
  kms: 'Kms',
  lakeformation: 'LakeFormation',
  sts: 'Sts',
};

/** One statement per distinct resource set, actions sorted, deterministic order and Sids. */
export function statementsFor(actions: readonly AwsAction[], scope: ResourceScope): PolicyStatement[] {
  const groups = new Map<string, { resources: string[]; actions: Set<string> }>();
  for (const action of [...new Set(actions)].sort()) {
    const resources = [...new Set(resourcesFor(action, scope))].sort();
    const key = `${action.split(':')[0]}|${resources.join(',')}`;
    const group = groups.get(key) ?? { resources, actions: new Set<string>() };
    group.actions.add(action);
    groups.set(key, group);
  }
  const counts = new Map<string, number>();
  return [...groups.values()].map((group) => {
    const service = [...group.actions][0]!.split(':')[0]!;
    const count = (counts.get(service) ?? 0) + 1;
    counts.set(service, count);
    return {
      Sid: `Preflight${SERVICE_NAMES[service] ?? 'Access'}${count > 1 ? count : ''}`,
      Effect: 'Allow' as const,
      Action: [...group.actions],
      Resource: group.resources,
    };
  });
}

export function buildRemediationPolicy(actions: readonly AwsAction[], scope: ResourceScope): PolicyDocument {
  return { Version: '2012-10-17', Statement: statementsFor(actions, scope) };
}

export interface TrustPolicyDocument {
  Version: '2012-10-17';
  Statement: Array<{ Sid: string; Effect: 'Allow'; Principal: { AWS: string }; Action: string[]; Condition: Record<string, Record<string, string>> }>;
}

/** The trust policy of a role that only the service's principal may assume, and only with the external ID. */
export function buildTrustPolicy(options: { trustedPrincipalArn: string; externalId: string }): TrustPolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PreflightTrustWithExternalId',
        Effect: 'Allow',
        Principal: { AWS: options.trustedPrincipalArn },
        Action: ['sts:AssumeRole'],
        Condition: { StringEquals: { 'sts:ExternalId': options.externalId } },
      },
    ],
  };
}

export type DenyingPolicyType = 'identity' | 'resource' | 'scp' | 'rcp' | 'boundary' | 'session' | 'vpc-endpoint' | 'unknown';

const WHO_ACTS: Record<DenyingPolicyType, string> = {
  identity: 'remove or narrow the Deny statement in the identity policies attached to this principal',
  resource: 'change the resource policy (bucket policy, key policy or role trust policy) to allow this principal',
  scp: 'ask your AWS Organizations administrator: a service control policy denies it, and no IAM policy in the account can override that',
  rcp: 'ask your AWS Organizations administrator: a resource control policy denies it',
  boundary: 'ask whoever manages the permissions boundary of this principal to allow it',
  session: 'assume the role without a session policy that excludes it',
  'vpc-endpoint': 'ask your network team: the VPC endpoint policy denies it',
  unknown: 'find the policy that denies it (IAM policy simulator or CloudTrail)',
};

/** Whether adding an Allow to the principal's identity policy lifts this denial. */
export function liftableByIdentityPolicy(denial: { policyType: DenyingPolicyType; explicit: boolean } | undefined): boolean {
  return !denial || (!denial.explicit && (denial.policyType === 'identity' || denial.policyType === 'unknown'));
}

/** One line a person can act on: what to grant, or, where a grant cannot help, who must act. */
export function remediationSummary(
  capability: Pick<CapabilityDefinition, 'title'>,
  missingActions: readonly string[],
  blockers: ReadonlyArray<{ action: string; policyType: DenyingPolicyType; explicit: boolean }>,
): string {
  const blocked = new Set(blockers.map((blocker) => blocker.action));
  const grantable = missingActions.filter((action) => !blocked.has(action));
  const parts: string[] = [];
  const groups = new Map<string, { policyType: DenyingPolicyType; explicit: boolean; actions: string[] }>();
  for (const blocker of blockers) {
    const key = `${blocker.policyType}:${blocker.explicit}`;
    const group = groups.get(key) ?? { policyType: blocker.policyType, explicit: blocker.explicit, actions: [] };
    if (!group.actions.includes(blocker.action)) group.actions.push(blocker.action);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    const how = group.explicit ? 'An explicit deny in' : 'No allow in';
    parts.push(`${how} ${POLICY_NAMES[group.policyType]} blocks ${group.actions.join(', ')}; an identity policy cannot fix that: ${WHO_ACTS[group.policyType]}.`);
  }
  if (grantable.length) parts.push(`Allow ${grantable.join(', ')} to restore ${capability.title.toLowerCase()}.`);
  return parts.join(' ') || `${capability.title} needs no change.`;
}

const POLICY_NAMES: Record<DenyingPolicyType, string> = {
  identity: 'an identity-based policy',
  resource: 'a resource-based policy',
  scp: 'a service control policy',
  rcp: 'a resource control policy',
  boundary: 'the permissions boundary',
  session: 'the session policy',
  'vpc-endpoint': 'a VPC endpoint policy',
  unknown: 'a policy',
};
