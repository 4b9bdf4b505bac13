// The setup's generators: every form says the same as setupPolicies and buildTrustPolicy, and each
// is well formed in its own language (JSON, CloudFormation's structure, YAML, HCL, a POSIX shell).
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CAPABILITIES, CAPABILITY_IDS } from '../../src/catalogue/capabilities.js';
import { IAM_POLICY_LIMITS, buildTrustPolicy, setupPolicies } from '../../src/catalogue/remediation.js';
import { type Setup, TERRAFORM_AWS_PROVIDER_VERSION, buildSetup } from '../../src/setup/generate.js';
import { type SetupInput, validateSetupRequest } from '../../src/setup/request.js';
import { lintTemplate } from '../support/cloudformation-schema.js';
import { shellRecorder } from '../support/shell-recorder.js';
import { readTerraform } from './terraform.js';

const PRINCIPAL = 'arn:aws:iam::999999999999:role/preflight-service';
const EXTERNAL_ID = 'acme-7f3c2a';
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1f0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

function input(body: Record<string, unknown>): SetupInput {
  const validation = validateSetupRequest({ region: 'eu-west-1', accountId: '123456789012', externalId: EXTERNAL_ID, ...body });
  if (!validation.ok) throw new Error(JSON.stringify(validation.issues));
  return validation.input;
}

const everything = input({
  capabilities: [...CAPABILITY_IDS],
  required: ['connection', 'metadata'],
  athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/primary/' },
  glue: { databases: ['sales', 'marketing'] },
  dataLocation: 's3://acme-data-lake/sales/',
  kmsKeys: [KEY],
});
// 50 long database names and every capability: more than one policy, more than a role's inline quota.
const large = input({
  capabilities: [...CAPABILITY_IDS],
  athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/primary/' },
  glue: { databases: Array.from({ length: 50 }, (_, i) => `warehouse_${String(i).padStart(2, '0')}_${'x'.repeat(40)}`) },
  dataLocation: 's3://acme-data-lake/',
});
const glueOnly = input({ capabilities: ['metadata', 'partitions', 'schema-history', 'functions', 'search'], roleName: 'CatalogReader' });

/** A program on PATH, or undefined. */
function onPath(program: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}
// HashiCorp's own HCL formatter, where the machine has it (the HCL parser itself is an npm package).
const terraform = onPath('terraform');

const setups: Array<[string, SetupInput, Setup]> = [everything, large, glueOnly].map((i, n) => [['everything', 'large', 'glue only'][n]!, i, buildSetup(i, { trustedPrincipalArn: PRINCIPAL })]);

describe('the policies', () => {
  it.each(setups)('%s: exactly setupPolicies and buildTrustPolicy, each part within IAM quotas', (_name, given, setup) => {
    const requested = CAPABILITIES.filter((c) => given.capabilities.includes(c.id));
    const expected = setupPolicies(
      requested,
      {
        region: 'eu-west-1',
        accountId: '123456789012',
        databases: given.glue?.databases,
        workgroup: given.athena?.workgroup,
        bucket: given.athena?.outputLocation ? 'acme-athena-results' : undefined,
        prefix: given.athena?.outputLocation ? 'primary/' : undefined,
        kmsKeyArns: given.kmsKeys,
      },
      given.dataLocation ? { bucket: 'acme-data-lake', prefix: given.dataLocation.replace('s3://acme-data-lake/', '') } : undefined,
    );
    const access = setup.policies.filter((p) => p.name.startsWith('preflight-access-'));
    expect(access.map((p) => p.document)).toEqual(expected.identityPolicies.map((p) => p.document));
    expect(setup.policies.find((p) => p.name === 'preflight-self-check')?.document ?? null).toEqual(expected.selfCheckPolicy);
    for (const policy of setup.policies) {
      expect(policy.characters).toBe(JSON.stringify(policy.document).length);
      expect(policy.characters).toBeLessThanOrEqual(IAM_POLICY_LIMITS.managedPolicy);
    }
    expect(setup.trustPolicy).toEqual(buildTrustPolicy({ trustedPrincipalArn: PRINCIPAL, externalId: EXTERNAL_ID }));
    const total = setup.policies.reduce((sum, p) => sum + p.characters, 0);
    expect(setup.attachment).toBe(total <= IAM_POLICY_LIMITS.roleInlinePolicies ? 'inline' : 'managed');
  });

  it('splits a large setup into parts, attached as managed policies', () => {
    const setup = setups[1]![2];
    expect(setup.policies.filter((p) => p.name.startsWith('preflight-access-')).length).toBeGreaterThan(1);
    expect(setup.attachment).toBe('managed');
  });

  it('leaves the self-check policy out on request', () => {
    const setup = buildSetup({ ...everything, options: { selfCheck: false } }, { trustedPrincipalArn: PRINCIPAL });
    expect(setup.policies.map((p) => p.name)).toEqual(['preflight-access-1']);
  });

  it('names the role and gives the preflight that checks it', () => {
    const setup = setups[2]![2];
    expect(setup.roleArn).toBe('arn:aws:iam::123456789012:role/CatalogReader');
    expect(setup.check).toEqual({
      region: 'eu-west-1',
      accountId: '123456789012',
      credentials: { type: 'role', roleArn: 'arn:aws:iam::123456789012:role/CatalogReader', externalId: EXTERNAL_ID },
      capabilities: ['metadata', 'partitions', 'schema-history', 'functions', 'search'],
      required: ['connection', 'metadata'],
    });
    expect(setups[0]![2].check.options).toEqual({ runQuery: true });
  });
});

describe('CloudFormation', () => {
  it.each(setups)('%s: the role, its policies, the parameters and the RoleArn output', (_name, given, setup) => {
    const template = JSON.parse(setup.cloudFormation.json);
    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
    expect(template.Description.length).toBeLessThanOrEqual(1024);
    for (const c of CAPABILITIES.filter((c) => given.capabilities.includes(c.id) && c.id !== 'connection')) expect(template.Description).toContain(c.title);
    expect(template.Metadata.Preflight.capabilities.map((c: { id: string }) => c.id)).toEqual(CAPABILITIES.filter((c) => given.capabilities.includes(c.id)).map((c) => c.id));
    expect(template.Parameters.RoleName).toMatchObject({ Type: 'String', Default: given.roleName ?? 'PreflightAccess' });
    expect(template.Parameters.ExternalId).toMatchObject({ Type: 'String', NoEcho: true, Default: EXTERNAL_ID });
    expect(new RegExp(`^${template.Parameters.ExternalId.AllowedPattern}$`).test(EXTERNAL_ID)).toBe(true);
    expect(template.Outputs.RoleArn.Value).toEqual({ 'Fn::GetAtt': ['Role', 'Arn'] });

    const role = template.Resources.Role;
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(role.Properties.RoleName).toEqual({ Ref: 'RoleName' });
    expect(role.Properties.Description.length).toBeLessThanOrEqual(1000);
    expect(role.Properties.Description).toMatch(/^[\t\n\r\x20-\x7e\xa1-\xff]*$/);
    // The trust policy, the external ID a parameter's reference.
    const trust = structuredClone(setup.trustPolicy) as any;
    trust.Statement[0].Condition.StringEquals['sts:ExternalId'] = { Ref: 'ExternalId' };
    expect(role.Properties.AssumeRolePolicyDocument).toEqual(trust);
    expect(setup.cloudFormation.json).not.toContain(`"sts:ExternalId": "${EXTERNAL_ID}"`);

    const others = Object.entries(template.Resources).filter(([id]) => id !== 'Role') as Array<[string, any]>;
    if (setup.attachment === 'inline') {
      expect(others).toEqual([]);
      expect(role.Properties.Policies).toEqual(setup.policies.map((p) => ({ PolicyName: p.name, PolicyDocument: p.document })));
    } else {
      expect(role.Properties.Policies).toBeUndefined();
      expect(others.map(([, r]) => r.Properties.PolicyDocument)).toEqual(setup.policies.map((p) => p.document));
      for (const [id, resource] of others) {
        expect(id).toMatch(/^[A-Za-z0-9]+$/);
        expect(resource.Type).toBe('AWS::IAM::ManagedPolicy');
        expect(resource.Properties.Roles).toEqual([{ Ref: 'Role' }]);
        expect(resource.Properties.ManagedPolicyName['Fn::Sub']).toMatch(/^\$\{RoleName\}-preflight-/);
      }
    }
    // Every reference is to a parameter or a resource of the template.
    const refs = JSON.stringify(template).match(/"Ref":"[^"]+"/g) ?? [];
    for (const ref of refs) expect([...Object.keys(template.Parameters), ...Object.keys(template.Resources)]).toContain(ref.slice(7, -1));
  });

  it.each(setups)('%s: valid against CloudFormation\'s resource schemas and cfn-lint\'s template and IAM policy schemas, as JSON and as YAML', (_name, _given, setup) => {
    expect(lintTemplate(JSON.parse(setup.cloudFormation.json))).toEqual([]);
    expect(lintTemplate(parseYaml(setup.cloudFormation.yaml, { version: '1.1' }))).toEqual([]);
  });

  it('is checked by a linter that finds what CloudFormation would refuse', () => {
    const template = JSON.parse(setups[0]![2].cloudFormation.json);
    const broken = (change: (t: any) => void) => {
      const copy = structuredClone(template);
      change(copy);
      return lintTemplate(copy);
    };
    expect(lintTemplate(template)).toEqual([]);
    expect(broken((t) => (t.Resources.Role.Properties.Description = 'x'.repeat(1001)))).toEqual([expect.stringMatching(/^\/Resources\/Role\/Properties\/Description: must NOT have more than 1000 characters/)]);
    expect(broken((t) => (t.Resources.Role.Properties.Description = 'caf\u00e9 \u2014 ok?'))).toEqual([expect.stringMatching(/Description: must match pattern/)]);
    expect(broken((t) => (t.Resources.Role.Properties.RoleArn = 'x'))).toEqual([expect.stringMatching(/must NOT have additional properties \(RoleArn\)/)]);
    expect(broken((t) => (t.Resources.Role.Properties.Arn = 'arn:aws:iam::111122223333:role/x'))).toContain('/Resources/Role/Properties/Arn: read-only, set by CloudFormation');
    expect(broken((t) => delete t.Resources.Role.Properties.Policies[0].PolicyDocument.Statement[0].Effect)).toEqual([expect.stringMatching(/^\/Resources\/Role\/Properties\/Policies\/0\/PolicyDocument\/Statement\/0: must have required property 'Effect'/)]);
    expect(broken((t) => (t.Resources.Role.Properties.AssumeRolePolicyDocument.Statement[0].Resource = '*'))).toEqual(expect.arrayContaining([expect.stringMatching(/AssumeRolePolicyDocument\/Statement\/0: must NOT have additional properties \(Resource\)/)]));
    expect(broken((t) => (t.Resources.Role.Properties.RoleName = { Ref: 'NoSuchParameter' }))).toEqual(
      expect.arrayContaining(['/Resources/Role/Properties/RoleName: refers to NoSuchParameter, which the template does not declare', "/Parameters/RoleName: not used (cfn-lint's W2001)"]),
    );
    expect(broken((t) => (t.Parameters.RoleName.Default = 'no spaces allowed'))).toEqual(expect.arrayContaining(['/Parameters/RoleName/Default: does not match its AllowedPattern']));
    expect(broken((t) => (t.Parameters.RoleName.Secret = true))).toContain('/Parameters/RoleName: must NOT have additional properties (Secret)');
    expect(broken((t) => (t.Outputs.RoleArn.Value = { 'Fn::GetAtt': ['Role', 'Nope'] }))).toContain('/Outputs/RoleArn/Value: AWS::IAM::Role has no attribute Nope');
    expect(broken((t) => (t.Resources.Role.Type = 'AWS::IAM::Rol'))).toEqual(['/Resources/Role/Type: AWS::IAM::Rol has no vendored schema']);
  });

  it.each(setups)('%s: the YAML template is the JSON one', (_name, _given, setup) => {
    expect(parseYaml(setup.cloudFormation.yaml, { version: '1.1' })).toEqual(JSON.parse(setup.cloudFormation.json));
    // A YAML 1.1 reader (CloudFormation's) would take an unquoted 2010-09-09 for a date.
    expect(setup.cloudFormation.yaml).toContain('AWSTemplateFormatVersion: "2010-09-09"');
  });
});

describe('Terraform', () => {
  it.each(setups)('%s: parses as HCL; the AWS provider and its region, the role, its policies as written, the variables and the output', async (_name, given, setup) => {
    const config = await readTerraform(setup.terraform);
    expect(config.terraform).toEqual({ required_providers: { aws: { source: 'hashicorp/aws', version: TERRAFORM_AWS_PROVIDER_VERSION } } });
    expect(config.provider).toEqual({ aws: { region: given.region } });
    expect(config.variable.role_name).toMatchObject({ type: { ref: 'string' }, default: given.roleName ?? 'PreflightAccess' });
    expect(config.variable.external_id).toMatchObject({ type: { ref: 'string' }, default: EXTERNAL_ID, sensitive: true });
    const role = config.resource.aws_iam_role.preflight;
    expect(role.name).toEqual({ ref: 'var.role_name' });
    const trust = structuredClone(setup.trustPolicy) as any;
    trust.Statement[0].Condition.StringEquals['sts:ExternalId'] = { ref: 'var.external_id' };
    expect(role.assume_role_policy).toEqual({ call: 'jsonencode', args: [trust] });
    expect(config.output.role_arn.value).toEqual({ ref: 'aws_iam_role.preflight.arn' });

    const kind = setup.attachment === 'inline' ? 'aws_iam_role_policy' : 'aws_iam_policy';
    const policies = Object.entries(config.resource[kind] as Record<string, any>);
    expect(policies.map(([, p]) => p.policy)).toEqual(setup.policies.map((p) => ({ call: 'jsonencode', args: [p.document] })));
    if (setup.attachment === 'managed') {
      const attachments = Object.values(config.resource.aws_iam_role_policy_attachment as Record<string, any>);
      expect(attachments.map((a) => a.policy_arn)).toEqual(policies.map(([id]) => ({ ref: `aws_iam_policy.${id}.arn` })));
      expect(policies.map(([, p]) => p.name)).toEqual(setup.policies.map((p) => ({ template: [{ ref: 'var.role_name' }, `-${p.name}`] })));
    } else {
      expect(config.resource.aws_iam_role_policy_attachment).toBeUndefined();
    }
  });

  it('writes the provider in the partition of the region', async () => {
    for (const region of ['cn-north-1', 'us-gov-west-1']) {
      const setup = buildSetup({ ...glueOnly, region }, { trustedPrincipalArn: PRINCIPAL });
      expect((await readTerraform(setup.terraform)).provider).toEqual({ aws: { region } });
    }
  });

  it('is read by the parser, which refuses what is not HCL', async () => {
    await expect(readTerraform('resource "aws_iam_role" "x" {\n  name = jsonencode({"a" = [1,}\n}\n')).rejects.toThrow();
  });

  it.skipIf(!terraform).each(setups)('%s: terraform fmt reads it and would change nothing (needs terraform on PATH)', (_name, _given, setup) => {
    const fmt = spawnSync(terraform!, ['fmt', '-check', '-'], { input: setup.terraform, encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' } });
    expect(fmt.stderr).toBe('');
    expect(fmt.status).toBe(0);
  }, 30_000);

  it('writes a name with ${ or %{ as a literal, not an interpolation', async () => {
    const setup = buildSetup(input({ capabilities: ['metadata'], glue: { databases: ['a${b}', 'c%{d}'] } }), { trustedPrincipalArn: PRINCIPAL });
    expect(setup.terraform).toContain('$${');
    expect(setup.terraform).toContain('%%{');
    const policy = (await readTerraform(setup.terraform)).resource.aws_iam_role_policy.preflight_access_1;
    expect(policy.policy).toEqual({ call: 'jsonencode', args: [setup.policies[0]!.document] });
    expect(JSON.stringify(setup.policies[0]!.document)).toContain('%{d}');
  });
});

describe('aws CLI', () => {
  const recorder = shellRecorder();
  afterAll(() => recorder.remove());
  const run = (script: string): string[][] => recorder.run(script).map(([, ...args]) => args);

  const option = (words: string[], name: string) => words[words.indexOf(name) + 1];

  it.each(setups)('%s: creates the role with the trust policy, then each policy, then prints the ARN', (_name, given, setup) => {
    const commands = run(setup.awsCli);
    const roleName = given.roleName ?? 'PreflightAccess';
    const [create, ...rest] = commands;
    expect(create!.slice(0, 2)).toEqual(['iam', 'create-role']);
    expect(option(create!, '--role-name')).toBe(roleName);
    expect(JSON.parse(option(create!, '--assume-role-policy-document')!)).toEqual(setup.trustPolicy);
    expect(rest.at(-1)).toEqual(['iam', 'get-role', '--role-name', roleName, '--query', 'Role.Arn', '--output', 'text']);
    if (setup.attachment === 'inline') {
      const puts = rest.filter((c) => c[1] === 'put-role-policy');
      expect(puts.map((c) => [option(c, '--role-name'), option(c, '--policy-name'), JSON.parse(option(c, '--policy-document')!)])).toEqual(setup.policies.map((p) => [roleName, p.name, p.document]));
    } else {
      const creates = rest.filter((c) => c[1] === 'create-policy');
      const attaches = rest.filter((c) => c[1] === 'attach-role-policy');
      expect(creates.map((c) => JSON.parse(option(c, '--policy-document')!))).toEqual(setup.policies.map((p) => p.document));
      expect(attaches.map((c) => option(c, '--policy-arn'))).toEqual(creates.map((c) => `arn:aws:iam::123456789012:policy/${option(c, '--policy-name')}`));
    }
  });

  it("quotes what a shell would read: a database named with ' and $(…)", () => {
    const setup = buildSetup(input({ capabilities: ['metadata'], glue: { databases: ["o'brien", '$(reboot)'] } }), { trustedPrincipalArn: PRINCIPAL });
    const put = run(setup.awsCli).find((c) => c[1] === 'put-role-policy')!;
    expect(JSON.parse(option(put, '--policy-document')!)).toEqual(setup.policies[0]!.document);
  });
});
