import type { Probe } from './types.js';

/** Who the credentials are, and whether they reach the account the customer named. */
export const stsCallerIdentity: Probe = {
  id: 'sts-caller-identity',
  service: 'sts',
  actions: ['sts:GetCallerIdentity'],
  informs: ['connection'],
  resources: { 'sts:GetCallerIdentity': 'any-resource' },
  roles: { connection: { core: ['sts:GetCallerIdentity'] } },
  needs: ['sts-assume-role'],
  async run(context) {
    const identity = await context.send('sts:GetCallerIdentity', 'GetCallerIdentityCommand', {});
    context.facts.identity = { accountId: identity.Account ?? '', arn: identity.Arn ?? '', userId: identity.UserId ?? '' };
    if (identity.Account !== context.connection.accountId) {
      context.finding('ACCOUNT_MISMATCH', { account: identity.Account, expected: context.connection.accountId });
      context.fail('sts:GetCallerIdentity', { code: 'ACCOUNT_MISMATCH', category: 'config', message: `credentials of account ${identity.Account}, expected ${context.connection.accountId}` });
    }
    return identity.Arn;
  },
};
