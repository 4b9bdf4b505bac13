import { bucketOwnerCheck, needsOutputLocation, resolveOutput } from './support.js';
import type { ProbeDefinition } from './types.js';

/** Athena never deletes results: without an expiration rule they pile up (and cost) forever. */
export const s3Lifecycle: ProbeDefinition = {
  id: 's3-lifecycle',
  service: 's3',
  actions: ['s3:GetLifecycleConfiguration'],
  informs: ['query-results'],
  dependsOn: ['athena-workgroup'],
  skipUnless: needsOutputLocation,
  async run(context) {
    const { GetBucketLifecycleConfigurationCommand } = await context.sdk('s3');
    const s3 = await context.client('s3');
    const output = resolveOutput(context)!;
    const answer = await context.call(
      's3:GetLifecycleConfiguration',
      (abortSignal) => s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: output.bucket, ...bucketOwnerCheck(context) }), { abortSignal }),
      { acceptCodes: ['NoSuchLifecycleConfiguration'] },
    );
    const expires = (answer?.Rules ?? []).some((rule) => {
      if (rule.Status !== 'Enabled' || !(rule.Expiration?.Days || rule.Expiration?.Date)) return false;
      const prefix = rule.Filter?.Prefix ?? rule.Prefix ?? rule.Filter?.And?.Prefix ?? '';
      return output.prefix.startsWith(prefix);
    });
    if (!expires) {
      context.finding({
        code: 'RESULTS_NO_LIFECYCLE',
        severity: 'low',
        message: `No lifecycle rule expires objects under ${output.uri}: Athena never deletes query results, so they accumulate.`,
        remediation: `Add an S3 lifecycle rule on ${output.bucket} that expires objects under "${output.prefix}" after, for example, 30 days.`,
      });
    }
    return expires ? 'results expire by a lifecycle rule' : 'no expiration rule for results';
  },
};
