/// <reference lib="dom" />
// The onboarding UI's case: a page on another origin reads live progress from
// POST /preflight in headless Chromium, so the browser itself judges the stream's CORS headers.
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { type Harness, TEST_API_KEY, sampleRequest, startHarness } from '../support/service.js';

let harness: Harness;
let browser: Browser;
let api: string;
let allowed: { server: Server; origin: string };
let other: { server: Server; origin: string };

interface Outcome {
  status?: number;
  contentType?: string | null;
  events?: { event: string; data: any }[];
  error?: string;
}

/** A page whose script streams a preflight from the API, its parameters in the page itself. */
function page(): string {
  const parameters = JSON.stringify({ api, key: TEST_API_KEY, body: sampleRequest(harness.sandbox) }).replaceAll('<', '\\u003c');
  return `<!doctype html><meta charset="utf-8"><title>onboarding</title><script>
const { api, key, body } = ${parameters};
window.outcome = (async () => {
  try {
    const response = await fetch(api + '/preflight', { method: 'POST', headers: { authorization: 'Bearer ' + key, 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify(body) });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    for (;;) { const { value, done } = await reader.read(); if (done) break; text += value; }
    const events = text.split('\\n\\n').filter((block) => block.includes('event:')).map((block) => ({ event: /^event: (.*)$/m.exec(block)[1], data: JSON.parse(/^data: (.*)$/m.exec(block)[1]) }));
    return { status: response.status, contentType: response.headers.get('content-type'), events };
  } catch (error) {
    return { error: String(error) };
  }
})();
</script>`;
}

async function pageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function outcomeFrom(origin: string): Promise<Outcome> {
  const tab = await browser.newPage();
  try {
    await tab.goto(`${origin}/`);
    return await tab.evaluate(() => (window as unknown as { outcome: Promise<Outcome> }).outcome);
  } finally {
    await tab.close();
  }
}

beforeAll(async () => {
  // Another port is another origin: the page's calls to the API are cross-origin.
  allowed = await pageServer();
  other = await pageServer();
  harness = await startHarness('coalesce-glue-athena', { config: { corsOrigins: [allowed.origin] } });
  await harness.app.listen({ host: '127.0.0.1', port: 0 });
  api = `http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await harness?.close();
  for (const { server } of [allowed, other]) if (server) await new Promise((resolve) => server.close(resolve));
});

describe('the event stream from another origin', () => {
  it('is readable by a page on an allowed origin, probes then the report', async () => {
    expect(allowed.origin).not.toBe(api);
    const outcome = await outcomeFrom(allowed.origin);
    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBe(200);
    expect(outcome.contentType).toMatch(/^text\/event-stream/);
    const names = outcome.events!.map((e) => e.event);
    expect(names.filter((name) => name === 'probe').length).toBeGreaterThan(10);
    expect(names.at(-1)).toBe('report');
    expect(outcome.events!.at(-1)!.data.status).toBe('degraded');
  });

  it('is not readable by a page on any other origin', async () => {
    const outcome = await outcomeFrom(other.origin);
    expect(outcome.error).toMatch(/TypeError/);
    expect(outcome.events).toBeUndefined();
  });
});
