// What Athena does for its caller, with the caller's rights: every call in a forward access session
// (Glue, S3, KMS, Lake Formation), and the Glue catalog behind the data catalog a request or a
// query names (its own account's, a named catalog, another account's).
import { ATHENA_SERVICE_PRINCIPAL } from '../../iam/context.js';
import { accessDeniedMessage } from '../../iam/evaluate.js';
import { isDatabaseVisible } from '../governance.js';
import type { ScenarioDatabase } from '../scenario.js';
import { type AuthorizeOptions, AwsError, type ServiceCall } from '../types.js';
import { type CatalogRef, authorizationIn, catalogArns, namedCatalogPaths, requireShare, resolveCatalog } from './glue-catalogs.js';
import { requireCatalogKey } from './glue.js';

/** Athena's calls for its caller record Athena in aws:CalledVia. */
export const VIA_ATHENA = [ATHENA_SERVICE_PRINCIPAL] as const;

/** Whether the caller may, through Athena (a forward access session), perform an action Athena makes for it. */
export function allowedForAthena(call: ServiceCall, action: string, resource: string, options: AuthorizeOptions = {}): boolean {
  return call.isAuthorized(action, resource, { ...options, forwardedBy: VIA_ATHENA });
}

/**
 * IAM's refusal of an action Athena performs with the caller's rights (Glue, S3, Lake Formation), in
 * IAM's words; with options, on another account's resource behind its resource policy.
 */
export function refusal(call: ServiceCall, action: string, resource: string, options: AuthorizeOptions = {}): string | undefined {
  const decision = call.decide(action, resource, { ...options, forwardedBy: VIA_ATHENA });
  return decision.allowed ? undefined : accessDeniedMessage(call.caller.arn, action, resource, decision.denial);
}

/** The bucket a location names, and how a request on it is authorized (its policy, its owner). */
export function bucketOf(call: ServiceCall, name: string) {
  const bucket = call.state.scenario.s3.buckets.find((b) => b.name === name);
  return { bucket, options: { resourcePolicy: bucket?.policy, resourceAccountId: bucket?.accountId ?? call.state.accountId } };
}

/** S3's refusal as Athena's engine relays it, with S3's request ids (AWS SDK for Java's AmazonS3Exception text). */
export function s3Exception(call: ServiceCall, status: number, code: string, message: string): string {
  const extended = Buffer.from(`sandbox-${call.requestId}`).toString('base64');
  return `${message} (Service: Amazon S3; Status Code: ${status}; Error Code: ${code}; Request ID: ${call.requestId.slice(0, 16).toUpperCase().replace(/-/g, '')}; S3 Extended Request ID: ${extended}; Proxy: null), S3 Extended Request ID: ${extended}`;
}

// ---- The Glue catalog behind a data catalog ---------------------------------------------------

export interface DataCatalog {
  name: string;
  type: 'GLUE' | 'LAMBDA' | 'HIVE';
  description?: string;
  parameters?: Record<string, string>;
}

export function knownCatalog(call: ServiceCall, name: string): DataCatalog | undefined {
  // AwsDataCatalog, the account's Glue catalog, exists in every account.
  const registered = call.state.scenario.athena.dataCatalogs.find((c) => c.name === name) ?? (name === 'AwsDataCatalog' ? { name, type: 'GLUE' as const } : undefined);
  if (registered) return registered;
  // A Glue named catalog (multi-catalog) is reachable from Athena by its path, e.g.
  // `s3tablescatalog/acme-tables` (Athena User Guide, "Register S3 table bucket catalogs and query
  // Tables from Athena"). That GetDataCatalog answers for it with type GLUE and catalog-id
  // `<account>:<path>` is not documented: the sandbox's reading.
  const path = name.toLowerCase();
  if (!namedCatalogPaths(call.state).includes(path)) return undefined;
  return { name, type: 'GLUE', parameters: { 'catalog-id': `${call.state.accountId}:${path}` } };
}

/**
 * A catalog named in SQL: identifiers are case-insensitive there (`awsdatacatalog.sales.orders`),
 * unlike the API's CatalogName, which the sandbox matches as registered.
 */
export function catalogInQuery(call: ServiceCall, name: string): DataCatalog | undefined {
  const lower = name.toLowerCase();
  if (lower === 'awsdatacatalog') return knownCatalog(call, 'AwsDataCatalog');
  return call.state.scenario.athena.dataCatalogs.find((c) => c.name.toLowerCase() === lower) ?? knownCatalog(call, name);
}

/**
 * The Glue catalog a data catalog reads. A GLUE data catalog names it by its `catalog-id` parameter
 * (Athena User Guide, "Register a Data Catalog from another account": another account's catalog is
 * registered as a GLUE catalog with catalog-id = the owner's account id); AwsDataCatalog and a GLUE
 * catalog registered without one read the account's own; a named catalog's path resolves through
 * the catalog-id knownCatalog gives it. LAMBDA and HIVE catalogs read no Glue catalog in AWS; the
 * sandbox models no connector, and keeps reading the account's default catalog for them.
 */
export function glueCatalogOf(call: ServiceCall, catalog: DataCatalog): CatalogRef {
  return resolveCatalog(call.state, catalog.type === 'GLUE' ? catalog.parameters?.['catalog-id'] : undefined);
}

/** Lake Formation governance is modelled on the scenario account's default catalog, as in glue.ts. */
export function governed(ref: CatalogRef): boolean {
  return ref.owner === 'local' && !ref.path;
}

/**
 * Glue's side of a read Athena makes for the caller: IAM on each of the catalog's resources and,
 * in another account's catalog, its owner's resource policy or Lake Formation share (Athena User
 * Guide, "Configure cross-account access to AWS Glue data catalogs"; Glue Developer Guide,
 * "Granting cross-account access": the identity must be allowed by both the owner and its own
 * account). Throws Glue's error, unwrapped.
 */
export function glueAuthorize(call: ServiceCall, ref: CatalogRef, action: string, resources: readonly string[]): void {
  for (const resource of resources) {
    const why = refusal(call, action, resource, authorizationIn(call, ref, action, resource));
    if (why) throw new AwsError('AccessDeniedException', why);
  }
}

/**
 * A database Athena names, as Glue finds it: EntityNotFoundException when the catalog has none of
 * that name, Lake Formation's refusal when governance hides it (default catalog only).
 */
export function findDatabase(call: ServiceCall, ref: CatalogRef, name: string): ScenarioDatabase {
  const database = ref.databases.find((d) => d.name === name.toLowerCase());
  if (!database) throw new AwsError('EntityNotFoundException', 'Entity Not Found');
  if (governed(ref) && !isDatabaseVisible(call.state, call.caller, database.name)) {
    throw new AwsError('AccessDeniedException', `Insufficient Lake Formation permission(s): Required Describe on ${database.name}`);
  }
  return database;
}

/**
 * A read through a resource link goes on to its target, as Glue's GetTables and GetTable do
 * (Lake Formation Developer Guide, "Creating resource links": queries and Glue reads through a link
 * act on the target): the owner must share it with the caller, and the target's ARNs are checked
 * too. Throws Glue's error, unwrapped.
 */
export function throughLink(call: ServiceCall, ref: CatalogRef, database: ScenarioDatabase, action: string, resources: (arn: ReturnType<typeof catalogArns>, database: string) => string[]) {
  const link = database.targetDatabase;
  if (!link) return { ref, database };
  const target = resolveCatalog(call.state, link.catalogId);
  const name = link.name.toLowerCase();
  requireShare(call, target, name);
  glueAuthorize(call, target, action, resources(catalogArns(call.region, target), name));
  const found = target.databases.find((d) => d.name === name);
  if (!target.exists || !found) throw new AwsError('EntityNotFoundException', 'Entity Not Found');
  return { ref: target, database: found };
}

/** Glue's checks on the catalog's resources, then its key: Glue decrypts an encrypted catalog for Athena with the caller's rights too. */
export function requireGlue(call: ServiceCall, ref: CatalogRef, action: string, resources: readonly string[]): void {
  glueAuthorize(call, ref, action, resources);
  // The encryption setting modelled is the scenario account's (glue.catalogEncryption); another
  // account's catalog encryption is not.
  if (ref.owner === 'local') requireCatalogKey(call, VIA_ATHENA);
}
