// The page's markup, script and style, from their sources: src/web/page.html, the browser code in
// src/web/client/ bundled by esbuild into one script, src/web/page.css minified. Run from src/
// (npm run dev, npm run demo, the tests), this bundles on first use, so the page served is never
// older than its sources. `npm run build` calls it once and puts what it answers into
// dist/server.js in place of this module (scripts/bundle.ts): the built service reads no file for
// its page and needs no esbuild.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CAPABILITIES } from '../catalogue/capabilities.js';
import { FLAT_FIELDS } from '../schemas/request.js';

export interface PageAssets {
  /** The body's markup. */
  markup: string;
  /** The browser code, one classic script (an IIFE). */
  script: string;
  style: string;
}

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export async function loadPageAssets(): Promise<PageAssets> {
  // esbuild is a build tool (a dev dependency): loaded only when bundling from the sources.
  const { build, transform } = await import('esbuild');
  const [bundled, style, markup] = await Promise.all([
    build({
      entryPoints: [source('./client/main.ts')],
      tsconfig: source('./client/tsconfig.json'),
      // The bundle names its modules by path from here: the same text, so the same hash, wherever it is made from.
      absWorkingDir: source('../..'),
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      // What the page knows of the catalogue, as constants in the script (src/web/client/data.ts).
      define: {
        PAGE_CAPABILITIES: JSON.stringify(CAPABILITIES.map((c) => ({ id: c.id, title: c.title, checked: c.requestedByDefault }))),
        PAGE_FLAT_FIELDS: JSON.stringify(FLAT_FIELDS.map(({ name, path }) => [name, path])),
      },
      legalComments: 'none',
      logLevel: 'silent',
    }),
    readFile(source('./page.css'), 'utf8').then((css) => transform(css, { loader: 'css', minify: true })),
    readFile(source('./page.html'), 'utf8'),
  ]);
  const script = bundled.outputFiles[0]!.text;
  // Inline in the document: a closing tag inside either would end it early.
  if (/<\/script/i.test(script) || /<\/style/i.test(style.code)) throw new Error('the page script or style holds a closing tag');
  return { markup: markup.replace(/^<!--[\s\S]*?-->\n/, ''), script, style: style.code.trimEnd() };
}
