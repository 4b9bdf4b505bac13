#!/usr/bin/env node
// The one entry of the package and of the container image: `serve` runs the HTTP service
// (the image's default command); anything else is the CLI (`docker run IMAGE check conn.json`).
import module from 'node:module';

// V8 keeps the compiled code on disk (Node 22.1+; a no-op on older Nodes and on read-only disks):
// every start after the first skips parsing. Enabled here, before anything else is imported.
module.enableCompileCache?.();

const [command, ...rest] = process.argv.slice(2);

// `serve` alone starts at once, without the CLI's modules; `serve --help` and the like are the CLI's.
if (command === 'serve' && rest.length === 0) {
  await import('./server.js');
} else {
  const { runCli } = await import('./cli/index.js');
  process.exitCode = await runCli(command === undefined ? [] : [command, ...rest], {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  });
}
