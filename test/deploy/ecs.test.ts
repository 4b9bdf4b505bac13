// deploy/ecs/task-definition.json, valid as the input of ECS's RegisterTaskDefinition (botocore's
// model of the API), and deploy/cloudformation/task-role.yaml, valid against CloudFormation's
// schemas; then what they promise: Fargate in awsvpc mode, non-root as the image's user, a
// read-only root, the image's own health check, logs, memory for the heap, a stop timeout longer
// than the service's grace; and a task role that may only assume the customers' roles, which in
// the sandbox assumes a role POST /setup describes and still lets the preflight see a trust policy
// that does not enforce the external ID.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { admitByHeap, loadConfig } from '../../src/config.js';
import { DEFAULT_ROLE_NAME } from '../../src/schemas/setup.js';
import { buildSetup } from '../../src/setup/generate.js';
import { validateSetupRequest } from '../../src/setup/request.js';
import { inputProblems, loadServiceModel } from '../support/botocore.js';
import { lintTemplate, resolvedResources } from '../support/cloudformation-schema.js';
import { type Harness, startHarness } from '../support/service.js';
import { IMAGE, MEASURED_PEAK_RSS_MIB, NONROOT_UID, heapLimitMiB } from './image.js';

const taskDefinition = JSON.parse(readFileSync('deploy/ecs/task-definition.json', 'utf8'));
const container = taskDefinition.containerDefinitions[0];
const template = parseYaml(readFileSync('deploy/cloudformation/task-role.yaml', 'utf8'));
// As `aws cloudformation deploy --stack-name preflight-roles --parameter-overrides …` would give them.
const STACK_VALUES = {
  ApiKeysSecretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:preflight/api-keys-AbCdEf',
  DatabaseUrlSecretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:preflight/database-url-GhIjKl',
};
const envOf = (c: any): Record<string, string> => Object.fromEntries(c.environment.map((e: any) => [e.name, e.value]));

describe('deploy/ecs/task-definition.json', () => {
  const ecs = loadServiceModel('ecs');

  it("is a valid RegisterTaskDefinition input (botocore's ECS model)", () => {
    expect(ecs.metadata.serviceId).toBe('ECS');
    expect(inputProblems(ecs, 'RegisterTaskDefinition', taskDefinition)).toEqual([]);
  });

  it('is checked against the model strictly: unknown members, enums, types, required members', () => {
    const broken = (change: (t: any) => void) => {
      const copy = structuredClone(taskDefinition);
      change(copy);
      return inputProblems(ecs, 'RegisterTaskDefinition', copy);
    };
    // The ECS spelling is readonlyRootFilesystem: Kubernetes' would be silently ignored by a lax check.
    expect(broken((t) => (t.containerDefinitions[0].readOnlyRootFilesystem = true))).toEqual(['/containerDefinitions/0: unknown member readOnlyRootFilesystem (ContainerDefinition)']);
    expect(broken((t) => (t.networkMode = 'vpc'))).toEqual(['/networkMode: "vpc" is not one of bridge, host, awsvpc, none (NetworkMode)']);
    expect(broken((t) => (t.containerDefinitions[0].stopTimeout = '40'))).toEqual(['/containerDefinitions/0/stopTimeout: must be an integer (BoxedInteger)']);
    expect(broken((t) => delete t.family)).toEqual(['/: missing required member family (RegisterTaskDefinitionRequest)']);
  });

  it('runs on Fargate in awsvpc mode, with a task size Fargate offers', () => {
    expect(taskDefinition.requiresCompatibilities).toEqual(['FARGATE']);
    expect(taskDefinition.networkMode).toBe('awsvpc');
    // Amazon ECS Developer Guide, "Amazon ECS task definition parameters for Fargate", Task size: the memory (MiB) each CPU value allows.
    const FARGATE_SIZES: Record<string, number[]> = {
      '256': [512, 1024, 2048],
      '512': [1024, 2048, 3072, 4096],
      '1024': [2048, 3072, 4096, 5120, 6144, 7168, 8192],
    };
    expect(FARGATE_SIZES[taskDefinition.cpu]).toContain(Number(taskDefinition.memory));
  });

  it("runs as the image's non-root user, read-only, with no capability; /tmp a volume of its own", () => {
    expect(IMAGE.user).toBe('nonroot');
    expect(container.user).toBe(`${NONROOT_UID}:${NONROOT_UID}`);
    expect(container.readonlyRootFilesystem).toBe(true);
    expect(container.privileged ?? false).toBe(false);
    expect(container.linuxParameters.capabilities).toEqual({ drop: ['ALL'] });
    const tmp = container.mountPoints.find((m: any) => m.containerPath === '/tmp');
    expect(taskDefinition.volumes.map((v: any) => v.name)).toContain(tmp.sourceVolume);
  });

  it("checks health with the image's own HEALTHCHECK, and serves the image's port", () => {
    const { command, intervalSeconds, timeoutSeconds, startPeriodSeconds, retries } = IMAGE.healthCheck;
    expect(container.healthCheck).toEqual({ command: ['CMD', ...command], interval: intervalSeconds, timeout: timeoutSeconds, retries, startPeriod: startPeriodSeconds });
    expect(container.portMappings).toEqual([expect.objectContaining({ containerPort: IMAGE.exposedPort, protocol: 'tcp' })]);
    expect(container.image).toMatch(new RegExp(`/preflight:${IMAGE.version.replaceAll('.', '\\.')}$`));
  });

  it('sends its logs to CloudWatch Logs without blocking the service when they back up', () => {
    expect(container.logConfiguration.logDriver).toBe('awslogs');
    expect(container.logConfiguration.options).toMatchObject({ 'awslogs-group': expect.any(String), 'awslogs-region': expect.any(String), 'awslogs-stream-prefix': expect.any(String), mode: 'non-blocking' });
  });

  it('gives the heap room for its concurrency, the container its measured peak, and stops slower than the service', () => {
    const secrets = container.secrets.map((s: any) => s.name).sort();
    expect(secrets).toEqual(['PREFLIGHT_API_KEYS', 'PREFLIGHT_DATABASE_URL']);
    const config = loadConfig({ ...IMAGE.env, ...envOf(container), PREFLIGHT_API_KEYS: 'a-key-of-sixteen-characters', PREFLIGHT_DATABASE_URL: 'postgres://u:p@db:5432/preflight' });
    const heap = heapLimitMiB(IMAGE.env.NODE_OPTIONS!);
    expect(admitByHeap(config, heap * 2 ** 20).warning).toBeUndefined();
    expect(container.memory).toBeGreaterThanOrEqual(MEASURED_PEAK_RSS_MIB);
    expect(container.memory).toBeLessThanOrEqual(Number(taskDefinition.memory));
    // Fargate waits at most 120 s after SIGTERM (ContainerDefinition stopTimeout).
    expect(container.stopTimeout * 1000).toBeGreaterThan(config.shutdownGraceMs);
    expect(container.stopTimeout).toBeLessThanOrEqual(120);
  });

  it('runs as the task role the template creates, which is the principal customers trust', () => {
    const resources = resolvedResources(template, STACK_VALUES);
    // The roles' names as created by a stack named preflight-roles (the template's own example).
    const named = (id: string) => resources[id]!.Properties.RoleName.replace('preflight-', 'preflight-roles-');
    expect(taskDefinition.taskRoleArn).toBe(`arn:aws:iam::111122223333:role/${named('TaskRole')}`);
    expect(taskDefinition.executionRoleArn).toBe(`arn:aws:iam::111122223333:role/${named('ExecutionRole')}`);
    expect(envOf(container).PREFLIGHT_TRUSTED_PRINCIPAL).toBe(taskDefinition.taskRoleArn);
    // The execution role reads exactly the secrets the container is given.
    const readable = resources.ExecutionRole!.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement).flatMap((s: any) => s.Resource);
    expect(readable.sort()).toEqual(container.secrets.map((s: any) => s.valueFrom).sort());
  });
});

describe('deploy/cloudformation/task-role.yaml', () => {
  it("is valid against CloudFormation's and cfn-lint's schemas", () => {
    expect(lintTemplate(template, STACK_VALUES)).toEqual([]);
    // Its secrets have no default: deployed without them, the linter says so.
    expect(lintTemplate(template)).toEqual(expect.arrayContaining([expect.stringMatching(/parameter ApiKeysSecretArn has no default/)]));
  });

  it("gives the task role nothing but sts:AssumeRole on the customers' roles, by the name POST /setup gives them", () => {
    const { TaskRole } = resolvedResources(template, STACK_VALUES);
    const statements = TaskRole!.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    expect(statements).toEqual([{ Sid: 'AssumeCustomerRoles', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::*:role/${DEFAULT_ROLE_NAME}` }]);
    expect(TaskRole!.Properties.ManagedPolicyArns).toBeUndefined();
    expect(template.Parameters.CustomerRoleName.Default).toBe(DEFAULT_ROLE_NAME);
    // Only ECS tasks of its own account and region may be this role (against the confused deputy).
    const [trust] = TaskRole!.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toMatchObject({ Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' });
    expect(trust.Condition).toEqual({ ArnLike: { 'aws:SourceArn': 'arn:aws:ecs:eu-west-1:111122223333:*' }, StringEquals: { 'aws:SourceAccount': '111122223333' } });
  });

  describe('in the sandbox: the task role\'s policy as the service\'s own', () => {
    const EXTERNAL_ID = 'acme-ecs-3c9d1f';
    const SERVICE_ARN = 'arn:aws:iam::999999999999:user/preflight-service';
    const harnesses: Harness[] = [];
    afterAll(async () => {
      await Promise.all(harnesses.map((h) => h.close()));
    });
    const taskPolicy = () => resolvedResources(template, STACK_VALUES).TaskRole!.Properties.Policies.map((p: any) => p.PolicyDocument);
    const setup = () => {
      const validation = validateSetupRequest({ region: 'eu-west-1', accountId: '123456789012', externalId: EXTERNAL_ID, capabilities: ['metadata'] });
      if (!validation.ok) throw new Error(JSON.stringify(validation.issues));
      return buildSetup(validation.input, { trustedPrincipalArn: SERVICE_ARN });
    };

    /** A role-mode preflight by a service whose identity policies are `servicePolicies`, of a role `role` in the customer's account. */
    async function preflight(servicePolicies: unknown[], role: { name: string; trustPolicy: unknown; policies: unknown[] }) {
      const service = { name: 'preflight-service', accountId: '999999999999', serviceIdentity: true, accessKeyId: 'AKIASANDBOXSERVICE01', secretAccessKey: 'sandbox/service/secret/key/00000000000', policies: servicePolicies };
      const harness = await startHarness({ extends: 'full-access', name: 'ecs-task-role', description: "The service's own identity with the ECS task role's policy", users: [service], roles: [role], sample: { credentials: `role:${role.name}`, request: {} } } as any);
      harnesses.push(harness);
      const response = await harness.preflight({ ...setup().check, credentials: { type: 'role', roleArn: `arn:aws:iam::123456789012:role/${role.name}`, externalId: EXTERNAL_ID } });
      expect(response.status).toBe(200);
      return { connection: response.body.capabilities.find((c: any) => c.id === 'connection').status, findings: (response.body.findings as Array<{ code: string }>).map((f) => f.code) };
    }
    const roleFromSetup = (trustPolicy: unknown = setup().trustPolicy) => ({ name: DEFAULT_ROLE_NAME, trustPolicy, policies: setup().policies.map((p) => p.document) });

    it('assumes the role POST /setup describes, with its external ID', async () => {
      const { connection, findings } = await preflight(taskPolicy(), roleFromSetup());
      expect(connection).toBe('ok');
      expect(findings).not.toContain('ASSUME_ROLE_DENIED');
      expect(findings).not.toContain('EXTERNAL_ID_NOT_ENFORCED');
    });

    it('still lets the preflight find a trust policy that does not require the external ID', async () => {
      const lax = structuredClone(setup().trustPolicy) as any;
      delete lax.Statement[0].Condition;
      expect((await preflight(taskPolicy(), roleFromSetup(lax))).findings).toContain('EXTERNAL_ID_NOT_ENFORCED');
      // Why the task role carries no sts:ExternalId condition: requiring one (present in AssumeRole's
      // request context when given) refuses the preflight's own call without it, and the lax role looks enforced.
      const requiring = taskPolicy().map((document: any) => ({ ...document, Statement: document.Statement.map((s: any) => ({ ...s, Condition: { Null: { 'sts:ExternalId': 'false' } } })) }));
      expect((await preflight(requiring, roleFromSetup(lax))).findings).not.toContain('EXTERNAL_ID_NOT_ENFORCED');
    });

    it('cannot assume a role of another name', async () => {
      const { connection, findings } = await preflight(taskPolicy(), { ...roleFromSetup(), name: 'SomeOtherRole' });
      expect(connection).not.toBe('ok');
      expect(findings).toContain('ASSUME_ROLE_DENIED');
    });
  });
});
