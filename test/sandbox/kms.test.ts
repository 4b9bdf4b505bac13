import { DecryptCommand, DescribeKeyCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { awsCli, clientConfig, userCredentials } from '../support/sandbox.js';

const ACCOUNT = '123456789012';
const KEY_ID = '1f0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${KEY_ID}`;
const DISABLED_KEY_ID = '2a0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
const ROLE_ONLY_KEY_ID = '3b0c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

const DELEGATE_TO_IAM = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] };

// Three keys: the results key, a disabled one, and one whose key policy does not delegate to IAM.
const SCENARIO = {
  extends: 'kms-encrypted-results',
  name: 'kms-test',
  description: 'kms-encrypted-results with a disabled key and a key only a role may use',
  kms: {
    keys: [
      { id: KEY_ID, alias: 'alias/athena-results', description: 'Athena query results', policy: DELEGATE_TO_IAM },
      { id: DISABLED_KEY_ID, alias: 'alias/retired', policy: DELEGATE_TO_IAM, state: 'Disabled' },
      {
        id: ROLE_ONLY_KEY_ID,
        policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/KeyAdmin` }, Action: 'kms:*', Resource: '*' }] },
      },
    ],
  },
  users: [
    {
      name: 'analyst',
      accessKeyId: 'AKIAKMSTESTANALYST01',
      secretAccessKey: 'sandbox/analyst/secret/not-a-real-key',
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }],
    },
  ],
};

describe('sandbox KMS', () => {
  let sandbox: Sandbox;
  let denied: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: SCENARIO });
    denied = await startSandbox({ scenario: 'kms-denied' });
  });
  afterAll(async () => {
    await Promise.all([sandbox.close(), denied.close()]);
  });

  const kms = (on = sandbox) => new KMSClient(clientConfig(on, userCredentials(on, 'analyst')));

  it('describes a key by id, alias and ARN', async () => {
    for (const KeyId of [KEY_ID, 'alias/athena-results', KEY_ARN]) {
      const { KeyMetadata } = await kms().send(new DescribeKeyCommand({ KeyId }));
      expect(KeyMetadata).toMatchObject({
        KeyId: KEY_ID,
        Arn: KEY_ARN,
        AWSAccountId: ACCOUNT,
        Enabled: true,
        KeyState: 'Enabled',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyManager: 'CUSTOMER',
        Description: 'Athena query results',
        CreationDate: expect.any(Date),
      });
    }
  });

  it('generates a data key and decrypts its ciphertext back to the same plaintext', async () => {
    const generated = await kms().send(new GenerateDataKeyCommand({ KeyId: 'alias/athena-results', KeySpec: 'AES_256' }));
    expect(generated.KeyId).toBe(KEY_ARN);
    expect(generated.Plaintext).toHaveLength(32);
    const decrypted = await kms().send(new DecryptCommand({ CiphertextBlob: generated.CiphertextBlob }));
    expect(decrypted).toMatchObject({ KeyId: KEY_ARN, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    expect(Buffer.from(decrypted.Plaintext!)).toEqual(Buffer.from(generated.Plaintext!));
  });

  it('generates data keys of the requested size', async () => {
    expect((await kms().send(new GenerateDataKeyCommand({ KeyId: KEY_ID, KeySpec: 'AES_128' }))).Plaintext).toHaveLength(16);
    expect((await kms().send(new GenerateDataKeyCommand({ KeyId: KEY_ID, NumberOfBytes: 64 }))).Plaintext).toHaveLength(64);
  });

  it('refuses to decrypt with a key other than the ciphertext\'s with IncorrectKeyException', async () => {
    const { CiphertextBlob } = await kms().send(new GenerateDataKeyCommand({ KeyId: KEY_ID, KeySpec: 'AES_256' }));
    await expect(kms().send(new DecryptCommand({ CiphertextBlob, KeyId: DISABLED_KEY_ID }))).rejects.toMatchObject({ name: 'IncorrectKeyException' });
  });

  it('answers InvalidCiphertextException for bytes that are not a ciphertext', async () => {
    await expect(kms().send(new DecryptCommand({ CiphertextBlob: Buffer.from('not a ciphertext') }))).rejects.toMatchObject({
      name: 'InvalidCiphertextException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('answers NotFoundException naming the key ARN for an unknown key', async () => {
    await expect(kms().send(new DescribeKeyCommand({ KeyId: '00000000-0000-4000-8000-000000000000' }))).rejects.toMatchObject({
      name: 'NotFoundException',
      message: `Key 'arn:aws:kms:eu-west-1:${ACCOUNT}:key/00000000-0000-4000-8000-000000000000' does not exist`,
    });
    await expect(kms().send(new GenerateDataKeyCommand({ KeyId: 'alias/nope', KeySpec: 'AES_256' }))).rejects.toMatchObject({
      name: 'NotFoundException',
      message: `Key 'arn:aws:kms:eu-west-1:${ACCOUNT}:alias/nope' does not exist`,
    });
  });

  it('describes a disabled key but refuses to use it with DisabledException', async () => {
    const { KeyMetadata } = await kms().send(new DescribeKeyCommand({ KeyId: 'alias/retired' }));
    expect(KeyMetadata).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    await expect(kms().send(new GenerateDataKeyCommand({ KeyId: 'alias/retired', KeySpec: 'AES_256' }))).rejects.toMatchObject({ name: 'DisabledException' });
  });

  it('denies a principal without KMS permissions with AccessDeniedException and IAM\'s message', async () => {
    await expect(kms(denied).send(new GenerateDataKeyCommand({ KeyId: KEY_ARN, KeySpec: 'AES_256' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT}:user/analyst is not authorized to perform: kms:GenerateDataKey on resource: ${KEY_ARN} because no identity-based policy allows the kms:GenerateDataKey action`,
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('denies use of a key whose key policy does not delegate to IAM, whatever IAM allows', async () => {
    await expect(kms().send(new DescribeKeyCommand({ KeyId: ROLE_ONLY_KEY_ID }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT}:user/analyst is not authorized to perform: kms:DescribeKey on resource: arn:aws:kms:eu-west-1:${ACCOUNT}:key/${ROLE_ONLY_KEY_ID} because no resource-based policy allows the kms:DescribeKey action`,
    });
  });

  it('rejects an invalid KeySpec and NumberOfBytes with ValidationException', async () => {
    await expect(kms().send(new GenerateDataKeyCommand({ KeyId: KEY_ID, KeySpec: 'AES_512' as never }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(kms().send(new GenerateDataKeyCommand({ KeyId: KEY_ID, NumberOfBytes: 2048 }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('is parsed by botocore: describe, generate and a denial', async () => {
    const analyst = userCredentials(sandbox, 'analyst');
    const described = await awsCli(sandbox, analyst, ['kms', 'describe-key', '--key-id', 'alias/athena-results']);
    expect(described.json.KeyMetadata).toMatchObject({ Arn: KEY_ARN, KeyState: 'Enabled' });
    const generated = await awsCli(sandbox, analyst, ['kms', 'generate-data-key', '--key-id', KEY_ID, '--key-spec', 'AES_256']);
    expect(Buffer.from(generated.json.Plaintext, 'base64')).toHaveLength(32);
    const refused = await awsCli(denied, userCredentials(denied, 'analyst'), ['kms', 'generate-data-key', '--key-id', KEY_ARN, '--key-spec', 'AES_256']);
    expect(refused).toMatchObject({ ok: false, errorCode: 'AccessDeniedException' });
    expect(refused.stderr).toContain('kms:GenerateDataKey');
  });
});
