// A service the run could not connect to at all: from a VPC, the mark of an endpoint it lacks (or
// of a proxy that does not let the calls out). Derived once the probes ran, from the errors their
// calls recorded, one finding per service however many probes met it: each probe only sees its own
// call fail, and would say the same thing as every other.
import { AWS_SERVICES, type AwsService, type ServiceRoute } from '../aws/clients.js';
import { serviceOf } from '../catalogue/actions.js';
import { renderFinding } from '../catalogue/findings.js';
import type { ClassifiedError } from './classify.js';
import type { Finding } from './types.js';

/** One call's failure, by the probe that made it. */
export interface CallFailure {
  probe: string;
  action: string;
  error: ClassifiedError;
}

const isAwsService = (service: string): service is AwsService => (AWS_SERVICES as readonly string[]).includes(service);

/**
 * A SERVICE_UNREACHABLE finding for each service a call of which never connected (its name did not
 * resolve, no route, no connection in time, refused), in the order the probes met them. A TLS
 * refusal or a reset connection is no sign of a missing endpoint: those connected. `routeOf` names
 * the way the service's calls took (its endpoint, the proxy), from the operator's settings.
 */
export function unreachableFindings(failures: Iterable<CallFailure>, region: string, routeOf: (service: AwsService) => ServiceRoute): Finding[] {
  const byService = new Map<AwsService, { first: CallFailure; actions: string[] }>();
  for (const failure of failures) {
    if (failure.error.category !== 'network' || !failure.error.connectFailure) continue;
    const service = serviceOf(failure.action);
    if (!isAwsService(service)) continue;
    const seen = byService.get(service);
    if (!seen) byService.set(service, { first: failure, actions: [failure.action] });
    else if (!seen.actions.includes(failure.action)) seen.actions.push(failure.action);
  }
  return [...byService].map(([service, { first, actions }]) => {
    const route = routeOf(service);
    const finding = renderFinding('SERVICE_UNREACHABLE', {
      service,
      region,
      failure: first.error.connectFailure!,
      errorCode: first.error.code,
      ...(first.error.host ? { host: first.error.host } : {}),
      actions,
      ...(route.configured ? { configuredEndpoint: route.endpoint } : {}),
      ...(route.proxy ? { proxy: route.proxy } : {}),
    });
    return { ...finding, probe: first.probe };
  });
}
