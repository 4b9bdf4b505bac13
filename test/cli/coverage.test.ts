// preflight coverage: policy files and the connection as options, POST /policy/coverage's validator
// and evaluator called directly (no service, no AWS call); the same answer as the route, the exit
// code from the required capabilities, and a malformed policy named in its file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliInProcess as cli } from '../support/cli.js';
import { type Harness, TEST_API_KEY, startHarness } from '../support/service.js';

const QUALYTICS = 'examples/vendor-policies/qualytics.json';
const CONNECTION = ['--region', 'eu-west-1', '--account', '123456789012', '--workgroup', 'primary', '--output', 's3://acme-athena-results/qualytics/'];

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness('full-access');
});
afterAll(async () => {
  await harness.close();
});

const route = (body: object, accept = 'application/json') =>
  harness.app.inject({ method: 'POST', url: '/policy/coverage', headers: { authorization: `Bearer ${TEST_API_KEY}`, accept }, payload: body });

describe('preflight coverage', () => {
  it('prints what POST /policy/coverage answers, as JSON and Markdown, and a table by default', async () => {
    const body = {
      region: 'eu-west-1',
      accountId: '123456789012',
      policies: [(await import('../../examples/vendor-policies/qualytics.json', { with: { type: 'json' } })).default],
      athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/qualytics/' },
    };
    const json = await cli(['coverage', QUALYTICS, ...CONNECTION, '--json']);
    // Qualytics' policy misses some of what a default preflight checks, none of it required.
    expect(json).toMatchObject({ code: 1, stderr: '' });
    expect(JSON.parse(json.stdout)).toEqual((await route(body)).json());
    const markdown = await cli(['coverage', QUALYTICS, ...CONNECTION, '--markdown']);
    expect(markdown.stdout).toBe((await route(body, 'text/markdown')).body);
    const table = await cli(['coverage', QUALYTICS, ...CONNECTION]);
    expect(table.stdout).toMatch(/^Policy coverage: 4 covered, 1 partly, 7 not covered\n/);
    expect(table.stdout).toMatch(/\n {2}athena-catalog +partly +missing athena:GetDataCatalog, athena:GetDatabase\n/);
    expect(table.stdout).not.toMatch(/note: /);
    expect(table.stdout).toMatch(/\nStatements that grant what is missing:\n\{\n {2}"Version": "2012-10-17",\n/);
    expect((await cli(['coverage', QUALYTICS, ...CONNECTION, '--notes'])).stdout).toMatch(/ {4}note: No service control policy was given/);
  });

  it('exits 0 when every capability is covered, 2 when a required one is not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coverage-cli-'));
    writeFileSync(join(dir, 'all.json'), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }));
    writeFileSync(join(dir, 'no-glue.json'), JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoGlue', Effect: 'Deny', Action: 'glue:*', Resource: '*' }] }));
    expect((await cli(['coverage', join(dir, 'all.json'), ...CONNECTION])).code).toBe(0);
    const denied = await cli(['coverage', join(dir, 'all.json'), ...CONNECTION, '--scps', `${join(dir, 'all.json')},${join(dir, 'no-glue.json')}`, '--json']);
    expect(denied.code).toBe(2);
    expect(JSON.parse(denied.stdout).capabilities.find((c: { id: string }) => c.id === 'metadata').deniedBy).toEqual({ policyType: 'scp', explicit: true, statement: { pointer: '/scps/1/Statement/0', sid: 'NoGlue' } });
    // From standard input, with a boundary from a file.
    const piped = await cli(['coverage', '-', ...CONNECTION, '--boundary', join(dir, 'no-glue.json'), '--capabilities', 'metadata', '--json'], { stdin: JSON.stringify({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }) });
    expect(JSON.parse(piped.stdout).capabilities.map((c: { coverage: string }) => c.coverage)).toEqual(['covered', 'not-covered']);
  });

  it('names a malformed policy in its file, a bad option by its name, and needs a document', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coverage-cli-'));
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'glue:GetTables', Resource: '*' }, { Effect: 'Maybe', Action: 'glue:GetTables', Resource: '*' }] }));
    const broken = await cli(['coverage', QUALYTICS, file, ...CONNECTION, '--encryption', 'ROT13']);
    expect(broken.code).toBe(3);
    expect(broken.stderr).toBe(`preflight: the coverage request is not valid:\n  ${file}: /Statement/1/Effect: must be "Allow" or "Deny"\n  --encryption: must be one of SSE_S3, SSE_KMS, CSE_KMS\n`);
    expect(await cli(['coverage', ...CONNECTION])).toMatchObject({ code: 3, stderr: expect.stringMatching(/needs at least one policy document/) });
    expect(await cli(['coverage', join(dir, 'missing.json'), ...CONNECTION])).toMatchObject({ code: 3, stderr: expect.stringMatching(/cannot read .*missing\.json: no such file/) });
    expect(await cli(['coverage', QUALYTICS, ...CONNECTION, '--apikey=secret-value-DO-NOT-PRINT'])).toEqual({ code: 3, stdout: '', stderr: 'preflight: unknown option --apikey (see preflight coverage --help)\n' });
  });

  it('describes itself with --help, and is listed in the usage', async () => {
    const help = await cli(['coverage', '--help']);
    expect(help).toMatchObject({ code: 0, stderr: '', stdout: expect.stringMatching(/^usage: preflight coverage POLICY\.json/) });
    expect((await cli(['help', 'coverage'])).stdout).toBe(help.stdout);
    expect((await cli(['--help'])).stdout).toMatch(/^ {2}coverage POLICY… +which capabilities IAM policy documents cover \(no AWS call\)$/m);
  });
});
