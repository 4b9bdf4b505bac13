/// <reference lib="dom" />
// The support page end to end in headless Chromium (Debian's, driven by playwright-core).
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createClientFactory } from '../../src/aws/clients.js';
import type { PreflightReport } from '../../src/preflight/types.js';
import { launchChromium } from '../support/chromium.js';
import { type Harness, TEST_API_KEY, sampleRequest, startHarness } from '../support/service.js';
import { PROBES } from '../../src/probes/registry.js';

let harness: Harness;
let browser: Browser;
let base: string;

beforeAll(async () => {
  harness = await startHarness('coalesce-glue-athena');
  await harness.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

describe('the support page', () => {
  it('runs a pasted connection, shows the verdicts live and copies the fix', async () => {
    const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/`);
    const connection = sampleRequest(harness.sandbox) as { credentials: { secretAccessKey: string } };
    await page.fill('#apiKey', TEST_API_KEY);
    await page.fill('#paste', JSON.stringify(connection));
    expect(await page.inputValue('#region')).toBe('eu-west-1');
    await page.click('#run');
    await page.waitForSelector('#results:not([hidden])');
    expect(await page.locator('#probes li').count()).toBeGreaterThan(20);
    const functions = page.locator('tr[data-capability="functions"]');
    await expect(functions.locator('td.status').textContent()).resolves.toBe('unavailable');
    await expect(functions.textContent()).resolves.toContain('glue:GetUserDefinedFunctions');
    await expect(page.locator('#summary').textContent()).resolves.toMatch(/degraded/);

    await page.click('#copy');
    await page.waitForFunction(() => document.getElementById('copy')!.textContent === 'Copied');
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    const report = (await harness.preflight(sampleRequest(harness.sandbox))).body as PreflightReport;
    expect(copied).toEqual(report.remediation.policy);

    // Typed secrets are never kept: not in storage, cookies, the URL, nor the form after the run.
    const kept = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie, location.href]));
    expect(kept).not.toContain(connection.credentials.secretAccessKey);
    expect(kept).not.toContain(TEST_API_KEY);
    expect(await page.inputValue('#secretAccessKey')).toBe('');

    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/web-page.png', fullPage: true });
    expect(existsSync('test-artifacts/web-page.png')).toBe(true);
    await context.close();
  });

  it('says what is wrong with a refused request', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.fill('#apiKey', 'not-the-key-at-all-000');
    await page.fill('#region', 'eu-west-1');
    await page.fill('#account', '123456789012');
    await page.click('#run');
    await page.waitForFunction(() => document.getElementById('error')!.textContent!.length > 0);
    expect(await page.textContent('#error')).toMatch(/^401/);
    await page.close();
  });

  it('is served with a strict content security policy, and not at all when switched off', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/' });
    expect(response.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'sha256-/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    const clients = createClientFactory();
    const off = await buildApp({ config: { apiKeys: [TEST_API_KEY], authDisabled: false, maxConcurrentRuns: 1, webUi: false }, engine: { clients, allowAmbient: false, maxRunMs: 1000, probes: PROBES } });
    expect((await off.inject({ method: 'GET', url: '/' })).statusCode).toBe(404);
    await off.close();
    clients.destroy();
  });
});
