// A validated request turned into what the probes work with: defaults applied, the output
// location parsed, the requested and required capabilities resolved.
import { CAPABILITIES, type CapabilityId } from '../catalogue/capabilities.js';
import type { PreflightRequest } from './request.js';

export interface S3Location {
  bucket: string;
  /** '' or a prefix ending in '/'. */
  prefix: string;
  uri: string;
}

export interface ResolvedConnection {
  region: string;
  accountId: string;
  credentialType: 'accessKey' | 'role' | 'ambient';
  roleArn?: string;
  externalIdGiven: boolean;
  sessionName?: string;
  accessKeyId?: string;
  workgroup: string;
  catalog: string;
  /** What Glue's CatalogId parameter gets: an account id, or `<account>:<path>` for a catalog under an account's root. */
  catalogId: string;
  /** The account that owns the Glue catalog: its ARNs, its resource policy, its Lake Formation grants. */
  catalogOwner: string;
  /** The catalog's path under its owner's root catalog (s3tablescatalog/bucket); absent: the root, default catalog. */
  catalogName?: string;
  databases: string[];
  outputLocation?: S3Location;
  requested: ReadonlySet<CapabilityId>;
  required: ReadonlySet<CapabilityId>;
  runQuery: boolean;
  writeTest: boolean;
  timeoutMs: number;
}

export const DEFAULT_TIMEOUT_MS = 20_000;

export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new Error(`not an S3 URI: ${uri}`);
  const bucket = match[1]!;
  const rawPrefix = match[2]!;
  const prefix = rawPrefix === '' || rawPrefix.endsWith('/') ? rawPrefix : `${rawPrefix}/`;
  return { bucket, prefix, uri: `s3://${bucket}/${prefix}` };
}

export function resolveConnection(request: PreflightRequest, limits: { maxRunMs: number }): ResolvedConnection {
  const requested = new Set<CapabilityId>(request.capabilities ?? CAPABILITIES.filter((c) => c.requestedByDefault).map((c) => c.id));
  requested.add('connection');
  const required = new Set<CapabilityId>(request.required ?? ['connection', 'metadata']);
  required.add('connection');
  const credentials = request.credentials;
  return {
    region: request.region,
    accountId: request.accountId,
    credentialType: credentials.type,
    roleArn: credentials.type === 'role' ? credentials.roleArn : undefined,
    externalIdGiven: credentials.type === 'role' && credentials.externalId !== undefined,
    sessionName: credentials.type === 'role' ? credentials.sessionName : undefined,
    accessKeyId: credentials.type === 'accessKey' ? credentials.accessKeyId : undefined,
    workgroup: request.athena?.workgroup ?? 'primary',
    catalog: request.athena?.catalog ?? 'AwsDataCatalog',
    ...parseCatalogSelection(request.glue?.catalogId, request.accountId),
    databases: request.glue?.databases ?? [],
    outputLocation: request.athena?.outputLocation ? parseS3Uri(request.athena.outputLocation) : undefined,
    requested,
    required,
    runQuery: request.options?.runQuery ?? false,
    writeTest: request.options?.writeTest ?? true,
    timeoutMs: Math.min(request.options?.timeoutMs ?? DEFAULT_TIMEOUT_MS, limits.maxRunMs),
  };
}

/**
 * A catalog selection (an account id, `<account>:<path>`, `<path>` under the connection's account,
 * or a catalog ARN) as Glue's CatalogId, its owner, and its path under the owner's root catalog.
 */
export function parseCatalogSelection(selection: string | undefined, accountId: string): Pick<ResolvedConnection, 'catalogId' | 'catalogOwner' | 'catalogName'> {
  if (!selection) return { catalogId: accountId, catalogOwner: accountId };
  const arn = /^arn:[\w-]+:glue:[\w-]+:(\d{12}):catalog(?:\/(.+))?$/.exec(selection);
  const [owner, path] = arn ? [arn[1]!, arn[2]] : /^\d{12}$/.test(selection) ? [selection, undefined] : /^(\d{12}):(.+)$/.exec(selection)?.slice(1) ?? [accountId, selection];
  // `catalog/<path>` is the ARN's resource part, pasted as it is: the catalog is <path>.
  const name = path?.replace(/^catalog\//, '');
  return name ? { catalogId: `${owner}:${name}`, catalogOwner: owner!, catalogName: name } : { catalogId: owner!, catalogOwner: owner! };
}

/** An access key id shown only by its first four and last four characters. */
export function maskAccessKeyId(accessKeyId: string): string {
  return accessKeyId.length <= 8 ? '****' : `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}
