// The one place SDK clients are built. HTTP agents (keep-alive, proxy, CA bundle) are shared by
// every run because they hold no credentials; clients are created per run, cheaply, with that
// run's credentials, so two runs can never see each other's identity.
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { GlueClient } from '@aws-sdk/client-glue';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity } from '@smithy/types';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { Config } from '../config.js';
import { Sha256 } from './sha256.js';

export const AWS_SERVICES = ['sts', 'glue', 'athena', 'cloudtrail', 's3', 'kms', 'lakeformation'] as const;
export type AwsService = (typeof AWS_SERVICES)[number];

export interface ClientTypes {
  sts: STSClient;
  glue: GlueClient;
  athena: AthenaClient;
  cloudtrail: CloudTrailClient;
  s3: S3Client;
  kms: KMSClient;
  lakeformation: LakeFormationClient;
}

export interface NetworkSettings {
  /** Per-service endpoint overrides (AWS_ENDPOINT_URL_<SERVICE>), then a global one (AWS_ENDPOINT_URL). */
  endpoints?: Partial<Record<AwsService, string>>;
  defaultEndpoint?: string;
  /**
   * Outbound proxy (HTTPS_PROXY / HTTP_PROXY / NO_PROXY, read at the edge). The SDK ignores those
   * variables: every client, the role-assuming STS client included, gets a handler that uses them.
   */
  proxy?: { httpsProxy?: string; httpProxy?: string; noProxy?: string };
  /** PEM bundle for TLS-intercepting proxies. */
  caBundle?: string | Buffer;
  s3ForcePathStyle?: boolean;
  connectionTimeoutMs?: number;
  /**
   * A socket silent for this long is closed, the body being read included. The engine's abort
   * signals come first; this bounds what a caller forgets to put under one (default 10 s).
   */
  socketTimeoutMs?: number;
  maxSockets?: number;
  /** How long a request may wait for a free socket before the handler warns (the SDK's default: 5 s here). */
  socketWarningMs?: number;
  /** Where the HTTP handler's warnings go (sockets exhausted under load); the SDK's default is the console. */
  logger?: { warn(message: string): void };
}

/** The way a service's calls take out of the process, in the operator's terms (never from a request). */
export interface ServiceRoute {
  /** The endpoint the calls go to, by its origin (scheme, host, port). */
  endpoint: string;
  /** The operator set it (AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL) rather than AWS's regional default. */
  configured: boolean;
  /**
   * The proxy the calls pass through, by its host and port only (a proxy URL can carry a password),
   * and the variable that named it; absent when there is none or NO_PROXY bypasses it.
   */
  proxy?: { host: string; variable: 'HTTPS_PROXY' | 'HTTP_PROXY' };
}

export interface ClientFactory {
  /** A client for `service` in `region` that signs with exactly these credentials. */
  create<S extends AwsService>(service: S, region: string, credentials: AwsCredentialIdentity): Promise<ClientTypes[S]>;
  /** The SDK module of a service (its commands), loaded once and then shared. */
  sdk<S extends AwsService>(service: S): Promise<ClientModules[S]>;
  /** Loads every client module now (in the background after start) so that no run waits for it. */
  preload(): Promise<void>;
  /** The endpoint a service resolves to when overridden, for error messages (never from the request). */
  endpointOf(service: AwsService, region: string): string;
  /** Where a service's calls go: its endpoint and the proxy they pass through, to name what an unreachable service lacks. */
  routeOf(service: AwsService, region: string): ServiceRoute;
  destroy(): void;
}

const EXPLICIT_SETTINGS = {
  useFipsEndpoint: false,
  useDualstackEndpoint: false,
  retryMode: 'standard',
  defaultsMode: 'standard',
  ignoreConfiguredEndpointUrls: true,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
  disableRequestCompression: true,
  accountIdEndpointMode: 'disabled',
  sigv4aSigningRegionSet: [],
  authSchemePreference: [],
  userAgentAppId: 'preflight',
} as const;

/** The SDK module of each service: its client class and its commands. */
export interface ClientModules {
  sts: typeof import('@aws-sdk/client-sts');
  glue: typeof import('@aws-sdk/client-glue');
  athena: typeof import('@aws-sdk/client-athena');
  cloudtrail: typeof import('@aws-sdk/client-cloudtrail');
  s3: typeof import('@aws-sdk/client-s3');
  kms: typeof import('@aws-sdk/client-kms');
  lakeformation: typeof import('@aws-sdk/client-lakeformation');
}

type ClientConstructor = new (config: Record<string, unknown>) => { destroy(): void };

/**
 * Steps of every SDK call that do nothing for us but cost CPU on each one (the SDK's own CPU is most
 * of a preflight's): the logger step builds a redacted copy of every input and output for a logger
 * we never give it; recursion detection reads Lambda's environment. (The retry step stays, though
 * retries are ours: the signing step is anchored to it.)
 */
const UNUSED_MIDDLEWARE = ['loggerMiddleware', 'recursionDetectionMiddleware'];

// Importing all seven clients costs a few hundred milliseconds; load each on first use. Once
// loaded, a module is handed out from the cache: a dynamic import() per call is not free.
const loaders: { [S in AwsService]: () => Promise<ClientModules[S]> } = {
  sts: () => import('@aws-sdk/client-sts'),
  glue: () => import('@aws-sdk/client-glue'),
  athena: () => import('@aws-sdk/client-athena'),
  cloudtrail: () => import('@aws-sdk/client-cloudtrail'),
  s3: () => import('@aws-sdk/client-s3'),
  kms: () => import('@aws-sdk/client-kms'),
  lakeformation: () => import('@aws-sdk/client-lakeformation'),
};

const CLIENT_CLASS: Record<AwsService, string> = {
  sts: 'STSClient',
  glue: 'GlueClient',
  athena: 'AthenaClient',
  cloudtrail: 'CloudTrailClient',
  s3: 'S3Client',
  kms: 'KMSClient',
  lakeformation: 'LakeFormationClient',
};

const clientClassOf = (service: AwsService, module: ClientModules[AwsService]): ClientConstructor =>
  (module as unknown as Record<string, ClientConstructor>)[CLIENT_CLASS[service]]!;

export function createClientFactory(settings: NetworkSettings = {}): ClientFactory {
  const maxSockets = settings.maxSockets ?? 256;
  const tls = settings.caBundle ? { ca: settings.caBundle } : {};
  const socketTimeout = settings.socketTimeoutMs ?? 10_000;
  const handlerOptions = {
    // Deadlines are enforced per call with abort signals; the handler bounds connecting, waiting
    // for an answer and a silent socket, so that nothing depends on a signal alone.
    connectionTimeout: settings.connectionTimeoutMs ?? 3000,
    requestTimeout: socketTimeout,
    throwOnRequestTimeout: true,
    socketTimeout,
    ...(settings.socketWarningMs !== undefined ? { socketAcquisitionWarningTimeout: settings.socketWarningMs } : {}),
    ...(settings.logger ? { logger: { debug() {}, info() {}, warn: (message: string) => settings.logger!.warn(message), error: (message: string) => settings.logger!.warn(message) } } : {}),
  };
  const direct = new NodeHttpHandler({
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets, ...tls }),
    ...handlerOptions,
  });
  const proxyUrl = settings.proxy?.httpsProxy ?? settings.proxy?.httpProxy;
  const proxied = proxyUrl
    ? new NodeHttpHandler({
        httpAgent: new HttpProxyAgent(settings.proxy?.httpProxy ?? proxyUrl, { keepAlive: true, maxSockets }),
        httpsAgent: new TunnelAgent(proxyUrl, { keepAlive: true, maxSockets, ...tls }, tls),
        ...handlerOptions,
      })
    : undefined;
  const modules = new Map<AwsService, Promise<ClientModules[AwsService]>>();

  const endpointFor = (service: AwsService) => settings.endpoints?.[service] ?? settings.defaultEndpoint;
  /** The one rule for which calls pass through the proxy: all of them, but for hosts NO_PROXY names. */
  const routeOf = (service: AwsService, region: string): ServiceRoute => {
    const configured = endpointFor(service);
    const endpoint = new URL(configured ?? defaultEndpoint(service, region));
    const route = { endpoint: endpoint.origin, configured: configured !== undefined };
    if (!proxyUrl || bypassesProxy(endpoint.hostname, settings.proxy?.noProxy)) return route;
    // As the handler's agents choose: HTTP_PROXY for plain-HTTP endpoints when it is set, else HTTPS_PROXY's URL.
    const viaHttpProxy = endpoint.protocol === 'http:' ? settings.proxy?.httpProxy !== undefined : settings.proxy?.httpsProxy === undefined;
    const url = viaHttpProxy ? settings.proxy!.httpProxy! : proxyUrl;
    return { ...route, proxy: { host: new URL(url).host, variable: viaHttpProxy ? 'HTTP_PROXY' : 'HTTPS_PROXY' } };
  };
  const handlerFor = (service: AwsService, region: string) => (proxied && routeOf(service, region).proxy ? proxied : direct);

  const load = <S extends AwsService>(service: S): Promise<ClientModules[S]> => {
    let loading = modules.get(service);
    if (!loading) {
      loading = loaders[service]();
      modules.set(service, loading);
    }
    return loading as Promise<ClientModules[S]>;
  };

  return {
    async preload() {
      // One module at a time, yielding between them: each is evaluated synchronously, and the
      // process must keep answering (health checks, the first preflight) while this runs.
      for (const service of AWS_SERVICES) {
        await new Promise((resolve) => setImmediate(resolve));
        await load(service);
      }
    },
    sdk: load,
    async create(service, region, credentials) {
      const Client = clientClassOf(service, await load(service));
      const endpoint = endpointFor(service);
      const client: { middlewareStack: { remove(name: string): boolean } } = new Client({
        region,
        credentials,
        requestHandler: handlerFor(service, region),
        // Everything the SDK would otherwise look up in the environment and ~/.aws for every new
        // client (a per-run cost, and reads that belong to the process edge) is given here.
        ...EXPLICIT_SETTINGS,
        // Retries are ours (throttling only, within the run's deadline): see preflight/engine.ts.
        maxAttempts: 1,
        sha256: Sha256,
        ...(endpoint ? { endpoint } : {}),
        ...(service === 's3' ? { forcePathStyle: settings.s3ForcePathStyle ?? Boolean(endpoint), followRegionRedirects: false } : {}),
        ...(service === 'sts' ? { useGlobalEndpoint: false } : {}),
      }) as never;
      for (const name of UNUSED_MIDDLEWARE) client.middlewareStack.remove(name);
      return client as unknown as ClientTypes[typeof service];
    },
    endpointOf(service, region) {
      return endpointFor(service) ?? defaultEndpoint(service, region);
    },
    routeOf,
    destroy() {
      direct.destroy();
      proxied?.destroy();
    },
  };
}

/**
 * https-proxy-agent applies its options to the connection to the proxy only: through the CONNECT
 * tunnel, TLS to AWS would be verified against the default CAs, and a CA bundle for a
 * TLS-intercepting proxy would be ignored exactly where it is needed.
 */
class TunnelAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: string,
    options: ConstructorParameters<typeof HttpsProxyAgent<string>>[1],
    private readonly endpointTls: { ca?: string | Buffer },
  ) {
    super(proxy, options);
  }

  override connect(request: Parameters<HttpsProxyAgent<string>['connect']>[0], options: Parameters<HttpsProxyAgent<string>['connect']>[1]) {
    return super.connect(request, { ...options, ...this.endpointTls });
  }
}

/** The network settings of a validated configuration (the CA bundle read once, at the edge's start). */
export function networkSettings(aws: Config['aws']): NetworkSettings {
  return {
    defaultEndpoint: aws.defaultEndpoint,
    endpoints: aws.endpoints,
    s3ForcePathStyle: aws.s3ForcePathStyle,
    caBundle: aws.caBundleFile ? readFileSync(aws.caBundleFile) : undefined,
    proxy: { httpsProxy: aws.httpsProxy, httpProxy: aws.httpProxy, noProxy: aws.noProxy },
  };
}

function defaultEndpoint(service: AwsService, region: string): string {
  return `https://${service}.${region}.amazonaws.com`;
}

/** NO_PROXY as curl reads it: "*", host names, ".suffix" or "suffix" domain matches, optional ports ignored. */
export function bypassesProxy(host: string, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const name = host.toLowerCase();
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      const pattern = entry.toLowerCase().replace(/:\d+$/, '').replace(/^\*?\./, '');
      return entry === '*' || name === pattern || name.endsWith(`.${pattern}`);
    });
}
