import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { ProbeDefinition } from './types.js';

/** Role mode: the service's own identity assumes the customer's role with the external ID. */
export const stsAssumeRole: ProbeDefinition = {
  id: 'sts-assume-role',
  service: 'sts',
  actions: ['sts:AssumeRole'],
  informs: ['connection'],
  dependsOn: [],
  requires: [],
  skipUnless: ({ connection }) =>
    connection.credentialType === 'role' ? undefined : { reason: 'not-applicable', detail: `${connection.credentialType} credentials: no role to assume` },
  async run(context) {
    const sts = await context.serviceClient('sts');
    const { connection } = context;
    if (!connection.externalIdGiven) {
      context.finding({
        code: 'EXTERNAL_ID_NOT_GIVEN',
        severity: 'medium',
        message: 'No external ID was given for the role: nothing distinguishes this customer\'s requests from another\'s naming the same role (the confused-deputy problem).',
        remediation: 'Require an external ID in the role\'s trust policy ("Condition": {"StringEquals": {"sts:ExternalId": "<id>"}}) and give it in the connection.',
      });
    }
    const answer = await context.call('sts:AssumeRole', (abortSignal) =>
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
