import { clientSideKmsKey } from '../preflight/facts.js';
import type { Probe } from './types.js';

/**
 * With CSE_KMS (and for managed query results) Athena asks KMS for a data key itself and encrypts
 * before anything reaches S3, so no S3 round trip can prove the key: a data key is generated and
 * decrypted directly, as Athena does when it writes and reads results. A key policy that allows
 * the key only through Athena (kms:ViaService) refuses these direct calls; the reason then says so.
 */
export const kmsDataKey: Probe = {
  id: 'kms-data-key',
  service: 'kms',
  actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
  // With CSE_KMS no result is written without this key: query-results depends on it too (its clientSideKeyCore).
  informs: ['encryption', 'query-results'],
  resources: { 'kms:GenerateDataKey': 'key-use', 'kms:Decrypt': 'key-use' },
  roles: {
    encryption: { core: ['kms:GenerateDataKey', 'kms:Decrypt'] },
    'query-results': { clientSideKeyCore: ['kms:GenerateDataKey', 'kms:Decrypt'] },
  },
  after: ['athena-workgroup'],
  skipWhen: (context) =>
    clientSideKmsKey(context) ? undefined : { reason: 'not-applicable', detail: 'the workgroup does not encrypt results client-side (CSE_KMS) or in managed storage with its own key' },
  async run(context) {
    const keyId = clientSideKmsKey(context)!;
    const dataKey = await context.send('kms:GenerateDataKey', 'GenerateDataKeyCommand', { KeyId: keyId, KeySpec: 'AES_256' });
    await context.send('kms:Decrypt', 'DecryptCommand', { CiphertextBlob: dataKey.CiphertextBlob, KeyId: keyId });
    return `generated and decrypted a data key with ${dataKey.KeyId ?? keyId}`;
  },
};
