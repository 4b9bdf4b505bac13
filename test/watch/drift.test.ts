// The watch end to end on a clock moved by hand: the service watches a role in the sandbox, the
// role loses a grant between two runs and gets it back before the next, and the webhook (a real
// HTTP server) receives exactly one "worse" and one "recovered" notification, each verified here
// by its HMAC-SHA256 signature, computed independently of the service's code.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { loadWatchFile } from '../../src/watch/file.js';
import { type TempStore, tempStore } from '../store/support.js';
import { WATCH_API_KEY, capturingLogger, fakeClock, startReceiver, watchedApp } from './support.js';

const SECRET = 'watch-webhook-secret-0123456789';
/** full-access's role trusts the service's identity with this external ID. */
const EXTERNAL_ID = 'acme-7f3c2a';
const HOUR = 60 * 60 * 1000;
/** The default interval (6 h) at its longest, with its jitter. */
const LONGEST_INTERVAL = 6.6 * HOUR;

let sandbox: Sandbox;
let temp: TempStore;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let dir: string;

beforeAll(async () => {
  [sandbox, temp, receiver] = await Promise.all([startSandbox({ scenario: 'full-access' }), tempStore(), startReceiver()]);
  dir = mkdtempSync(join(tmpdir(), 'preflight-watch-'));
});
afterAll(async () => {
  await Promise.all([sandbox?.close(), temp?.remove(), receiver?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

/** The body of a delivery, once its signature is verified as a receiver would: over the raw bytes, with the timestamp header, in constant time. */
function verified(delivery: { headers: Record<string, unknown>; raw: string }) {
  const timestamp = String(delivery.headers['x-preflight-timestamp']);
  expect(timestamp).toMatch(/^\d+$/);
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${delivery.raw}`).digest('hex')}`);
  const given = Buffer.from(String(delivery.headers['x-preflight-signature']));
  expect(given.length === expected.length && timingSafeEqual(given, expected)).toBe(true);
  // The same body under another key does not verify.
  expect(createHmac('sha256', `${SECRET}-other`).update(`${timestamp}.${delivery.raw}`).digest('hex')).not.toBe(given.toString().slice(7));
  return JSON.parse(delivery.raw);
}

describe('the watch', () => {
  it('sends exactly one "worse" when a grant is revoked and one "recovered" when it is restored, each signed', async () => {
    writeFileSync(join(dir, 'acme-external-id'), `${EXTERNAL_ID}\n`);
    writeFileSync(
      join(dir, 'watch.yaml'),
      [
        'connections:',
        '  - label: acme-prod',
        '    region: eu-west-1',
        "    accountId: '123456789012'",
        '    roleArn: arn:aws:iam::123456789012:role/PreflightReadOnly',
        '    externalIdFile: acme-external-id',
        '    capabilities: [metadata, query-history]',
      ].join('\n'),
    );
    const connections = await loadWatchFile(join(dir, 'watch.yaml'), {});
    const time = fakeClock();
    const logs: string[] = [];
    const { app, clients } = await watchedApp(
      sandbox,
      temp.store,
      { connections, webhook: { url: receiver.url, secret: SECRET }, publicUrl: 'https://preflight.example.com/', clock: time.clock, random: Math.random },
      { logger: capturingLogger(logs) },
    );
    const role = sandbox.scenario.roles.find((r) => r.name === 'PreflightReadOnly')!;
    const granted = role.policies;
    try {
      await app.ready();
      const watchList = async () => (await app.inject({ url: '/watch', headers: { authorization: `Bearer ${WATCH_API_KEY}` } })).json();
      expect((await watchList()).connections).toEqual([{ label: 'acme-prod', lastRun: null, nextRunAt: expect.any(String) }]);
      expect(Date.parse((await watchList()).connections[0].nextRunAt) - time.now()).toBeLessThanOrEqual(60_000);

      // The first run, within a minute of the start: the baseline, nothing to tell.
      await time.advance(60_000);
      const first = (await watchList()).connections[0];
      expect(first.lastRun).toMatchObject({ status: 'ok' });
      expect(receiver.received).toHaveLength(0);

      // The customer's admin revokes athena:ListQueryExecutions.
      role.policies = [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: ['athena:ListQueryExecutions'], Resource: '*' }] }] as typeof granted;
      await time.advance(LONGEST_INTERVAL);
      expect(receiver.received).toHaveLength(1);
      const worse = verified(receiver.received[0]!);
      expect(receiver.received[0]!.headers['x-preflight-event']).toBe('worse');
      const second = (await watchList()).connections[0];
      expect(second.lastRun.id).not.toBe(first.lastRun.id);
      expect(worse).toMatchObject({
        event: 'worse',
        connection: 'acme-prod',
        run: { id: second.lastRun.id, status: 'degraded', path: `/preflight/${second.lastRun.id}`, url: `https://preflight.example.com/preflight/${second.lastRun.id}`, page: `https://preflight.example.com/#/runs/${second.lastRun.id}` },
        previousRun: { id: first.lastRun.id, status: 'ok' },
        capabilities: [{ id: 'query-history', from: 'ok', to: 'unavailable', missingActions: ['athena:ListQueryExecutions'] }],
        actions: { newlyMissing: ['athena:ListQueryExecutions'] },
      });
      // The fix: the statement that grants it back, for the capability and in the whole policy.
      expect(worse.capabilities[0].fix.statements.flatMap((s: { Action: string[] }) => s.Action)).toContain('athena:ListQueryExecutions');
      expect(JSON.stringify(worse.policy)).toContain('athena:ListQueryExecutions');
      expect(worse.text).toMatch(/^:warning: Preflight watch: \*acme-prod\* got worse \(ok → degraded\), <https:\/\/preflight\.example\.com\/#\/runs\/\w+\|run \w+>\n• Query history \(`query-history`\): ok → unavailable, missing `athena:ListQueryExecutions`\n {4}Fix: /);
      // The link leads to the stored report.
      const linked = await app.inject({ url: worse.run.path, headers: { authorization: `Bearer ${WATCH_API_KEY}` } });
      expect(linked.statusCode).toBe(200);
      expect(linked.json().capabilities.find((c: { id: string }) => c.id === 'query-history').status).toBe('unavailable');

      // The grant is back before the next run.
      role.policies = granted;
      await time.advance(LONGEST_INTERVAL);
      expect(receiver.received).toHaveLength(2);
      const recovered = verified(receiver.received[1]!);
      expect(recovered).toMatchObject({
        event: 'recovered',
        connection: 'acme-prod',
        run: { status: 'ok' },
        previousRun: { id: second.lastRun.id, status: 'degraded' },
        capabilities: [{ id: 'query-history', from: 'unavailable', to: 'ok' }],
        // With it, the probes that waited on the listing ran again: their actions are proven too.
        actions: { newlyGranted: expect.arrayContaining(['athena:ListQueryExecutions']) },
      });
      expect(recovered.text).toMatch(/^:white_check_mark: Preflight watch: \*acme-prod\* recovered \(degraded → ok\)/);

      // Nothing changes after that: nothing more is sent, run after run.
      await time.advance(LONGEST_INTERVAL);
      await time.advance(LONGEST_INTERVAL);
      expect(receiver.received).toHaveLength(2);
      const runs = await temp.rows();
      expect(runs.filter((row) => row.api_key_label === 'watch:acme-prod')).toHaveLength(5);
      // Each delivery its own id; no secret anywhere in what was sent, kept or logged.
      expect(new Set(receiver.received.map((d) => d.headers['x-preflight-delivery'])).size).toBe(2);
      expect(logs.filter((line) => line.includes('"msg":"watch: notified"'))).toHaveLength(2);
      expect(logs.filter((line) => line.includes('"msg":"watch: checked"'))).toHaveLength(5);
      for (const text of [...receiver.received.map((d) => JSON.stringify(d)), JSON.stringify(runs), ...logs]) {
        expect(text).not.toContain(EXTERNAL_ID);
        expect(text).not.toContain(SECRET);
      }
    } finally {
      role.policies = granted;
      await app.close();
      clients.destroy();
    }
  }, 60_000);
});
