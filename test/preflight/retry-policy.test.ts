// How long a failed call waits before it is tried again: the quota AWS documents for an action,
// or the defaults. Pure arithmetic: the jitter is given, no clock is involved.
import { describe, expect, it } from 'vitest';
import { requestQuotaOf } from '../../src/catalogue/aws-errors.js';
import { type ClassifiedError, classifyError } from '../../src/preflight/classify.js';
import { retryDelayMs } from '../../src/preflight/retry.js';

const DEFAULTS = { maxAttempts: 4, baseDelayMs: 100 };
const awsError = (name: string, status: number) => Object.assign(new Error(name), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
const classified = (action: string, name: string, status = 400): ClassifiedError => classifyError(awsError(name, status), { action });
const lowest = () => 0;
const highest = () => 0.999_999;

describe('retrying LookupEvents (2 requests a second per account and region)', () => {
  const throttled = classified('cloudtrail:LookupEvents', 'ThrottlingException');

  it('knows the quota', () => {
    expect(requestQuotaOf('cloudtrail:LookupEvents')).toEqual({ requestsPerSecond: 2, per: 'account and region' });
    expect(requestQuotaOf('glue:GetTables')).toBeUndefined();
  });

  it('waits at least the quota interval, jittered, and keeps trying whatever the attempt count', () => {
    for (const attempt of [1, 2, 4, 10, 40]) {
      expect(retryDelayMs('cloudtrail:LookupEvents', throttled, attempt, 20_000, DEFAULTS, lowest)).toBe(500);
      const longest = retryDelayMs('cloudtrail:LookupEvents', throttled, attempt, 20_000, DEFAULTS, highest)!;
      expect(longest).toBeGreaterThan(500);
      expect(longest).toBeLessThanOrEqual(1500);
    }
    expect(retryDelayMs('cloudtrail:LookupEvents', throttled, 1, 20_000, DEFAULTS, highest)).toBeLessThanOrEqual(1000);
  });

  it('gives up only when the deadline leaves no interval for the call after the wait', () => {
    expect(retryDelayMs('cloudtrail:LookupEvents', throttled, 3, 1200, DEFAULTS, highest)).toBe(700);
    expect(retryDelayMs('cloudtrail:LookupEvents', throttled, 3, 1000, DEFAULTS, lowest)).toBe(500);
    expect(retryDelayMs('cloudtrail:LookupEvents', throttled, 3, 999, DEFAULTS, lowest)).toBeUndefined();
  });

  it('says the quota is shared with other tools', () => {
    expect(throttled).toMatchObject({ category: 'throttled', message: 'cloudtrail:LookupEvents was throttled by AWS (quota shared with other tools: 2 requests a second per account and region)' });
  });

  it('never retries a denial, and retries a 5xx of a quota-limited action like any other', () => {
    expect(retryDelayMs('cloudtrail:LookupEvents', classified('cloudtrail:LookupEvents', 'AccessDeniedException'), 1, 20_000, DEFAULTS, lowest)).toBeUndefined();
    const failed = classified('cloudtrail:LookupEvents', 'InternalServerError', 500);
    expect(retryDelayMs('cloudtrail:LookupEvents', failed, 1, 20_000, DEFAULTS, highest)).toBeLessThan(100);
    expect(retryDelayMs('cloudtrail:LookupEvents', failed, 4, 20_000, DEFAULTS, lowest)).toBeUndefined();
  });
});

describe('retrying other throttling', () => {
  const throttled = classified('glue:GetTables', 'ThrottlingException');

  it('keeps full-jitter exponential backoff and the attempt count', () => {
    expect(throttled.message).toBe('glue:GetTables was throttled by AWS');
    expect(retryDelayMs('glue:GetTables', throttled, 1, 20_000, DEFAULTS, highest)).toBeLessThan(100);
    expect(retryDelayMs('glue:GetTables', throttled, 3, 20_000, DEFAULTS, highest)).toBeLessThan(400);
    expect(retryDelayMs('glue:GetTables', throttled, 3, 20_000, DEFAULTS, lowest)).toBe(0);
    expect(retryDelayMs('glue:GetTables', throttled, 4, 20_000, DEFAULTS, lowest)).toBeUndefined();
    expect(retryDelayMs('glue:GetTables', throttled, 1, 50, DEFAULTS, highest)).toBeUndefined();
  });

  it('never retries a denial', () => {
    expect(retryDelayMs('glue:GetTables', classified('glue:GetTables', 'AccessDeniedException'), 1, 20_000, DEFAULTS, lowest)).toBeUndefined();
  });
});

describe('retrying a reset connection', () => {
  const reset = (action: string) => classifyError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', name: 'TimeoutError' }), { action });

  it('retries a read, as the SDK standard strategy would', () => {
    expect(retryDelayMs('glue:GetTables', reset('glue:GetTables'), 1, 20_000, DEFAULTS, highest)).toBeGreaterThan(0);
  });

  it('never retries a write, which the reset may have let through', () => {
    expect(retryDelayMs('s3:PutObject', reset('s3:PutObject'), 1, 20_000, DEFAULTS, highest)).toBeUndefined();
  });
});
