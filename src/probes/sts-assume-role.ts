import { iamPrincipalOf } from '../catalogue/resources.js';
import { type Probe, isCategory } from './types.js';

/** Role mode: the service's own identity assumes the customer's role with the external ID. */
export const stsAssumeRole: Probe = {
  id: 'sts-assume-role',
  service: 'sts',
  actions: ['sts:AssumeRole'],
  informs: ['connection'],
  resources: { 'sts:AssumeRole': 'role' },
  // Called by the service's own identity, never granted by the customer's policy (catalogue/capabilities.ts, assumeRoleAction).
  roles: { connection: { roleModeCore: ['sts:AssumeRole'] } },
  needs: [],
  skipWhen: ({ connection }) =>
    connection.credentialType === 'role' ? undefined : { reason: 'not-applicable', detail: `${connection.credentialType} credentials: no role to assume` },
  async run(context) {
    const { AssumeRoleCommand, GetCallerIdentityCommand } = await context.sdk('sts');
    const sts = await context.serviceClient('sts');
    const { connection } = context;
    if (!connection.externalIdGiven) {
      context.finding('EXTERNAL_ID_NOT_GIVEN');
    }
    let answer;
    try {
      answer = await context.call('sts:AssumeRole', (abortSignal) =>
        sts.send(
          new AssumeRoleCommand({
            RoleArn: connection.roleArn,
            RoleSessionName: connection.sessionName ?? `preflight-${context.runId}`,
            ExternalId: context.externalId(),
            DurationSeconds: 900,
          }),
          { abortSignal },
        ),
      );
    } catch (error) {
      // AWS says the same AccessDenied for a wrong external ID, an untrusted principal and a missing
      // role; the fix is the trust policy, so name the principal it must trust.
      if (isCategory(error, 'permission')) {
        const self = await context.attempt('sts:GetCallerIdentity', (abortSignal) => sts.send(new GetCallerIdentityCommand({}), { abortSignal }));
        const caller = self.ok ? self.value.Arn : undefined;
        if (caller) context.facts.servicePrincipalArn = iamPrincipalOf(caller);
        context.finding('ASSUME_ROLE_DENIED', { roleArn: connection.roleArn, serviceArn: caller });
      }
      throw error;
    }
    const credentials = answer.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
    context.useCredentials({
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: credentials.Expiration,
    });
    return `assumed as ${answer.AssumedRoleUser?.Arn ?? 'the role'}`;
  },
};
