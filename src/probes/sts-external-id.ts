import type { Probe } from './types.js';

/**
 * The confused-deputy check: AWS accepts an external ID that the trust policy does not require, so
 * enforcement is only proved by trying without it. Credentials obtained that way are thrown away.
 */
export const stsExternalId: Probe = {
  id: 'sts-external-id',
  service: 'sts',
  actions: [],
  informs: ['connection'],
  resources: { 'sts:AssumeRole': 'role' },
  needs: ['sts-assume-role'],
  skipWhen: ({ connection }) => {
    if (connection.credentialType !== 'role') return { reason: 'not-applicable', detail: 'no role to assume' };
    if (!connection.externalIdGiven) return { reason: 'not-applicable', detail: 'no external ID given' };
    return undefined;
  },
  async run(context) {
    const { AssumeRoleCommand } = await context.sdk('sts');
    const sts = await context.serviceClient('sts');
    const { connection } = context;
    const attempt = await context.attempt('sts:AssumeRole', (abortSignal) =>
      sts.send(new AssumeRoleCommand({ RoleArn: connection.roleArn, RoleSessionName: `preflight-${context.runId}-noext`, DurationSeconds: 900 }), { abortSignal }),
    );
    if (attempt.ok) {
      context.finding('EXTERNAL_ID_NOT_ENFORCED', { roleArn: connection.roleArn });
      return 'assumed without the external ID: not enforced';
    }
    return 'refused without the external ID: enforced';
  },
};
