// Condition operators the differential test (iam-differential.test.ts) found missing or wrong in the
// sandbox's evaluator, each expectation from the IAM User Guide's condition operators page.
import { describe, expect, it } from 'vitest';
import { type AuthorizationRequest, authorize } from '../../src/iam/evaluate.js';
import type { PolicyStatement } from '../../src/sandbox/scenario.js';

const USER = { arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333' };

function holds(condition: PolicyStatement['Condition'], context: AuthorizationRequest['context'] = {}): boolean {
  const statement: PolicyStatement = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: condition };
  return authorize({ action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', principal: USER, context }, { identity: [{ Version: '2012-10-17', Statement: [statement] }] }).allowed;
}

describe('condition operators', () => {
  it.each([
    // Date: ISO 8601 or epoch seconds, on either side, compared as instants.
    ['DateLessThan, ISO', { DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, { 'aws:CurrentTime': '2025-06-01T00:00:00Z' }, true],
    ['DateLessThan, later', { DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, { 'aws:CurrentTime': '2026-06-01T00:00:00Z' }, false],
    ['DateGreaterThan, epoch policy and ISO request', { DateGreaterThan: { 'aws:CurrentTime': '1767225600' } }, { 'aws:CurrentTime': '2026-01-15T12:00:00Z' }, true],
    ['DateEquals, the same instant in both forms', { DateEquals: { 'aws:EpochTime': '2026-01-01T00:00:00Z' } }, { 'aws:EpochTime': '1767225600' }, true],
    ['DateLessThanEquals, a date alone is its midnight UTC', { DateLessThanEquals: { 'aws:CurrentTime': '2025-12-31' } }, { 'aws:CurrentTime': '2025-12-31T00:00:00Z' }, true],
    ['DateNotEquals, another instant', { DateNotEquals: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, { 'aws:CurrentTime': '2025-06-01T00:00:00Z' }, true],
    ['DateNotEquals, the same instant', { DateNotEquals: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, { 'aws:CurrentTime': '2026-01-01T00:00:00Z' }, false],
    ['DateNotEquals, a missing key', { DateNotEquals: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, {}, true],
    ['DateEquals, not a date', { DateEquals: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, { 'aws:CurrentTime': 'yesterday' }, false],
    ['DateNotEquals, not a date', { DateNotEquals: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, { 'aws:CurrentTime': 'yesterday' }, false],
    // IP address: CIDR ranges, a bare address being one address; IPv4 and IPv6.
    ['IpAddress, in the range', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.113.7' }, true],
    ['IpAddress, outside the range', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '198.51.100.1' }, false],
    ['IpAddress, a bare address', { IpAddress: { 'aws:SourceIp': '203.0.113.7' } }, { 'aws:SourceIp': '203.0.113.7' }, true],
    ['IpAddress, 0.0.0.0/0 holds every IPv4 address', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, { 'aws:SourceIp': '198.51.100.1' }, true],
    ['IpAddress, an IPv6 range', { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, { 'aws:SourceIp': '2001:db8::5' }, true],
    ['IpAddress, an IPv4 range and an IPv6 address', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, { 'aws:SourceIp': '2001:db8::5' }, false],
    ['NotIpAddress, an IPv4 address and an IPv6 request', { NotIpAddress: { 'aws:SourceIp': '203.0.113.7' } }, { 'aws:SourceIp': '2001:db8::5' }, true],
    ['NotIpAddress, in one of the ranges', { NotIpAddress: { 'aws:SourceIp': ['198.51.100.0/24', '203.0.113.0/24'] } }, { 'aws:SourceIp': '203.0.113.7' }, false],
    ['NotIpAddress, a missing key', { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, {}, true],
    // Numeric: NumericNotEquals is the negation of NumericEquals, values compared as numbers.
    ['NumericNotEquals, another number', { NumericNotEquals: { 'aws:MultiFactorAuthAge': '300' } }, { 'aws:MultiFactorAuthAge': '3600' }, true],
    ['NumericNotEquals, the same number', { NumericNotEquals: { 'aws:MultiFactorAuthAge': '300' } }, { 'aws:MultiFactorAuthAge': '300.0' }, false],
    ['NumericNotEquals, a missing key', { NumericNotEquals: { 'aws:MultiFactorAuthAge': '300' } }, {}, true],
    ['NumericLessThan, not a number', { NumericLessThan: { 'aws:MultiFactorAuthAge': '300' } }, { 'aws:MultiFactorAuthAge': '' }, false],
    // ARN: each of the six colon-delimited components is matched on its own.
    ['ArnLike, a wildcard within a component', { ArnLike: { 'aws:SourceArn': 'arn:aws:logs:*:*:log-group:a?p' } }, { 'aws:SourceArn': 'arn:aws:logs:eu-west-1:111122223333:log-group:app' }, true],
    ['ArnLike, a wildcard does not cross a colon', { ArnLike: { 'aws:SourceArn': 'arn:aws:logs:*:log-group:app' } }, { 'aws:SourceArn': 'arn:aws:logs:eu-west-1:111122223333:log-group:app' }, false],
    ['ArnNotLike, a wildcard does not cross a colon', { ArnNotLike: { 'aws:SourceArn': 'arn:aws:logs:*:log-group:app' } }, { 'aws:SourceArn': 'arn:aws:logs:eu-west-1:111122223333:log-group:app' }, true],
    ['ArnEquals takes wildcards as ArnLike does', { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/a*' } }, {}, true],
    ['ArnLike, fewer than six components match nothing', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*' } }, {}, false],
  ] as const)('%s', (_name, condition, context, expected) => {
    expect(holds(condition as PolicyStatement['Condition'], context as AuthorizationRequest['context'])).toBe(expected);
  });
});
