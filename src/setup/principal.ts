// The principal a customer's role must trust when PREFLIGHT_TRUSTED_PRINCIPAL does not say: the
// service's own identity, asked of STS (sts:GetCallerIdentity needs no permission) on the first
// POST /setup rather than at start, so that a start never waits for AWS. Trust policies name
// principals, never sessions: an assumed-role session becomes its role's ARN.
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { ClientFactory } from '../aws/clients.js';

export interface FoundPrincipal {
  principal: string;
  /** Read from a role session's ARN, which leaves out the role's path: right only for a role without one. */
  pathUnknown: boolean;
}

/** The IAM principal to trust for a caller ARN, and whether the role's path is unknown. */
export function principalFromCaller(callerArn: string): FoundPrincipal {
  // As the catalogue's iamPrincipalOf reads a session (written here too: that helper is moving between modules).
  const session = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  return session ? { principal: `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`, pathUnknown: true } : { principal: callerArn, pathUnknown: false };
}

const TIMEOUT_MS = 5000;

/**
 * A finder that asks STS once who the service is (in the region of the setup asked for, where the
 * service must reach STS anyway to assume the role) and then remembers it; a failure is not
 * remembered, so the next setup asks again. Undefined when STS cannot tell.
 */
export function trustedPrincipalFinder(deps: { clients: ClientFactory; serviceCredentials: AwsCredentialIdentityProvider }, onFound?: (found: FoundPrincipal) => void) {
  let found: Promise<FoundPrincipal> | undefined;
  return async (region: string): Promise<FoundPrincipal | undefined> => {
    found ??= (async () => {
      const sts = await deps.clients.create('sts', region, deps.serviceCredentials as unknown as AwsCredentialIdentity);
      const { GetCallerIdentityCommand } = await deps.clients.sdk('sts');
      const identity = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!identity.Arn) throw new Error('GetCallerIdentity answered no ARN');
      const result = principalFromCaller(identity.Arn);
      onFound?.(result);
      return result;
    })();
    try {
      return await found;
    } catch {
      found = undefined;
      return undefined;
    }
  };
}
