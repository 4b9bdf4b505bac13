// The AWS endpoints the service reaches, by capability: derived from the capability catalogue (the
// services of the actions each capability calls) and from what the probes that inform it call (the
// preflight reads the workgroup with Athena to check the results location, and proves Lake
// Formation's grants with an Athena query), so that a VPC with no route to the internet can be
// given exactly the endpoints it needs. docs/deployment.md carries the table (endpointTable), and
// a test fails when it drifts.
import { serviceOf } from './actions.js';
import { CAPABILITIES, type CapabilityDefinition, type CapabilityId, conditionalCoreOf } from './capabilities.js';
import { type Markers, withGenerated } from './generated.js';

/**
 * The actions the service itself calls for a capability: its core and extended actions, the
 * service's own sts:AssumeRole in role mode, a named catalog's reads and the preflight's own
 * checks. Not `relays`: those are calls AWS makes for the caller (Athena reading Glue and S3),
 * which leave AWS's network, not the VPC.
 */
export function actionsCalledBy(capability: CapabilityDefinition): string[] {
  return [...capability.core, ...capability.extended, ...conditionalCoreOf(capability), ...(capability.checkedWith ?? [])];
}

/** The AWS services (IAM prefixes, which are also the endpoints' names here) a capability calls, in the catalogue's order. */
export function servicesOf(capability: CapabilityDefinition): string[] {
  return [...new Set(actionsCalledBy(capability).map(serviceOf))];
}

/**
 * How a VPC reaches a service without the internet (AWS PrivateLink guide, "AWS services that
 * integrate with AWS PrivateLink"; Amazon VPC guide, "Gateway endpoints"): an interface endpoint
 * named com.amazonaws.<region>.<service>, or for S3 a gateway endpoint of that name (free; same
 * region only; an interface endpoint for S3 exists as well). STS is called in the connection's
 * region, never at its global endpoint, so its regional interface endpoint serves it.
 */
export interface VpcEndpoint {
  service: string;
  /** The endpoint service name, with <region> where the region goes. */
  serviceName: string;
  type: 'Interface' | 'Gateway';
}

const GATEWAY_SERVICES = new Set(['s3']);

export function vpcEndpointFor(service: string, region = '<region>'): VpcEndpoint {
  return { service, serviceName: `com.amazonaws.${region}.${service}`, type: GATEWAY_SERVICES.has(service) ? 'Gateway' : 'Interface' };
}

/** How an endpoint is set up for the service: in the deployment guide's table and in the finding of a service the VPC cannot reach. */
export function endpointSetup(endpoint: VpcEndpoint): string {
  return endpoint.type === 'Gateway'
    ? 'a gateway endpoint on the route tables of the subnets the service runs in'
    : 'an interface endpoint with private DNS, in the subnets the service runs in, its security group open to the service on 443';
}

/**
 * The ways a call never connects to its host, as a VPC with no way to a service shows them: the
 * name does not resolve (no interface endpoint with private DNS, no resolver for public names), no
 * route leads to the address (no NAT, no gateway endpoint), the connection is never answered (a
 * security group or network ACL drops it), or it is refused.
 */
export type ConnectFailure = 'dns' | 'no-route' | 'connect-timeout' | 'refused';

/**
 * What calls AWS for a capability beyond the capability's own actions: a probe, by its service and
 * the capabilities it informs (the registry is passed in: the catalogue imports no probe).
 */
export interface ServiceCaller {
  service: string;
  informs: readonly CapabilityId[];
}

/** The services a capability needs reached: its actions' first, then those its probes call. */
export function servicesFor(capability: CapabilityDefinition, callers: readonly ServiceCaller[]): string[] {
  return [...new Set([...servicesOf(capability), ...callers.filter((caller) => caller.informs.includes(capability.id)).map((caller) => caller.service)])];
}

/** Each capability and the endpoints it needs, in the catalogue's order. */
export function endpointsByCapability(callers: readonly ServiceCaller[], region?: string): Array<{ capability: CapabilityId; title: string; endpoints: VpcEndpoint[] }> {
  return CAPABILITIES.map((capability) => ({ capability: capability.id, title: capability.title, endpoints: servicesFor(capability, callers).map((service) => vpcEndpointFor(service, region)) }));
}

/** Every endpoint some capability needs, each once, in the order capabilities first need them. */
export function allEndpoints(callers: readonly ServiceCaller[], region?: string): VpcEndpoint[] {
  const seen = new Map<string, VpcEndpoint>();
  for (const { endpoints } of endpointsByCapability(callers, region)) for (const endpoint of endpoints) if (!seen.has(endpoint.service)) seen.set(endpoint.service, endpoint);
  return [...seen.values()];
}

const ENDPOINT_MARKERS: Markers = {
  start: "<!-- vpc-endpoints:start (generated from src/catalogue/capabilities.ts and the probes' services by `npm run openapi`; edit there) -->",
  end: '<!-- vpc-endpoints:end -->',
};

const endpointName = (endpoint: VpcEndpoint) => `\`${endpoint.serviceName}\`${endpoint.type === 'Gateway' ? ' (gateway)' : ''}`;

/** The Markdown of the endpoints: by capability, then each endpoint once. */
export function endpointTable(callers: readonly ServiceCaller[]): string {
  return [
    ENDPOINT_MARKERS.start,
    '| capability | AWS services it calls | VPC endpoints |',
    '|---|---|---|',
    ...endpointsByCapability(callers).map(({ capability, title, endpoints }) => `| ${title} (\`${capability}\`) | ${endpoints.map((e) => e.service).join(', ')} | ${endpoints.map(endpointName).join(', ')} |`),
    '',
    'Every capability together:',
    '',
    ...allEndpoints(callers).map((endpoint) => `- ${endpointName(endpoint)}: ${endpointSetup(endpoint)}`),
    ENDPOINT_MARKERS.end,
  ].join('\n');
}

/** A Markdown text (docs/deployment.md) with its endpoint table replaced by the catalogue's. */
export function withEndpointTable(markdown: string, callers: readonly ServiceCaller[]): string {
  return withGenerated(markdown, ENDPOINT_MARKERS, endpointTable(callers).split('\n').slice(1, -1).join('\n'));
}
