// Remediation generated from the catalogue: the minimal identity policy that lifts what is
// missing, scoped to the customer's real resources, valid IAM JSON to paste as it is; and, where
// no Allow can help, who must act instead.
import type { PolicyType } from '../preflight/classify.js';
import { type AwsAction, serviceOf } from './actions.js';
import { assumeRoleAction, type CapabilityDefinition } from './capabilities.js';
import { type ResourceScope, resourceKindOf, resourcesFor } from './resources.js';

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

// Sids must be alphanumeric: these spell each service as a word.
const SERVICE_WORDS: Record<string, string> = {
  glue: 'Glue',
  athena: 'Athena',
  cloudtrail: 'CloudTrail',
  s3: 'S3',
  kms: 'Kms',
  lakeformation: 'LakeFormation',
  sts: 'Sts',
};

/**
 * One statement per service and distinct resource set, actions sorted and deduplicated, in a
 * deterministic order, with Sids such as PreflightGlueTables. Services are kept apart even when
 * they share "*", as the vendors' guides do, so each statement reads as one grant.
 */
export function statementsFor(actions: readonly AwsAction[], scope: ResourceScope): PolicyStatement[] {
  const groups = new Map<string, { kind: string; service: string; resources: string[]; actions: AwsAction[] }>();
  for (const action of [...new Set(actions)].sort()) {
    const resources = resourcesFor(action, scope);
    const service = serviceOf(action);
    const key = `${service} ${resources.join(' ')}`;
    const group = groups.get(key) ?? { kind: resourceKindOf(action), service, resources, actions: [] };
    group.actions.push(action);
    groups.set(key, group);
  }
  const sids = new Set<string>();
  return [...groups.values()].map((group) => {
    const base = `Preflight${SERVICE_WORDS[group.service] ?? 'Access'}${group.kind}`;
    let sid = base;
    for (let n = 2; sids.has(sid); n++) sid = `${base}${n}`;
    sids.add(sid);
    return { Sid: sid, Effect: 'Allow' as const, Action: group.actions, Resource: group.resources };
  });
}

/** The customer's identity policy. AssumeRole is left out: the service's identity calls it, not the customer's. */
export function buildRemediationPolicy(actions: readonly AwsAction[], scope: ResourceScope): PolicyDocument {
  return { Version: '2012-10-17', Statement: statementsFor(actions.filter((action) => action !== assumeRoleAction), scope) };
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
        Action: [assumeRoleAction],
        Condition: { StringEquals: { 'sts:ExternalId': options.externalId } },
      },
    ],
  };
}

/** Whether adding an Allow to the principal's identity policy lifts this denial. */
export function liftableByIdentityPolicy(denial: { policyType: PolicyType; explicit: boolean } | undefined): boolean {
  return !denial || (!denial.explicit && (denial.policyType === 'identity' || denial.policyType === 'unknown'));
}

/** A denial an identity-policy Allow cannot lift. `explicit` defaults to true. */
export interface Blocker {
  action: string;
  policyType: PolicyType;
  explicit?: boolean;
}

// For each kind of policy: how to name it, and who must act when it denies.
const POLICIES: Record<PolicyType, { name: string; who: string }> = {
  identity: { name: 'an identity-based policy', who: 'remove or narrow the Deny statement in the policies attached to this principal or its groups' },
  resource: { name: 'a resource-based policy', who: 'the owner of the bucket policy, key policy or role trust policy must change it to allow this principal' },
  scp: { name: 'a service control policy', who: 'ask your AWS Organizations administrator to change the service control policy' },
  rcp: { name: 'a resource control policy', who: 'ask your AWS Organizations administrator to change the resource control policy' },
  boundary: { name: 'the permissions boundary', who: "ask whoever manages this principal's permissions boundary to allow it" },
  session: { name: 'the session policy', who: 'whoever creates the session must pass a session policy that allows it, or none' },
  'vpc-endpoint': { name: 'a VPC endpoint policy', who: 'ask your network team to allow it in the VPC endpoint policy' },
  'lake-formation': {
    name: 'Lake Formation permissions',
    who: 'a Lake Formation administrator must grant this principal DESCRIBE and SELECT on the table (aws lakeformation grant-permissions)',
  },
  unknown: { name: 'a policy', who: 'find the denying policy with the IAM policy simulator or in CloudTrail' },
};

/** One line a person can act on: what to allow, or, where an Allow cannot help, who must act. */
export function remediationSummary(
  capability: Pick<CapabilityDefinition, 'title' | 'remediationNote'>,
  missingActions: readonly string[],
  explicitDenies: readonly Blocker[],
): string {
  const groups = new Map<string, { policyType: PolicyType; explicit: boolean; actions: string[] }>();
  for (const denial of explicitDenies) {
    const explicit = denial.explicit ?? true;
    const key = `${denial.policyType} ${explicit}`;
    const group = groups.get(key) ?? { policyType: denial.policyType, explicit, actions: [] };
    if (!group.actions.includes(denial.action)) group.actions.push(denial.action);
    groups.set(key, group);
  }
  const parts = [...groups.values()].map(({ policyType, explicit, actions }) => {
    const { name, who } = POLICIES[policyType];
    return explicit
      ? `An explicit deny in ${name} blocks ${actions.join(', ')}: ${who}; adding an Allow does not override it.`
      : `No allow in ${name} covers ${actions.join(', ')}: ${who}; an Allow in an identity policy alone is not enough.`;
  });
  const blocked = new Set(explicitDenies.map((denial) => denial.action));
  const grantable = missingActions.filter((action) => !blocked.has(action));
  if (grantable.length) {
    parts.push(`${capability.title}: allow ${grantable.join(', ')} in this principal's identity policy.`);
    if (capability.remediationNote) parts.push(capability.remediationNote);
  }
  return parts.join(' ') || `${capability.title} needs no change.`;
}
