/// <reference lib="dom" />
// The page's Set up tab shows what POST /setup warns of (query-execution without the tables' data
// location), above the forms, and nothing when there is nothing to warn of.
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { type Harness, TEST_API_KEY, startHarness } from '../support/service.js';

const PRINCIPAL = 'arn:aws:iam::999999999999:role/preflight-service';
let harness: Harness;
let browser: Browser;
let base: string;

beforeAll(async () => {
  harness = await startHarness('full-access', { config: { trustedPrincipal: PRINCIPAL } });
  await harness.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

async function generate(dataLocation?: string): Promise<string[]> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${base}/`);
  await page.click('#tab-setup');
  await page.fill('#s-apiKey', TEST_API_KEY);
  await page.fill('#s-region', 'eu-west-1');
  await page.fill('#s-account', '123456789012');
  await page.fill('#s-externalId', 'acme-7f3c2a');
  for (const box of await page.$$('input[name=scap]')) await box.setChecked(['metadata', 'query-results', 'query-execution'].includes((await box.getAttribute('value'))!));
  await page.fill('#s-outputLocation', 's3://acme-athena-results/primary/');
  if (dataLocation) await page.fill('#s-dataLocation', dataLocation);
  await page.click('#setup-run');
  await page.waitForSelector('#setup-out:not([hidden]) .block');
  const shown = await page.$$eval('#setup-out .setup-warning', (nodes) => nodes.map((n) => n.textContent ?? ''));
  await context.close();
  return shown;
}

describe('the Set up tab', () => {
  it("shows the setup's warnings: query-execution without the data location", async () => {
    const body = { region: 'eu-west-1', accountId: '123456789012', externalId: 'acme-7f3c2a', capabilities: ['metadata', 'query-results', 'query-execution'], athena: { outputLocation: 's3://acme-athena-results/primary/' } };
    const answer = (await harness.app.inject({ method: 'POST', url: '/setup', headers: { authorization: `Bearer ${TEST_API_KEY}` }, payload: body })).json();
    expect(answer.warnings).toHaveLength(1);
    expect(await generate()).toEqual([`Warning: ${answer.warnings[0]}`]);
    expect(await generate('s3://acme-data-lake/')).toEqual([]);
  });
});
