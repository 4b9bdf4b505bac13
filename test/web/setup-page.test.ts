/// <reference lib="dom" />
// The support page's "Set up" tab in headless Chromium: the same as POST /setup, every
// form with a copy and a download button, before the Check tab, at a desktop's and a phone's width.
import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchChromium, openPage } from '../support/chromium.js';
import { type Harness, TEST_API_KEY, startHarness } from '../support/service.js';

const PRINCIPAL = 'arn:aws:iam::999999999999:role/preflight-service';
const EXTERNAL_ID = 'acme-7f3c2a';
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

const open = (viewport = DESKTOP) => openPage(browser, `${base}/`, { viewport, expectedErrors: (url) => url.pathname === '/setup' });

async function fill(page: Page) {
  await page.click('#tab-setup');
  await page.fill('#s-apiKey', TEST_API_KEY);
  await page.fill('#s-region', 'eu-west-1');
  await page.fill('#s-account', '123456789012');
  await page.fill('#s-externalId', EXTERNAL_ID);
  await page.fill('#s-roleName', 'AcmePreflight');
  for (const box of await page.$$('input[name=scap]')) await box.setChecked(['metadata', 'query-results'].includes((await box.getAttribute('value'))!));
  await page.fill('#s-required', 'metadata');
  await page.fill('#s-outputLocation', 's3://acme-athena-results/primary/');
  await page.fill('#s-databases', 'sales, ops');
}

const BODY = {
  region: 'eu-west-1',
  accountId: '123456789012',
  externalId: EXTERNAL_ID,
  roleName: 'AcmePreflight',
  capabilities: ['metadata', 'query-results'],
  required: ['metadata'],
  athena: { outputLocation: 's3://acme-athena-results/primary/' },
  glue: { databases: ['sales', 'ops'] },
};

describe('the Set up tab', () => {
  it('comes before Check, asks POST /setup, and shows every form with copy and download buttons', async () => {
    const { context, page, failed } = await open();
    const tabs = await page.$$eval('[role=tab]', (buttons) => buttons.map((b) => b.textContent));
    expect(tabs).toEqual(['Set up', 'Check', 'Check a policy', 'Watch']);
    expect(await page.isVisible('#connection')).toBe(true);
    expect(await page.isVisible('#setup')).toBe(false);
    const bodies: unknown[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/setup')) bodies.push(JSON.parse(request.postData()!));
    });
    await fill(page);
    expect(await page.isVisible('#connection')).toBe(false);
    await page.click('#setup-run');
    await page.waitForSelector('#setup-out:not([hidden]) .block');
    expect(bodies).toEqual([BODY]);
    const setup = (await harness.app.inject({ method: 'POST', url: '/setup', headers: { authorization: `Bearer ${TEST_API_KEY}` }, payload: BODY })).json();
    expect(await page.textContent('#setup-summary')).toBe('Role AcmePreflight');
    const texts = await page.$$eval('#setup-out .block', (blocks) => blocks.map((b) => [(b as HTMLElement).dataset.file, b.querySelector('pre')!.textContent]));
    const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
    expect(texts).toEqual([
      ['preflight-role.yaml', setup.cloudFormation.yaml],
      ['preflight-role.json', setup.cloudFormation.json],
      ['preflight-role.tf', setup.terraform],
      ['preflight-role.sh', setup.awsCli],
      ['trust-policy.json', json(setup.trustPolicy)],
      ...setup.policies.map((p: { name: string; document: unknown }) => [`${p.name}.json`, json(p.document)]),
      ['preflight-check.json', json(setup.check)],
    ]);

    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/web-setup-desktop.png' });
    const yaml = page.locator('#setup-out .block[data-file="preflight-role.yaml"]');
    await yaml.locator('button', { hasText: 'Copy' }).click();
    await expect.poll(() => yaml.locator('button.copy:not(.download)').textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(setup.cloudFormation.yaml);

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#setup-out .block[data-file="preflight-role.tf"] button.download').click()]);
    expect(download.suggestedFilename()).toBe('preflight-role.tf');
    expect(readFileSync((await download.path())!, 'utf8')).toBe(setup.terraform);

    // The Check tab is as it was, the API key typed once for both.
    await page.click('#tab-check');
    expect(await page.isVisible('#connection')).toBe(true);
    expect(await page.isVisible('#setup')).toBe(false);
    expect(await page.inputValue('#apiKey')).toBe(TEST_API_KEY);
    expect(failed).toEqual([]);
    await context.close();
  });

  it('says what POST /setup refused, field by field', async () => {
    const { context, page } = await open();
    await fill(page);
    await page.fill('#s-outputLocation', '');
    await page.click('#setup-run');
    await page.waitForFunction(() => document.getElementById('setup-error')!.textContent!.length > 0);
    expect(await page.textContent('#setup-error')).toMatch(/^400: \/athena\/outputLocation is required for query-results/);
    expect(await page.textContent('#setup-error')).not.toContain(EXTERNAL_ID);
    await context.close();
  });

  it('fits a phone: one column, nothing wider than the screen', async () => {
    const { context, page, failed } = await open({ width: 390, height: 844 });
    await fill(page);
    await page.click('#setup-run');
    await page.waitForSelector('#setup-out:not([hidden]) .block');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    const [form, out] = await Promise.all(['#setup-form', '#setup-out'].map(async (s) => (await page.locator(s).boundingBox())!));
    expect(out!.y).toBeGreaterThan(form!.y);
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/web-setup-phone.png' });
    expect(failed).toEqual([]);
    await context.close();
  });
});

/** Where each block's buttons sit against its first line of code (the row across the block's text area) and against each other. */
const overlaps = (page: Page) =>
  page.$$eval('#setup-out .block', (blocks) => {
    const cross = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    return blocks.flatMap((block) => {
      const pre = block.querySelector('pre')!;
      const text = pre.firstChild!;
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, Math.max(1, text.textContent!.indexOf('\n')));
      const glyphs = range.getBoundingClientRect();
      const box = pre.getBoundingClientRect();
      const style = getComputedStyle(pre);
      // The whole first row of the text area: a long line scrolls under whatever covers its right end.
      const firstLine = new DOMRect(box.left + parseFloat(style.paddingLeft), glyphs.top, box.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight), glyphs.height);
      const buttons = [...block.querySelectorAll('button')].map((b) => ({ name: b.textContent!, rect: b.getBoundingClientRect() }));
      const file = (block as HTMLElement).dataset.file;
      return [
        ...buttons.filter((b) => cross(b.rect, firstLine)).map((b) => `${file}: ${b.name} covers the first line`),
        ...buttons.flatMap((a, i) => buttons.slice(i + 1).filter((b) => cross(a.rect, b.rect)).map((b) => `${file}: ${a.name} and ${b.name} overlap`)),
      ];
    });
  });

describe('the Set up tab\'s layout', () => {
  it.each([
    ['desktop', { width: 1366, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ])('at %s width: no button covers a line of code, nor another button, before or after a copy', async (_name, viewport) => {
    const { context, page, failed } = await open(viewport);
    await fill(page);
    await page.click('#setup-run');
    await page.waitForSelector('#setup-out:not([hidden]) .block');
    expect(await page.locator('#setup-out .block').count()).toBeGreaterThanOrEqual(7);
    expect(await overlaps(page)).toEqual([]);
    // "Copied" is longer than "Copy": the buttons still stand side by side.
    const copy = page.locator('#setup-out .block[data-file="preflight-role.tf"] button.copy:not(.download)');
    await copy.click();
    await expect.poll(() => copy.textContent()).toBe('Copied');
    expect(await overlaps(page)).toEqual([]);
    expect(failed).toEqual([]);
    await context.close();
  });

  it('on a phone, brings the answer into view when it arrives (it is below the form)', async () => {
    const phone = { width: 390, height: 844 };
    const { context, page, failed } = await open(phone);
    await fill(page);
    await page.click('#setup-run');
    await page.waitForSelector('#setup-out:not([hidden]) .block');
    const heading = page.locator('#setup-summary');
    await expect.poll(async () => (await heading.boundingBox())!.y).toBeGreaterThanOrEqual(0);
    const box = (await heading.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(phone.height);
    // Asked again from the top of the form: the new answer is brought up too.
    await page.evaluate(() => window.scrollTo(0, 0));
    expect((await heading.boundingBox())!.y).toBeGreaterThan(phone.height);
    await page.click('#setup-run');
    await expect.poll(async () => (await heading.boundingBox())!.y).toBeLessThan(phone.height / 2);
    expect((await heading.boundingBox())!.y).toBeGreaterThanOrEqual(0);
    expect(failed).toEqual([]);
    await context.close();
  });
});

// What POST /setup warns of (query-execution without the tables' data location), shown above the forms.
async function generate(dataLocation?: string): Promise<string[]> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${base}/`);
  await page.click('#tab-setup');
  await page.fill('#s-apiKey', TEST_API_KEY);
  await page.fill('#s-region', 'eu-west-1');
  await page.fill('#s-account', '123456789012');
  await page.fill('#s-externalId', EXTERNAL_ID);
  for (const box of await page.$$('input[name=scap]')) await box.setChecked(['metadata', 'query-results', 'query-execution'].includes((await box.getAttribute('value'))!));
  await page.fill('#s-outputLocation', 's3://acme-athena-results/primary/');
  if (dataLocation) await page.fill('#s-dataLocation', dataLocation);
  await page.click('#setup-run');
  await page.waitForSelector('#setup-out:not([hidden]) .block');
  const shown = await page.$$eval('#setup-out .setup-warning', (nodes) => nodes.map((n) => n.textContent ?? ''));
  await context.close();
  return shown;
}

describe('the Set up tab\'s warnings', () => {
  it("shows the setup's warnings: query-execution without the data location", async () => {
    const body = { region: 'eu-west-1', accountId: '123456789012', externalId: EXTERNAL_ID, capabilities: ['metadata', 'query-results', 'query-execution'], athena: { outputLocation: 's3://acme-athena-results/primary/' } };
    const answer = (await harness.app.inject({ method: 'POST', url: '/setup', headers: { authorization: `Bearer ${TEST_API_KEY}` }, payload: body })).json();
    expect(answer.warnings).toHaveLength(1);
    expect(await generate()).toEqual([`Warning: ${answer.warnings[0]}`]);
    expect(await generate('s3://acme-data-lake/')).toEqual([]);
  });
});
