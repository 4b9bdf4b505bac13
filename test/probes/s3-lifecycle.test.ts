// s3-lifecycle: Athena never deletes query results; a rule must expire them.
import { describe, expect, it } from 'vitest';
import { s3Lifecycle } from '../../src/probes/s3-lifecycle.js';
import { awsError, runProbe } from './fake-run.js';

const output = { athena: { outputLocation: 's3://acme-results/athena/' } };
const rules = (...Rules: unknown[]) => ({ GetBucketLifecycleConfigurationCommand: () => ({ Rules }) });

describe('s3-lifecycle', () => {
  it('passes without a finding when an enabled rule expires objects under the prefix', async () => {
    const run = await runProbe(s3Lifecycle, { request: output, answers: rules({ Status: 'Enabled', Filter: { Prefix: 'athena/' }, Expiration: { Days: 30 } }) });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: 'results expire by a lifecycle rule' });
  });

  it('finds RESULTS_NO_LIFECYCLE without a configuration, with a rule for another prefix, or with a disabled one', async () => {
    const none = await runProbe(s3Lifecycle, { request: output, answers: { GetBucketLifecycleConfigurationCommand: () => Promise.reject(awsError('NoSuchLifecycleConfiguration', 404)) } });
    expect(none.error).toBeUndefined();
    expect(none.findings).toEqual([
      {
        code: 'RESULTS_NO_LIFECYCLE',
        severity: 'low',
        message: 'No lifecycle rule expires objects under s3://acme-results/athena/: Athena never deletes query results, so they accumulate.',
        remediation: 'Add an S3 lifecycle rule on acme-results that expires objects under "athena/" after, for example, 30 days.',
        probe: 's3-lifecycle',
      },
    ]);
    for (const rule of [{ Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } }, { Status: 'Disabled', Expiration: { Days: 30 } }]) {
      expect((await runProbe(s3Lifecycle, { request: output, answers: rules(rule) })).findings.map((f) => f.code)).toEqual(['RESULTS_NO_LIFECYCLE']);
    }
  });
});
