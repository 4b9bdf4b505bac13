import { bucketOwnerCheck, needsOutputLocation, resolveOutput } from './support.js';
import type { ProbeDefinition } from './types.js';

/** The bucket's default encryption tells whether a KMS key is in play for results. */
export const s3BucketEncryption: ProbeDefinition = {
  id: 's3-bucket-encryption',
  service: 's3',
  actions: ['s3:GetEncryptionConfiguration'],
  informs: ['encryption'],
  dependsOn: ['athena-workgroup'],
  skipUnless: needsOutputLocation,
  async run(context) {
    const { GetBucketEncryptionCommand } = await context.sdk('s3');
    const s3 = await context.client('s3');
    const output = resolveOutput(context)!;
    const answer = await context.call(
      's3:GetEncryptionConfiguration',
      (abortSignal) => s3.send(new GetBucketEncryptionCommand({ Bucket: output.bucket, ...bucketOwnerCheck(context) }), { abortSignal }),
      { acceptCodes: ['ServerSideEncryptionConfigurationNotFoundError'] },
    );
    const rule = answer?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
    if (rule?.SSEAlgorithm) context.facts.bucketEncryption = { algorithm: rule.SSEAlgorithm, kmsKeyId: rule.KMSMasterKeyID };
    return rule?.SSEAlgorithm ? `default encryption ${rule.SSEAlgorithm}${rule.KMSMasterKeyID ? ` with ${rule.KMSMasterKeyID}` : ''}` : 'no default encryption';
  },
};
