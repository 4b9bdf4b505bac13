/// <reference lib="dom" />
// The support page's report history end to end in headless Chromium over real HTTP,
// with a SQLite store on a temporary file: the link for the ticket after a run, /#/runs/ID opening
// the stored report as the run showed it, the connection's recent runs, the diff against the
// previous run; an unknown id, a refused key and a service that keeps no report, each said plainly.
// A screenshot of the stored report is left in test-artifacts/.
import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPABILITIES } from '../../src/catalogue/capabilities.js';
import type { PreflightReport } from '../../src/preflight/types.js';
import { diffReports } from '../../src/store/diff.js';
import { DESKTOP, type OpenedPage, PHONE, launchChromium, openPage } from '../support/chromium.js';
import { type Harness, TEST_API_KEY, sampleRequest, startHarness } from '../support/service.js';
import { type TempStore, tempStore } from '../store/support.js';

const DEFAULT_CAPABILITIES = CAPABILITIES.filter((c) => c.requestedByDefault).map((c) => c.id);

let temp: TempStore;
/** coalesce-glue-athena: no glue:GetUserDefinedFunctions, so asking for `functions` changes the verdict. */
let harness: Harness;
/** The same, keeping no report (the store off). */
let off: Harness;
let browser: Browser;
let base: string;
let offBase: string;

const listen = async (h: Harness) => {
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  temp = await tempStore();
  [harness, off] = await Promise.all([startHarness('coalesce-glue-athena', { store: temp.store }), startHarness('coalesce-glue-athena')]);
  [base, offBase] = await Promise.all([listen(harness), listen(off)]);
  browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([harness?.close(), off?.close()]);
  await temp?.remove();
});

type Opened = OpenedPage;

const open = (url: string, viewport = DESKTOP): Promise<Opened> => openPage(browser, url, { viewport });

/** The report the page holds: what its Download JSON button saves. */
async function heldReport(page: Page): Promise<PreflightReport> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  return JSON.parse(readFileSync((await download.path())!, 'utf8')) as PreflightReport;
}

/** A run from the form, as a support engineer does one; answers the report the page drew. */
async function run(page: Page, connection: unknown): Promise<PreflightReport> {
  await page.fill('#apiKey', TEST_API_KEY);
  await page.fill('#paste', JSON.stringify(connection));
  await page.click('#run');
  await page.waitForFunction(() => !(document.getElementById('run') as HTMLButtonElement).disabled && !document.getElementById('share')!.hidden);
  return heldReport(page);
}

/** The report as the page draws it: verdict, matrix, findings, policies, probes. */
const rendered = (page: Page) =>
  page.evaluate(() => ['summary', 'meta', 'matrix', 'findings', 'policies', 'timeline-count', 'probes'].map((id) => document.getElementById(id)!.outerHTML));

/** What the page keeps anywhere a key could leak from: storage, cookies, its address, the link for the ticket. */
const kept = (page: Page) =>
  page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie, location.href, document.getElementById('share')!.textContent]));

const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();

describe('the support page: stored reports', () => {
  it('after a run, shows its link; the link opens the stored report as the run showed it, with the runs of the connection and what changed', async () => {
    const runner = await open(`${base}/`);
    const first = await run(runner.page, sampleRequest(harness.sandbox, { capabilities: DEFAULT_CAPABILITIES.filter((id) => id !== 'functions') }));
    const second = await run(runner.page, sampleRequest(harness.sandbox, { capabilities: DEFAULT_CAPABILITIES }));
    const fresh = await rendered(runner.page);
    // The two runs differ, and in what: what the page must show.
    const expected = diffReports(first, second);
    expect(expected.capabilities).toContainEqual({ id: 'functions', from: 'skipped', to: 'unavailable' });
    expect(expected.actions.newlyMissing).toContain('glue:GetUserDefinedFunctions');

    // The link for the ticket: this page's address and the run id, nothing else; copyable.
    const link = `${base}/#/runs/${second.id}`;
    expect(await runner.page.textContent('#share-link')).toBe(link);
    const copy = runner.page.locator('#share .copy');
    await copy.click();
    await expect.poll(() => copy.textContent()).toBe('Copied');
    expect(await runner.page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    expect(await kept(runner.page)).not.toContain(TEST_API_KEY);
    expect(runner.failed).toEqual([]);
    await runner.context.close();

    // Support pastes it in a browser of its own: the page asks for the key before asking the service.
    const support = await open(link);
    await support.page.waitForSelector('#open-run:not([hidden])');
    expect(await support.page.isVisible('#report')).toBe(false);
    expect(await support.page.textContent('#summary')).toBe(`Run ${second.id}`);
    expect(support.requested.filter((url) => /\/(preflight|connections)\b/.test(url))).toEqual([]);
    await support.page.fill('#o-apiKey', TEST_API_KEY);
    await support.page.click('#open');
    await support.page.waitForSelector('#runs-table');
    await support.page.waitForSelector('#diff h3 a');

    // The report exactly as the run drew it, in view.
    expect(await rendered(support.page)).toEqual(fresh);
    for (const part of ['#summary', '#matrix', '#findings', '#policies', '#probes', '#actions', '#share']) expect(await support.page.isVisible(part), part).toBe(true);
    expect(await support.page.isVisible('#open-run')).toBe(false);
    expect(await heldReport(support.page)).toEqual(second);
    expect(await support.page.textContent('#share-link')).toBe(link);
    expect(await support.page.inputValue('#apiKey')).toBe(TEST_API_KEY); // one key for the whole page

    // The connection's runs, newest first, each a link; this one marked.
    const rows = support.page.locator('#runs-table tr[data-run]');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.run))).toEqual([second.id, first.id]);
    expect(await texts(support.page, '#runs-table tr[data-run] td.status')).toEqual([second.status, first.status]);
    expect(await texts(support.page, '#runs-table tr[data-run] time')).toEqual([first, second].reverse().map((r) => `${r.startedAt.slice(0, 19).replace('T', ' ')} UTC`));
    expect(await rows.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual([`#/runs/${second.id}`, `#/runs/${first.id}`]);
    expect(await support.page.getAttribute(`#runs-table tr[data-run="${second.id}"]`, 'aria-current')).toBe('true');
    expect(await support.page.getAttribute(`#runs-table tr[data-run="${first.id}"]`, 'aria-current')).toBeNull();

    // What changed since the previous run: capabilities, actions, findings.
    expect(await support.page.getAttribute('#diff h3 a', 'href')).toBe(`#/runs/${first.id}`);
    const capabilityLines = await texts(support.page, '#diff [data-change=capabilities] li');
    expect(capabilityLines).toHaveLength(expected.capabilities.length);
    expect(capabilityLines).toContain('User-defined functions (functions): skipped → unavailable');
    expect(await texts(support.page, '#diff [data-change=newly-missing] li')).toEqual(expected.actions.newlyMissing);
    expect(await texts(support.page, '#diff [data-change=newly-granted] li')).toEqual(expected.actions.newlyGranted);
    expect(await texts(support.page, '#diff [data-change=findings-added] li b')).toEqual(expected.findings.added.map((f) => f.code));
    expect(await texts(support.page, '#diff [data-change=findings-gone] li b')).toEqual(expected.findings.gone.map((f) => f.code));
    if (first.status !== second.status) expect(await support.page.textContent('#diff [data-change=status]')).toBe(`Overall: ${first.status} → ${second.status}${expected.worse ? ': worse' : ''}`);
    expect(await support.page.locator('#diff [data-change=none]').count()).toBe(0);
    expect(await support.page.textContent('#diff')).not.toMatch(/null|undefined/);
    expect(await support.page.textContent('#runs')).not.toMatch(/null|undefined/);

    mkdirSync('test-artifacts', { recursive: true });
    await support.page.screenshot({ path: 'test-artifacts/web-history-desktop.png', fullPage: true });

    // Nothing wider than a phone's screen.
    await support.page.setViewportSize(PHONE);
    expect(await support.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await support.page.setViewportSize(DESKTOP);

    // The earlier run, from the list: the first of its connection, so nothing to compare with.
    await support.page.click(`#runs-table a[href="#/runs/${first.id}"]`);
    await support.page.waitForFunction((id) => document.querySelector('#runs-table tr[aria-current=true]')?.getAttribute('data-run') === id, first.id);
    expect(support.page.url()).toBe(`${base}/#/runs/${first.id}`);
    expect(await heldReport(support.page)).toEqual(first);
    expect(await support.page.textContent('#meta')).toContain(`Run ${first.id}`);
    expect(await support.page.textContent('#diff')).toContain("This is the connection's first stored run");

    expect(await kept(support.page)).not.toContain(TEST_API_KEY);
    expect(support.failed).toEqual([]);
    await support.context.close();
  });

  it('says plainly when nothing changed since the previous run', async () => {
    const body = sampleRequest(harness.sandbox, { capabilities: DEFAULT_CAPABILITIES });
    const before = await harness.preflight(body);
    const again = await harness.preflight(body);
    expect([before.status, again.status]).toEqual([200, 200]);
    const nothing = diffReports(before.body, again.body);
    expect([nothing.capabilities, nothing.actions.newlyMissing, nothing.actions.newlyGranted, nothing.findings.added, nothing.findings.gone]).toEqual([[], [], [], [], []]);

    const { context, page, failed } = await open(`${base}/`);
    // In the page, the key already typed: following a link opens the report at once.
    await page.fill('#apiKey', TEST_API_KEY);
    await page.evaluate((id) => {
      location.hash = `#/runs/${id}`;
    }, again.body.id);
    await page.waitForSelector('#diff [data-change=none]');
    expect(await page.textContent('#diff [data-change=none]')).toBe('Nothing changed since the previous run: the same capabilities, actions and findings.');
    expect(await page.getAttribute('#diff h3 a', 'href')).toBe(`#/runs/${before.body.id}`);
    expect(await page.locator('#diff ul').count()).toBe(0);
    expect(await page.textContent('#diff')).not.toMatch(/null|undefined/);
    expect(await page.isVisible('#open-run')).toBe(false);
    expect(failed).toEqual([]);
    await context.close();
  });

  it('says what is wrong, never a blank page: an unknown id, a refused key, not a run id, a service that keeps no report', async () => {
    const { context, page, failed } = await open(`${base}/#/runs/000000000000`);
    await page.fill('#o-apiKey', TEST_API_KEY);
    await page.click('#open');
    await page.waitForFunction(() => document.getElementById('open-error')!.textContent!.length > 0);
    expect(await page.textContent('#open-error')).toBe(
      'Cannot open this report. 404: no stored report 000000000000: unknown, or older than the retention (PREFLIGHT_REPORT_RETENTION_DAYS)',
    );
    expect(await page.isVisible('#results')).toBe(true);
    expect(await page.textContent('#summary')).toBe('Run 000000000000');
    expect(await page.isVisible('#report')).toBe(false);
    expect(await page.isVisible('#runs')).toBe(false);
    // Chromium also logs the refused request to the console; nothing else went wrong.
    expect(failed.filter((line) => !line.startsWith('console error: Failed to load resource'))).toEqual(['404 /preflight/000000000000']);

    // A key the service refuses (typed in the Check form: one key for the page): said, and asked again.
    await page.fill('#apiKey', 'not-the-key-at-all-000');
    await page.evaluate(() => {
      location.hash = '#/runs/0123456789ab';
    });
    await page.waitForFunction(() => document.getElementById('open-error')!.textContent!.startsWith('Cannot open this report. 401'));
    expect(await page.isVisible('#open-run')).toBe(true);
    expect(await page.textContent('#open-hint')).toBe('The API key was refused: type it again.');
    expect(page.url()).toBe(`${base}/#/runs/0123456789ab`);

    // Not a run id: said before asking the service anything.
    const asked = failed.length;
    await page.evaluate(() => {
      location.hash = '#/runs/a%2Fb';
    });
    await page.waitForFunction(() => document.getElementById('open-error')!.textContent!.includes('is not a run id'));
    expect(await page.textContent('#open-error')).toMatch(/^Cannot open this report: "a\/b" is not a run id/);
    expect(failed).toHaveLength(asked);
    await context.close();

    const offPage = await open(`${offBase}/#/runs/0123456789ab`);
    await offPage.page.fill('#o-apiKey', TEST_API_KEY);
    await offPage.page.click('#open');
    await offPage.page.waitForFunction(() => document.getElementById('open-error')!.textContent!.length > 0);
    expect(await offPage.page.textContent('#open-error')).toBe('Cannot open this report. 404: report history is off (PREFLIGHT_REPORT_STORE=off): this service keeps no report');
    expect(await kept(offPage.page)).not.toContain(TEST_API_KEY);
    await offPage.context.close();
  });

  it('puts what the service answers in the page as text: the page has no way to parse HTML', async () => {
    const page = await harness.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("function renderDiff(diff)");
    expect(page.body).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment/);
  });
});
