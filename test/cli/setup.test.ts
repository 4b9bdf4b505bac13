// preflight setup: POST /setup's options on the command line, the generators called
// directly (no service), each --format; what POST /setup answers for the same request, byte for byte.
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { cliInProcess as cli } from '../support/cli.js';
import { SETUP_EXTERNAL_ID as EXTERNAL_ID, SETUP_PRINCIPAL as PRINCIPAL, setupRoute } from '../support/setup-route.js';
const BASE = ['setup', '--region', 'eu-west-1', '--account', '123456789012', '--external-id', EXTERNAL_ID, '--trusted-principal', PRINCIPAL];
const FULL = [...BASE, '--capabilities', 'metadata,query-execution,query-results', '--required', 'connection,metadata', '--workgroup', 'analytics', '--output', 's3://acme-athena-results/analytics/', '--databases', 'sales,ops', '--data-location', 's3://acme-data-lake/', '--kms-keys', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', '--role-name', 'AcmePreflight'];
const FULL_BODY = {
  region: 'eu-west-1',
  accountId: '123456789012',
  externalId: EXTERNAL_ID,
  roleName: 'AcmePreflight',
  capabilities: ['metadata', 'query-execution', 'query-results'],
  required: ['connection', 'metadata'],
  athena: { workgroup: 'analytics', outputLocation: 's3://acme-athena-results/analytics/' },
  glue: { databases: ['sales', 'ops'] },
  // Queries read the tables' data with the role's rights: without it the setup warns (test/setup/data-location.test.ts).
  dataLocation: 's3://acme-data-lake/',
  kmsKeys: ['arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
};

const route = setupRoute();

describe('preflight setup', () => {
  it('prints what POST /setup answers: JSON, and Markdown by default', async () => {
    const json = await cli([...FULL, '--format', 'json']);
    expect(json).toMatchObject({ code: 0, stderr: '' });
    const answer = await route(FULL_BODY);
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(json.stdout)).toEqual(answer.json());
    const markdown = await cli(FULL);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toBe((await route(FULL_BODY, 'text/markdown')).body);
    expect(markdown.stdout).toMatch(/^## Preflight setup: role AcmePreflight/);
  });

  it('prints one form alone with --format: cloudformation (YAML), cloudformation-json, terraform, cli', async () => {
    const setup = (await route(FULL_BODY)).json();
    const yaml = await cli([...FULL, '--format', 'cloudformation']);
    expect(yaml.stdout).toBe(setup.cloudFormation.yaml);
    expect(parseYaml(yaml.stdout).Outputs).toHaveProperty('RoleArn');
    expect((await cli([...FULL, '--format', 'cloudformation-json'])).stdout).toBe(setup.cloudFormation.json);
    const terraform = await cli([...FULL, '--format', 'terraform']);
    expect(terraform.stdout.trimEnd()).toBe(setup.terraform.trimEnd());
    expect(terraform.stdout).toContain('resource "aws_iam_role"');
    const commands = await cli([...FULL, '--format', 'cli']);
    expect(commands.stdout.trimEnd()).toBe(setup.awsCli.trimEnd());
    expect(commands.stdout).toContain('aws iam create-role');
  });

  it('takes the defaults POST /setup takes, all capabilities, and no self-check', async () => {
    const minimal = { region: 'eu-west-1', accountId: '123456789012', externalId: EXTERNAL_ID, capabilities: ['metadata'] };
    const run = await cli([...BASE, '--capabilities', 'metadata', '--format', 'json']);
    expect(JSON.parse(run.stdout)).toEqual((await route(minimal)).json());
    const noSelfCheck = await cli([...BASE, '--capabilities', 'metadata', '--no-self-check', '--format', 'json']);
    expect(JSON.parse(noSelfCheck.stdout)).toEqual((await route({ ...minimal, options: { selfCheck: false } })).json());
    const all = await cli([...BASE, '--capabilities', 'all', '--output', 's3://acme-athena-results/', '--data-location', 's3://acme-lake/tables/', '--format', 'json']);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout).capabilities.length).toBeGreaterThan(5);
  });

  it('takes the trusted principal from PREFLIGHT_TRUSTED_PRINCIPAL', async () => {
    const args = BASE.filter((_, i) => i < BASE.indexOf('--trusted-principal'));
    // HOST=0.0.0.0 and no API key, as in the image: setup serves nothing, so that is no error here.
    const run = await cli([...args, '--capabilities', 'metadata', '--format', 'json'], { env: { PREFLIGHT_TRUSTED_PRINCIPAL: PRINCIPAL, HOST: '0.0.0.0' } });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).trustedPrincipal).toBe(PRINCIPAL);
    const none = await cli([...args, '--capabilities', 'metadata']);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('--trusted-principal ARN (or PREFLIGHT_TRUSTED_PRINCIPAL) is required');
  });

  it('names each bad option as POST /setup words it, never the value', async () => {
    const run = await cli(['setup', '--region', 'moon-1', '--account', '12', '--external-id', 'x', '--trusted-principal', PRINCIPAL, '--capabilities', 'query-execution', '--data-location', 'not-s3-secret']);
    expect(run).toMatchObject({ code: 3, stdout: '' });
    expect(run.stderr).toMatch(/^preflight: the setup is not valid:\n/);
    expect(run.stderr).toMatch(/\n {2}--region: /);
    expect(run.stderr).toMatch(/\n {2}--account: /);
    expect(run.stderr).toMatch(/\n {2}--external-id: /);
    expect(run.stderr).toMatch(/\n {2}--data-location: /);
    expect(run.stderr).not.toContain('not-s3-secret');
    const noOutput = await cli([...BASE, '--capabilities', 'query-execution']);
    expect(noOutput.stderr).toMatch(/--output: is required for query-execution/);
    expect((await cli([...BASE, '--format', 'yaml'])).stderr).toContain('--format must be one of markdown, json, cloudformation, cloudformation-json, terraform, cli');
    expect((await cli(['setup', '--region', 'eu-west-1'])).stderr).toBe('preflight: --account is required (see preflight setup --help)\n');
    expect((await cli([...BASE.slice(0, -1), 'arn:aws:sts::999999999999:assumed-role/x/y'])).stderr).toContain('not an STS session ARN');
    expect((await cli([...BASE, 'stray'])).stderr).toContain('setup takes options only');
  });

  it('has its own --help, and the overview names it', async () => {
    const help = await cli(['setup', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: preflight setup /);
    expect(help.stdout).toContain('--format F');
    expect((await cli(['help', 'setup'])).stdout).toBe(help.stdout);
    expect((await cli(['--help'])).stdout).toMatch(/\n {2}setup {2,}the role to create/);
  });
});
