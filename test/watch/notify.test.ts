// The webhook: retried with backoff while the receiver is down or busy (the same delivery id each
// time, each attempt signed anew), given up at once when it refuses for good; the URL never in
// what is said about a failure; Slack's characters escaped.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { PreflightReport } from '../../src/preflight/types.js';
import { type WatchNotification, notificationsOf, slackText, webhookSender } from '../../src/watch/notify.js';
import { report } from '../store/fixtures.js';
import { startReceiver } from './support.js';

const SECRET = 'notify-test-secret-0123456789';
const receivers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

const notification = (): WatchNotification => ({
  event: 'worse',
  connection: 'acme',
  text: 'x',
  run: { id: 'run-2', startedAt: '2026-12-01T00:00:00.000Z', status: 'degraded', path: '/preflight/run-2' },
  previousRun: { id: 'run-1', startedAt: '2026-11-30T18:00:00.000Z', status: 'ok' },
  capabilities: [],
  actions: { newlyMissing: [], newlyGranted: [] },
  findings: { added: [], gone: [] },
});

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('the webhook', () => {
  it('retries a receiver that fails or is busy, backing off, and honours Retry-After, with one delivery id', async () => {
    const receiver = await startReceiver([500, 503, 429, 200]);
    receivers.push(receiver);
    const { waits, sleep } = recordingSleep();
    const send = webhookSender({ url: receiver.url, secret: SECRET, sleep, random: () => 0.5 });
    expect(await send(notification())).toEqual({ delivered: true, attempts: 4 });
    expect(receiver.received).toHaveLength(4);
    // 1 s, then 2 s, doubling; a 429 without Retry-After likewise.
    expect(waits).toEqual([1000, 2000, 4000]);
    expect(new Set(receiver.received.map((d) => d.headers['x-preflight-delivery'])).size).toBe(1);
    for (const delivery of receiver.received) {
      const signed = createHmac('sha256', SECRET).update(`${delivery.headers['x-preflight-timestamp']}.${delivery.raw}`).digest('hex');
      expect(delivery.headers['x-preflight-signature']).toBe(`sha256=${signed}`);
    }
  });

  it('waits what Retry-After says, within its bound', async () => {
    const server = createServer((request, response) => {
      request.resume();
      const first = !served++;
      response.writeHead(first ? 503 : 204, first ? { 'retry-after': '7' } : {}).end();
    });
    let served = 0;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receivers.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    const { waits, sleep } = recordingSleep();
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    expect(await webhookSender({ url, secret: SECRET, sleep })(notification())).toEqual({ delivered: true, attempts: 2 });
    expect(waits).toEqual([7000]);
  });

  it('gives up after its attempts, and at once on a refusal that another attempt would not change', async () => {
    const down = await startReceiver([500, 500, 500]);
    const refusing = await startReceiver([401]);
    const moved = await startReceiver([302]);
    receivers.push(down, refusing, moved);
    const { waits, sleep } = recordingSleep();
    expect(await webhookSender({ url: down.url, secret: SECRET, sleep, attempts: 3, random: () => 0.5 })(notification())).toEqual({ delivered: false, attempts: 3, lastProblem: 'HTTP 500' });
    expect(waits).toEqual([1000, 2000]);
    expect(await webhookSender({ url: refusing.url, secret: SECRET, sleep })(notification())).toEqual({ delivered: false, attempts: 1, lastProblem: 'HTTP 401' });
    expect(await webhookSender({ url: moved.url, secret: SECRET, sleep })(notification())).toEqual({ delivered: false, attempts: 1, lastProblem: 'HTTP 302' });
    expect(refusing.received).toHaveLength(1);
  });

  it('gives up at once when the service stops, between attempts or during one', async () => {
    const failing = await startReceiver([500, 500, 500]);
    receivers.push(failing);
    const stopping = new AbortController();
    // The service stops while the notification waits for its second attempt.
    const delivery = await webhookSender({ url: failing.url, secret: SECRET, sleep: async () => stopping.abort() })(notification(), stopping.signal);
    expect(delivery).toEqual({ delivered: false, attempts: 1, lastProblem: 'stopped' });
    expect(failing.received).toHaveLength(1);
    // A receiver that never answers: the attempt ends with the stop, not after its 10 s.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    receivers.push({ close: () => new Promise<void>((resolve) => (silent.closeAllConnections(), silent.close(() => resolve()))) });
    const stop = new AbortController();
    const sending = webhookSender({ url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`, secret: SECRET, sleep: async () => {} })(notification(), stop.signal);
    setTimeout(() => stop.abort(), 50);
    expect(await sending).toEqual({ delivered: false, attempts: 1, lastProblem: 'stopped' });
  });

  it('says why it could not reach the receiver without its URL (which may carry a token)', async () => {
    const receiver = await startReceiver();
    await receiver.close(); // nothing listens there any more
    const url = `${receiver.url}?token=hooks-token-not-to-be-shown`;
    const { sleep } = recordingSleep();
    const delivery = await webhookSender({ url, secret: SECRET, sleep, attempts: 2 })(notification());
    expect(delivery).toEqual({ delivered: false, attempts: 2, lastProblem: 'ECONNREFUSED' });
  });
});

describe('the notifications of a run', () => {
  it('escape what Slack reads as its own: &, < and >', () => {
    expect(slackText('a <b> & c')).toBe('a &lt;b&gt; &amp; c');
    const previous = report({ status: 'ok' }) as PreflightReport;
    const current = { ...(report({ status: 'failed' }) as PreflightReport), id: 'run-next' };
    current.capabilities = current.capabilities.map((c) => (c.id === 'connection' ? { ...c, status: 'unavailable' as const } : c));
    const [worse] = notificationsOf('acme <prod> & co', previous, current, {});
    expect(worse!.text).toContain('*acme &lt;prod&gt; &amp; co*');
    expect(worse!.text).not.toMatch(/<prod>/);
    // Without the service's address, the run is named by its path in the API.
    expect(worse!.run).toEqual({ id: 'run-next', startedAt: current.startedAt, status: 'failed', path: '/preflight/run-next' });
    expect(worse!.text).toContain('run run-next (GET /preflight/run-next)');
  });
});
