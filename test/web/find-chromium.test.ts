// How the web tests find their browser: CHROMIUM_PATH, else chromium, chromium-browser, google-chrome
// on PATH; and when there is none, an error that says what to install.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findChromium } from '../support/chromium.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function dirWith(...names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'find-chromium-'));
  made.push(dir);
  for (const name of names) {
    writeFileSync(join(dir, name), '#!/bin/sh\n');
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

describe('findChromium', () => {
  it('takes CHROMIUM_PATH first', () => {
    const onPath = dirWith('chromium');
    const elsewhere = join(dirWith('my-chrome'), 'my-chrome');
    expect(findChromium({ CHROMIUM_PATH: elsewhere, PATH: onPath })).toBe(elsewhere);
  });

  it('refuses a CHROMIUM_PATH that is not an executable, rather than quietly using another browser', () => {
    const onPath = dirWith('chromium');
    expect(() => findChromium({ CHROMIUM_PATH: '/nonexistent/chromium', PATH: onPath })).toThrow(/CHROMIUM_PATH is \/nonexistent\/chromium, which is not an executable file/);
  });

  it('looks for chromium, chromium-browser, then google-chrome along PATH, in its order', () => {
    const first = dirWith('google-chrome');
    const second = dirWith('chromium-browser');
    expect(findChromium({ PATH: [first, second].join(delimiter) })).toBe(join(second, 'chromium-browser'));
    expect(findChromium({ PATH: first })).toBe(join(first, 'google-chrome'));
    const notExecutable = dirWith();
    writeFileSync(join(notExecutable, 'chromium'), '');
    expect(findChromium({ PATH: [notExecutable, first].join(delimiter) })).toBe(join(first, 'google-chrome'));
  });

  it('names what to install when there is none', () => {
    expect(() => findChromium({ PATH: dirWith() })).toThrow(/found none .*apt-get install chromium.*CHROMIUM_PATH/);
  });
});
