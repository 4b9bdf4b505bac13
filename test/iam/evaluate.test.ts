// IAM evaluation, table-driven: the rules first, then the vendors' policies action by action.
// Every expectation comes from AWS's documented evaluation logic or the seed text, not from output.
import { describe, expect, it } from 'vitest';
import { type AuthorizationRequest, type Decision, type PolicySet, accessDeniedMessage, authorize } from '../../src/iam/evaluate.js';
import { type PolicyDocument, type PolicyStatement, loadScenario } from '../../src/sandbox/scenario.js';

const ACCOUNT = '123456789012';
const OTHER = '999999999999';
const USER = { arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT };
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/reader`;
const SESSION = { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/reader/preflight`, accountId: ACCOUNT, roleArn: ROLE_ARN };
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1f0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f`;

const policy = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const allow = (Action: string | string[], Resource: string | string[] = '*', extra: Partial<PolicyStatement> = {}): PolicyStatement => ({ Effect: 'Allow', Action, Resource, ...extra });
const deny = (Action: string | string[], Resource: string | string[] = '*', extra: Partial<PolicyStatement> = {}): PolicyStatement => ({ Effect: 'Deny', Action, Resource, ...extra });
/** A resource-policy statement: no Resource element, it applies to the resource it is attached to. */
const grant = (Action: string | string[], AWS: string | string[], extra: Partial<PolicyStatement> = {}): PolicyStatement => ({ Effect: 'Allow', Action, Principal: { AWS }, ...extra });

/** `true`, or the denying policy type with `!` when the deny is explicit. */
type Expected = true | `${'identity' | 'resource' | 'scp' | 'rcp' | 'boundary' | 'session' | 'vpc-endpoint'}${'' | '!'}`;

function outcome(decision: Decision): Expected {
  return decision.allowed ? true : (`${decision.denial.policyType}${decision.denial.explicit ? '!' : ''}` as Expected);
}

describe('IAM evaluation rules', () => {
  const table: Array<[name: string, action: string, resource: string, policies: PolicySet, expected: Expected, extra?: Partial<AuthorizationRequest>]> = [
    // Action and NotAction
    ['exact action', 'glue:GetTables', '*', { identity: [policy(allow('glue:GetTables'))] }, true],
    ['no statement at all: implicit deny by identity policies', 'glue:GetTables', '*', { identity: [] }, 'identity'],
    ['another action is not granted', 'glue:GetTable', '*', { identity: [policy(allow('glue:GetTables'))] }, 'identity'],
    ['wildcard action', 'glue:GetTables', '*', { identity: [policy(allow('glue:Get*'))] }, true],
    ['a wildcard does not cross services', 'athena:GetWorkGroup', '*', { identity: [policy(allow('glue:Get*'))] }, 'identity'],
    ['"*" is every action', 'cloudtrail:LookupEvents', '*', { identity: [policy(allow('*'))] }, true],
    ['? matches exactly one character', 'glue:GetTable', '*', { identity: [policy(allow('glue:GetTabl?'))] }, true],
    ['? does not match no character', 'glue:GetTabl', '*', { identity: [policy(allow('glue:GetTabl?'))] }, 'identity'],
    ['? does not match two characters', 'glue:GetTables', '*', { identity: [policy(allow('glue:GetTabl?'))] }, 'identity'],
    ['actions are case-insensitive', 'glue:GetTables', '*', { identity: [policy(allow('GLUE:gettables'))] }, true],
    ['NotAction allows every other action', 's3:GetObject', '*', { identity: [policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] }, true],
    ['NotAction leaves out its own actions', 'iam:CreateUser', '*', { identity: [policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] }, 'identity'],
    ['Deny with NotAction denies everything else', 'athena:ListWorkGroups', '*', { identity: [policy(allow('*'), { Effect: 'Deny', NotAction: 'glue:*', Resource: '*' })] }, 'identity!'],
    ['Deny with NotAction spares its actions', 'glue:GetTables', '*', { identity: [policy(allow('*'), { Effect: 'Deny', NotAction: 'glue:*', Resource: '*' })] }, true],
    // Resource and NotResource
    ['resource wildcard', 'glue:GetTable', `arn:aws:glue:eu-west-1:${ACCOUNT}:table/sales/orders`, { identity: [policy(allow('glue:GetTable', `arn:aws:glue:eu-west-1:${ACCOUNT}:table/sales/*`))] }, true],
    ['resource wildcard on another database', 'glue:GetTable', `arn:aws:glue:eu-west-1:${ACCOUNT}:table/marketing/clicks`, { identity: [policy(allow('glue:GetTable', `arn:aws:glue:eu-west-1:${ACCOUNT}:table/sales/*`))] }, 'identity'],
    ['resources are case-sensitive', 'glue:GetTable', `arn:aws:glue:eu-west-1:${ACCOUNT}:table/Sales/orders`, { identity: [policy(allow('glue:GetTable', `arn:aws:glue:eu-west-1:${ACCOUNT}:table/sales/*`))] }, 'identity'],
    ['? in a resource matches one character', 's3:GetObject', 'arn:aws:s3:::logs-2026/a', { identity: [policy(allow('s3:GetObject', 'arn:aws:s3:::logs-202?/*'))] }, true],
    ['? in a resource does not match two', 's3:GetObject', 'arn:aws:s3:::logs-20261/a', { identity: [policy(allow('s3:GetObject', 'arn:aws:s3:::logs-202?/*'))] }, 'identity'],
    // "*" in the middle of the ARN spans a whole segment: any region.
    ['region wildcard', 'athena:GetWorkGroup', `arn:aws:athena:us-east-1:${ACCOUNT}:workgroup/primary`, { identity: [policy(allow('athena:GetWorkGroup', `arn:aws:athena:*:${ACCOUNT}:workgroup/primary`))] }, true],
    // A bucket ARN is not an object ARN: "b/*" does not cover "b" itself.
    ['object wildcard does not cover the bucket', 's3:ListBucket', 'arn:aws:s3:::b', { identity: [policy(allow('s3:*', 'arn:aws:s3:::b/*'))] }, 'identity'],
    ['NotResource leaves out its resources', 's3:GetObject', 'arn:aws:s3:::secret/x', { identity: [policy({ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret/*' })] }, 'identity'],
    ['NotResource allows the others', 's3:GetObject', 'arn:aws:s3:::public/x', { identity: [policy({ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret/*' })] }, true],
    // Explicit deny, and which policy type it is reported in
    ['explicit deny wins over an allow', 'athena:StartQueryExecution', '*', { identity: [policy(allow('*'), deny('athena:*'))] }, 'identity!'],
    ['a deny in another identity policy still wins', 'athena:StartQueryExecution', '*', { identity: [policy(allow('*')), policy(deny('athena:Start*'))] }, 'identity!'],
    ['a deny on another resource does not apply', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [policy(allow('*'), deny('s3:*', 'arn:aws:s3:::other/*'))] }, true],
    ['SCP explicit deny', 'athena:ListWorkGroups', '*', { identity: [policy(allow('*'))], serviceControlPolicies: [policy(allow('*'), deny('athena:*'))] }, 'scp!'],
    // An SCP deny is reported before an identity deny of the same call.
    ['SCP deny is reported first', 'athena:ListWorkGroups', '*', { identity: [policy(allow('*'), deny('athena:*'))], serviceControlPolicies: [policy(allow('*'), deny('athena:*'))] }, 'scp!'],
    ['SCP without an allow is an implicit deny', 'athena:ListWorkGroups', '*', { identity: [policy(allow('*'))], serviceControlPolicies: [policy(allow('glue:*'))] }, 'scp'],
    // Every SCP in the chain (root, OU, account) must allow.
    ['every SCP must allow', 'athena:ListWorkGroups', '*', { identity: [policy(allow('*'))], serviceControlPolicies: [policy(allow('*')), policy(allow('glue:*'))] }, 'scp'],
    ['an SCP never grants', 'glue:GetTables', '*', { identity: [], serviceControlPolicies: [policy(allow('*'))] }, 'identity'],
    ['RCP explicit deny', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [policy(allow('*'))], resourceControlPolicies: [policy(allow('*', '*', { Principal: '*' }), deny('s3:*', '*', { Principal: '*' }))] }, 'rcp!'],
    // Permissions boundaries and session policies narrow, never grant
    ['boundary narrows', 'athena:ListWorkGroups', '*', { identity: [policy(allow('*'))], permissionsBoundary: policy(allow('glue:*')) }, 'boundary'],
    ['boundary and identity both allow', 'glue:GetTables', '*', { identity: [policy(allow('*'))], permissionsBoundary: policy(allow('glue:*')) }, true],
    ['boundary never grants', 'glue:GetTables', '*', { identity: [], permissionsBoundary: policy(allow('glue:*')) }, 'identity'],
    ['deny in a boundary is explicit', 'glue:GetTables', '*', { identity: [policy(allow('*'))], permissionsBoundary: policy(allow('*'), deny('glue:GetTables')) }, 'boundary!'],
    ['session policy narrows', 's3:PutObject', '*', { identity: [policy(allow('*'))], sessionPolicies: [policy(allow('s3:GetObject'))] }, 'session', { principal: SESSION }],
    ['session policy and role both allow', 's3:GetObject', '*', { identity: [policy(allow('*'))], sessionPolicies: [policy(allow('s3:GetObject'))] }, true, { principal: SESSION }],
    ['session policy never grants', 's3:GetObject', '*', { identity: [], sessionPolicies: [policy(allow('*'))] }, 'identity', { principal: SESSION }],
    ['deny in a session policy is explicit', 's3:GetObject', '*', { identity: [policy(allow('*'))], sessionPolicies: [policy(allow('*'), deny('s3:*'))] }, 'session!', { principal: SESSION }],
    // Resource-based policies in the principal's own account
    ['a bucket policy alone grants a user of the same account', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [], resourcePolicy: policy(grant('s3:GetObject', USER.arn, { Resource: 'arn:aws:s3:::b/*' })) }, true],
    // AWS: a resource policy naming a user ARN is not limited by the user's boundary.
    ['a grant to the user is not limited by its boundary', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [], permissionsBoundary: policy(allow('glue:*')), resourcePolicy: policy(grant('s3:GetObject', USER.arn)) }, true],
    // AWS: a grant to the role ARN is limited by the session's session policy (and boundary).
    ['a grant to the role is limited by the session policy', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [], sessionPolicies: [policy(allow('glue:*'))], resourcePolicy: policy(grant('s3:GetObject', ROLE_ARN)) }, 'session', { principal: SESSION }],
    ['a grant to the role is limited by its boundary', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [], permissionsBoundary: policy(allow('glue:*')), resourcePolicy: policy(grant('s3:GetObject', ROLE_ARN)) }, 'boundary', { principal: SESSION }],
    ['a grant to the role alone is enough otherwise', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [], resourcePolicy: policy(grant('s3:GetObject', ROLE_ARN)) }, true, { principal: SESSION }],
    // AWS: a grant naming the session ARN itself is not limited by the session policy.
    ['a grant to the session is not limited by the session policy', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [], sessionPolicies: [policy(allow('glue:*'))], resourcePolicy: policy(grant('s3:GetObject', SESSION.arn)) }, true, { principal: SESSION }],
    ['a bucket policy for someone else grants nothing', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [], resourcePolicy: policy(grant('s3:GetObject', `arn:aws:iam::${ACCOUNT}:user/bob`)) }, 'identity'],
    ['a bucket policy deny beats an identity allow', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [policy(allow('s3:*'))], resourcePolicy: policy(deny('s3:*', 'arn:aws:s3:::b/*', { Principal: '*' })) }, 'resource!'],
    ['a bucket policy deny for someone else does not apply', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [policy(allow('s3:*'))], resourcePolicy: policy(deny('s3:*', 'arn:aws:s3:::b/*', { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` } })) }, true],
    // A deny naming the account applies to every principal in it.
    ['a bucket policy deny naming the account applies to its users', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [policy(allow('s3:*'))], resourcePolicy: policy(deny('s3:*', '*', { Principal: { AWS: ACCOUNT } })) }, 'resource!'],
    ['NotPrincipal deny spares the principal it names', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [policy(allow('s3:*'))], resourcePolicy: policy({ Effect: 'Deny', Action: 's3:*', Resource: '*', NotPrincipal: { AWS: USER.arn } }) }, true],
    // Across accounts both sides must allow
    ['cross-account: the bucket policy alone is not enough', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [], resourcePolicy: policy(grant('s3:GetObject', USER.arn)) }, 'identity', { resourceAccountId: OTHER }],
    ['cross-account: the identity policy alone is not enough', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [policy(allow('s3:*'))] }, 'resource', { resourceAccountId: OTHER }],
    ['cross-account: both sides allow', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [policy(allow('s3:*'))], resourcePolicy: policy(grant('s3:GetObject', `arn:aws:iam::${ACCOUNT}:root`)) }, true, { resourceAccountId: OTHER }],
    ['cross-account: the boundary still narrows', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [policy(allow('s3:*'))], permissionsBoundary: policy(allow('glue:*')), resourcePolicy: policy(grant('s3:GetObject', USER.arn)) }, 'boundary', { resourceAccountId: OTHER }],
    // Key policies (required: IAM policies alone never give access to a KMS key)
    ['a key policy is required: IAM alone is not enough', 'kms:Decrypt', KEY, { identity: [policy(allow('kms:*'))], resourcePolicy: policy(grant('kms:*', `arn:aws:iam::${OTHER}:root`, { Resource: '*' })), resourcePolicyRequired: true }, 'resource'],
    ['a key policy naming the account root delegates to IAM', 'kms:Decrypt', KEY, { identity: [policy(allow('kms:Decrypt', KEY))], resourcePolicy: policy(grant('kms:*', `arn:aws:iam::${ACCOUNT}:root`, { Resource: '*' })), resourcePolicyRequired: true }, true],
    ['delegation still needs the identity allow', 'kms:Decrypt', KEY, { identity: [], resourcePolicy: policy(grant('kms:*', ACCOUNT, { Resource: '*' })), resourcePolicyRequired: true }, 'identity'],
    ['delegation: the identity allow must name the key', 'kms:Decrypt', KEY, { identity: [policy(allow('kms:Decrypt', `arn:aws:kms:eu-west-1:${ACCOUNT}:key/other`))], resourcePolicy: policy(grant('kms:*', ACCOUNT, { Resource: '*' })), resourcePolicyRequired: true }, 'identity'],
    ['a key policy naming the user needs no IAM policy', 'kms:Decrypt', KEY, { identity: [], resourcePolicy: policy(grant('kms:Decrypt', USER.arn, { Resource: '*' })), resourcePolicyRequired: true }, true],
    ['a key policy deny wins', 'kms:Decrypt', KEY, { identity: [policy(allow('kms:*'))], resourcePolicy: policy(grant('kms:*', ACCOUNT, { Resource: '*' }), deny('kms:Decrypt', '*', { Principal: '*' })), resourcePolicyRequired: true }, 'resource!'],
    // Gateway VPC endpoint policies ("Control access to VPC endpoints using endpoint policies", AWS
    // PrivateLink Guide): the request must be allowed by it as well, its deny wins, it never grants,
    // and only "*" names every caller ("Principals for gateway endpoints": an account as principal is
    // its root user alone; principals are chosen with aws:PrincipalArn).
    ['an endpoint policy that allows lets the request through', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [policy(allow('s3:*'))], vpcEndpointPolicies: [policy(allow('*', '*', { Principal: '*' }))] }, true],
    ['an endpoint policy without an allow denies', 's3:PutObject', 'arn:aws:s3:::b/k', { identity: [policy(allow('s3:*'))], vpcEndpointPolicies: [policy(allow('s3:GetObject', '*', { Principal: '*' }))] }, 'vpc-endpoint'],
    ['an endpoint policy deny is explicit', 's3:PutObject', 'arn:aws:s3:::b/k', { identity: [policy(allow('s3:*'))], vpcEndpointPolicies: [policy(allow('*', '*', { Principal: '*' }), deny('s3:PutObject', 'arn:aws:s3:::b/*', { Principal: '*' }))] }, 'vpc-endpoint!'],
    ['an endpoint policy never grants', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [], vpcEndpointPolicies: [policy(allow('*', '*', { Principal: '*' }))] }, 'identity'],
    ['an endpoint policy allow for someone else does not apply', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [policy(allow('s3:*'))], vpcEndpointPolicies: [policy(allow('*', '*', { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` } }))] }, 'vpc-endpoint'],
    ['an endpoint policy naming the account names its root user, not its users', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [policy(allow('s3:*'))], vpcEndpointPolicies: [policy(allow('*', '*', { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }))] }, 'vpc-endpoint'],
    ['an endpoint policy chooses principals with aws:PrincipalArn', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [policy(allow('s3:*'))], vpcEndpointPolicies: [policy(allow('*', '*', { Principal: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': USER.arn } } }))] }, true],
    ['an endpoint policy deny for everyone applies to the user', 's3:GetObject', 'arn:aws:s3:::b/k', { identity: [policy(allow('s3:*'))], vpcEndpointPolicies: [policy(allow('*', '*', { Principal: '*' }), deny('s3:GetObject', '*', { Principal: { AWS: '*' } }))] }, 'vpc-endpoint!'],
  ];
  it.each(table)('%s', (_name, action, resource, policies, expected, extra = {}) => {
    expect(outcome(authorize({ action, resource, principal: USER, ...extra }, policies))).toBe(expected);
  });

  describe('role trust policies', () => {
    const service = { arn: `arn:aws:iam::${OTHER}:user/preflight-service`, accountId: OTHER };
    const canAssume = policy(allow('sts:AssumeRole', 'arn:aws:iam::*:role/*'));
    const trust = (statement: Partial<PolicyStatement> = {}) => policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, ...statement });
    const withExternalId = trust({ Condition: { StringEquals: { 'sts:ExternalId': 'acme-7f3c2a' } } });
    const assume = (trustPolicy: PolicyDocument, identity: PolicyDocument[], externalId?: string, principal = service) =>
      outcome(
        authorize(
          { action: 'sts:AssumeRole', resource: ROLE_ARN, principal, resourceAccountId: ACCOUNT, context: externalId === undefined ? {} : { 'sts:ExternalId': externalId } },
          { identity, resourcePolicy: trustPolicy, resourcePolicyRequired: true },
        ),
      );

    it.each([
      ['the right external ID', withExternalId, [canAssume], 'acme-7f3c2a', true],
      ['a wrong external ID', withExternalId, [canAssume], 'acme-7f3c2b', 'resource'],
      ['external IDs are case-sensitive', withExternalId, [canAssume], 'ACME-7F3C2A', 'resource'],
      ['no external ID', withExternalId, [canAssume], undefined, 'resource'],
      // Without the condition nothing checks the external ID: sent or not, the call succeeds.
      ['no condition, no external ID', trust(), [canAssume], undefined, true],
      ['no condition, any external ID', trust(), [canAssume], 'anything', true],
      // The trust policy delegates to the trusted account, which must itself allow the call.
      ['the trusted account names the principal, but its own policy does not allow', withExternalId, [], 'acme-7f3c2a', 'identity'],
      ['the identity allows a different role', withExternalId, [policy(allow('sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/other`))], 'acme-7f3c2a', 'identity'],
      ['a trust policy for another account', trust({ Principal: { AWS: `arn:aws:iam::111111111111:root` } }), [canAssume], undefined, 'resource'],
      ['a trust policy naming the service user itself', trust({ Principal: { AWS: service.arn } }), [canAssume], undefined, true],
      // Cross-account: even a trust policy naming the user needs the user's own allow.
      ['a trust policy naming the user, without the user\'s allow', trust({ Principal: { AWS: service.arn } }), [], undefined, 'identity'],
    ] as const)('%s', (_name, trustPolicy, identity, externalId, expected) => {
      expect(assume(trustPolicy, [...identity], externalId)).toBe(expected);
    });

    it('delegates to IAM within the account when the trust policy names the account root', () => {
      const local = { arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT };
      const rootTrust = trust({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } });
      expect(assume(rootTrust, [], undefined, local)).toBe('identity');
      expect(assume(rootTrust, [canAssume], undefined, local)).toBe(true);
      // Naming the user itself in the same account needs no identity policy.
      expect(assume(trust({ Principal: { AWS: local.arn } }), [], undefined, local)).toBe(true);
    });

    it('reads the seeds\' trust policies as customers paste them', () => {
      const secoda = loadScenario('secoda-role');
      const role = secoda.roles[0]!;
      const user = secoda.users.find((u) => u.serviceIdentity)!;
      const principal = { arn: `arn:aws:iam::${user.accountId}:user/${user.name}`, accountId: user.accountId! };
      expect(principal.accountId).toBe('482836992928'); // Secoda's account, as the guide says
      expect(assume(role.trustPolicy, user.policies, role.externalId, principal)).toBe(true);
      expect(assume(role.trustPolicy, user.policies, undefined, principal)).toBe('resource');
      const lax = loadScenario('external-id-not-enforced');
      const laxUser = lax.users.find((u) => u.serviceIdentity)!;
      const laxPrincipal = { arn: `arn:aws:iam::${laxUser.accountId}:user/${laxUser.name}`, accountId: laxUser.accountId! };
      expect(assume(lax.roles[0]!.trustPolicy, laxUser.policies, undefined, laxPrincipal)).toBe(true);
    });
  });

  describe('KMS key policies with kms:ViaService', () => {
    // The common pattern: the key may be used only through S3 in the key's region.
    const viaS3 = policy(grant(['kms:Decrypt', 'kms:GenerateDataKey'], USER.arn, { Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } } }));
    const decide = (keyPolicy: PolicyDocument, identity: PolicyDocument[], viaService?: string) =>
      outcome(
        authorize(
          { action: 'kms:Decrypt', resource: KEY, principal: USER, context: viaService ? { 'kms:ViaService': viaService } : {} },
          { identity, resourcePolicy: keyPolicy, resourcePolicyRequired: true },
        ),
      );

    it.each([
      ['S3 on the caller\'s behalf', viaS3, [], 's3.eu-west-1.amazonaws.com', true],
      ['a direct KMS call', viaS3, [], undefined, 'resource'],
      ['S3 in another region', viaS3, [], 's3.us-east-1.amazonaws.com', 'resource'],
      ['another service', viaS3, [], 'athena.eu-west-1.amazonaws.com', 'resource'],
      // An identity allow cannot lift the key policy's condition: the key policy does not delegate.
      ['a direct call with an identity allow', viaS3, [policy(allow('kms:*'))], undefined, 'resource'],
      // The same condition in the identity policy, with the key delegating to IAM.
      [
        'delegated, with the condition in the identity policy, via S3',
        policy(grant('kms:*', `arn:aws:iam::${ACCOUNT}:root`, { Resource: '*' })),
        [policy(allow('kms:Decrypt', KEY, { Condition: { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } } }))],
        's3.eu-west-1.amazonaws.com',
        true,
      ],
      [
        'delegated, with the condition in the identity policy, directly',
        policy(grant('kms:*', `arn:aws:iam::${ACCOUNT}:root`, { Resource: '*' })),
        [policy(allow('kms:Decrypt', KEY, { Condition: { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } } }))],
        undefined,
        'identity',
      ],
    ] as const)('%s', (_name, keyPolicy, identity, viaService, expected) => {
      expect(decide(keyPolicy, [...identity], viaService)).toBe(expected);
    });
  });

  it.each([
    ['StringEquals matches', { StringEquals: { 'sts:ExternalId': 'abc' } }, { 'sts:ExternalId': 'abc' }, true],
    ['StringEquals refuses another value', { StringEquals: { 'sts:ExternalId': 'abc' } }, { 'sts:ExternalId': 'abd' }, false],
    ['StringEquals is case-sensitive in values', { StringEquals: { 'sts:ExternalId': 'abc' } }, { 'sts:ExternalId': 'ABC' }, false],
    ['StringEquals refuses a missing key', { StringEquals: { 'sts:ExternalId': 'abc' } }, {}, false],
    ['StringEquals with a list matches any value', { StringEquals: { 'sts:ExternalId': ['x', 'abc'] } }, { 'sts:ExternalId': 'abc' }, true],
    ['condition keys are case-insensitive', { StringEquals: { 'STS:EXTERNALID': 'abc' } }, { 'sts:ExternalId': 'abc' }, true],
    ['every operator must hold', { StringEquals: { 'sts:ExternalId': 'abc' }, Bool: { 'aws:SecureTransport': 'false' } }, { 'sts:ExternalId': 'abc' }, false],
    ['StringNotEquals holds for a missing key', { StringNotEquals: { 'sts:ExternalId': 'abc' } }, {}, true],
    ['StringNotEquals refuses the value', { StringNotEquals: { 'sts:ExternalId': 'abc' } }, { 'sts:ExternalId': 'abc' }, false],
    ['StringLike with *', { StringLike: { 's3:prefix': ['results/*', 'tmp/*'] } }, { 's3:prefix': 'results/2026/' }, true],
    ['StringLike with ?', { StringLike: { 's3:prefix': 'results/202?/' } }, { 's3:prefix': 'results/2026/' }, true],
    ['StringLike refuses', { StringLike: { 's3:prefix': 'results/*' } }, { 's3:prefix': 'other/' }, false],
    ['ArnLike on the principal', { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:user/a*` } }, {}, true],
    ['ArnLike refuses another principal', { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:user/b*` } }, {}, false],
    ['Bool: the sandbox is reached as if over TLS', { Bool: { 'aws:SecureTransport': 'true' } }, {}, true],
    ['Bool refuses', { Bool: { 'aws:SecureTransport': 'false' } }, {}, false],
    ['Bool with a JSON boolean', { Bool: { 'aws:SecureTransport': true } }, {}, true],
    ['Null true when absent', { Null: { 'sts:ExternalId': 'true' } }, {}, true],
    ['Null true refuses a present key', { Null: { 'sts:ExternalId': 'true' } }, { 'sts:ExternalId': 'x' }, false],
    ['Null false requires the key', { Null: { 'sts:ExternalId': 'false' } }, {}, false],
    ['IfExists holds when absent', { StringEqualsIfExists: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } }, {}, true],
    ['IfExists checks when present', { StringEqualsIfExists: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } }, { 'kms:ViaService': 'athena.eu-west-1.amazonaws.com' }, false],
    ['ForAnyValue: one value in the set', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }, { 'aws:TagKeys': ['c', 'b'] }, true],
    ['ForAnyValue: none in the set', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }, { 'aws:TagKeys': ['c', 'd'] }, false],
    // AWS: ForAnyValue is false when the key is missing, even with a negated operator.
    ['ForAnyValue: a missing key', { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['a'] } }, {}, false],
    ['ForAllValues: every value in the set', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }, { 'aws:TagKeys': ['a', 'b'] }, true],
    ['ForAllValues: one value outside', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }, { 'aws:TagKeys': ['a', 'c'] }, false],
    // AWS: ForAllValues is true when the key is missing (every one of no values matches).
    ['ForAllValues: a missing key', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a'] } }, {}, true],
    ['unknown operators never grant', { StringMaybe: { 'sts:ExternalId': 'abc' } }, { 'sts:ExternalId': 'abc' }, false],
  ] as const)('condition: %s', (_name, Condition, context, expected) => {
    const decision = authorize(
      { action: 'sts:AssumeRole', resource: '*', principal: USER, context: context as AuthorizationRequest['context'] },
      { identity: [policy(allow('sts:AssumeRole', '*', { Condition: Condition as PolicyStatement['Condition'] }))] },
    );
    expect(decision.allowed).toBe(expected);
  });

  it('a condition on a deny denies only when it holds', () => {
    const identity = [policy(allow('*'), deny('s3:*', '*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } }))];
    expect(outcome(authorize({ action: 's3:GetObject', resource: '*', principal: USER }, { identity }))).toBe(true);
    const mustBeTagged = [policy(allow('*'), deny('s3:*', '*', { Condition: { Null: { 'aws:RequestTag/team': 'true' } } }))];
    expect(outcome(authorize({ action: 's3:PutObject', resource: '*', principal: USER }, { identity: mustBeTagged }))).toBe('identity!');
  });

  it.each([
    ['identity', false, 'because no identity-based policy allows the glue:GetTables action'],
    ['identity', true, 'with an explicit deny in an identity-based policy'],
    ['scp', true, 'with an explicit deny in a service control policy'],
    ['scp', false, 'because no service control policy allows the glue:GetTables action'],
    ['rcp', true, 'with an explicit deny in a resource control policy'],
    ['boundary', false, 'because no permissions boundary allows the glue:GetTables action'],
    ['boundary', true, 'with an explicit deny in a permissions boundary'],
    ['session', false, 'because no session policy allows the glue:GetTables action'],
    ['resource', true, 'with an explicit deny in a resource-based policy'],
    ['resource', false, 'because no resource-based policy allows the glue:GetTables action'],
    ['vpc-endpoint', true, 'with an explicit deny in a VPC endpoint policy'],
  ] as const)('denial message: %s (explicit: %s)', (policyType, explicit, why) => {
    const arn = `arn:aws:glue:eu-west-1:${ACCOUNT}:catalog`;
    expect(accessDeniedMessage(USER.arn, 'glue:GetTables', arn, { policyType, explicit })).toBe(
      `User: ${USER.arn} is not authorized to perform: glue:GetTables on resource: ${arn} ${why}`,
    );
  });

  it('leaves "on resource" out of a denial on "*"', () => {
    expect(accessDeniedMessage(USER.arn, 'athena:ListWorkGroups', '*', { policyType: 'scp', explicit: true })).toBe(
      `User: ${USER.arn} is not authorized to perform: athena:ListWorkGroups with an explicit deny in a service control policy`,
    );
    expect(accessDeniedMessage(SESSION.arn, 'cloudtrail:LookupEvents', '*', { policyType: 'identity', explicit: false })).toBe(
      `User: ${SESSION.arn} is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action`,
    );
  });
});

/** Decides a call by a scenario's sample principal (a role acts through a session), as the sandbox does. */
function samplePrincipalDecides(name: string) {
  const scenario = loadScenario(name);
  const [kind, principalName] = scenario.sample!.credentials.split(':');
  const principal = (kind === 'user' ? scenario.users : scenario.roles).find((p) => p.name === principalName)!;
  const accountId = principal.accountId ?? scenario.accountId;
  const identity =
    kind === 'user'
      ? { arn: `arn:aws:iam::${accountId}:user/${principal.name}`, accountId }
      : { arn: `arn:aws:sts::${accountId}:assumed-role/${principal.name}/preflight`, accountId, roleArn: `arn:aws:iam::${accountId}:role/${principal.name}` };
  const policies: PolicySet = { identity: principal.policies, permissionsBoundary: principal.permissionsBoundary, serviceControlPolicies: scenario.serviceControlPolicies };
  return (action: string, resource: string) => authorize({ action, resource, principal: identity }, policies).allowed;
}

const GLUE = `arn:aws:glue:eu-west-1:${ACCOUNT}`;
const ATHENA = `arn:aws:athena:eu-west-1:${ACCOUNT}`;
const S3 = 'arn:aws:s3:::';

type Row = [action: string, resource: string, allowed: boolean];

const COALESCE_GLUE: Row[] = [
  ['glue:GetDatabases', `${GLUE}:catalog`, true],
  ['glue:GetTables', `${GLUE}:catalog`, true],
  ['glue:GetTables', `${GLUE}:database/sales`, true],
  ['glue:GetTables', `${GLUE}:table/sales/orders`, true],
  ['glue:GetPartitions', `${GLUE}:table/marketing/clicks`, true],
  ['glue:BatchGetPartition', `${GLUE}:table/sales/orders`, true],
  ['glue:SearchTables', `${GLUE}:table/sales/orders`, true],
  ['glue:GetTableVersion', `${GLUE}:tableVersion/sales/orders/2`, true],
  // The UDF actions are listed and the database ARN matches…
  ['glue:GetUserDefinedFunctions', `${GLUE}:database/sales`, true],
  // …but no listed resource matches a userDefinedFunction ARN, which Glue also checks.
  ['glue:GetUserDefinedFunctions', `${GLUE}:userDefinedFunction/sales/mask_email`, false],
  // The placeholders were replaced by one region: the catalog elsewhere is not covered.
  ['glue:GetTables', 'arn:aws:glue:us-east-1:123456789012:catalog', false],
  ['glue:GetTables', `arn:aws:glue:eu-west-1:${OTHER}:catalog`, false],
  ['glue:GetConnection', `${GLUE}:catalog`, false],
  ['glue:CreateTable', `${GLUE}:database/sales`, false],
  ['glue:GetDataCatalogEncryptionSettings', `${GLUE}:catalog`, false],
];

const COALESCE_ATHENA: Row[] = [
  ['athena:ListWorkGroups', '*', true],
  ['athena:GetWorkGroup', `${ATHENA}:workgroup/primary`, true],
  ['athena:ListQueryExecutions', `${ATHENA}:workgroup/analytics`, true],
  ['athena:BatchGetQueryExecution', `${ATHENA}:workgroup/primary`, true],
  ['athena:GetQueryExecution', `${ATHENA}:workgroup/primary`, true],
  ['athena:GetDataCatalog', `${ATHENA}:datacatalog/AwsDataCatalog`, true],
  ['athena:ListTableMetadata', `${ATHENA}:datacatalog/AwsDataCatalog`, true],
  // Not listed: Athena's own catalog listing.
  ['athena:ListDataCatalogs', '*', false],
  // The guide says so: query observation needs no StartQueryExecution nor GetQueryResults.
  ['athena:StartQueryExecution', `${ATHENA}:workgroup/primary`, false],
  ['athena:GetQueryResults', `${ATHENA}:workgroup/primary`, false],
  ['athena:GetWorkGroup', `arn:aws:athena:us-east-1:${ACCOUNT}:workgroup/primary`, false],
  // No S3 statement at all: the output location is out of reach.
  ['s3:PutObject', `${S3}acme-athena-results/primary/x`, false],
  ['s3:GetBucketLocation', `${S3}acme-athena-results`, false],
];

const SEEDS: Record<string, Row[]> = {
  'coalesce-glue-only': [
    ...COALESCE_GLUE,
    ['athena:ListQueryExecutions', `${ATHENA}:workgroup/primary`, false],
    ['athena:ListWorkGroups', '*', false],
    ['cloudtrail:LookupEvents', '*', false],
    ['s3:GetObject', `${S3}acme-athena-results/primary/x`, false],
    // Actions are case-insensitive.
    ['GLUE:gettables', `${GLUE}:database/sales`, true],
  ],
  'coalesce-glue-athena': [...COALESCE_GLUE, ...COALESCE_ATHENA, ['cloudtrail:LookupEvents', '*', false]],
  'coalesce-full': [...COALESCE_GLUE, ...COALESCE_ATHENA, ['cloudtrail:LookupEvents', '*', true], ['cloudtrail:GetTrail', '*', false]],
  qualytics: [
    // The Athena statement is on "*": any workgroup.
    ['athena:StartQueryExecution', `${ATHENA}:workgroup/primary`, true],
    ['athena:StartQueryExecution', `${ATHENA}:workgroup/analytics`, true],
    ['athena:GetQueryResults', `${ATHENA}:workgroup/primary`, true],
    ['athena:GetWorkGroup', `${ATHENA}:workgroup/primary`, true],
    ['athena:ListDatabases', `${ATHENA}:datacatalog/AwsDataCatalog`, true],
    ['athena:GetTableMetadata', `${ATHENA}:datacatalog/AwsDataCatalog`, true],
    ['athena:GetDataCatalog', `${ATHENA}:datacatalog/AwsDataCatalog`, false],
    ['athena:GetDatabase', `${ATHENA}:datacatalog/AwsDataCatalog`, false],
    ['athena:ListWorkGroups', '*', false],
    ['athena:ListQueryExecutions', `${ATHENA}:workgroup/primary`, false],
    ['athena:BatchGetQueryExecution', `${ATHENA}:workgroup/primary`, false],
    ['glue:GetCatalog', `${GLUE}:catalog`, true],
    ['glue:GetTables', `${GLUE}:database/sales`, true],
    ['glue:BatchGetPartition', `${GLUE}:table/sales/orders`, true],
    ['glue:GetTableVersions', `${GLUE}:table/sales/orders`, false],
    ['glue:SearchTables', `${GLUE}:catalog`, false],
    ['glue:GetUserDefinedFunctions', `${GLUE}:database/sales`, false],
    ['s3:PutObject', `${S3}acme-athena-results/qualytics/x.csv`, true],
    ['s3:GetObject', `${S3}acme-athena-results/qualytics/x.csv`, true],
    ['s3:AbortMultipartUpload', `${S3}acme-athena-results/qualytics/x.csv`, true],
    ['s3:ListBucket', `${S3}acme-athena-results`, true],
    ['s3:GetBucketLocation', `${S3}acme-athena-results`, true],
    // "<YOUR_PREFIX>/*": other prefixes, and the prefix without a slash, are outside.
    ['s3:PutObject', `${S3}acme-athena-results/other/x.csv`, false],
    ['s3:PutObject', `${S3}acme-athena-results/qualytics-old/x.csv`, false],
    ['s3:DeleteObject', `${S3}acme-athena-results/qualytics/x.csv`, false],
    ['s3:GetEncryptionConfiguration', `${S3}acme-athena-results`, false],
    // Source data is not in the example policy.
    ['s3:GetObject', `${S3}acme-data-lake/sales/orders/part-0000.parquet`, false],
    ['kms:GenerateDataKey', '*', false],
    // The guide adds lakeformation:GetDataAccess only for governed catalogs; the example has none.
    ['lakeformation:GetDataAccess', '*', false],
    ['cloudtrail:LookupEvents', '*', false],
  ],
  immuta: [
    ['athena:StartQueryExecution', `${ATHENA}:workgroup/primary`, true],
    ['athena:GetQueryExecution', `${ATHENA}:workgroup/primary`, true],
    ['athena:GetQueryResults', `${ATHENA}:workgroup/analytics`, true],
    ['athena:ListQueryExecutions', `${ATHENA}:workgroup/primary`, true],
    ['athena:BatchGetQueryExecution', `${ATHENA}:workgroup/primary`, true],
    ['athena:StopQueryExecution', `${ATHENA}:workgroup/primary`, true],
    // IAM does not validate action names: the guide's non-existent actions match as text.
    ['athena:GetCatalogs', '*', true],
    // …and grant nothing real: the actual catalog actions are not there.
    ['athena:ListDatabases', `${ATHENA}:datacatalog/AwsDataCatalog`, false],
    ['athena:GetDataCatalog', `${ATHENA}:datacatalog/AwsDataCatalog`, false],
    ['athena:ListTableMetadata', `${ATHENA}:datacatalog/AwsDataCatalog`, false],
    ['athena:ListWorkGroups', '*', false],
    ['athena:GetWorkGroup', `${ATHENA}:workgroup/primary`, false],
    ['glue:GetDatabases', `${GLUE}:catalog`, true],
    ['glue:GetTables', `${GLUE}:database/sales`, true],
    ['glue:GetPartition', `${GLUE}:table/sales/orders`, true],
    ['glue:GetTableVersions', `${GLUE}:table/sales/orders`, true],
    // Listed: GetTableVersions and GetPartitions; not listed: their single and batch siblings.
    ['glue:GetTableVersion', `${GLUE}:table/sales/orders`, false],
    ['glue:BatchGetPartition', `${GLUE}:table/sales/orders`, false],
    ['glue:SearchTables', `${GLUE}:catalog`, false],
    ['glue:GetUserDefinedFunctions', `${GLUE}:database/sales`, false],
    ['s3:PutObject', `${S3}acme-athena-results/immuta/x.csv`, true],
    ['s3:GetObject', `${S3}acme-athena-results/immuta/x.csv`, true],
    // "your-results-path*" has no slash: it also matches siblings such as immuta-old/.
    ['s3:PutObject', `${S3}acme-athena-results/immuta-old/x.csv`, true],
    ['s3:PutObject', `${S3}acme-athena-results/primary/x.csv`, false],
    ['s3:DeleteObject', `${S3}acme-athena-results/immuta/x.csv`, false],
    ['s3:ListBucket', `${S3}acme-athena-results`, true],
    ['s3:ListBucketMultipartUploads', `${S3}acme-data-lake`, true],
    ['s3:GetObject', `${S3}acme-data-lake/sales/orders/part-0000.parquet`, true],
    ['s3:GetObject', `${S3}acme-data-lake/marketing/campaigns/part-0000.parquet`, false],
    ['s3:PutObject', `${S3}acme-data-lake/sales/x`, false],
    ['cloudtrail:LookupEvents', '*', false],
  ],
  'skoot-scope-a': [
    ['athena:StartQueryExecution', `${ATHENA}:workgroup/skoot`, true],
    ['athena:GetQueryResults', `${ATHENA}:workgroup/skoot`, true],
    ['athena:GetWorkGroup', `${ATHENA}:workgroup/skoot`, true],
    ['athena:ListWorkGroups', '*', true],
    ['athena:StartQueryExecution', `${ATHENA}:workgroup/primary`, false],
    // The guide's ap-south-1 is a placeholder, replaced by the scenario's region.
    ['athena:StartQueryExecution', `arn:aws:athena:ap-south-1:${ACCOUNT}:workgroup/skoot`, false],
    ['athena:ListQueryExecutions', `${ATHENA}:workgroup/skoot`, false],
    ['athena:ListDatabases', `${ATHENA}:datacatalog/AwsDataCatalog`, false],
    ['s3:PutObject', `${S3}skoot-athena-results/x.csv`, true],
    ['s3:DeleteObject', `${S3}skoot-athena-results/x.csv`, true],
    ['s3:GetBucketLocation', `${S3}skoot-athena-results`, true],
    ['s3:AbortMultipartUpload', `${S3}skoot-athena-results/x.csv`, false],
    ['s3:GetObject', `${S3}skoot-data-demo/titles/part-0000.parquet`, true],
    ['s3:PutObject', `${S3}skoot-data-demo/titles/x`, false],
    ['s3:GetObject', `${S3}acme-data-lake/sales/orders/part-0000.parquet`, false],
    // Scope A's Glue statement is on "*": every database.
    ['glue:GetTables', `${GLUE}:database/sales`, true],
    ['glue:GetTable', `${GLUE}:table/marketing/clicks`, true],
    ['glue:GetPartitions', `${GLUE}:table/sales/orders`, true],
    ['glue:GetPartition', `${GLUE}:table/sales/orders`, false],
    ['glue:BatchGetPartition', `${GLUE}:table/sales/orders`, false],
    ['glue:GetTableVersions', `${GLUE}:table/sales/orders`, false],
    ['glue:SearchTables', `${GLUE}:catalog`, false],
    ['cloudtrail:LookupEvents', '*', false],
  ],
  'skoot-scope-b': [
    ['glue:GetDatabases', `${GLUE}:catalog`, true],
    ['glue:GetDatabase', `${GLUE}:database/entertainment`, true],
    ['glue:GetTables', `${GLUE}:catalog`, true],
    ['glue:GetTables', `${GLUE}:database/entertainment`, true],
    ['glue:GetTables', `${GLUE}:table/entertainment/titles`, true],
    ['glue:GetTable', `${GLUE}:table/entertainment/titles`, true],
    ['glue:GetTables', `${GLUE}:database/sales`, false],
    ['glue:GetTable', `${GLUE}:table/sales/orders`, false],
    ['glue:GetDatabase', `${GLUE}:database/sales`, false],
    // No wildcard after the database name: a database whose name only starts the same is outside.
    ['glue:GetDatabase', `${GLUE}:database/entertainment_archive`, false],
    ['athena:StartQueryExecution', `${ATHENA}:workgroup/skoot`, true],
    ['athena:ListWorkGroups', '*', true],
    ['s3:PutObject', `${S3}skoot-athena-results/x.csv`, true],
    ['s3:AbortMultipartUpload', `${S3}skoot-athena-results/x.csv`, false],
  ],
};

const SECODA: Row[] = [
  // Not in the guide's list (only GetTable and GetDatabases are).
  ['glue:GetTables', `${GLUE}:database/sales`, false],
  ['glue:GetDatabase', `${GLUE}:database/sales`, false],
  ['glue:GetPartitions', `${GLUE}:table/sales/orders`, false],
  // "arn:aws:glue:<region>:<glue_id>:*" covers every Glue resource of that region and account.
  ['glue:GetTable', `${GLUE}:catalog`, true],
  ['glue:GetTable', `${GLUE}:database/sales`, true],
  ['glue:GetTable', `${GLUE}:table/sales/orders`, true],
  ['glue:GetDatabases', `${GLUE}:catalog`, true],
  ['glue:SearchTables', `${GLUE}:table/marketing/clicks`, true],
  ['glue:GetTable', 'arn:aws:glue:us-east-1:123456789012:table/sales/orders', false],
  ['athena:GetWorkGroup', `${ATHENA}:workgroup/primary`, true],
  // "arn:aws:athena:*:<athena_id>:workgroup/primary": any region.
  ['athena:GetWorkGroup', `arn:aws:athena:us-east-1:${ACCOUNT}:workgroup/primary`, true],
  ['athena:StartQueryExecution', `${ATHENA}:workgroup/primary`, true],
  ['athena:ListQueryExecutions', `${ATHENA}:workgroup/primary`, true],
  ['athena:GetWorkGroup', `${ATHENA}:workgroup/analytics`, false],
  ['athena:BatchGetQueryExecution', `${ATHENA}:workgroup/primary`, false],
  // Listed, but these actions take "*", which no listed resource pattern matches.
  ['athena:ListWorkGroups', '*', false],
  ['athena:ListDataCatalogs', '*', false],
  ['s3:PutObject', `${S3}acme-athena-results/primary/x.csv`, true],
  ['s3:ListBucket', `${S3}acme-athena-results`, true],
  ['s3:DeleteObject', `${S3}acme-athena-results/primary/x.csv`, false],
  ['s3:GetObject', `${S3}acme-data-lake/sales/orders/part-0000.parquet`, true],
  // One statement for all actions and resources: write access to the Glue bucket comes with it.
  ['s3:PutObject', `${S3}acme-data-lake/sales/x`, true],
  // sts:AssumeRole is listed, but no iam role ARN is among the resources.
  ['sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/anything`, false],
  ['cloudtrail:LookupEvents', '*', false],
];
SEEDS['secoda-user'] = [...SECODA, ['glue:GetJobRuns', `${GLUE}:job/nightly`, true]];
// Option 2's policy is Option 1's without glue:GetJobRuns.
SEEDS['secoda-role'] = [...SECODA, ['glue:GetJobRuns', `${GLUE}:job/nightly`, false], ['glue:GetJobs', `${GLUE}:job/nightly`, true]];

describe('the vendors\' policies, action by action', () => {
  for (const [scenario, rows] of Object.entries(SEEDS)) {
    describe(scenario, () => {
      const decides = samplePrincipalDecides(scenario);
      it.each(rows)('%s on %s → %s', (action, resource, expected) => {
        expect(decides(action, resource)).toBe(expected);
      });
    });
  }

  it('covers every seed scenario', () => {
    expect(Object.keys(SEEDS).sort()).toEqual(
      ['coalesce-full', 'coalesce-glue-athena', 'coalesce-glue-only', 'immuta', 'qualytics', 'secoda-role', 'secoda-user', 'skoot-scope-a', 'skoot-scope-b'],
    );
  });
});

describe('the failure-mode scenarios\' policies', () => {
  it.each([
    ['scp-deny-athena', 'athena:ListWorkGroups', '*', 'scp!'],
    ['scp-deny-athena', 'athena:StartQueryExecution', `${ATHENA}:workgroup/primary`, 'scp!'],
    ['scp-deny-athena', 'glue:GetTables', `${GLUE}:database/sales`, true],
    ['scp-deny-athena', 's3:PutObject', `${S3}acme-athena-results/primary/x`, true],
    ['permissions-boundary', 'glue:GetTables', `${GLUE}:database/sales`, true],
    ['permissions-boundary', 'sts:GetCallerIdentity', '*', true],
    ['permissions-boundary', 'athena:ListWorkGroups', '*', 'boundary'],
    ['permissions-boundary', 's3:PutObject', `${S3}acme-athena-results/primary/x`, 'boundary'],
    ['permissions-boundary', 'cloudtrail:LookupEvents', '*', 'boundary'],
    ['kms-encrypted-results', 'kms:GenerateDataKey', KEY, true],
    ['kms-encrypted-results', 'kms:Decrypt', KEY, true],
    ['kms-denied', 'kms:GenerateDataKey', KEY, 'identity'],
    ['kms-denied', 's3:PutObject', `${S3}acme-athena-results/primary/x`, true],
  ] as const)('%s: %s on %s → %s', (name, action, resource, expected) => {
    const scenario = loadScenario(name);
    const user = scenario.users.find((u) => `user:${u.name}` === scenario.sample!.credentials)!;
    const key = scenario.kms.keys[0];
    const isKms = action.startsWith('kms:');
    const decision = authorize(
      { action, resource, principal: { arn: `arn:aws:iam::${ACCOUNT}:user/${user.name}`, accountId: ACCOUNT } },
      {
        identity: user.policies,
        permissionsBoundary: user.permissionsBoundary,
        serviceControlPolicies: scenario.serviceControlPolicies,
        ...(isKms ? { resourcePolicy: key!.policy, resourcePolicyRequired: true } : {}),
      },
    );
    expect(outcome(decision)).toBe(expected);
  });
});
