// The browser the web tests drive: a system Chromium (playwright-core downloads none), found rather
// than assumed at one path. CHROMIUM_PATH first, then the usual names on PATH, as `which` finds them.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

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
