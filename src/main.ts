#!/usr/bin/env node
// The one entry of the package and of the container image: `serve` runs the HTTP service
// (the image's default command); anything else is the CLI (`docker run IMAGE check conn.json`).
const [command, ...rest] = process.argv.slice(2);

if (command === 'serve') {
  await import('./server.js');
} else {
  const { runCli } = await import('./cli.js');
  process.exitCode = await runCli(command === undefined ? [] : [command, ...rest], {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  });
}
