// A high-severity finding never hides under "OK": the table's first line counts the high findings,
// and `check --fail-on SEVERITY` turns a finding of that severity or worse into exit 1, for
// runbooks and CI. The scenario external-id-not-enforced is ok in every capability, with one high
// finding: its role can be assumed without the external ID.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleRequest, serviceIdentityOf } from '../../src/sandbox/sample.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { cliInProcess as cli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'preflight-fail-on-'));
const sandboxes: Sandbox[] = [];
afterAll(async () => {
  await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
});

/** A scenario's sample connection in a file, and the environment a check of it needs (its endpoint, the service's identity for role mode). */
async function connection(scenario: string) {
  const sandbox = await startSandbox({ scenario });
  sandboxes.push(sandbox);
  const file = join(dir, `${scenario}.json`);
  writeFileSync(file, JSON.stringify(sampleRequest(sandbox)));
  const identity = serviceIdentityOf(sandbox);
  const env: Record<string, string> = { AWS_ENDPOINT_URL: sandbox.endpoint, PREFLIGHT_S3_FORCE_PATH_STYLE: 'true', AWS_EC2_METADATA_DISABLED: 'true' };
  if (identity) Object.assign(env, { AWS_ACCESS_KEY_ID: identity.accessKeyId, AWS_SECRET_ACCESS_KEY: identity.secretAccessKey });
  return { file, env };
}

let exposed: Awaited<ReturnType<typeof connection>>;
let clean: Awaited<ReturnType<typeof connection>>;
let degraded: Awaited<ReturnType<typeof connection>>;
beforeAll(async () => {
  [exposed, clean, degraded] = await Promise.all([connection('external-id-not-enforced'), connection('full-access'), connection('coalesce-glue-athena')]);
});

describe('the table\'s first line', () => {
  it('counts the high findings after the status', async () => {
    const run = await cli(['check', exposed.file], { env: exposed.env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^Preflight [0-9a-f]{12}: OK, 1 high finding, in \d+ ms$/);
    expect(run.stdout).toMatch(/^ {2}\[high\] EXTERNAL_ID_NOT_ENFORCED: /m);
  });

  it('says nothing more when there is none', async () => {
    const run = await cli(['check', clean.file], { env: clean.env });
    expect(run.stdout.split('\n')[0]).toMatch(/^Preflight [0-9a-f]{12}: OK in \d+ ms$/);
  });
});

describe('check --fail-on', () => {
  it('exits 1 when a finding of that severity or worse is reported, whatever it prints', async () => {
    for (const severity of ['high', 'medium', 'low', 'info']) {
      const run = await cli(['check', exposed.file, '--fail-on', severity], { env: exposed.env });
      expect(run.code, `${severity}: ${run.stderr}`).toBe(1);
    }
    for (const format of ['--markdown', '--policy']) expect((await cli(['check', exposed.file, '--fail-on', 'high', format], { env: exposed.env })).code, format).toBe(1);
    // The report is printed all the same.
    const json = await cli(['check', exposed.file, '--fail-on', 'high', '--json'], { env: exposed.env });
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'ok', findings: [{ code: 'EXTERNAL_ID_NOT_ENFORCED', severity: 'high' }] });
  });

  it('keeps the status\'s exit code when no such finding is reported, or when it is worse', async () => {
    expect((await cli(['check', clean.file, '--fail-on', 'info'], { env: clean.env })).code).toBe(0);
    expect((await cli(['check', degraded.file, '--fail-on', 'high'], { env: degraded.env })).code).toBe(1);
  });

  it('refuses a severity it does not know, naming the ones it does, exit 3', async () => {
    const run = await cli(['check', exposed.file, '--fail-on', 'critical'], { env: exposed.env });
    expect(run).toEqual({ code: 3, stdout: '', stderr: 'preflight: --fail-on must be high, medium, low or info (see preflight check --help)\n' });
    expect((await cli(['check', '--help'])).stdout).toMatch(/^ {2}--fail-on S {6}exit 1 when a finding of severity S or worse/m);
  });
});
