// The coverage request's validation: the connection by POST /preflight's own rules, and each policy
// document element by element, the bad one named by its JSON pointer and never by what it held.
import { describe, expect, it } from 'vitest';
import { validateCoverageRequest } from '../../src/coverage/request.js';

const POLICY = { Version: '2012-10-17', Statement: [{ Sid: 'Glue', Effect: 'Allow', Action: ['glue:GetTables'], Resource: '*' }] };
const BODY = { region: 'eu-west-1', accountId: '123456789012', policies: [POLICY] };
const issuesOf = (body: unknown) => {
  const result = validateCoverageRequest(body);
  if (result.ok) throw new Error('expected a refusal');
  return result.issues;
};
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY1';

describe('the coverage request', () => {
  it('takes policy documents and the connection, filling in what a preflight would', () => {
    const result = validateCoverageRequest({ ...BODY, glue: { databases: ['sales'] }, results: { encryption: 'SSE_KMS', kmsKey: 'arn:aws:kms:eu-west-1:123456789012:alias/results', acl: 'BUCKET_OWNER_FULL_CONTROL' } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.input.capabilities).toContain('metadata');
    expect(result.input.capabilities).not.toContain('query-execution');
    expect(result.input.required).toEqual(['connection', 'metadata']);
    // A condition's numbers are compared as text, as IAM does.
    const numeric = validateCoverageRequest({ ...BODY, policies: [{ Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: { NumericLessThan: { 's3:max-keys': 10 } } } }] });
    expect(numeric.ok && numeric.input.policies[0]!.Statement).toMatchObject({ Condition: { NumericLessThan: { 's3:max-keys': '10' } } });
  });

  it('names each malformed element of a policy by its pointer', () => {
    const bad = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'glue:GetTables', Resource: '*' },
        { Effect: 'Permit', Action: 'glue:GetTables', Resource: '*' },
        { Effect: 'Allow', Action: ['glue:GetTables', 'not an action'], Resource: '*' },
        { Effect: 'Allow', Action: 'glue:GetTables' },
        { Effect: 'Allow', Action: 'glue:*', NotAction: 's3:*', Resource: '*' },
        { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'glue:*', Resource: '*' },
        { Effect: 'Allow', Action: 'glue:*', Resource: 'glue-everything' },
      ],
    };
    expect(issuesOf({ ...BODY, policies: [POLICY, bad] })).toEqual([
      { path: '/policies/1/Statement/1/Effect', message: 'must be "Allow" or "Deny"' },
      { path: '/policies/1/Statement/2/Action/1', message: 'must be an action such as glue:GetTables (wildcards allowed)' },
      { path: '/policies/1/Statement/3/Resource', message: 'is required (or NotResource)' },
      { path: '/policies/1/Statement/4', message: 'must have Action or NotAction, not both' },
      { path: '/policies/1/Statement/5/Principal', message: expect.stringMatching(/names no principal/) },
      { path: '/policies/1/Statement/6/Resource', message: 'must be a resource ARN or *' },
    ]);
    expect(issuesOf({ ...BODY, policies: [{ Statement: [] }] })).toEqual([{ path: '/policies/0/Statement', message: 'must hold at least one statement' }]);
    expect(issuesOf({ ...BODY, policies: [] })).toEqual([{ path: '/policies', message: 'must be a non-empty list of IAM policy documents' }]);
    expect(issuesOf({ ...BODY, policies: undefined })).toEqual([{ path: '/policies', message: 'is required: the identity policy documents to judge' }]);
    expect(issuesOf({ ...BODY, permissionsBoundary: 'Allow everything' })).toEqual([{ path: '/permissionsBoundary', message: 'must be an IAM policy document (an object with Statement)' }]);
    // An SCP may leave Resource out; an identity policy may not.
    expect(validateCoverageRequest({ ...BODY, scps: [{ Statement: { Effect: 'Deny', Action: 'athena:*' } }] }).ok).toBe(true);
  });

  it('names the connection fields as POST /preflight does', () => {
    expect(issuesOf({ ...BODY, region: 'mars-1', athena: { outputLocation: 'bucket/prefix' }, capabilities: ['metadata', 'telepathy'] })).toEqual([
      { path: '/region', message: 'must be an AWS region such as eu-west-1' },
      { path: '/athena/outputLocation', message: expect.stringMatching(/^must be an S3 URI/) },
      { path: '/capabilities/1', message: expect.stringMatching(/^must be one of connection, metadata/) },
    ]);
    expect(issuesOf({ ...BODY, results: { encryption: 'ROT13', acl: 'PUBLIC' } })).toEqual([
      { path: '/results/encryption', message: 'must be one of SSE_S3, SSE_KMS, CSE_KMS' },
      { path: '/results/acl', message: 'must be BUCKET_OWNER_FULL_CONTROL' },
    ]);
  });

  it('never repeats what an unknown field, operator or key was called, nor a value', () => {
    const pasted = { ...BODY, [SECRET]: 'x', policies: [{ Statement: { Effect: 'Allow', Action: '*', Resource: '*', [SECRET]: 1, Condition: { [SECRET]: { k: 'v' }, StringEquals: { 'aws:PrincipalTag/team': { [SECRET]: 1 } } } } }] };
    const issues = issuesOf(pasted);
    expect(JSON.stringify(issues)).not.toContain(SECRET);
    expect(JSON.stringify(issues)).not.toContain('wJalr');
    expect(issues.map((i) => i.path)).toEqual(['/', '/policies/0/Statement', '/policies/0/Statement/Condition', '/policies/0/Statement/Condition/StringEquals']);
    // A secret as a value is not repeated either: its place is named.
    const value = issuesOf({ ...BODY, policies: [{ Statement: { Effect: SECRET, Action: '*', Resource: '*' } }] });
    expect(value).toEqual([{ path: '/policies/0/Statement/Effect', message: 'must be "Allow" or "Deny"' }]);
  });

  it('refuses control characters and bidirectional overrides anywhere in a policy', () => {
    const issues = issuesOf({ ...BODY, policies: [{ Statement: { Sid: 'A\u001b[31m', Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b\u202e', Condition: { StringEquals: { 'aws:UserAgent': 'x\u0085' } } } }] });
    const words = 'must not contain control characters or bidirectional overrides';
    expect(issues).toEqual([
      { path: '/policies/0/Statement/Sid', message: words },
      { path: '/policies/0/Statement/Resource', message: words },
      { path: '/policies/0/Statement/Condition', message: words },
    ]);
  });
});
