// The request-context keys that say where a request comes from and who makes it, for the two kinds of
// request a principal's rights are checked on: the ones it makes itself, from its network, and the
// ones a service (Athena) makes on its behalf with a forward access session. Shared by the engine,
// which evaluates bucket policies for both, and the sandbox, which answers both.
import type { ConditionValue } from './evaluate.js';

/** Athena's service principal, the value it puts in aws:CalledVia. */
export const ATHENA_SERVICE_PRINCIPAL = 'athena.amazonaws.com';

/** Where a caller's own requests come from: a public address, or a VPC endpoint in a VPC. */
export interface CallerNetwork {
  /** The public address a request comes from (aws:SourceIp). */
  sourceIp?: string;
  /** The VPC endpoint a request comes through (aws:SourceVpce), e.g. an S3 gateway endpoint. */
  sourceVpce?: string;
  /** The VPC of that endpoint (aws:SourceVpc). */
  sourceVpc?: string;
  /** The caller's private address in that VPC (aws:VpcSourceIp). */
  vpcSourceIp?: string;
}

/**
 * A request the caller makes itself (IAM User Guide, "AWS global condition context keys"):
 * aws:ViaAWSService is always in the context and false; through a VPC endpoint the request carries
 * aws:SourceVpce, aws:SourceVpc and aws:VpcSourceIp and no aws:SourceIp ("If the request comes from
 * a host that uses an Amazon VPC endpoint, then the aws:SourceIp key is not available"); otherwise
 * aws:SourceIp alone.
 */
export function directRequestContext(network: CallerNetwork): Record<string, ConditionValue> {
  const context: Record<string, ConditionValue> = { 'aws:ViaAWSService': 'false' };
  if (network.sourceVpce) {
    context['aws:SourceVpce'] = network.sourceVpce;
    if (network.sourceVpc) context['aws:SourceVpc'] = network.sourceVpc;
    if (network.vpcSourceIp) context['aws:VpcSourceIp'] = network.vpcSourceIp;
  } else if (network.sourceIp) {
    context['aws:SourceIp'] = network.sourceIp;
  }
  return context;
}

/**
 * A request a service makes with the caller's rights (IAM User Guide, "Forward access sessions" and
 * "AWS global condition context keys"): aws:ViaAWSService is true; a service that supports
 * aws:CalledVia (Athena does: Athena User Guide, "Use CalledVia context keys for Athena") puts its
 * principal in aws:CalledVia, aws:CalledViaFirst and aws:CalledViaLast; and none of the caller's
 * network keys are there, since the request comes from the service, not from the caller's network
 * (Athena User Guide, "Control access to Amazon S3 from Athena": "requests to Amazon S3 come from a
 * private IPv4 address for Athena ... you also cannot restrict or allow access to Amazon S3
 * resources based on the aws:SourceVpc or aws:SourceVpce condition keys"). A VPC endpoint policy
 * does not see such a request either. `callingServices` lists the services that record themselves,
 * first to last; a service that does not (S3 calling KMS) adds nothing but aws:ViaAWSService.
 */
export function forwardAccessContext(callingServices: readonly string[] = []): Record<string, ConditionValue> {
  const context: Record<string, ConditionValue> = { 'aws:ViaAWSService': 'true' };
  if (callingServices.length > 0) {
    context['aws:CalledVia'] = [...callingServices];
    context['aws:CalledViaFirst'] = callingServices[0];
    context['aws:CalledViaLast'] = callingServices.at(-1);
  }
  return context;
}
