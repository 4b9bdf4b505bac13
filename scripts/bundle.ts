// `npm run build`, second step: the service entry (dist/server.js) as one ESM bundle, so that a
// start resolves and reads a handful of files instead of hundreds (issue 6: ready in ≤ 500 ms).
// The AWS SDK clients stay lazy: each is its own chunk, imported on first use. The rest of dist/
// (CLI, sandbox) is tsc's output, as before.
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Plugin, build } from 'esbuild';
import { loadPageAssets } from '../src/web/assets.js';

/**
 * An ESM `import` of a Node built-in makes Node build a facade that reads every export, and
 * node:http's WebSocket, CloseEvent and MessageEvent getters load undici to answer: some 10 % of a
 * start, for classes we never use. The bundle takes http and https through `require` instead,
 * with the same exports but those three.
 */
const UNDICI_GETTERS = new Set(['WebSocket', 'CloseEvent', 'MessageEvent']);
const builtinsViaRequire: Plugin = {
  name: 'builtins-via-require',
  setup(bundle) {
    bundle.onResolve({ filter: /^(node:)?https?$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      // The module's own require() is the real built-in, left to Node.
      if (args.namespace === 'builtin-via-require') return { path: `node:${name}`, external: true };
      return { path: name, namespace: 'builtin-via-require' };
    });
    bundle.onLoad({ filter: /.*/, namespace: 'builtin-via-require' }, (args) => {
      const names = Object.keys(createRequire(import.meta.url)(`node:${args.path}`)).filter((name) => !UNDICI_GETTERS.has(name));
      const contents = [`const builtin = require('node:${args.path}');`, 'export default builtin;', ...names.map((name) => `export const ${name} = builtin.${name};`)];
      return { contents: contents.join('\n'), loader: 'js' };
    });
  },
};

/**
 * The web page, bundled from its sources now and put into the service's bundle as constants in
 * place of the module that bundles it (src/web/assets.ts): the page served is the one this build
 * made from these sources, and the service needs neither esbuild nor a file beside it.
 */
const PAGE_ASSETS_MODULE = resolve(import.meta.dirname, '../src/web/assets.ts');
function pageAssetsInline(assets: Awaited<ReturnType<typeof loadPageAssets>>, inlined: { done: boolean }): Plugin {
  return {
    name: 'page-assets-inline',
    setup(bundle) {
      bundle.onLoad({ filter: /[\\/]web[\\/]assets\.ts$/ }, (args) => {
        if (args.path !== PAGE_ASSETS_MODULE) return undefined;
        inlined.done = true;
        return { contents: `const assets = ${JSON.stringify(assets)};\nexport async function loadPageAssets() { return assets; }\n`, loader: 'js' };
      });
    },
  };
}

/**
 * The service's bundle, `server.js` and its chunks, into `outdir` (dist/ for the image; a test
 * bundles into a directory of its own to run exactly what the image runs). The directory must be
 * inside the checkout: the bundle finds swagger-ui's files through node_modules.
 */
export async function bundleService(outdir: string): Promise<void> {
  rmSync(join(outdir, 'server-chunks'), { recursive: true, force: true }); // chunk names change with content
  const inlined = { done: false };

  await build({
    entryPoints: { server: resolve(import.meta.dirname, '../src/server.ts') },
    outdir,
    chunkNames: 'server-chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // The ESM builds first: an SDK package's CommonJS build would come back from import() with its
    // exports under `default` only.
    mainFields: ['module', 'main'],
    sourcemap: true,
    // Bundled CommonJS packages call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __preflightRequire } from 'node:module'; const require = __preflightRequire(import.meta.url);" },
    // pino-pretty is optional, for terminals only; swagger-ui is told where its files are (src/http/docs.ts).
    external: ['pino-pretty'],
    plugins: [builtinsViaRequire, pageAssetsInline(await loadPageAssets(), inlined)],
    logLevel: 'warning',
  });
  // Else the bundle would hold the bundler (and serve a page only where esbuild is installed).
  if (!inlined.done) throw new Error(`${PAGE_ASSETS_MODULE} was not in the service's bundle: the page's script and style were not put in it`);

  /**
   * V8 keeps a module's source for as long as the process lives (functions are compiled lazily from
   * it), and a source with one character beyond Latin-1 is stored at two bytes a character: a few
   * characters in comments esbuild keeps (dashes in dependencies' doc comments) made
   * dist/server.js's 3.3 MB a 6.7 MB string in every heap. esbuild already writes everything else as
   * ASCII (`charset: 'ascii'`, its default); the rest, in comments only, is escaped here.
   */
  for (const file of [join(outdir, 'server.js'), ...readdirSync(join(outdir, 'server-chunks')).filter((name) => name.endsWith('.js')).map((name) => join(outdir, 'server-chunks', name))]) {
    const source = readFileSync(file, 'utf8');
    const ascii = source.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    if (ascii !== source) writeFileSync(file, ascii);
  }
}

// `npm run build`: the image's bundle in dist/.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await bundleService('dist');
