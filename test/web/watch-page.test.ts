/// <reference lib="dom" />
// The support page's Watch tab in headless Chromium over real HTTP: the connections the service
// watches (GET /watch), the latest run a link that opens the stored report, the next run; nothing
// asked of the service before a key is typed; a refused key and a service that watches nothing
// said plainly; a desktop's and a phone's width. Screenshots are left in test-artifacts/.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../src/aws/clients.js';
import type { PreflightReport } from '../../src/preflight/types.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { loadWatchFile } from '../../src/watch/file.js';
import { type TempStore, tempStore } from '../store/support.js';
import { DESKTOP, PHONE, launchChromium, openPage } from '../support/chromium.js';
import { type Harness, startHarness } from '../support/service.js';
import { WATCH_API_KEY, fakeClock, watchedApp } from '../watch/support.js';

const dir = mkdtempSync(join(tmpdir(), 'preflight-web-watch-'));
const time = fakeClock();
let sandbox: Sandbox;
let temp: TempStore;
let app: FastifyInstance;
let clients: ClientFactory;
/** A service that watches nothing. */
let unwatched: Harness;
let browser: Browser;
let base: string;
let unwatchedBase: string;

const listen = async (server: FastifyInstance) => {
  await server.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  writeFileSync(
    join(dir, 'watch.json'),
    JSON.stringify({
      connections: ['acme-prod', 'acme-staging'].map((label) => ({
        label,
        region: 'eu-west-1',
        accountId: '123456789012',
        roleArn: 'arn:aws:iam::123456789012:role/PreflightReadOnly',
        externalIdEnv: 'ACME_EXTERNAL_ID',
        capabilities: ['metadata'],
      })),
    }),
  );
  [sandbox, temp] = await Promise.all([startSandbox({ scenario: 'full-access' }), tempStore()]);
  // acme-prod runs in the first 30 s, acme-staging at the end of the first minute.
  let draws = 0;
  ({ app, clients } = await watchedApp(sandbox, temp.store, {
    connections: await loadWatchFile(join(dir, 'watch.json'), { ACME_EXTERNAL_ID: 'acme-7f3c2a' }),
    clock: time.clock,
    random: () => (draws++ === 0 ? 0.1 : 0.99),
  }));
  unwatched = await startHarness('full-access', { config: { apiKeys: [WATCH_API_KEY] } });
  [base, unwatchedBase] = await Promise.all([listen(app), listen(unwatched.app)]);
  await time.advance(30_000);
  browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  clients?.destroy();
  await Promise.all([unwatched?.close(), sandbox?.close(), temp?.remove()]);
  rmSync(dir, { recursive: true, force: true });
});

const open = (url: string, viewport = DESKTOP) => openPage(browser, url, { viewport, clipboard: false });

const watchList = async () => (await app.inject({ url: '/watch', headers: { authorization: `Bearer ${WATCH_API_KEY}` } })).json();

describe('the support page: the Watch tab', () => {
  it('lists the watched connections once a key is typed; the latest run opens its stored report', async () => {
    const { context, page, failed, requested } = await open(`${base}/`);
    await page.click('#tab-watch');
    expect(await page.isVisible('#watch')).toBe(true);
    expect(await page.isVisible('#connection')).toBe(false);
    expect(await page.getAttribute('#tab-watch', 'aria-selected')).toBe('true');
    expect(await page.textContent('#watch-out')).toBe('Type the API key to see the watched connections.');
    expect(requested.filter((url) => url.endsWith('/watch'))).toEqual([]);

    await page.fill('#w-apiKey', WATCH_API_KEY);
    await page.click('#watch-load');
    await page.waitForSelector('#watch-table');
    const { connections } = await watchList();
    const [prod, staging] = connections;
    expect(prod.lastRun.status).toBe('ok');
    expect(staging.lastRun).toBeNull();
    const rows = await page.$$eval('#watch-table tr[data-connection]', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows).toEqual([
      ['acme-prod', 'ok', `latest: ${prod.lastRun.at.slice(0, 19).replace('T', ' ')} UTC`, `next: ${prod.nextRunAt.slice(0, 19).replace('T', ' ')} UTC`],
      ['acme-staging', 'pending', 'not run yet', `next: ${staging.nextRunAt.slice(0, 19).replace('T', ' ')} UTC`],
    ]);

    // The latest run's link: the stored report, in the Check tab, with the key already typed.
    await page.click('#watch-table tr[data-connection=acme-prod] a');
    await page.waitForSelector('#runs-table');
    expect(await page.getAttribute('#tab-check', 'aria-selected')).toBe('true');
    expect(await page.isVisible('#watch')).toBe(false);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const opened = JSON.parse(readFileSync((await download.path())!, 'utf8')) as PreflightReport;
    expect(opened.id).toBe(prod.lastRun.id);

    // Back to the Watch tab after the next run: the list is asked for again, up to date.
    await time.advance(60_000);
    await page.click('#tab-watch');
    await page.waitForSelector('#watch-table tr[data-connection=acme-staging] td.status.ok');
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/web-watch-desktop.png' });
    expect(failed).toEqual([]);
    await context.close();
  });

  it('fits a phone, and loads at once when the key was typed in another tab', async () => {
    const { context, page, failed } = await open(`${base}/`, PHONE);
    await page.fill('#apiKey', WATCH_API_KEY);
    await page.click('#tab-watch');
    await page.waitForSelector('#watch-table');
    expect(await page.inputValue('#w-apiKey')).toBe(WATCH_API_KEY);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    // Each connection's name and status on one line, its times below.
    const [label, status] = await Promise.all(['td.label', 'td.status'].map((cell) => page.locator(`#watch-table tr[data-connection=acme-prod] ${cell}`).boundingBox()));
    expect(Math.abs(label!.y - status!.y)).toBeLessThan(4);
    await page.screenshot({ path: 'test-artifacts/web-watch-phone.png', fullPage: true });
    expect(failed).toEqual([]);
    await context.close();
  });

  it('says plainly when the key is refused, and when the service watches nothing', async () => {
    const refused = await open(`${base}/`);
    await refused.page.click('#tab-watch');
    await refused.page.fill('#w-apiKey', 'not-the-key-0123456789');
    await refused.page.click('#watch-load');
    await refused.page.waitForFunction(() => document.getElementById('watch-error')!.textContent !== '');
    expect(await refused.page.textContent('#watch-error')).toBe('Cannot list the watched connections. 401: a valid API key is required: Authorization: Bearer <key>');
    // The refusal, and the browser's own line about it: nothing else went wrong.
    expect(refused.failed).toContain('401 /watch');
    expect(refused.failed.filter((line) => !/401/.test(line))).toEqual([]);
    await refused.context.close();

    const none = await open(`${unwatchedBase}/`);
    await none.page.click('#tab-watch');
    await none.page.fill('#w-apiKey', WATCH_API_KEY);
    await none.page.click('#watch-load');
    await none.page.waitForSelector('#watch-none');
    expect(await none.page.textContent('#watch-none')).toBe('This service watches no connection: its operator lists them in a watch file (PREFLIGHT_WATCH_FILE).');
    expect(none.failed).toEqual([]);
    await none.context.close();
  });
});
