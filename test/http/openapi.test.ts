import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderOpenApi } from '../../src/app.js';

interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer: string }[];
}

/** `redocly lint openapi.yaml` with its recommended rules, as JSON; no telemetry, no update check. */
async function lint(file: string): Promise<{ totals: { errors: number; warnings: number }; problems: LintProblem[] }> {
  const cli = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin', 'cli.js');
  const run = promisify(execFile);
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
  // It exits 1 when it finds an error: the report is on stdout either way.
  const { stdout } = await run(process.execPath, [cli, 'lint', file, '--format=json'], { env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: { stdout?: string; code?: unknown }) => {
      if (!error.stdout) throw error;
      return { stdout: error.stdout };
    },
  );
  return JSON.parse(stdout);
}

describe('openapi.yaml', () => {
  it('is what the route schemas generate (run `npm run openapi` after changing a route)', async () => {
    expect(readFileSync('openapi.yaml', 'utf8')).toBe(await renderOpenApi());
  });

  it('documents the preflight route, its request formats and the report', async () => {
    const yaml = await renderOpenApi();
    expect(yaml).toContain('/preflight:');
    expect(yaml).toContain('aws_account_id');
    expect(yaml).toContain('missingActions');
    expect(yaml).not.toContain('/openapi.yaml:');
  });

  it('passes `redocly lint` with no error', async () => {
    const { totals, problems } = await lint('openapi.yaml');
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    expect(errors).toEqual([]);
    expect(totals.errors).toBe(0);
  }, 90_000);

  it('documents every answer of POST /preflight: its formats, the refusals and Retry-After', async () => {
    const yaml = await renderOpenApi();
    const preflight = yaml.slice(yaml.indexOf('\n  /preflight:'), yaml.indexOf('\n  /setup:'));
    for (const type of ['application/json:', 'text/event-stream:', 'text/markdown:', 'text/plain:']) expect(preflight).toContain(type);
    for (const status of ['"400":', '"401":', '"413":', '"415":', '"429":', '"503":']) expect(preflight).toContain(status);
    expect(preflight.match(/Retry-After:/g)).toHaveLength(2);
    expect(yaml).toContain('\n  /metrics:');
  });
});
