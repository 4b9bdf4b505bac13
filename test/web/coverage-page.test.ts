/// <reference lib="dom" />
// The support page's "Check a policy" tab in headless Chromium: a pasted policy asked of POST
// /policy/coverage, each capability's coverage as the route answers it, the fix and the over-grants
// with copy buttons, the answer as Markdown, a malformed policy named; at a desktop's and a phone's width.
import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchChromium, openPage } from '../support/chromium.js';
import { type Harness, TEST_API_KEY, startHarness } from '../support/service.js';

let harness: Harness;
let browser: Browser;
let base: string;

beforeAll(async () => {
  harness = await startHarness('full-access');
  await harness.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

const open = (viewport = DESKTOP) => openPage(browser, `${base}/`, { viewport, expectedErrors: (url) => url.pathname === '/policy/coverage' });

const QUALYTICS = readFileSync('examples/vendor-policies/qualytics.json', 'utf8');
const EVERYTHING_S3 = { Sid: 'AllOfS3', Effect: 'Allow', Action: 's3:*', Resource: '*' };

async function fill(page: Page, policy = QUALYTICS) {
  await page.click('#tab-coverage');
  await page.fill('#c-apiKey', TEST_API_KEY);
  await page.fill('#c-policies', policy);
  await page.fill('#c-region', 'eu-west-1');
  await page.fill('#c-account', '123456789012');
  await page.fill('#c-workgroup', 'primary');
  await page.fill('#c-outputLocation', 's3://acme-athena-results/qualytics/');
  await page.click('#c-more summary');
  await page.fill('#c-scps', JSON.stringify([{ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'NoCloudTrail', Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*' }] }]));
}

const BODY = {
  region: 'eu-west-1',
  accountId: '123456789012',
  policies: [JSON.parse(QUALYTICS)],
  scps: [{ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'NoCloudTrail', Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*' }] }],
  athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/qualytics/' },
  capabilities: ['connection', 'metadata', 'partitions', 'schema-history', 'functions', 'search', 'query-history', 'user-attribution', 'athena-catalog', 'query-results', 'encryption', 'lake-formation'],
};
const route = (body: object, accept = 'application/json') =>
  harness.app.inject({ method: 'POST', url: '/policy/coverage', headers: { authorization: `Bearer ${TEST_API_KEY}`, accept }, payload: body });

describe('the Check a policy tab', () => {
  it('asks POST /policy/coverage and shows each capability as it answers, the fix, what denies, and the answer as Markdown', async () => {
    const { context, page, failed } = await open();
    expect(await page.$$eval('[role=tab]', (buttons) => buttons.map((b) => b.textContent))).toEqual(['Set up', 'Check', 'Check a policy', 'Watch']);
    const bodies: unknown[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/policy/coverage')) bodies.push(JSON.parse(request.postData()!));
    });
    await fill(page);
    expect(await page.isVisible('#connection')).toBe(false);
    expect(await page.isVisible('#setup')).toBe(false);
    await page.click('#coverage-run');
    await page.waitForSelector('#coverage-out:not([hidden]) #coverage-table');
    expect(bodies[0]).toEqual(BODY);
    const answer = (await route(BODY)).json();
    const rows = await page.$$eval('#coverage-table tr[data-capability]', (trs) => trs.map((tr) => [(tr as HTMLElement).dataset.capability, tr.querySelector('td.coverage')!.textContent]));
    expect(rows).toEqual(answer.capabilities.map((c: { id: string; coverage: string }) => [c.id, c.coverage]));
    expect(await page.textContent('#coverage-summary')).toBe('4 covered, 1 partly, 7 not covered');
    // The SCP's explicit deny named by its Sid and pointer; Qualytics' missing CloudTrail grant is not the reason shown.
    expect(await page.textContent('#coverage-table tr[data-capability="user-attribution"] td.detail')).toContain('Denied by an SCP: "NoCloudTrail" /scps/0/Statement/1');
    // The fix for search: the statements, copied as shown.
    const block = page.locator('#coverage-table tr[data-capability="search"] .block');
    const search = answer.capabilities.find((c: { id: string }) => c.id === 'search');
    expect(await block.locator('pre').textContent()).toBe(`${JSON.stringify(search.remediation.statements, null, 2)}\n`);
    await block.locator('button.copy').click();
    await expect.poll(() => block.locator('button.copy').textContent()).toBe('Copied');
    expect(JSON.parse(await page.evaluate(() => navigator.clipboard.readText()))).toEqual(search.remediation.statements);
    // Copy as Markdown: the route's Markdown, exactly.
    await page.locator('#coverage-out button', { hasText: 'Copy as Markdown' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe((await route(BODY, 'text/markdown')).body);
    expect(await page.locator('#coverage-notes li').count()).toBeGreaterThan(10);
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/web-coverage-desktop.png', fullPage: true });
    // The API key typed once is in the other tabs' forms too.
    await page.click('#tab-check');
    expect(await page.isVisible('#coverage')).toBe(false);
    expect(await page.inputValue('#apiKey')).toBe(TEST_API_KEY);
    expect(failed).toEqual([]);
    await context.close();
  });

  it('shows the over-grants with the narrower statements', async () => {
    const { context, page, failed } = await open();
    await fill(page, JSON.stringify({ Version: '2012-10-17', Statement: [EVERYTHING_S3] }));
    await page.click('#coverage-run');
    await page.waitForSelector('#coverage-warnings li');
    expect(await page.$$eval('#coverage-warnings li', (items) => items.map((li) => (li as HTMLElement).dataset.code))).toEqual(['S3_EVERY_BUCKET']);
    const narrower = JSON.parse((await page.textContent('#coverage-warnings li .block pre'))!);
    expect(narrower.flatMap((s: { Resource: string[] }) => s.Resource)).toContain('arn:aws:s3:::acme-athena-results/qualytics/*');
    expect(failed).toEqual([]);
    await context.close();
  });

  it('names a malformed policy, and says pasted text that is not JSON without repeating it', async () => {
    const { context, page } = await open();
    await fill(page, JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'glue:GetTables' }] }));
    await page.click('#coverage-run');
    await page.waitForFunction(() => document.getElementById('coverage-error')!.textContent!.length > 0);
    expect(await page.textContent('#coverage-error')).toBe('400: /policies/0/Statement/0/Resource is required (or NotResource)');
    await page.fill('#c-policies', '{ "Statement": wJalrXUtnFEMI }');
    await page.click('#coverage-run');
    await expect.poll(() => page.textContent('#coverage-error')).toBe('The identity policy is not valid JSON');
    await context.close();
  });

  it('fits a phone: one column, nothing wider than the screen, the answer below the form and brought into view', async () => {
    const phone = { width: 390, height: 844 };
    const { context, page, failed } = await open(phone);
    await fill(page);
    await page.click('#coverage-run');
    await page.waitForSelector('#coverage-out:not([hidden]) #coverage-table');
    const wide = await page.evaluate(() => [...document.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).map((e) => `${e.tagName}#${e.id}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`).slice(0, 12));
    expect(wide).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    const [form, out] = await Promise.all(['#coverage-form', '#coverage-out'].map(async (s) => (await page.locator(s).boundingBox())!));
    expect(out!.y).toBeGreaterThan(form!.y);
    const heading = page.locator('#coverage-summary');
    await expect.poll(async () => (await heading.boundingBox())!.y).toBeGreaterThanOrEqual(0);
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/web-coverage-phone.png' });
    expect(failed).toEqual([]);
    await context.close();
  });
});
