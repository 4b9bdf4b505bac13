// IAM evaluation, table-driven: the rules first, then the vendors' policies action by action.
import { describe, expect, it } from 'vitest';
import { type AuthorizationRequest, type PolicySet, accessDeniedMessage, authorize } from '../../src/sandbox/iam/evaluate.js';
import { loadScenario } from '../../src/sandbox/scenario.js';
import type { PolicyDocument } from '../../src/sandbox/scenario.js';

const ACCOUNT = '123456789012';
const USER = { arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT };
const policy = (...Statement: PolicyDocument['Statement'][]): PolicyDocument => ({ Version: '2012-10-17', Statement: Statement.flat() as PolicyDocument['Statement'] });
const allow = (Action: string | string[], Resource: string | string[] = '*', extra = {}) => ({ Effect: 'Allow' as const, Action, Resource, ...extra });
const deny = (Action: string | string[], Resource: string | string[] = '*', extra = {}) => ({ Effect: 'Deny' as const, Action, Resource, ...extra });

function decide(action: string, resource: string, policies: PolicySet, extra: Partial<AuthorizationRequest> = {}) {
  return authorize({ action, resource, principal: USER, ...extra }, policies);
}

describe('IAM evaluation rules', () => {
  const table: Array<[string, string, string, PolicySet, boolean | string]> = [
    ['exact action', 'glue:GetTables', '*', { identity: [policy(allow('glue:GetTables'))] }, true],
    ['no statement: implicit deny by identity', 'glue:GetTables', '*', { identity: [] }, 'identity'],
    ['wildcard action', 'glue:GetTables', '*', { identity: [policy(allow('glue:Get*'))] }, true],
    ['? matches one character', 'glue:GetTable', '*', { identity: [policy(allow('glue:GetTabl?'))] }, true],
    ['? does not match none', 'glue:GetTabl', '*', { identity: [policy(allow('glue:GetTabl?'))] }, 'identity'],
    ['actions are case-insensitive', 'glue:GetTables', '*', { identity: [policy(allow('GLUE:gettables'))] }, true],
    ['resources are case-sensitive', 'glue:GetTable', 'arn:aws:glue:eu-west-1:123456789012:table/Sales/x', { identity: [policy(allow('glue:GetTable', 'arn:aws:glue:eu-west-1:123456789012:table/sales/*'))] }, 'identity'],
    ['resource wildcard', 'glue:GetTable', 'arn:aws:glue:eu-west-1:123456789012:table/sales/orders', { identity: [policy(allow('glue:GetTable', 'arn:aws:glue:eu-west-1:123456789012:table/sales/*'))] }, true],
    ['NotAction allows everything else', 's3:GetObject', '*', { identity: [policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] }, true],
    ['NotAction excludes its actions', 'iam:CreateUser', '*', { identity: [policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] }, 'identity'],
    ['NotResource', 's3:GetObject', 'arn:aws:s3:::secret/x', { identity: [policy({ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret/*' })] }, 'identity'],
    ['explicit deny wins over allow', 'athena:StartQueryExecution', '*', { identity: [policy(allow('*'), deny('athena:*'))] }, 'identity!'],
    ['SCP explicit deny', 'athena:ListWorkGroups', '*', { identity: [policy(allow('*'))], serviceControlPolicies: [policy(allow('*'), deny('athena:*'))] }, 'scp!'],
    ['SCP without an allow is an implicit deny', 'athena:ListWorkGroups', '*', { identity: [policy(allow('*'))], serviceControlPolicies: [policy(allow('glue:*'))] }, 'scp'],
    ['boundary narrows', 'athena:ListWorkGroups', '*', { identity: [policy(allow('*'))], permissionsBoundary: policy(allow('glue:*')) }, 'boundary'],
    ['boundary never grants', 'glue:GetTables', '*', { identity: [], permissionsBoundary: policy(allow('glue:*')) }, 'identity'],
    ['session policy narrows', 's3:PutObject', '*', { identity: [policy(allow('*'))], sessionPolicies: [policy(allow('s3:GetObject'))] }, 'session'],
    ['deny in a boundary is explicit', 'glue:GetTables', '*', { identity: [policy(allow('*'))], permissionsBoundary: policy(allow('*'), deny('glue:GetTables')) }, 'boundary!'],
    [
      'a bucket policy alone grants a principal of the same account',
      's3:GetObject',
      'arn:aws:s3:::b/k',
      { identity: [], resourcePolicy: policy(allow('s3:GetObject', 'arn:aws:s3:::b/*', { Principal: { AWS: USER.arn } })) },
      true,
    ],
    [
      'a bucket policy deny beats an identity allow',
      's3:GetObject',
      'arn:aws:s3:::b/k',
      { identity: [policy(allow('s3:*'))], resourcePolicy: policy(deny('s3:*', 'arn:aws:s3:::b/*', { Principal: '*' })) },
      'resource!',
    ],
    ['a key policy is required: IAM alone is not enough', 'kms:Decrypt', 'arn:aws:kms:eu-west-1:123456789012:key/k', { identity: [policy(allow('kms:*'))], resourcePolicy: policy(allow('kms:*', '*', { Principal: { AWS: 'arn:aws:iam::999999999999:root' } })), resourcePolicyRequired: true }, 'resource'],
    ['a key policy naming the account root delegates to IAM', 'kms:Decrypt', 'arn:aws:kms:eu-west-1:123456789012:key/k', { identity: [policy(allow('kms:Decrypt'))], resourcePolicy: policy(allow('kms:*', '*', { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } })), resourcePolicyRequired: true }, true],
    ['delegation still needs the identity allow', 'kms:Decrypt', 'arn:aws:kms:eu-west-1:123456789012:key/k', { identity: [], resourcePolicy: policy(allow('kms:*', '*', { Principal: { AWS: ACCOUNT } })), resourcePolicyRequired: true }, 'identity'],
  ];
  it.each(table)('%s', (_name, action, resource, policies, expected) => {
    const decision = decide(action, resource, policies);
    if (expected === true) {
      expect(decision).toEqual({ allowed: true });
    } else {
      const text = expected as string;
      expect(decision).toEqual({ allowed: false, denial: { policyType: text.replace('!', ''), explicit: text.endsWith('!') } });
    }
  });

  it('needs both sides across accounts', () => {
    const outsider = { arn: 'arn:aws:iam::999999999999:user/svc', accountId: '999999999999' };
    const trust = policy(allow('sts:AssumeRole', undefined, { Principal: { AWS: 'arn:aws:iam::999999999999:root' } }));
    delete (trust.Statement as Array<{ Resource?: unknown }>)[0]!.Resource;
    const request = { action: 'sts:AssumeRole', resource: `arn:aws:iam::${ACCOUNT}:role/r`, principal: outsider, resourceAccountId: ACCOUNT };
    expect(authorize(request, { identity: [], resourcePolicy: trust, resourcePolicyRequired: true })).toMatchObject({ allowed: false, denial: { policyType: 'identity' } });
    expect(authorize(request, { identity: [policy(allow('sts:AssumeRole'))], resourcePolicy: trust, resourcePolicyRequired: true })).toEqual({ allowed: true });
    expect(authorize(request, { identity: [policy(allow('sts:AssumeRole'))], resourcePolicy: policy(allow('sts:AssumeRole', '*', { Principal: { AWS: 'arn:aws:iam::111111111111:root' } })), resourcePolicyRequired: true })).toMatchObject({ allowed: false, denial: { policyType: 'resource' } });
  });

  it.each([
    ['StringEquals matches', { StringEquals: { 'sts:ExternalId': 'abc' } }, { 'sts:ExternalId': 'abc' }, true],
    ['StringEquals refuses another value', { StringEquals: { 'sts:ExternalId': 'abc' } }, { 'sts:ExternalId': 'abd' }, false],
    ['StringEquals refuses a missing key', { StringEquals: { 'sts:ExternalId': 'abc' } }, {}, false],
    ['condition keys are case-insensitive', { StringEquals: { 'STS:EXTERNALID': 'abc' } }, { 'sts:ExternalId': 'abc' }, true],
    ['StringNotEquals holds for a missing key', { StringNotEquals: { 'sts:ExternalId': 'abc' } }, {}, true],
    ['StringLike', { StringLike: { 's3:prefix': ['results/*', 'tmp/*'] } }, { 's3:prefix': 'results/2026/' }, true],
    ['StringLike refuses', { StringLike: { 's3:prefix': 'results/*' } }, { 's3:prefix': 'other/' }, false],
    ['ArnLike', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:user/a*' } }, {}, true],
    ['Bool', { Bool: { 'aws:SecureTransport': 'true' } }, {}, true],
    ['Null true when absent', { Null: { 'sts:ExternalId': 'true' } }, {}, true],
    ['Null false when present', { Null: { 'sts:ExternalId': 'true' } }, { 'sts:ExternalId': 'x' }, false],
    ['IfExists holds when absent', { StringEqualsIfExists: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } }, {}, true],
    ['IfExists checks when present', { StringEqualsIfExists: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } }, { 'kms:ViaService': 'athena.eu-west-1.amazonaws.com' }, false],
    ['ForAnyValue', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }, { 'aws:TagKeys': ['c', 'b'] }, true],
    ['unknown operators never grant', { StringMaybe: { 'sts:ExternalId': 'abc' } }, { 'sts:ExternalId': 'abc' }, false],
  ] as const)('condition: %s', (_name, Condition, context, expected) => {
    const decision = decide('sts:AssumeRole', '*', { identity: [policy(allow('sts:AssumeRole', '*', { Condition }))] }, { context: context as AuthorizationRequest['context'] });
    expect(decision.allowed).toBe(expected);
  });

  it('writes AWS\'s current denial messages', () => {
    const arn = 'arn:aws:glue:eu-west-1:123456789012:catalog';
    expect(accessDeniedMessage(USER.arn, 'glue:GetTables', arn, { policyType: 'identity', explicit: false })).toBe(
      `User: ${USER.arn} is not authorized to perform: glue:GetTables on resource: ${arn} because no identity-based policy allows the glue:GetTables action`,
    );
    expect(accessDeniedMessage(USER.arn, 'athena:ListWorkGroups', '*', { policyType: 'scp', explicit: true })).toBe(
      `User: ${USER.arn} is not authorized to perform: athena:ListWorkGroups with an explicit deny in a service control policy`,
    );
    expect(accessDeniedMessage(USER.arn, 's3:GetObject', 'arn:aws:s3:::b/k', { policyType: 'boundary', explicit: false })).toMatch(/because no permissions boundary allows the s3:GetObject action$/);
    expect(accessDeniedMessage(USER.arn, 's3:GetObject', 'arn:aws:s3:::b/k', { policyType: 'identity', explicit: true })).toMatch(/with an explicit deny in an identity-based policy$/);
  });
});

/** The seeds' policies, loaded from their scenarios, decided action by action for the scenario's principal. */
function seedDecisions(name: string) {
  const scenario = loadScenario(name);
  const [kind, principalName] = scenario.sample!.credentials.split(':');
  const principal = kind === 'user' ? scenario.users.find((u) => u.name === principalName)! : scenario.roles.find((r) => r.name === principalName)!;
  const arn = kind === 'user' ? `arn:aws:iam::${ACCOUNT}:user/${principal.name}` : `arn:aws:iam::${ACCOUNT}:role/${principal.name}`;
  return (action: string, resource: string) =>
    authorize({ action, resource, principal: { arn, accountId: ACCOUNT } }, { identity: principal.policies, serviceControlPolicies: scenario.serviceControlPolicies }).allowed;
}

const GLUE = `arn:aws:glue:eu-west-1:${ACCOUNT}`;
const ATHENA = `arn:aws:athena:eu-west-1:${ACCOUNT}`;

describe('the vendors\' policies, action by action', () => {
  it.each([
    ['coalesce-glue-only', 'glue:GetTables', `${GLUE}:table/sales/*`, true],
    ['coalesce-glue-only', 'glue:GetTableVersions', `${GLUE}:tableVersion/sales/orders/1`, true],
    // The guide lists the UDF actions, but no userDefinedFunction ARN among its resources.
    ['coalesce-glue-only', 'glue:GetUserDefinedFunctions', `${GLUE}:userDefinedFunction/sales/*`, false],
    ['coalesce-glue-only', 'athena:ListQueryExecutions', `${ATHENA}:workgroup/primary`, false],
    ['coalesce-glue-athena', 'athena:ListQueryExecutions', `${ATHENA}:workgroup/primary`, true],
    ['coalesce-glue-athena', 'athena:ListWorkGroups', '*', true],
    ['coalesce-glue-athena', 'cloudtrail:LookupEvents', '*', false],
    ['coalesce-full', 'cloudtrail:LookupEvents', '*', true],
    ['coalesce-full', 's3:PutObject', 'arn:aws:s3:::acme-athena-results/primary/x', false],
    ['qualytics', 's3:PutObject', 'arn:aws:s3:::acme-athena-results/qualytics/x', true],
    ['qualytics', 's3:PutObject', 'arn:aws:s3:::acme-athena-results/other/x', false],
    ['qualytics', 's3:DeleteObject', 'arn:aws:s3:::acme-athena-results/qualytics/x', false],
    ['qualytics', 'athena:ListQueryExecutions', `${ATHENA}:workgroup/primary`, false],
    ['qualytics', 'glue:GetTableVersions', `${GLUE}:table/sales/orders`, false],
    // Immuta's "your-results-path*" has no slash: it also matches siblings such as immuta-old/.
    ['immuta', 's3:PutObject', 'arn:aws:s3:::acme-athena-results/immuta-old/x', true],
    ['immuta', 'glue:BatchGetPartition', `${GLUE}:table/sales/orders`, false],
    ['immuta', 'athena:ListDatabases', `${ATHENA}:datacatalog/AwsDataCatalog`, false],
    ['skoot-scope-a', 'athena:StartQueryExecution', `${ATHENA}:workgroup/skoot`, true],
    ['skoot-scope-a', 'athena:StartQueryExecution', `${ATHENA}:workgroup/primary`, false],
    ['skoot-scope-a', 's3:AbortMultipartUpload', 'arn:aws:s3:::skoot-athena-results/x', false],
    ['skoot-scope-b', 'glue:GetTables', `${GLUE}:table/entertainment/*`, true],
    ['skoot-scope-b', 'glue:GetTables', `${GLUE}:database/sales`, false],
    ['secoda-user', 'glue:GetTables', `${GLUE}:database/sales`, false],
    ['secoda-user', 'glue:GetTable', `${GLUE}:table/sales/orders`, true],
    // The Secoda guide grants athena:ListWorkGroups only on the workgroup ARN, but the action takes "*".
    ['secoda-user', 'athena:ListWorkGroups', '*', false],
    ['secoda-user', 'athena:GetWorkGroup', `${ATHENA}:workgroup/primary`, true],
    ['secoda-role', 'glue:GetDatabases', `${GLUE}:catalog`, true],
    ['scp-deny-athena', 'athena:ListWorkGroups', '*', false],
    ['scp-deny-athena', 'glue:GetTables', `${GLUE}:database/sales`, true],
  ] as const)('%s: %s on %s → %s', (scenario, action, resource, expected) => {
    expect(seedDecisions(scenario)(action, resource)).toBe(expected);
  });
});
