import { resultsKmsKeys } from '../preflight/facts.js';
import type { Probe } from './types.js';

/**
 * Supporting evidence only: key policies often allow use only through S3 (kms:ViaService), so a
 * direct call may be denied where the S3 round trip works. The verdict on GenerateDataKey and
 * Decrypt comes from the S3 probes.
 */
export const kmsDescribeKey: Probe = {
  id: 'kms-describe-key',
  service: 'kms',
  actions: ['kms:DescribeKey'],
  informs: ['encryption'],
  resources: { 'kms:DescribeKey': 'key-metadata' },
  roles: { encryption: { extended: ['kms:DescribeKey'] } },
  after: ['athena-workgroup', 's3-bucket-encryption', 's3-put-marker'],
  skipWhen: (context) => (resultsKmsKeys(context).length ? undefined : { reason: 'not-applicable', detail: 'no KMS key protects query results' }),
  async run(context) {
    const key = await context.send('kms:DescribeKey', 'DescribeKeyCommand', { KeyId: resultsKmsKeys(context)[0]! });
    return `${key.KeyMetadata?.Arn} is ${key.KeyMetadata?.KeyState}`;
  },
};
