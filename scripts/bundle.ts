// `npm run build`, second step: the service entry (dist/server.js) as one ESM bundle, so that a
// start resolves and reads a handful of files instead of hundreds (issue 6: ready in ≤ 500 ms).
// The AWS SDK clients stay lazy: each is its own chunk, imported on first use. The rest of dist/
// (CLI, sandbox) is tsc's output, as before.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/server-chunks', { recursive: true, force: true }); // chunk names change with content

await build({
  entryPoints: { server: 'src/server.ts' },
  outdir: 'dist',
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
  // pino-pretty is optional, for terminals only; swagger-ui is told where its files are (app.ts).
  external: ['pino-pretty'],
  logLevel: 'warning',
});
