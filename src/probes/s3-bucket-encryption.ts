import { resolveOutput } from '../preflight/facts.js';
import { bucketOwnerCheck, needsOutputLocation } from './helpers/athena-results.js';
import type { Probe } from './types.js';

/** The bucket's default encryption tells whether a KMS key is in play for results. */
export const s3BucketEncryption: Probe = {
  id: 's3-bucket-encryption',
  service: 's3',
  actions: ['s3:GetEncryptionConfiguration'],
  informs: ['encryption'],
  resources: { 's3:GetEncryptionConfiguration': 'bucket' },
  roles: { encryption: { checkedWith: ['s3:GetEncryptionConfiguration'] } },
  after: ['athena-workgroup'],
  skipWhen: needsOutputLocation,
  async run(context) {
    const output = resolveOutput(context)!;
    const answer = await context.send(
      's3:GetEncryptionConfiguration',
      'GetBucketEncryptionCommand',
      { Bucket: output.bucket, ...bucketOwnerCheck(context) },
      { acceptCodes: ['ServerSideEncryptionConfigurationNotFoundError'] },
    );
    const rule = answer?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
    if (rule?.SSEAlgorithm) context.facts.bucketEncryption = { algorithm: rule.SSEAlgorithm, kmsKeyId: rule.KMSMasterKeyID };
    return rule?.SSEAlgorithm ? `default encryption ${rule.SSEAlgorithm}${rule.KMSMasterKeyID ? ` with ${rule.KMSMasterKeyID}` : ''}` : 'no default encryption';
  },
};
