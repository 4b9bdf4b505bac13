/// <reference lib="dom" />
// The support page end to end in headless Chromium (Debian's, driven by playwright-core), at a
// desktop's 1366×900 and a phone's 390×844. Screenshots of both are left in test-artifacts/.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createClientFactory } from '../../src/aws/clients.js';
import type { PreflightReport } from '../../src/preflight/types.js';
import { PROBES } from '../../src/probes/registry.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { DESKTOP, PHONE, launchChromium, openPage } from '../support/chromium.js';
import { type Harness, TEST_API_KEY, sampleRequest, startHarness } from '../support/service.js';


let harness: Harness;
/** full-access, for role mode: a wrong external ID gives ASSUME_ROLE_DENIED and its trust policy. */
let roles: Harness;
let browser: Browser;
let base: string;
let rolesBase: string;

const listen = async (h: Harness) => {
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  [harness, roles] = await Promise.all([startHarness('coalesce-glue-athena'), startHarness('full-access')]);
  [base, rolesBase] = await Promise.all([listen(harness), listen(roles)]);
  browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([harness?.close(), roles?.close()]);
});

const open = (url: string, viewport = DESKTOP, init?: () => void) => openPage(browser, `${url}/`, { viewport, init, expectedErrors: (at) => at.pathname === '/preflight' });

/** The report the page holds: what its Download JSON button saves. */
async function heldReport(page: Page): Promise<PreflightReport> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  return JSON.parse(readFileSync((await download.path())!, 'utf8')) as PreflightReport;
}

async function run(page: Page, connection: unknown) {
  await page.fill('#apiKey', TEST_API_KEY);
  await page.fill('#paste', JSON.stringify(connection));
  await page.click('#run');
  await page.waitForSelector('#actions:not([hidden])');
  return heldReport(page);
}

const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

/**
 * What a browser gives a page served over plain HTTP from an address other than loopback (how an
 * operator reaches a container): no `navigator.clipboard`, which only secure contexts have
 * (W3C Clipboard API, `[SecureContext]`; 127.0.0.1 and localhost count as secure, so the tests'
 * own address would hide it).
 */
function insecureContext() {
  delete (Navigator.prototype as { clipboard?: unknown }).clipboard;
}
/** As insecureContext, and the old `execCommand('copy')` refused as well (a browser that dropped it, a policy). */
function noWayToCopy() {
  delete (Navigator.prototype as { clipboard?: unknown }).clipboard;
  Document.prototype.execCommand = () => false;
}

/** The clipboard as another tab of the same browser reads it (a secure one: the page under test has no navigator.clipboard). */
async function clipboardFromAnotherTab(page: Page): Promise<string> {
  const reader = await page.context().newPage();
  try {
    await reader.goto(new URL('/', page.url()).href);
    return await clipboard(reader);
  } finally {
    await reader.close();
  }
}

/** Clicks a copy button and answers what it put on the clipboard, once it says so. */
async function copied(page: Page, button: Locator): Promise<string> {
  await button.click();
  await expect.poll(() => button.textContent()).toBe('Copied');
  return clipboard(page);
}

describe('the support page', () => {
  it('runs a pasted connection, shows the verdicts live and copies the fix', async () => {
    const { context, page, failed } = await open(base);
    const connection = sampleRequest(harness.sandbox) as { credentials: { secretAccessKey: string } };
    const report = await run(page, connection);
    expect(await page.inputValue('#region')).toBe('eu-west-1');
    expect(await page.locator('#probes li').count()).toBe(report.probes.length);
    const functions = page.locator('tr[data-capability="functions"]');
    await expect(functions.locator('td.status').textContent()).resolves.toBe('unavailable');
    await expect(functions.locator('th').textContent()).resolves.toBe('User-defined functionsfunctions'); // the title, then the id
    await expect(functions.textContent()).resolves.toContain('glue:GetUserDefinedFunctions');
    await expect(page.locator('#summary').textContent()).resolves.toMatch(/degraded/);
    // This service keeps no reports: no link to one (test/web/history-page.test.ts has the store on).
    expect(await page.locator('#share').isHidden()).toBe(true);

    expect(JSON.parse(await copied(page, page.locator('#policies .block .copy').first()))).toEqual(report.remediation.policy);

    // Typed secrets are never kept: not in storage, cookies, the URL, nor the form after the run.
    const kept = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie, location.href]));
    expect(kept).not.toContain(connection.credentials.secretAccessKey);
    expect(kept).not.toContain(TEST_API_KEY);
    expect(await page.inputValue('#secretAccessKey')).toBe('');
    expect(failed).toEqual([]);
    await context.close();
  });

  // Issue 16 (6): the verdict sat below a 38-line probe log, and a phone rendered 895 px wide.
  it.each([
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ])('at %s width: the verdict and the matrix first, in view without scrolling, nothing wider than the screen', async (name, viewport) => {
    const { context, page, failed } = await open(base, viewport);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await run(page, sampleRequest(harness.sandbox));
    expect(await overflow()).toBeLessThanOrEqual(0);
    const box = async (selector: string) => (await page.locator(selector).boundingBox())!;
    const [summary, matrix, timeline, form] = await Promise.all(['#summary', '#matrix', '#timeline', '#connection'].map(box));
    for (const rect of [summary!, matrix!]) {
      expect(rect.y, name).toBeGreaterThanOrEqual(0);
      expect(rect.y, name).toBeLessThan(viewport.height / 2);
    }
    expect(summary!.y + summary!.height).toBeLessThanOrEqual(viewport.height);
    expect(matrix!.y).toBeLessThan(timeline!.y); // the probes come after the verdicts
    if (name === 'phone') expect(summary!.y).toBeLessThan(form!.y); // one column: the results above the form
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: `test-artifacts/web-page-${name}.png` });
    expect(existsSync(`test-artifacts/web-page-${name}.png`)).toBe(true);
    expect(failed).toEqual([]);
    await context.close();
  });

  it('draws the probes as a collapsible waterfall: when each started and how long, by outcome', async () => {
    const { context, page } = await open(base);
    const report = await run(page, sampleRequest(harness.sandbox));
    const total = Math.max(...report.probes.map((p) => p.startedAtMs + p.durationMs));
    const bars = await page.$$eval('#probes li', (items) =>
      items.map((li) => ({ id: li.dataset.probe, outcome: li.className, left: parseFloat((li.querySelector('.bar') as HTMLElement).style.left), width: parseFloat((li.querySelector('.bar') as HTMLElement).style.width) })),
    );
    expect(bars).toHaveLength(report.probes.length);
    for (const bar of bars) {
      const probe = report.probes.find((p) => p.id === bar.id)!;
      expect(bar.outcome).toBe(probe.outcome);
      expect(bar.left).toBeCloseTo((100 * probe.startedAtMs) / total, 3);
      expect(bar.width).toBeCloseTo((100 * probe.durationMs) / total, 3);
    }
    expect(await page.textContent('#timeline-count')).toMatch(new RegExp(`^${report.probes.length} in ${total} ms: \\d+ passed, \\d+ failed`));
    expect(await page.isVisible('#probes')).toBe(true);
    await page.click('#timeline summary');
    expect(await page.isVisible('#probes')).toBe(false);
    await context.close();
  });

  it('copies every fix and policy, the trust policy of ASSUME_ROLE_DENIED as a document, and the report as Markdown', async () => {
    const { context, page, failed } = await open(rolesBase);
    const connection = sampleRequest(roles.sandbox, { credentials: { type: 'role', roleArn: 'arn:aws:iam::123456789012:role/PreflightReadOnly', externalId: 'not-the-external-id' } });
    const report = await run(page, connection);
    expect(report.findings.map((f) => f.code)).toContain('ASSUME_ROLE_DENIED');
    // The finding's fix shows the trust policy as a document of its own, with a copy button.
    const finding = page.locator('li.finding', { hasText: 'ASSUME_ROLE_DENIED' });
    expect(JSON.parse((await finding.locator('pre').textContent())!)).toEqual(report.remediation.trustPolicy);
    expect(JSON.parse(await copied(page, finding.locator('.block .copy')))).toEqual(report.remediation.trustPolicy);
    // Every fix of a capability that is not ok, and every policy, has its own copy button.
    for (const capability of report.capabilities.filter((c) => c.status !== 'ok' && c.status !== 'skipped' && c.remediation)) {
      expect(await copied(page, page.locator(`tr[data-capability="${capability.id}"] .fix .copy`))).toBe(capability.remediation!.summary);
    }
    const policies = [report.remediation.policy, ...(report.remediation.policies ?? []).map((p) => p.document), report.remediation.trustPolicy].filter(Boolean);
    expect(await page.locator('#policies .block .copy').count()).toBe(policies.length);
    expect(JSON.parse(await copied(page, page.locator('#policies .block .copy').last()))).toEqual(report.remediation.trustPolicy);

    await page.click('#copy-markdown');
    await page.waitForFunction(() => document.getElementById('copy-markdown')!.textContent === 'Copied as Markdown');
    expect(await clipboard(page)).toBe(renderMarkdown(report));
    expect(await clipboard(page)).toContain('### Trust policy for the role');
    expect(await clipboard(page)).not.toContain('not-the-external-id');
    expect(failed).toEqual([]);
    await context.close();
  });

  it('takes capabilities, options, catalog, databases and timeout from a pasted connection, and keeps all but secrets for the next run', async () => {
    const { context, page } = await open(base);
    const bodies: Array<Record<string, any>> = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/preflight')) bodies.push(JSON.parse(request.postData()!));
    });
    const connection = sampleRequest(harness.sandbox, {
      athena: { workgroup: 'primary', catalog: 'AwsDataCatalog' },
      glue: { catalogId: '123456789012', databases: ['sales', 'marketing'] },
      capabilities: ['connection', 'metadata', 'search'],
      options: { runQuery: false, writeTest: false, timeoutMs: 15000 },
    }) as { credentials: { secretAccessKey: string } };
    await page.fill('#apiKey', TEST_API_KEY);
    await page.fill('#paste', JSON.stringify(connection));
    expect(await page.inputValue('#databases')).toBe('sales, marketing');
    expect(await page.inputValue('#timeoutMs')).toBe('15000');
    expect(await page.isChecked('#writeTest')).toBe(false);
    expect(await page.$$eval('input[name=cap]:checked', (boxes) => boxes.map((box) => (box as HTMLInputElement).value))).toEqual(['connection', 'metadata', 'search']);
    await page.click('#run');
    await page.waitForSelector('#actions:not([hidden])');
    expect(bodies[0]).toEqual(JSON.parse(JSON.stringify(connection))); // what was pasted, all of it
    expect(await page.inputValue('#secretAccessKey')).toBe('');
    expect(await page.isVisible('#secrets-cleared')).toBe(true);
    for (const [field, value] of [['#region', 'eu-west-1'], ['#account', '123456789012'], ['#catalog', 'AwsDataCatalog'], ['#databases', 'sales, marketing'], ['#timeoutMs', '15000']]) {
      expect(await page.inputValue(field!), field).toBe(value);
    }
    // Again: only the secret is typed.
    await page.fill('#secretAccessKey', connection.credentials.secretAccessKey);
    await page.click('#run');
    await page.waitForFunction(() => !document.getElementById('actions')!.hidden && !(document.getElementById('run') as HTMLButtonElement).disabled);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toEqual(bodies[0]);
    await context.close();
  });

  it("names the catalog checked and what another account's owner must do, with its resource policy to copy", async () => {
    const other = await startHarness('cross-account-catalog-denied');
    try {
      const { context, page, failed } = await open(await listen(other));
      const report = await run(page, sampleRequest(other.sandbox));
      await expect(page.locator('#meta').textContent()).resolves.toContain('Glue catalog 999988887777');
      await expect(page.locator('[data-other-account="999988887777"]').textContent()).resolves.toContain('aws glue put-resource-policy');
      const heading = page.locator('#policies h3', { hasText: 'resource policy' });
      const copy = page.locator('#policies h3:has-text("resource policy") + .block .copy');
      expect(await heading.count()).toBe(1);
      expect(JSON.parse(await copied(page, copy))).toEqual(report.remediation.otherAccounts![0]!.resourcePolicy);
      expect(failed).toEqual([]);
      await context.close();
    } finally {
      await other.close();
    }
  });

  it('copies over plain HTTP from another address, where the browser has no navigator.clipboard', async () => {
    const { context, page, failed } = await open(base, DESKTOP, insecureContext);
    expect(await page.evaluate(() => 'clipboard' in navigator)).toBe(false);
    const report = await run(page, sampleRequest(harness.sandbox));
    const policy = page.locator('#policies .block .copy').first();
    await policy.click();
    await expect.poll(() => policy.textContent()).toBe('Copied');
    expect(JSON.parse(await clipboardFromAnotherTab(page))).toEqual(report.remediation.policy);
    const fix = page.locator('#matrix .fix .copy').first();
    await fix.click();
    await expect.poll(() => fix.textContent()).toBe('Copied');
    expect(await clipboardFromAnotherTab(page)).toBe(report.capabilities.find((c) => c.status !== 'ok' && c.status !== 'skipped' && c.remediation)!.remediation!.summary);
    await page.click('#copy-markdown');
    await expect.poll(() => page.textContent('#copy-markdown')).toBe('Copied as Markdown');
    expect(await clipboardFromAnotherTab(page)).toBe(renderMarkdown(report));
    // The copy left nothing behind: no stray text area, nothing selected, the button still focused for the keyboard.
    expect(await page.locator('textarea:not(form textarea)').count()).toBe(0); // only the forms' own fields
    expect(await page.evaluate(() => document.getSelection()!.toString())).toBe('');
    expect(failed).toEqual([]);
    await context.close();
  });

  it('says "Copy failed: select and copy" when no way to copy is left, and selects the text for the reader', async () => {
    const { context, page, failed } = await open(base, DESKTOP, noWayToCopy);
    const report = await run(page, sampleRequest(harness.sandbox));
    const policy = page.locator('#policies .block .copy').first();
    await policy.click();
    await expect.poll(() => policy.textContent()).toBe('Copy failed: select and copy');
    // The block's text is selected: Ctrl+C (or a long press) copies it.
    expect(JSON.parse(await page.evaluate(() => document.getSelection()!.toString()))).toEqual(report.remediation.policy);
    // The Markdown is in no block of its own: shown, and selected, for the reader to copy.
    await page.click('#copy-markdown');
    await expect.poll(() => page.textContent('#copy-markdown')).toBe('Copy failed: select and copy');
    expect(await page.textContent('#markdown')).toBe(renderMarkdown(report));
    expect(await page.evaluate(() => document.getSelection()!.toString())).toBe(renderMarkdown(report).trimEnd()); // a selection drops the last line break
    expect(failed).toEqual([]);
    await context.close();
  });

  it('says what is wrong with a refused request', async () => {
    const { context, page } = await open(base);
    await page.fill('#apiKey', 'not-the-key-at-all-000');
    await page.fill('#region', 'eu-west-1');
    await page.fill('#account', '123456789012');
    await page.click('#run');
    await page.waitForFunction(() => document.getElementById('error')!.textContent!.length > 0);
    expect(await page.textContent('#error')).toMatch(/^401/);
    await context.close();
  });

  it('is served with a strict content security policy and an icon of its own, and not at all when switched off', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/' });
    expect(response.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'sha256-/);
    // The hashes are those of the texts served (Chromium, in the tests above, refuses anything else).
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(response.headers['content-security-policy']).toContain(`script-src ${hash(/<script>([\s\S]*)<\/script>/.exec(response.body)![1]!)};`);
    expect(response.headers['content-security-policy']).toContain(`style-src ${hash(/<style>([\s\S]*)<\/style>/.exec(response.body)![1]!)};`);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toMatch(/<link rel="icon" href="data:image\/svg\+xml,/);
    const clients = createClientFactory();
    const off = await buildApp({ config: { apiKeys: [TEST_API_KEY], authDisabled: false, maxConcurrentRuns: 1, webUi: false }, engine: { clients, allowAmbient: false, maxRunMs: 1000, probes: PROBES } });
    expect((await off.inject({ method: 'GET', url: '/' })).statusCode).toBe(404);
    await off.close();
    clients.destroy();
  });
});
