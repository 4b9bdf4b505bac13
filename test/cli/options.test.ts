// What every command takes alike (--version and -V), what a bare `preflight` says, and the one
// spelling of the KMS option in policy and setup.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliInProcess as cli, cliProcess } from '../support/cli.js';

const COMMANDS = ['check', 'policy', 'coverage', 'setup', 'show', 'history', 'diff', 'watch', 'serve', 'sandbox'];
const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const printed = { code: 0, stdout: `preflight ${version}\n`, stderr: '' };

describe('preflight --version', () => {
  it('prints the version with --version or -V, alone and after every command', async () => {
    for (const flag of ['--version', '-V']) {
      expect(await cli([flag]), flag).toEqual(printed);
      for (const command of COMMANDS) expect(await cli([command, flag]), `${command} ${flag}`).toEqual(printed);
    }
    // As --help does, it wins over anything else wrong with the arguments; --help wins over it.
    expect(await cli(['check', '--frobnicate', '-V'])).toEqual(printed);
    expect(await cli(['policy', '--version', '--capabilities', 'teleport'])).toEqual(printed);
    expect((await cli(['check', '--version', '--help'])).stdout).toMatch(/^usage: preflight check/);
  });

  it('as the binary: serve --version starts nothing', async () => {
    expect(await cliProcess(['serve', '--version'], { env: { PREFLIGHT_REPORT_STORE: 'off' } })).toEqual(printed);
  });
});

describe('a bare preflight', () => {
  it('prints one usage line on stderr, naming the commands and where the help is, exit 3', async () => {
    const run = await cliProcess([]);
    expect(run).toMatchObject({ code: 3, stdout: '' });
    expect(run.stderr).toBe(`usage: preflight <${COMMANDS.join('|')}> [options] (see preflight --help)\n`);
    // `--help` and `help` still print the whole usage, on stdout.
    for (const args of [['--help'], ['help']]) {
      const help = await cli(args);
      expect(help, args.join(' ')).toMatchObject({ code: 0, stderr: '' });
      expect(help.stdout).toMatch(/^usage: preflight <command> \[options\]\n\n {2}check \[FILE\|-\]/);
    }
  });
});

describe('the KMS option', () => {
  const KEYS = ['arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'arn:aws:kms:eu-west-1:123456789012:key/abcd1234-12ab-34cd-56ef-0987654321ba'];
  const policy = ['policy', '--capabilities', 'query-results,encryption', '--region', 'eu-west-1', '--account', '123456789012', '--output', 's3://acme-athena-results/p/'];
  const setup = ['setup', '--region', 'eu-west-1', '--account', '123456789012', '--external-id', 'acme-7f3c2a', '--trusted-principal', 'arn:aws:iam::999999999999:role/preflight-service', '--format', 'json'];

  it('is --kms-keys ARN,ARN in policy as in setup, in their help and in what they grant', async () => {
    for (const command of ['policy', 'setup']) {
      const help = (await cli([command, '--help'])).stdout;
      expect(help, command).toMatch(/^ {2}--kms-keys ARN,ARN {8}/m);
      expect(help, command).not.toMatch(/--kms-key\b(?!s)/);
    }
    const granted = await cli([...policy, '--kms-keys', KEYS.join(',')]);
    expect(granted, granted.stderr).toMatchObject({ code: 0, stderr: '' });
    const resources = JSON.stringify(JSON.parse(granted.stdout).identityPolicies);
    for (const key of KEYS) expect(resources).toContain(key);
    expect(resources).not.toContain('key/*');
    const set = await cli([...setup, '--capabilities', 'query-results,encryption', '--output', 's3://acme-athena-results/p/', '--kms-keys', KEYS.join(',')]);
    expect(set.code, set.stderr).toBe(0);
    for (const key of KEYS) expect(JSON.stringify(JSON.parse(set.stdout).policies)).toContain(key);
  });

  it('refuses the old spelling --kms-key in one line that names the new one, in both commands', async () => {
    for (const args of [[...policy, '--kms-key', KEYS[0]!], [...setup, `--kms-key=${KEYS[0]}`]]) {
      const run = await cli(args);
      expect(run, args[0]).toEqual({ code: 3, stdout: '', stderr: `preflight: --kms-key is now --kms-keys, a comma-separated list of key or alias ARNs (see preflight ${args[0]} --help)\n` });
    }
  });

  it('refuses in policy what setup refuses: not a KMS key or alias ARN', async () => {
    const run = await cli([...policy, '--kms-keys', `${KEYS[0]},arn:aws:s3:::not-a-key`]);
    expect(run).toMatchObject({ code: 3, stdout: '' });
    expect(run.stderr).toBe('preflight: --kms-keys must be KMS key ARNs (arn:aws:kms:region:account:key/id) or alias ARNs (…:alias/name), separated by commas (see preflight policy --help)\n');
  });
});
