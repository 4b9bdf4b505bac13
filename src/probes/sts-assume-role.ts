import { EXTERNAL_ID_PLACEHOLDER, SERVICE_PRINCIPAL_PLACEHOLDER, buildTrustPolicy } from '../catalogue/remediation.js';
import { iamPrincipalOf } from './support.js';
import { type Probe, isCategory } from './types.js';

/** Role mode: the service's own identity assumes the customer's role with the external ID. */
export const stsAssumeRole: Probe = {
  id: 'sts-assume-role',
  service: 'sts',
  actions: ['sts:AssumeRole'],
  informs: ['connection'],
  needs: [],
  skipWhen: ({ connection }) =>
    connection.credentialType === 'role' ? undefined : { reason: 'not-applicable', detail: `${connection.credentialType} credentials: no role to assume` },
  async run(context) {
    const { AssumeRoleCommand, GetCallerIdentityCommand } = await context.sdk('sts');
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
        const trusted = caller ? iamPrincipalOf(caller) : undefined;
        if (trusted) context.facts.servicePrincipalArn = trusted;
        const trust = buildTrustPolicy({ trustedPrincipalArn: trusted ?? SERVICE_PRINCIPAL_PLACEHOLDER, externalId: EXTERNAL_ID_PLACEHOLDER });
        const path = trusted && caller !== trusted ? ` If the service's role has a path, write it into the ARN (arn:aws:iam::<account>:role/<path>/<name>).` : '';
        context.finding({
          code: 'ASSUME_ROLE_DENIED',
          severity: 'high',
          message: `The service (${trusted ?? 'its principal could not be read'}) could not assume ${connection.roleArn}: the role does not exist, its trust policy does not name the service, or the external ID does not match.`,
          remediation: `Check the role ARN and give the role this trust policy (report.remediation.trustPolicy), with your external ID in place of ${EXTERNAL_ID_PLACEHOLDER}: ${JSON.stringify(trust)}.${path}`,
        });
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
