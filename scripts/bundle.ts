// `npm run build`, second step: what the image runs, as bundles that need no node_modules (the
// run stage ships none, but Swagger UI's page files: src/http/docs.ts reads them from its package).
// dist/main.js (the CLI, and `serve`) and dist/server.js (the service), one ESM build sharing its
// chunks, so that a start resolves and reads a handful of files instead of hundreds (the service is
// ready in ≤ 500 ms); the AWS SDK clients stay lazy, each its own chunk, imported on first use. And
// dist/sandbox/main.js, the simulated AWS account (compose and the image test run it), on its own:
// it starts only when it is the process's entry, which a module in a shared chunk would never be.
// The rest of dist/ is tsc's output, which the image does not copy.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, type Plugin, build } from 'esbuild';
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

/** Where the bundles' shared chunks go, under the output directory. */
export const CHUNKS = 'chunks';

/** What every bundle is built with. */
const COMMON: BuildOptions = {
  bundle: true,
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
  logLevel: 'warning',
  metafile: true,
};

/**
 * The bundles, `main.js`, `server.js` and their chunks, and `sandbox/main.js`, into `outdir` (dist/
 * for the image; a test bundles into a directory of its own to run exactly what the image runs).
 * The directory must be inside the checkout: the bundle finds swagger-ui's files through
 * node_modules.
 */
export async function bundleService(outdir: string): Promise<void> {
  // Chunk names change with content (server-chunks/: where an older build put them).
  for (const dir of [CHUNKS, 'server-chunks']) rmSync(join(outdir, dir), { recursive: true, force: true });
  const inlined = { done: false };

  const service = await build({
    ...COMMON,
    entryPoints: { main: resolve(import.meta.dirname, '../src/main.ts'), server: resolve(import.meta.dirname, '../src/server.ts') },
    outdir,
    chunkNames: `${CHUNKS}/[name]-[hash]`,
    splitting: true,
    plugins: [builtinsViaRequire, pageAssetsInline(await loadPageAssets(), inlined)],
  });
  // Else the bundle would hold the bundler (and serve a page only where esbuild is installed).
  if (!inlined.done) throw new Error(`${PAGE_ASSETS_MODULE} was not in the service's bundle: the page's script and style were not put in it`);
  const sandbox = await build({ ...COMMON, entryPoints: { 'sandbox/main': resolve(import.meta.dirname, '../src/sandbox/main.ts') }, outdir, plugins: [builtinsViaRequire] });

  /**
   * V8 keeps a module's source for as long as the process lives (functions are compiled lazily from
   * it), and a source with one character beyond Latin-1 is stored at two bytes a character: a few
   * characters in comments esbuild keeps (dashes in dependencies' doc comments) made
   * dist/server.js's 3.3 MB a 6.7 MB string in every heap. esbuild already writes everything else as
   * ASCII (`charset: 'ascii'`, its default); the rest, in comments only, is escaped here.
   */
  const outputs = [service, sandbox].flatMap((result) => Object.keys(result.metafile!.outputs)).filter((file) => file.endsWith('.js'));
  for (const file of outputs) {
    const source = readFileSync(file, 'utf8');
    const ascii = source.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    if (ascii !== source) writeFileSync(file, ascii);
  }
}

// `npm run build`: the image's bundle in dist/.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await bundleService('dist');
