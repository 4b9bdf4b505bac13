// Principals as trust policies and Lake Formation grants name them.
import { describe, expect, it } from 'vitest';
import { iamPrincipalOf } from '../../src/catalogue/resources.js';

describe('iamPrincipalOf', () => {
  it('names the role behind an assumed-role session, which a trust policy or a grant can name', () => {
    expect(iamPrincipalOf('arn:aws:sts::999999999999:assumed-role/PreflightService/i-0abc')).toBe('arn:aws:iam::999999999999:role/PreflightService');
    expect(iamPrincipalOf('arn:aws-cn:sts::999999999999:assumed-role/Svc/s')).toBe('arn:aws-cn:iam::999999999999:role/Svc');
    expect(iamPrincipalOf('arn:aws:iam::999999999999:user/preflight-service')).toBe('arn:aws:iam::999999999999:user/preflight-service');
  });
});
