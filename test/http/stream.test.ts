// Live progress for the onboarding UI, read over a real socket.
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, TEST_API_KEY, sampleRequest, startHarness } from '../support/service.js';

let harness: Harness;
let base: string;
beforeAll(async () => {
  harness = await startHarness('slow');
  await harness.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`;
});
afterAll(() => harness.close());

interface Received {
  event: string;
  data: any;
  at: number;
}

function parseEvents(text: string, at: number): Received[] {
  return text
    .split('\n\n')
    .filter((block) => block.includes('event:'))
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)![1]!;
      const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]!);
      return { event, data, at };
    });
}

describe('POST /preflight with Accept: text/event-stream', () => {
  it('streams one event per probe before the run ends, then the report', async () => {
    const started = Date.now();
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
        received.push(...parseEvents(buffer.slice(0, cut + 2), Date.now() - started));
        buffer = buffer.slice(cut + 2);
      }
    }
    const probes = received.filter((e) => e.event === 'probe');
    const last = received.at(-1)!;
    expect(last.event).toBe('report');
    expect(last.data.status).toBe('ok');
    expect(probes.length).toBe(last.data.probes.length);
    // With 50 ms a call, the first probes arrive long before the report does.
    expect(probes[0]!.at).toBeLessThan(last.at - 100);
    expect(probes[0]!.data).toMatchObject({ id: expect.any(String), outcome: expect.stringMatching(/pass|skipped/) });
    const settled = probes.flatMap((e) => e.data.capabilities.map((c: { id: string }) => c.id));
    expect(new Set(settled).size).toBe(13);
  });

  it('aborts the run when the client goes away', async () => {
    const seenBefore = harness.sandbox.state.nextId();
    await new Promise<void>((resolve, reject) => {
      const req = request(`${base}/preflight`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      });
      req.on('response', (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (error) => (req.destroyed ? resolve() : reject(error)));
      req.end(JSON.stringify(sampleRequest(harness.sandbox)));
    });
    const counterAtDisconnect = Number.parseInt(harness.sandbox.state.nextId().slice(-4), 16);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const counterLater = Number.parseInt(harness.sandbox.state.nextId().slice(-4), 16);
    // A full run makes ~40 calls over ~0.5 s; an aborted one stops making them.
    expect(counterLater - counterAtDisconnect).toBeLessThan(4);
    expect(Number.parseInt(seenBefore.slice(-4), 16)).toBeLessThan(counterAtDisconnect);
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
