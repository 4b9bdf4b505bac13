// Lake Formation and KMS facts that several services need (Glue hides governed tables, Athena
// queries need SELECT and key access, S3 relays KMS decisions), kept in one place.
import { forwardAccessContext } from '../iam/context.js';
import { authorize as authorizeRequest } from '../iam/evaluate.js';
import type { SandboxState } from './state.js';
import type { Caller } from './types.js';

export type LakeFormationPermission = 'DESCRIBE' | 'SELECT' | 'ALTER' | 'DROP' | 'INSERT' | 'DELETE' | 'CREATE_TABLE';

/** A table is governed when its location is registered with Lake Formation (no IAM_ALLOWED_PRINCIPALS grant). */
export function isGoverned(state: SandboxState, database: string, table: string): boolean {
  const db = state.scenario.glue.databases.find((d) => d.name === database);
  return db?.tables.find((t) => t.name === table)?.registeredWithLakeFormation ?? false;
}

/** The principal Lake Formation grants name: the role for a role session, else the caller itself. */
export function lakeFormationPrincipal(caller: Caller): string {
  return caller.roleArn ?? caller.arn;
}

export function isDataLakeAdmin(state: SandboxState, caller: Caller): boolean {
  return state.scenario.lakeFormation.admins.includes(lakeFormationPrincipal(caller));
}

/**
 * Whether Lake Formation grants `permission` on a table (or, with table undefined, on the database).
 * Any permission on a table makes it visible, so DESCRIBE is implied by every other grant.
 */
export function hasLakeFormationPermission(state: SandboxState, caller: Caller, database: string, table: string | undefined, permission: LakeFormationPermission): boolean {
  if (isDataLakeAdmin(state, caller)) return true;
  const principal = lakeFormationPrincipal(caller);
  return state.scenario.lakeFormation.grants.some((grant) => {
    if (grant.principal !== principal || grant.database !== database) return false;
    if (table === undefined ? grant.table !== undefined : grant.table !== table && grant.table !== '*') return false;
    return grant.permissions.includes('ALL') || grant.permissions.includes(permission) || (permission === 'DESCRIBE' && grant.permissions.length > 0);
  });
}

/**
 * Whether the caller may see a database: an ungoverned one always; a governed one only with a
 * grant on it or on any of its tables (Lake Formation Developer Guide: principals see the
 * databases and tables they have permissions on), or as a data lake administrator.
 */
export function isDatabaseVisible(state: SandboxState, caller: Caller, database: string): boolean {
  const db = state.scenario.glue.databases.find((d) => d.name === database);
  if (!db?.registeredWithLakeFormation || isDataLakeAdmin(state, caller)) return true;
  const principal = lakeFormationPrincipal(caller);
  return state.scenario.lakeFormation.grants.some((grant) => grant.principal === principal && grant.database === database && grant.permissions.length > 0);
}

/** Whether the caller may see a table in Glue listings: ungoverned tables always, governed ones with a grant. */
export function isTableVisible(state: SandboxState, caller: Caller, database: string, table: string): boolean {
  return !isGoverned(state, database, table) || hasLakeFormationPermission(state, caller, database, table, 'DESCRIBE');
}

/** Resolves a key id, alias, alias ARN or key ARN to the scenario's key and its ARN. */
export function resolveKmsKey(state: SandboxState, reference: string) {
  const bare = reference.replace(/^arn:aws:kms:[^:]+:\d{12}:/, '').replace(/^key\//, '');
  const key = state.scenario.kms.keys.find((k) => k.id === bare || k.alias === bare);
  if (!key) return undefined;
  return { key, arn: `arn:aws:kms:${state.region}:${state.accountId}:key/${key.id}` };
}

/** A service using a key for the caller (kms:ViaService), and the services before it that record themselves in aws:CalledVia. */
export interface KeyUseVia {
  service: 's3' | 'athena' | 'glue';
  calledVia?: readonly string[];
}

/**
 * Whether the caller may use a key for `action` (kms:GenerateDataKey, kms:Decrypt, …): the key
 * policy must allow, directly or by delegating to IAM through the account root. `via` is set when
 * another service (S3, Athena, Glue) uses the key on the caller's behalf, with a forward access
 * session: kms:ViaService names it, aws:ViaAWSService is true, and the caller's network keys are
 * not there (AWS KMS Developer Guide, "kms:ViaService"; IAM User Guide, "Forward access sessions").
 * Without it the caller calls KMS itself, from its network.
 */
export function kmsDecision(state: SandboxState, caller: Caller, action: string, keyReference: string, via?: KeyUseVia) {
  const resolved = resolveKmsKey(state, keyReference);
  const keyArn = resolved?.arn ?? keyReference;
  if (!resolved) return { keyArn, decision: { allowed: false as const, denial: { policyType: 'resource' as const, explicit: false } }, missing: true };
  const decision = authorizeRequest(
    {
      action,
      resource: keyArn,
      principal: { arn: caller.arn, accountId: caller.accountId, roleArn: caller.roleArn },
      resourceAccountId: state.accountId,
      context: {
        ...(via ? forwardAccessContext(via.calledVia) : state.directContext('kms')),
        'kms:CallerAccount': caller.accountId,
        ...(via ? { 'kms:ViaService': `${via.service}.${state.region}.amazonaws.com` } : {}),
      },
    },
    { ...caller.policies, resourcePolicy: resolved.key.policy, resourcePolicyRequired: true },
  );
  return { keyArn, decision, missing: false };
}
