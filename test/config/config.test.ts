// The environment, read once at the edge: defaults, and a clear error naming the variable for
// anything it cannot use (never a stack trace, never a silent fallback).
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { CLEANUP_GRACE_MS } from '../../src/preflight/engine.js';

const KEY = 'k'.repeat(24);

describe('loadConfig', () => {
  it('has safe defaults: loopback, authentication on, no ambient credentials, bounded concurrency', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      apiKeys: [],
      authDisabled: false,
      allowAmbient: false,
      maxConcurrentRuns: 64,
      maxConcurrentCalls: 256,
      aws: { endpoints: {} },
    });
    expect(config.aws.defaultEndpoint).toBeUndefined();
  });

  it('reads the limits and the endpoints it is given', () => {
    const config = loadConfig({
      PREFLIGHT_API_KEYS: `${KEY}, ${'j'.repeat(20)}`,
      PREFLIGHT_MAX_CONCURRENT_RUNS: '200',
      PREFLIGHT_MAX_CONCURRENT_CALLS: '128',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4567',
    });
    expect(config.apiKeys).toEqual([KEY, 'j'.repeat(20)]);
    expect(config.maxConcurrentRuns).toBe(200);
    expect(config.maxConcurrentCalls).toBe(128);
    expect(config.aws.defaultEndpoint).toBe('http://127.0.0.1:4566');
    expect(config.aws.endpoints.s3).toBe('http://127.0.0.1:4567');
  });

  it.each([
    ['PREFLIGHT_MAX_CONCURRENT_CALLS', '0', /PREFLIGHT_MAX_CONCURRENT_CALLS must be an integer from 1 to 10000, got "0"/],
    ['PREFLIGHT_MAX_CONCURRENT_CALLS', 'many', /PREFLIGHT_MAX_CONCURRENT_CALLS must be an integer/],
    ['PREFLIGHT_MAX_CONCURRENT_RUNS', '2.5', /PREFLIGHT_MAX_CONCURRENT_RUNS must be an integer/],
    ['PORT', '70000', /PORT must be an integer from 0 to 65535/],
    ['PREFLIGHT_ALLOW_AMBIENT', 'sometimes', /PREFLIGHT_ALLOW_AMBIENT must be true or false/],
    ['AWS_ENDPOINT_URL_GLUE', 'ftp://example.com', /AWS_ENDPOINT_URL_GLUE must be an http\(s\) URL/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
  ])('refuses %s=%s, naming it', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('refuses short API keys without echoing them', () => {
    const attempt = () => loadConfig({ PREFLIGHT_API_KEYS: `${KEY},tooshort` });
    expect(attempt).toThrow(/PREFLIGHT_API_KEYS: every key must be at least 16 characters/);
    expect(attempt).not.toThrow(/tooshort/);
  });

  it('refuses API keys that no Authorization header can carry, without echoing them', () => {
    for (const bad of ['key with a space inside', 'clé-non-ascii-0123456789', 'ключ-0123456789abcdef']) {
      const attempt = () => loadConfig({ PREFLIGHT_API_KEYS: `${KEY},${bad}` });
      expect(attempt, bad).toThrow(/only visible ASCII characters/);
      expect(attempt, bad).not.toThrow(new RegExp(bad));
    }
  });

  it('lets a run at its default maximum, its clean-up and its answer fit in the default shutdown grace', () => {
    const config = loadConfig({});
    expect(config.maxRunMs + CLEANUP_GRACE_MS).toBeLessThan(config.shutdownGraceMs);
  });

  it('refuses to listen beyond loopback without API keys, unless authentication is disabled on purpose', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/HOST is 0.0.0.0 but PREFLIGHT_API_KEYS is empty/);
    expect(loadConfig({ HOST: '0.0.0.0', PREFLIGHT_API_KEYS: KEY }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0', PREFLIGHT_AUTH_DISABLED: 'true' }).authDisabled).toBe(true);
  });
});
