// The watch's variables: the webhook signed always, its URL and secret never echoed, the watch only
// with a report store and room for an API caller's run.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const HOOK = 'https://hooks.slack.com/services/T000/B000/token-not-to-be-shown';
const SECRET = 'webhook-secret-0123456789';

describe('the watch configuration', () => {
  it('reads the watch file, the webhook, its secret, the public address and the time scale', () => {
    const config = loadConfig({ PREFLIGHT_WATCH_FILE: '/etc/preflight/watch.yaml', PREFLIGHT_WATCH_WEBHOOK: HOOK, PREFLIGHT_WATCH_WEBHOOK_SECRET: SECRET, PREFLIGHT_PUBLIC_URL: 'https://preflight.example.com' });
    expect(config).toMatchObject({ watchFile: '/etc/preflight/watch.yaml', watchWebhook: HOOK, watchWebhookSecret: SECRET, publicUrl: 'https://preflight.example.com', watchTimeScale: 1 });
    expect(loadConfig({}).watchFile).toBeUndefined();
    expect(loadConfig({ PREFLIGHT_WATCH_TIME_SCALE: '60' }).watchTimeScale).toBe(60);
    expect(() => loadConfig({ PREFLIGHT_WATCH_TIME_SCALE: '0' })).toThrow(/PREFLIGHT_WATCH_TIME_SCALE must be an integer from 1 to 3600/);
  });

  it('refuses a webhook without a secret to sign with, or a short one, without echoing either', () => {
    const refusal = (env: Record<string, string>) => {
      const attempt = () => loadConfig({ PREFLIGHT_WATCH_FILE: 'watch.yaml', ...env });
      expect(attempt).toThrow(ConfigError);
      const message = (() => {
        try {
          attempt();
        } catch (error) {
          return (error as Error).message;
        }
      })()!;
      expect(message).not.toContain('token-not-to-be-shown');
      expect(message).not.toContain('short-secret');
      return message;
    };
    expect(refusal({ PREFLIGHT_WATCH_WEBHOOK: HOOK })).toMatch(/PREFLIGHT_WATCH_WEBHOOK needs PREFLIGHT_WATCH_WEBHOOK_SECRET/);
    expect(refusal({ PREFLIGHT_WATCH_WEBHOOK: HOOK, PREFLIGHT_WATCH_WEBHOOK_SECRET: 'short-secret' })).toMatch(/at least 16 characters/);
    expect(refusal({ PREFLIGHT_WATCH_WEBHOOK: 'ftp://example.com/token-not-to-be-shown', PREFLIGHT_WATCH_WEBHOOK_SECRET: SECRET })).toMatch(/must be an http\(s\) URL \(its value is not shown/);
  });

  it('refuses a webhook with nothing watched, a watch with no report store, and a watch with a single run slot', () => {
    expect(() => loadConfig({ PREFLIGHT_WATCH_WEBHOOK: HOOK, PREFLIGHT_WATCH_WEBHOOK_SECRET: SECRET })).toThrow(/PREFLIGHT_WATCH_FILE is not/);
    expect(() => loadConfig({ PREFLIGHT_WATCH_FILE: 'w.yaml', PREFLIGHT_REPORT_STORE: 'off' })).toThrow(/PREFLIGHT_WATCH_FILE needs the report store/);
    expect(() => loadConfig({ PREFLIGHT_WATCH_FILE: 'w.yaml', PREFLIGHT_MAX_CONCURRENT_RUNS: '1' })).toThrow(/never takes the last run slot from an API caller/);
    expect(loadConfig({ PREFLIGHT_WATCH_FILE: 'w.yaml', PREFLIGHT_MAX_CONCURRENT_RUNS: '2' }).maxConcurrentRuns).toBe(2);
  });
});
