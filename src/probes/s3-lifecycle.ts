import { resolveOutput } from '../preflight/facts.js';
import { bucketOwnerCheck, needsOutputLocation } from './helpers/athena-results.js';
import type { Probe } from './types.js';

/** Athena never deletes results: without an expiration rule they pile up (and cost) forever. */
export const s3Lifecycle: Probe = {
  id: 's3-lifecycle',
  service: 's3',
  actions: ['s3:GetLifecycleConfiguration'],
  informs: ['query-results'],
  resources: { 's3:GetLifecycleConfiguration': 'bucket' },
  roles: { 'query-results': { checkedWith: ['s3:GetLifecycleConfiguration'] } },
  after: ['athena-workgroup'],
  skipWhen: needsOutputLocation,
  async run(context) {
    const output = resolveOutput(context)!;
    const answer = await context.send(
      's3:GetLifecycleConfiguration',
      'GetBucketLifecycleConfigurationCommand',
      { Bucket: output.bucket, ...bucketOwnerCheck(context) },
      { acceptCodes: ['NoSuchLifecycleConfiguration'] },
    );
    const expires = (answer?.Rules ?? []).some((rule) => {
      if (rule.Status !== 'Enabled' || !(rule.Expiration?.Days || rule.Expiration?.Date)) return false;
      const prefix = rule.Filter?.Prefix ?? rule.Prefix ?? rule.Filter?.And?.Prefix ?? '';
      return output.prefix.startsWith(prefix);
    });
    if (!expires) {
      context.finding('RESULTS_NO_LIFECYCLE', { bucket: output.bucket, prefix: output.prefix, uri: output.uri });
    }
    return expires ? 'results expire by a lifecycle rule' : 'no expiration rule for results';
  },
};
