import { resultsKmsKeys } from './support.js';
import type { ProbeDefinition } from './types.js';

/**
 * Supporting evidence only: key policies often allow use only through S3 (kms:ViaService), so a
 * direct call may be denied where the S3 round trip works. The verdict on GenerateDataKey and
 * Decrypt comes from the S3 probes.
 */
export const kmsDescribeKey: ProbeDefinition = {
  id: 'kms-describe-key',
  service: 'kms',
  actions: ['kms:DescribeKey'],
  informs: ['encryption'],
  dependsOn: ['athena-workgroup', 's3-bucket-encryption', 's3-put-marker'],
  requires: ['sts-caller-identity'],
  skipUnless: (context) => (resultsKmsKeys(context).length ? undefined : { reason: 'not-applicable', detail: 'no KMS key protects query results' }),
  async run(context) {
    const { DescribeKeyCommand } = await context.sdk('kms');
    const kms = await context.client('kms');
    const key = await context.call('kms:DescribeKey', (abortSignal) => kms.send(new DescribeKeyCommand({ KeyId: resultsKmsKeys(context)[0]! }), { abortSignal }));
    return `${key.KeyMetadata?.Arn} is ${key.KeyMetadata?.KeyState}`;
  },
};
