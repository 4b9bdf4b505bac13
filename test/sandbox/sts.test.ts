import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { awsCli, clientConfig, userCredentials } from '../support/sandbox.js';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/PreflightReadOnly';

describe('sandbox STS', () => {
  let sandbox: Sandbox;
  let now = Date.now();
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: 'full-access', clock: () => now });
  });
  afterAll(() => sandbox.close());

  const sts = (credentials = userCredentials(sandbox, 'analyst')) => new STSClient(clientConfig(sandbox, credentials));

  it('answers GetCallerIdentity for a user key', async () => {
    const identity = await sts().send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/analyst' });
    expect(identity.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
  });

  it('rejects an unknown key, a wrong secret and a bad session token with STS error codes', async () => {
    await expect(sts({ accessKeyId: 'AKIANOSUCHKEY0000000', secretAccessKey: 'x'.repeat(40) }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      $metadata: { httpStatusCode: 403 },
    });
    const analyst = userCredentials(sandbox, 'analyst');
    await expect(sts({ ...analyst, secretAccessKey: 'wrong-secret' }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
    });
    await expect(sts({ ...analyst, sessionToken: 'bogus' }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
  });

  it('assumes a role only with the external ID its trust policy requires, and expires the session', async () => {
    const service = sts(userCredentials(sandbox, 'preflight-service'));
    await expect(service.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'preflight-test' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(service.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'preflight-test', ExternalId: 'wrong-id' }))).rejects.toMatchObject({ name: 'AccessDenied' });
    const assumed = await service.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'preflight-test', ExternalId: 'acme-7f3c2a', DurationSeconds: 900 }));
    const credentials = {
      accessKeyId: assumed.Credentials!.AccessKeyId!,
      secretAccessKey: assumed.Credentials!.SecretAccessKey!,
      sessionToken: assumed.Credentials!.SessionToken!,
    };
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    const identity = await sts(credentials).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe('arn:aws:sts::123456789012:assumed-role/PreflightReadOnly/preflight-test');

    now += 901_000;
    await expect(sts(credentials).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'ExpiredToken' });
    now = Date.now();
  });

  it('refuses a role the caller may not assume even with the right external ID', async () => {
    await expect(sts().send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'x1', ExternalId: 'acme-7f3c2a' }))).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('is parsed by botocore (the AWS CLI) as well', async () => {
    const identity = await awsCli(sandbox, userCredentials(sandbox, 'analyst'), ['sts', 'get-caller-identity']);
    expect(identity.json).toMatchObject({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/analyst' });
    const assumed = await awsCli(sandbox, userCredentials(sandbox, 'preflight-service'), [
      'sts', 'assume-role', '--role-arn', ROLE_ARN, '--role-session-name', 'cli-session', '--external-id', 'acme-7f3c2a',
    ]);
    expect(assumed.json.Credentials.AccessKeyId).toMatch(/^ASIA/);
    const denied = await awsCli(sandbox, userCredentials(sandbox, 'preflight-service'), ['sts', 'assume-role', '--role-arn', ROLE_ARN, '--role-session-name', 'cli-session']);
    expect(denied.errorCode).toBe('AccessDenied');
    const badKey = await awsCli(sandbox, { accessKeyId: 'AKIANOSUCHKEY0000000', secretAccessKey: 'x' }, ['sts', 'get-caller-identity']);
    expect(badKey.errorCode).toBe('InvalidClientTokenId');
  });
});
