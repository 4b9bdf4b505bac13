// Live progress for the onboarding UI, read over a real socket.
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPABILITY_IDS } from '../../src/catalogue/capabilities.js';
import { watchRequests } from '../support/sandbox.js';
import { type Harness, TEST_API_KEY, sampleRequest, startHarness } from '../support/service.js';

let harness: Harness;
let base: string;
beforeAll(async () => {
  harness = await startHarness('slow');
  await harness.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`;
});
afterAll(() => harness.close());

async function gauge(name: string): Promise<number> {
  const response = await harness.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TEST_API_KEY}` } });
  const line = response.body.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`no ${name} in /metrics`);
  return Number(line.split(' ')[1]);
}

interface Received {
  event: string;
  data: any;
  /** Requests the sandbox had received when the client read this event. */
  sandboxRequests: number;
}

function parseEvents(text: string, sandboxRequests: number): Received[] {
  return text
    .split('\n\n')
    .filter((block) => block.includes('event:'))
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)![1]!;
      const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]!);
      return { event, data, sandboxRequests };
    });
}

describe('POST /preflight with Accept: text/event-stream', () => {
  it('streams one event per probe before the run ends, then the report', async () => {
    const requests = watchRequests(harness.sandbox);
    const response = await fetch(`${base}/preflight`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify(sampleRequest(harness.sandbox)),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const received: Received[] = [];
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      const cut = buffer.lastIndexOf('\n\n');
      if (cut >= 0) {
        received.push(...parseEvents(buffer.slice(0, cut + 2), requests.count));
        buffer = buffer.slice(cut + 2);
      }
    }
    const probes = received.filter((e) => e.event === 'probe');
    const last = received.at(-1)!;
    expect(last.event).toBe('report');
    expect(last.data.status).toBe('ok');
    expect(probes.length).toBe(last.data.probes.length);
    requests.stop();
    // Streamed, not held back: the run was still calling AWS after the client had read the first probe.
    expect(probes[0]!.sandboxRequests).toBeLessThan(last.sandboxRequests);
    expect(probes[0]!.data).toMatchObject({ id: expect.any(String), outcome: expect.stringMatching(/pass|skipped/) });
    const settled = probes.flatMap((e) => e.data.capabilities.map((c: { id: string }) => c.id));
    expect(new Set(settled).size).toBe(CAPABILITY_IDS.length);
  });

  it('aborts the run when the client goes away', async () => {
    // What a whole run costs the sandbox, for comparison.
    const whole = watchRequests(harness.sandbox);
    expect((await harness.preflight(sampleRequest(harness.sandbox))).status).toBe(200);
    whole.stop();
    const requests = watchRequests(harness.sandbox);
    await new Promise<void>((resolve, reject) => {
      const req = request(`${base}/preflight`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      });
      // Gone mid-run: the stream has begun and the run has made some of its calls.
      req.on('response', (res) => {
        res.once('data', async () => {
          await requests.until(() => requests.count >= 5);
          req.destroy();
          resolve();
        });
      });
      req.on('error', (error) => (req.destroyed ? resolve() : reject(error)));
      req.end(JSON.stringify(sampleRequest(harness.sandbox)));
    });
    const atDisconnect = requests.count;
    // Until the service counts the run as over, however long that takes (the test's timeout bounds it).
    while ((await gauge('preflight_runs_in_flight')) !== 0) await new Promise((resolve) => setImmediate(resolve));
    requests.stop();
    // What was in flight (the harness's 6 call slots) and the clean-up of what the run wrote may
    // still reach the sandbox; the rest of the run may not (5 then 2 more here, of 39 a whole run).
    expect(requests.count - atDisconnect).toBeLessThanOrEqual(6 + 3);
    expect(requests.count).toBeLessThan(whole.count / 2);
  });

  it('answers curl users in Markdown or plain text', async () => {
    const markdown = await harness.app.inject({ method: 'POST', url: '/preflight', headers: { authorization: `Bearer ${TEST_API_KEY}`, accept: 'text/markdown' }, payload: sampleRequest(harness.sandbox) });
    expect(markdown.headers['content-type']).toMatch(/^text\/markdown/);
    expect(markdown.body).toMatch(/^## Preflight [0-9a-f]+: ok/);
    expect(markdown.body).toContain('| metadata | ok |');
    const text = await harness.app.inject({ method: 'POST', url: '/preflight', headers: { authorization: `Bearer ${TEST_API_KEY}`, accept: 'text/plain' }, payload: sampleRequest(harness.sandbox) });
    expect(text.body).toMatch(/metadata\s+ok/);
    expect(text.body).not.toContain('\x1b[');
  });
});
