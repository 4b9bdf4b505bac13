// `npm install && npm start` on a fresh checkout: the install builds (the `prepare` script, which npm
// runs at the end of `npm install` and `npm ci`), the start serves, and says what callers must send.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshCheckout, start, userPath } from './processes.js';

const checkout = freshCheckout();
afterAll(() => checkout.remove());

const KEYS = ['start-test-key-one-0123456789', 'start-test-key-two-0123456789'];

describe('a fresh checkout', () => {
  it('serves with `npm start` once `npm install` has run its prepare step, logging how many API keys it accepts', async () => {
    expect(existsSync(join(checkout.dir, 'dist'))).toBe(false);
    // node_modules is in place (linked), so what is left of `npm install` is its lifecycle script.
    const prepare = start('npm', ['run', 'prepare'], { cwd: checkout.dir, env: { PATH: userPath(), HOME: process.env.HOME } });
    await new Promise((done) => prepare.child.once('close', done));
    expect(prepare.child.exitCode, prepare.output()).toBe(0);

    const service = start('npm', ['start'], {
      cwd: checkout.dir,
      env: { PATH: userPath(), HOME: process.env.HOME, PORT: '0', PREFLIGHT_API_KEYS: KEYS.join(','), AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
    });
    try {
      const [, url] = await service.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      expect(service.output()).toMatch(/Authorization: Bearer <key>, 2 API keys accepted \(PREFLIGHT_API_KEYS\)/);
      for (const key of KEYS) expect(service.output()).not.toContain(key);
    } finally {
      await service.stop();
    }
  }, 60_000);
});
