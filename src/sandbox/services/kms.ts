// KMS over awsJson1.1: DescribeKey, GenerateDataKey, Decrypt, decided by key policy and IAM.
// A direct call carries no kms:ViaService, so a key usable only through S3 refuses it, as in AWS; it
// carries the caller's network keys (Scenario.network), which key policies may test.
import { randomBytes } from 'node:crypto';
import { kmsDecision, resolveKmsKey } from '../governance.js';
import { jsonService, stringField } from '../protocols.js';
import { accessDeniedMessage } from '../../iam/evaluate.js';
import { AwsError, type ServiceCall } from '../types.js';

type Input = Record<string, unknown>;
const CIPHERTEXT_MAGIC = 'sbxkms1:';

function keyFor(call: ServiceCall, reference: string, action: string) {
  const resolved = resolveKmsKey(call.state, reference);
  if (!resolved) throw new AwsError('NotFoundException', `Key '${reference.startsWith('arn:') ? reference : `arn:aws:kms:${call.region}:${call.state.accountId}:${reference.startsWith('alias/') ? reference : `key/${reference}`}`}' does not exist`);
  const { decision } = kmsDecision(call.state, call.caller, action, reference);
  if (!decision.allowed) throw new AwsError('AccessDeniedException', accessDeniedMessage(call.caller.arn, action, resolved.arn, decision.denial));
  if (action !== 'kms:DescribeKey') {
    if (resolved.key.state === 'Disabled') throw new AwsError('DisabledException', `${resolved.arn} is disabled.`);
    if (resolved.key.state === 'PendingDeletion') throw new AwsError('KMSInvalidStateException', `${resolved.arn} is pending deletion.`);
  }
  return resolved;
}

function keyId(input: Input): string {
  return stringField(input, 'KeyId', { required: true })!;
}

export const kms = jsonService({
  signingName: 'kms',
  targetPrefix: 'TrentService',
  throttling: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
  serverError: { code: 'KMSInternalException', status: 500, message: 'Internal error' },
  operations: {
    DescribeKey(input, call) {
      const { key, arn } = keyFor(call, keyId(input), 'kms:DescribeKey');
      return {
        KeyMetadata: {
          AWSAccountId: call.state.accountId,
          KeyId: key.id,
          Arn: arn,
          CreationDate: new Date('2026-01-05T10:00:00Z'),
          Enabled: key.state === 'Enabled',
          Description: key.description ?? '',
          KeyUsage: 'ENCRYPT_DECRYPT',
          KeyState: key.state,
          Origin: 'AWS_KMS',
          KeyManager: 'CUSTOMER',
          CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
          KeySpec: 'SYMMETRIC_DEFAULT',
          EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
          MultiRegion: false,
        },
      };
    },

    GenerateDataKey(input, call) {
      const { key, arn } = keyFor(call, keyId(input), 'kms:GenerateDataKey');
      const spec = input.KeySpec ?? (input.NumberOfBytes === undefined ? 'AES_256' : undefined);
      if (spec !== undefined && spec !== 'AES_256' && spec !== 'AES_128') throw new AwsError('ValidationException', `1 validation error detected: Value '${spec}' at 'keySpec' failed to satisfy constraint`);
      const bytes = spec === 'AES_128' ? 16 : spec === 'AES_256' ? 32 : Number(input.NumberOfBytes);
      if (!Number.isInteger(bytes) || bytes < 1 || bytes > 1024) throw new AwsError('ValidationException', "1 validation error detected: Value at 'numberOfBytes' failed to satisfy constraint");
      const plaintext = randomBytes(bytes);
      // The "ciphertext" names its key so that Decrypt can find it: enough for a simulation.
      const ciphertext = Buffer.concat([Buffer.from(`${CIPHERTEXT_MAGIC}${key.id}:`), plaintext]);
      return { CiphertextBlob: ciphertext.toString('base64'), Plaintext: plaintext.toString('base64'), KeyId: arn };
    },

    Decrypt(input, call) {
      const blob = typeof input.CiphertextBlob === 'string' ? Buffer.from(input.CiphertextBlob, 'base64') : Buffer.alloc(0);
      const text = blob.toString('latin1');
      const match = new RegExp(`^${CIPHERTEXT_MAGIC}([0-9a-f-]{36}):`).exec(text);
      if (!match) throw new AwsError('InvalidCiphertextException', '');
      const { arn } = keyFor(call, match[1]!, 'kms:Decrypt');
      if (typeof input.KeyId === 'string' && resolveKmsKey(call.state, input.KeyId)?.arn !== arn) throw new AwsError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
      return { KeyId: arn, Plaintext: blob.subarray(match[0].length).toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    },
  },
});
