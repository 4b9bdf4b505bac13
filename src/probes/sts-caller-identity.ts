import type { ProbeDefinition } from './types.js';

/** Who the credentials are, and whether they reach the account the customer named. */
export const stsCallerIdentity: ProbeDefinition = {
  id: 'sts-caller-identity',
  service: 'sts',
  actions: ['sts:GetCallerIdentity'],
  informs: ['connection'],
  dependsOn: ['sts-assume-role'],
  requires: ['sts-assume-role'],
  async run(context) {
    const { GetCallerIdentityCommand } = await context.sdk('sts');
    const sts = await context.client('sts');
    const identity = await context.call('sts:GetCallerIdentity', (abortSignal) => sts.send(new GetCallerIdentityCommand({}), { abortSignal }));
    context.facts.identity = { accountId: identity.Account ?? '', arn: identity.Arn ?? '', userId: identity.UserId ?? '' };
    if (identity.Account !== context.connection.accountId) {
      context.finding({
        code: 'ACCOUNT_MISMATCH',
        severity: 'high',
        message: `The credentials belong to account ${identity.Account}, not to ${context.connection.accountId} as the connection says.`,
        remediation: 'Use credentials of the account that holds the Glue catalog and Athena workgroup, or correct the account id.',
      });
      context.fail('sts:GetCallerIdentity', { code: 'ACCOUNT_MISMATCH', category: 'config', message: `credentials of account ${identity.Account}, expected ${context.connection.accountId}` });
    }
    return identity.Arn;
  },
};
