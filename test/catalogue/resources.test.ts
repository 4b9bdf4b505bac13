// Principals as trust policies and Lake Formation grants name them.
import { describe, expect, it } from 'vitest';
import { statementsFor } from '../../src/catalogue/remediation.js';
import { iamPrincipalOf } from '../../src/catalogue/resources.js';

describe('iamPrincipalOf', () => {
  it('names the role behind an assumed-role session, which a trust policy or a grant can name', () => {
    expect(iamPrincipalOf('arn:aws:sts::999999999999:assumed-role/PreflightService/i-0abc')).toBe('arn:aws:iam::999999999999:role/PreflightService');
    expect(iamPrincipalOf('arn:aws-cn:sts::999999999999:assumed-role/Svc/s')).toBe('arn:aws-cn:iam::999999999999:role/Svc');
    expect(iamPrincipalOf('arn:aws:iam::999999999999:user/preflight-service')).toBe('arn:aws:iam::999999999999:user/preflight-service');
  });
});

describe('S3 grants for a prefix of slashes', () => {
  it("grant the keys under \"/\" (a workgroup's s3://bucket//), never the whole bucket", () => {
    const statements = statementsFor(['s3:PutObject', 's3:GetObject', 's3:ListBucket'], { region: 'eu-west-1', accountId: '123456789012', databases: [], bucket: 'results', prefix: '/' });
    const resources = statements.flatMap((statement) => statement.Resource);
    expect(resources).toContain('arn:aws:s3:::results//*');
    expect(resources).not.toContain('arn:aws:s3:::results/*');
    const listing = statements.find((statement) => statement.Action.includes('s3:ListBucket'))!;
    expect(listing.Condition).toEqual({ StringLike: { 's3:prefix': ['/', '/*'] } });
  });
});
