// The browser the web tests drive: a system Chromium (playwright-core downloads none), found rather
// than assumed at one path. CHROMIUM_PATH first, then the usual names on PATH, as `which` finds them.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome'];

const INSTALL_HINT =
  'install Chromium (Debian/Ubuntu: `apt-get install chromium`; .ci/run does this) or Google Chrome, ' +
  'or set CHROMIUM_PATH to a Chromium or Chrome executable';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The first of `names` that is an executable file in a directory of `path`, as `which` answers. */
export function which(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

/** CHROMIUM_PATH if set (and then it must be right: no silent fallback), else chromium, chromium-browser, google-chrome on PATH. */
export function findChromium(env: Record<string, string | undefined> = process.env): string {
  const configured = env.CHROMIUM_PATH;
  if (configured) {
    if (executable(configured)) return configured;
    throw new Error(`CHROMIUM_PATH is ${configured}, which is not an executable file: ${INSTALL_HINT}`);
  }
  for (const name of NAMES) {
    const found = which(name, env.PATH ?? '');
    if (found) return found;
  }
  throw new Error(`the web tests need a Chromium and found none (CHROMIUM_PATH unset; no ${NAMES.join(', ')} on PATH): ${INSTALL_HINT}`);
}

/** Headless Chromium for a test file; close it in afterAll. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** What went wrong on the page: an HTTP error answer not expected, a page error, a console error or warning (a CSP refusal, say). */
  failed: string[];
  /** Every URL the page requested. */
  requested: string[];
}

export interface OpenOptions {
  viewport?: { width: number; height: number };
  /** Answers of 400 and above this test provokes on purpose (its form's own endpoint): not failures. */
  expectedErrors?: (url: URL) => boolean;
  /** Runs in the page before its own scripts (e.g. to take navigator.clipboard away). */
  init?: () => void;
  /** Grant the clipboard (the Copy buttons' tests); default true. */
  clipboard?: boolean;
}

export const DESKTOP = { width: 1366, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** A page of the service in a context of its own, everything that goes wrong on it collected. */
export async function openPage(browser: Browser, url: string, options: OpenOptions = {}): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP, ...(options.clipboard === false ? {} : { permissions: ['clipboard-read', 'clipboard-write'] }), acceptDownloads: true });
  const page = await context.newPage();
  if (options.init) await page.addInitScript(options.init);
  page.setDefaultTimeout(10_000);
  const failed: string[] = [];
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  page.on('response', (response) => {
    const at = new URL(response.url());
    if (response.status() >= 400 && !options.expectedErrors?.(at)) failed.push(`${response.status()} ${at.pathname}`);
  });
  page.on('pageerror', (error) => failed.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') failed.push(`console ${message.type()}: ${message.text()}`);
  });
  await page.goto(url);
  return { context, page, failed, requested };
}
