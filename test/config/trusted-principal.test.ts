// PREFLIGHT_TRUSTED_PRINCIPAL: the principal customers' roles trust (POST /setup), an IAM ARN only.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('PREFLIGHT_TRUSTED_PRINCIPAL', () => {
  it('is unset by default', () => {
    expect(loadConfig({}).trustedPrincipal).toBeUndefined();
    expect(loadConfig({ PREFLIGHT_TRUSTED_PRINCIPAL: ' ' }).trustedPrincipal).toBeUndefined();
  });

  it.each(['arn:aws:iam::999999999999:role/preflight-service', 'arn:aws:iam::999999999999:role/service/path/preflight', 'arn:aws:iam::999999999999:user/preflight-service', 'arn:aws-us-gov:iam::999999999999:root'])(
    'takes %s',
    (arn) => {
      expect(loadConfig({ PREFLIGHT_TRUSTED_PRINCIPAL: arn }).trustedPrincipal).toBe(arn);
    },
  );

  it('refuses a session ARN, saying a trust policy names the role', () => {
    expect(() => loadConfig({ PREFLIGHT_TRUSTED_PRINCIPAL: 'arn:aws:sts::999999999999:assumed-role/preflight-service/i-0abc' })).toThrow(/not an STS session ARN/);
  });

  it.each(['preflight-service', 'arn:aws:iam::9999:role/x', 'arn:aws:s3:::bucket'])('refuses %s', (value) => {
    expect(() => loadConfig({ PREFLIGHT_TRUSTED_PRINCIPAL: value })).toThrow(ConfigError);
  });
});
