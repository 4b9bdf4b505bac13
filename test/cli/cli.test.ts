// The CLI against a sandbox and against a listening service: in process through runCli, and two
// tests of the real binary (src/main.ts in a child process) for what only a process has: argv,
// piped standard streams and the exit code.
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPABILITY_IDS } from '../../src/catalogue/capabilities.js';
import { loadScenario } from '../../src/sandbox/scenario.js';
import { sampleRequest } from '../../src/sandbox/sample.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { cliInProcess as cli, cliProcess } from '../support/cli.js';
import { TEST_API_KEY, startHarness } from '../support/service.js';

const dir = mkdtempSync(join(tmpdir(), 'preflight-cli-'));
const sandboxes: Sandbox[] = [];
afterAll(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
});

async function connection(scenario: Parameters<typeof startSandbox>[0]['scenario']) {
  const sandbox = await startSandbox({ scenario });
  sandboxes.push(sandbox);
  const body = sampleRequest(sandbox);
  const file = join(dir, `${sandbox.scenario.name}-${sandbox.port}.json`);
  writeFileSync(file, JSON.stringify(body));
  return { sandbox, body, file, env: { AWS_ENDPOINT_URL: sandbox.endpoint, PREFLIGHT_S3_FORCE_PATH_STYLE: 'true' } };
}

describe('preflight check', () => {
  let full: Awaited<ReturnType<typeof connection>>;
  beforeAll(async () => {
    // full-access without CloudTrail's quota in the way: at its real 2 LookupEvents a second the
    // back-to-back runs below would spend seconds waiting out one another's calls (run as processes,
    // each one's start-up used to space them out). The quota has its own tests (test/e2e/throttling.test.ts).
    full = await connection({ extends: 'full-access', name: 'cli-full-access', description: 'full-access, LookupEvents at 1000 a second', cloudtrail: { lookupRatePerSecond: 1000 } });
  });

  it('exits 0 for ok, 1 for degraded, 2 for failed', async () => {
    expect((await cli(['check', full.file], { env: full.env })).code).toBe(0);
    const degraded = await connection('coalesce-glue-athena');
    expect((await cli(['check', degraded.file], { env: degraded.env })).code).toBe(1);
    const failed = await connection('secoda-user');
    expect((await cli(['check', failed.file], { env: failed.env })).code).toBe(2);
  });

  // The image sets HOST=0.0.0.0 for the service; `docker run IMAGE check conn.json` has no API key
  // and listens nowhere, so the rule that a service beyond loopback needs keys is not its business.
  it('runs with the image\'s environment: HOST=0.0.0.0 and no API key', async () => {
    const run = await cli(['check', full.file], { env: { ...full.env, HOST: '0.0.0.0' } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  // The real binary: main.ts turns runCli's answer into the process's exit code.
  it('is the process\'s exit code when run as the binary: 0, 1, 2, and 3 for usage', async () => {
    const [degraded, failed] = await Promise.all([connection('coalesce-glue-athena'), connection('secoda-user')]);
    const runs = await Promise.all([
      cliProcess(['check', full.file], { env: full.env }),
      cliProcess(['check', degraded.file], { env: degraded.env }),
      cliProcess(['check', failed.file], { env: failed.env }),
      cliProcess(['frobnicate']),
    ]);
    expect(runs.map((run) => run.code), runs.map((run) => run.stderr).join('\n')).toEqual([0, 1, 2, 3]);
    expect(runs[3]!.stderr).toContain('unknown command "frobnicate"');
  });

  it('reads a piped standard input as the binary, and writes no colours or progress to pipes', async () => {
    const run = await cliProcess(['check', '-'], { env: full.env, stdin: JSON.stringify(full.body) });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/metadata\s+ok/);
    expect(run.stdout).not.toContain('\x1b[');
    expect(run.stderr).toBe('');
  });

  it('prints the API\'s report with --json, Markdown with --markdown, the policy with --policy', async () => {
    const json = await cli(['check', full.file, '--json'], { env: full.env });
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ status: 'ok', connection: { accessKeyId: 'AKIA…ST01' } });
    expect(report.capabilities.map((c: { id: string }) => c.id)).toEqual([...CAPABILITY_IDS]);
    const markdown = await cli(['check', full.file, '--markdown'], { env: full.env });
    expect(markdown.stdout).toMatch(/^## Preflight [0-9a-f]+: ok/);
    const degraded = await connection('coalesce-glue-only');
    const policy = await cli(['check', degraded.file, '--policy'], { env: degraded.env });
    expect(JSON.parse(policy.stdout)).toMatchObject({ Version: '2012-10-17', Statement: expect.any(Array) });
  });

  it('reads standard input, and prints a table without colours when not on a terminal', async () => {
    const run = await cli(['check', '-'], { env: full.env, stdin: JSON.stringify(full.body) });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/metadata\s+ok/);
    expect(run.stdout).not.toContain('\x1b[');
    expect(run.stderr).toBe(''); // no progress lines when stderr is piped
  });

  it('asks a running service with --server and gives the same verdicts', async () => {
    const harness = await startHarness('full-access');
    try {
      await harness.app.listen({ host: '127.0.0.1', port: 0 });
      const server = `http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`;
      const body = sampleRequest(harness.sandbox);
      const run = await cli(['check', '-', '--json', '--server', server], { env: { PREFLIGHT_API_KEY: TEST_API_KEY }, stdin: JSON.stringify(body) });
      expect(run.code).toBe(0);
      const local = JSON.parse((await cli(['check', full.file, '--json'], { env: full.env })).stdout);
      const remote = JSON.parse(run.stdout);
      const statuses = (r: { capabilities: Array<{ id: string; status: string }> }) => r.capabilities.map((c) => `${c.id}:${c.status}`);
      expect(statuses(remote)).toEqual(statuses(local));
      const noKey = await cli(['check', '-', '--server', server], { stdin: JSON.stringify(body) });
      expect(noKey.code).toBe(3);
      expect(noKey.stderr).toContain('PREFLIGHT_API_KEY');
    } finally {
      await harness.close();
    }
  });

  // Issue 16 (3): a runbook without AWS credentials of its own once got "internal … run the preflight again".
  it('says that role and ambient checks need this process\'s own AWS identity, and how to give it one', async () => {
    const role = { ...full.body, credentials: { type: 'role', roleArn: 'arn:aws:iam::123456789012:role/PreflightReadOnly', externalId: 'acme-7f3c2a' } };
    const none = { ...full.env, AWS_EC2_METADATA_DISABLED: 'true' };
    const run = await cli(['check', '-', '--json'], { env: none, stdin: JSON.stringify(role) });
    expect(run).toMatchObject({ code: 3, stdout: '' });
    expect(run.stderr).toBe(
      "preflight: role credentials are assumed with this process's own AWS identity, and it has none (CredentialsProviderError): give it one allowed sts:AssumeRole on the role (AWS_PROFILE, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an instance, task or pod role), or check with access keys\n",
    );
    const ambient = await cli(['check', '-'], { env: none, stdin: JSON.stringify({ ...full.body, credentials: { type: 'ambient' } }) });
    expect(ambient.code).toBe(3);
    expect(ambient.stderr).toMatch(/^preflight: ambient credentials are this process's own AWS identity, and it has none \(CredentialsProviderError\)/);
    // With one, the same role check runs.
    const identity = { AWS_ACCESS_KEY_ID: 'AKIASANDBOXSERVICE01', AWS_SECRET_ACCESS_KEY: 'sandbox/service/secret/key/00000000000' };
    expect((await cli(['check', '-'], { env: { ...none, ...identity }, stdin: JSON.stringify(role) })).code).toBe(0);
  });

  it('explains bad input and exits 3', async () => {
    const missing = await cli(['check', join(dir, 'nope.json')]);
    expect(missing).toMatchObject({ code: 3 });
    expect(missing.stderr).toContain('no such file');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{\n  "region": "eu-west-1",\n  "accountId": \n}');
    const invalidJson = await cli(['check', broken]);
    expect(invalidJson.code).toBe(3);
    expect(invalidJson.stderr).toMatch(/line 4, column 1/);
    const invalid = await cli(['check', '-'], { stdin: JSON.stringify({ ...full.body, region: 'mars-1' }) });
    expect(invalid.code).toBe(3);
    expect(invalid.stderr).toContain('/region: must be an AWS region');
    expect((await cli(['frobnicate'])).code).toBe(3);
  });

  // Issue 14 (3): bodies that once ended in an internal error whose message held the secret.
  it('answers bodies that crashed validation by naming the field, with no input value in its words', async () => {
    const secret = 'cli-secret-DO-NOT-PRINT-0005';
    const flat = `"aws_region":"eu-west-1","aws_account_id":"123456789012","access_key_id":"AKIAEXAMPLEEXAMPLE01","access_key_secret":"${secret}"`;
    const deep = (depth: number) => `${'['.repeat(depth)}"${secret}"${']'.repeat(depth)}`;
    const cases: Array<[string, string]> = [
      [`{"credentials":"${secret}",${flat}}`, '/credentials: must be an object'],
      [`{${flat},"athena":true}`, '/athena: must be an object'],
      [`{${flat},"constructor":"${secret}"}`, '/: has a field that is not part of the request'],
      [`{${flat},"__proto__":{"credentials":"${secret}"}}`, '/: has a field that is not part of the request'],
      [`{${flat},"capabilities":${deep(5000)}}`, '/capabilities/0: must be'],
      [`{${flat},"capabilities":${deep(5000).slice(0, -1)}}`, 'is not valid JSON: line 1, column'],
      [`{${flat},"workgroup":"\\x${secret}"}`, 'is not valid JSON: line 1, column'],
    ];
    for (const [body, expected] of cases) {
      const run = await cli(['check', '-'], { stdin: body });
      expect(run.code, body.slice(0, 100)).toBe(3);
      expect(run.stderr).toContain(expected);
      expect(run.stderr).not.toContain('internal error');
      expect(run.stdout + run.stderr).not.toContain(secret);
    }
  });

  it('never prints a secret of its input', async () => {
    const credentials = full.body.credentials as { secretAccessKey: string };
    const role = { ...full.body, credentials: { type: 'role', roleArn: 'arn:aws:iam::123456789012:role/PreflightReadOnly', externalId: 'acme-7f3c2a' } };
    for (const format of ['--json', '--markdown', '--policy', '--verbose']) {
      for (const body of [full.body, role]) {
        const run = await cli(['check', '-', format], { env: { ...full.env, AWS_ACCESS_KEY_ID: 'AKIASANDBOXSERVICE01', AWS_SECRET_ACCESS_KEY: 'sandbox/service/secret/key/00000000000' }, stdin: JSON.stringify(body) });
        for (const secret of [credentials.secretAccessKey, 'acme-7f3c2a', 'sandbox/service/secret/key/00000000000']) {
          expect(run.stdout + run.stderr).not.toContain(secret);
        }
      }
    }
  });
});

describe('preflight policy', () => {
  const base = ['policy', '--region', 'eu-west-1', '--account', '123456789012'];

  it('prints a least-privilege identity policy scoped to the given resources, and the trust policy', async () => {
    const run = await cli([...base, '--capabilities', 'query-history,query-results', '--workgroup', 'primary', '--output', 's3://acme-athena-results/primary/', '--external-id', 'ext-1234', '--trusted-principal', 'arn:aws:iam::999999999999:role/preflight']);
    expect(run.code).toBe(0);
    const { identityPolicies, selfCheckPolicy, trustPolicy } = JSON.parse(run.stdout);
    expect(identityPolicies).toHaveLength(1);
    const resources = identityPolicies[0].document.Statement.flatMap((s: { Resource: string[] }) => s.Resource);
    // What the preflight itself calls (deleting its marker) is apart, for the customer to grant or not.
    expect(selfCheckPolicy.Statement.flatMap((s: { Action: string[] }) => s.Action)).toContain('s3:DeleteObject');
    expect(resources).not.toContain('arn:aws:s3:::*/*');
    expect(resources).toContain('arn:aws:athena:eu-west-1:123456789012:workgroup/primary');
    expect(resources).toContain('arn:aws:s3:::acme-athena-results/primary/*');
    expect(trustPolicy.Statement[0].Condition).toEqual({ StringEquals: { 'sts:ExternalId': 'ext-1234' } });
  });

  it('refuses to grant results on every bucket: --output is required for query-results; accepts all', async () => {
    const missing = await cli([...base, '--capabilities', 'query-results']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('--output s3://bucket/prefix/ is required for query-results');
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1f0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
    const all = await cli([...base, '--capabilities', 'all', '--output', 's3://acme-athena-results/p/', '--data-location', 's3://acme-data-lake/sales/', '--kms-keys', key]);
    expect(all).toMatchObject({ code: 0, stderr: '' });
    // encryption without its keys: every key of the account, said on stderr as POST /setup says it.
    const everyKey = await cli([...base, '--capabilities', 'encryption']);
    expect(everyKey.code).toBe(0);
    expect(everyKey.stderr).toMatch(/^preflight: warning: encryption: without --kms-keys .*every KMS key of account 123456789012/);
    // Queries without the data's location: printed all the same, with a warning on stderr.
    const queries = await cli([...base, '--capabilities', 'query-execution', '--output', 's3://acme-athena-results/p/']);
    expect(queries.code).toBe(0);
    expect(queries.stderr).toMatch(/^preflight: warning: query-execution: .*--data-location/);
    const actions = JSON.parse(all.stdout).identityPolicies.flatMap((p: { document: { Statement: Array<{ Action: string[] }> } }) => p.document.Statement.flatMap((s) => s.Action));
    expect(actions).toEqual(expect.arrayContaining(['glue:GetTables', 'athena:GetQueryResultsStream', 'cloudtrail:LookupEvents']));
    expect(actions).not.toContain('sts:GetCallerIdentity');
  });

  it('takes the catalog selection: a catalog under the root is granted with its path, another account\'s with its id', async () => {
    const grants = async (...extra: string[]) => {
      const run = await cli([...base, '--capabilities', 'metadata', ...extra]);
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout).identityPolicies.flatMap((p: { document: { Statement: Array<{ Action: string[]; Resource: string[] }> } }) => p.document.Statement);
    };
    const named = await grants('--catalog-id', 's3tablescatalog/acme-tables');
    const resources = named.flatMap((s: { Resource: string[] }) => s.Resource);
    expect(resources).toEqual(
      expect.arrayContaining([
        'arn:aws:glue:eu-west-1:123456789012:catalog',
        'arn:aws:glue:eu-west-1:123456789012:catalog/s3tablescatalog',
        'arn:aws:glue:eu-west-1:123456789012:catalog/s3tablescatalog/acme-tables',
        'arn:aws:glue:eu-west-1:123456789012:database/s3tablescatalog/acme-tables/*',
        'arn:aws:glue:eu-west-1:123456789012:table/s3tablescatalog/acme-tables/*/*',
      ]),
    );
    // Describing and finding the catalog is part of reading one under the root.
    expect(named.flatMap((s: { Action: string[] }) => s.Action)).toEqual(expect.arrayContaining(['glue:GetCatalog', 'glue:GetCatalogs']));
    const other = (await grants('--catalog-id', '999988887777')).flatMap((s: { Resource: string[] }) => s.Resource);
    // Another account's catalog is read with its ARNs; only Athena's default database is the caller's own
    // (Athena looks it up in the caller's root catalog whichever catalog a query names).
    const own = ['arn:aws:glue:eu-west-1:123456789012:catalog', 'arn:aws:glue:eu-west-1:123456789012:database/default'];
    expect(other.filter((arn: string) => arn.startsWith('arn:aws:glue:') && !own.includes(arn))).toEqual(other.filter((arn: string) => arn.startsWith('arn:aws:glue:eu-west-1:999988887777:')));
    const bad = await cli([...base, '--capabilities', 'metadata', '--catalog-id', 'Not A Catalog']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('--catalog-id must be a Glue catalog');
  });

  it('refuses unknown capabilities and bad values, naming the option', async () => {
    const unknown = await cli([...base, '--capabilities', 'metadata,teleport']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('--capabilities: unknown teleport');
    const region = await cli(['policy', '--capabilities', 'metadata', '--region', 'moon', '--account', '123456789012']);
    expect(region.stderr).toContain('--region');
  });

  // For each vendor's scenario: the policy `preflight policy` prints for the features the product
  // wants, as the principal's only policy, makes every one of them ok in the sandbox.
  it.each([
    ['coalesce-glue-only', ['--output', 's3://acme-athena-results/primary/']],
    ['qualytics', ['--output', 's3://acme-athena-results/qualytics/']],
    ['skoot-scope-b', ['--workgroup', 'skoot', '--databases', 'entertainment', '--output', 's3://skoot-athena-results/']],
    ['secoda-role', ['--output', 's3://acme-athena-results/primary/']],
  ])('closes the loop for %s', async (name, extra) => {
    const capabilities = ['metadata', 'schema-history', 'functions', 'search', 'query-history', 'user-attribution', 'athena-catalog', 'query-results'];
    const run = await cli([...base, '--capabilities', capabilities.join(','), '--workgroup', 'primary', ...extra]);
    expect(run.code).toBe(0);
    const scenario = structuredClone(loadScenario(name));
    const [kind, principal] = scenario.sample!.credentials.split(':');
    const target = kind === 'user' ? scenario.users.find((u) => u.name === principal)! : scenario.roles.find((r) => r.name === principal)!;
    target.policies = JSON.parse(run.stdout).identityPolicies.map((p: { document: unknown }) => p.document);
    const fixed = await connection(scenario);
    const identity = scenario.users.find((u) => u.serviceIdentity);
    const env = identity ? { ...fixed.env, AWS_ACCESS_KEY_ID: identity.accessKeyId, AWS_SECRET_ACCESS_KEY: identity.secretAccessKey } : fixed.env;
    const report = JSON.parse((await cli(['check', fixed.file, '--json'], { env })).stdout);
    for (const id of capabilities) {
      const capability = report.capabilities.find((c: { id: string }) => c.id === id);
      // no-sample is the honest answer where the scenario has nothing to test on (Skoot's database has no partitioned table).
      expect(capability.status === 'ok' || capability.skipReason === 'no-sample', `${id}: ${capability.status} ${capability.missingActions}`).toBe(true);
    }
  });

  it('closes the loop: the printed policy makes those capabilities ok', async () => {
    const run = await cli([...base, '--capabilities', 'metadata,functions,query-history,user-attribution', '--workgroup', 'primary']);
    const scenario = structuredClone(loadScenario('coalesce-glue-only'));
    scenario.users[0]!.policies = JSON.parse(run.stdout).identityPolicies.map((p: { document: unknown }) => p.document);
    const fixed = await connection(scenario);
    const report = JSON.parse((await cli(['check', fixed.file, '--json'], { env: fixed.env })).stdout);
    for (const id of ['metadata', 'functions', 'query-history', 'user-attribution']) {
      expect(report.capabilities.find((c: { id: string }) => c.id === id).status, id).toBe('ok');
    }
  });
});

// Issue 16 (4): the conventions of a command-line tool.
describe('preflight conventions', () => {
  const commands = ['check', 'policy', 'serve', 'sandbox'] as const;

  it('prints each command\'s help with --help or -h, and exits 0', async () => {
    for (const command of commands) {
      for (const flag of ['--help', '-h']) {
        const run = await cli([command, flag]);
        expect(run, `${command} ${flag}`).toMatchObject({ code: 0, stderr: '' });
        expect(run.stdout).toMatch(new RegExp(`^usage: preflight ${command}\\b`));
      }
      expect((await cli(['help', command])).stdout).toMatch(new RegExp(`^usage: preflight ${command}\\b`));
    }
    // --help wins over anything else wrong with the arguments.
    expect(await cli(['check', '--frobnicate', '--help'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^usage: preflight check/) });
    expect((await cli(['check', '--help'])).stdout).toContain('--markdown');
    expect((await cli(['policy', '--help'])).stdout).toContain('--trusted-principal ARN');
  });

  it('lists every command in its usage, serve included, and prints its version', async () => {
    const usage = await cli(['--help']);
    expect(usage.code).toBe(0);
    for (const command of commands) expect(usage.stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
    const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `preflight ${version}\n`, stderr: '' });
  });

  it('refuses unknown options in one line naming the option, never its value, exit 3', async () => {
    for (const command of commands) {
      const run = await cli([command, '--apikey=secret-value-DO-NOT-PRINT']);
      expect(run, command).toMatchObject({ code: 3, stdout: '' });
      expect(run.stderr).toBe(`preflight: unknown option --apikey (see preflight ${command} --help)\n`);
    }
    expect((await cli(['check', '--server'])).stderr).toBe('preflight: --server needs a value (see preflight check --help)\n');
    const stray = await cli(['policy', '--capabilities', 'metadata', '--region', 'eu-west-1', '--account', '123456789012', '--external-id', 'x', 'acme-secret-7f3c']);
    expect(stray).toMatchObject({ code: 3, stderr: 'preflight: policy takes options only, no file (see preflight policy --help)\n' });
  });

  it('refuses --json, --markdown and --policy together', async () => {
    for (const formats of [['--json', '--markdown'], ['--markdown', '--policy'], ['--json', '--markdown', '--policy']]) {
      const run = await cli(['check', 'conn.json', ...formats]);
      expect(run, formats.join(' ')).toMatchObject({ code: 3, stdout: '' });
      expect(run.stderr).toMatch(/^preflight: --\w+ and --\w+( and --\w+)? do not go together: pick one \(see preflight check --help\)\n$/);
    }
  });

  it('as the binary: serve --help starts nothing; a busy port and a bad scenario are one line, exit 3', async () => {
    const busy = createServer().listen(0, '127.0.0.1');
    await once(busy, 'listening');
    const port = String((busy.address() as AddressInfo).port);
    try {
      const [help, serve, sandbox, scenario] = await Promise.all([
        cliProcess(['serve', '--help'], { env: { PORT: port } }),
        cliProcess(['serve'], { env: { PORT: port, PREFLIGHT_REPORT_STORE: 'off', LOG_LEVEL: 'warn' } }),
        cliProcess(['sandbox', '--port', port]),
        cliProcess(['sandbox', '--scenario', 'no-such-scenario']),
      ]);
      expect(help).toMatchObject({ code: 0, stderr: '' });
      expect(help.stdout).toMatch(/^usage: preflight serve\n/);
      expect(serve).toMatchObject({ code: 3, stderr: `preflight: cannot listen on 127.0.0.1:${port}: the port is in use (HOST, PORT)\n` });
      expect(sandbox).toMatchObject({ code: 3, stdout: '', stderr: `preflight: the sandbox cannot listen: port ${port} is in use (--port picks another)\n` });
      expect(scenario.code).toBe(3);
      expect(scenario.stderr).toMatch(/^preflight: no built-in scenario or file named "no-such-scenario" \(built-in: [^\n]*\)\n$/);
    } finally {
      busy.close();
    }
  });
});
