// What a policy document must allow for each capability, as the requests AWS authorizes: the
// resources it checks for one call (Glue: the catalog and every ancestor as well) and the condition
// keys the call carries. Derived from the grants (resources.ts), which name what a complete grant
// must cover, with the few places where AWS checks less than that written out below. Also the
// requests that reveal an over-grant, and the words for what a policy document cannot show.
import type { AwsAction } from './actions.js';
import type { ApplicabilityFact, CapabilityDefinition, CapabilityId } from './capabilities.js';
import { type Grant, type ResourceScope, grantsFor } from './resources.js';

/** The condition keys a request carries: what a grant's condition was written for. */
export type RequestKeys = Record<string, string | string[]>;

/** One resource AWS checks for a call, with the keys the call carries there. */
export interface CheckedResource {
  resource: string;
  keys: RequestKeys;
}

/**
 * The ARN as a request names it. A grant writes a name the customer gave as a literal (`${*}` for a
 * `*` in it); a name nobody gave stays `*`, which a request here reads as "every one": only a
 * statement that grants every such resource matches it (IAM's `*` matches the character `*`; a
 * statement naming some databases does not).
 */
const requested = (arn: string) => arn.replace(/\$\{([*?$])\}/g, '$1');

/**
 * The keys a request carries, read from the condition a grant was written with: its first value for
 * each key (s3:prefix the location's prefix, kms:ViaService the service that uses the key). An alias
 * condition (kms:ResourceAliases, ForAnyValue) carries every alias listed.
 */
function keysOf(grant: Grant): RequestKeys {
  const keys: RequestKeys = {};
  for (const [operator, entries] of Object.entries(grant.condition ?? {})) {
    for (const [key, value] of Object.entries(entries)) {
      const values = Array.isArray(value) ? value : [value];
      keys[key] = operator.startsWith('ForAnyValue:') ? [...values] : values[0]!;
    }
  }
  return keys;
}

const isTable = (arn: string) => /:table\//.test(arn);

/**
 * Where AWS checks less than a complete grant names. A Glue listing is checked on its catalog and
 * leaves out what the caller may not read ("Filter tables by GetTables permission", Glue Developer
 * Guide): for the databases the product reads it must allow database/<name>, not every database.
 * GetDatabase reads the databases named; Athena's lookup of `default`, which a complete grant adds
 * (resources.ts), is a query's (see `forQuery`). GetCatalogs is checked on the root catalog alone
 * (Service Authorization Reference: rootcatalog required, catalog optional).
 */
function checkedGrants(action: AwsAction, scope: ResourceScope, forQuery: boolean): Grant[] {
  switch (action) {
    case 'glue:GetDatabases':
      return grantsFor('glue:GetTables', scope).filter((grant) => !isTable(grant.arn));
    case 'glue:GetDatabase':
      return forQuery ? grantsFor(action, scope) : grantsFor('glue:GetTables', scope).filter((grant) => !isTable(grant.arn));
    case 'glue:GetCatalogs':
      return grantsFor(action, scope).filter((grant) => grant.arn.endsWith(':catalog'));
    default:
      return grantsFor(action, scope);
  }
}

/**
 * The resources AWS checks when the product (or Athena for a query, `forQuery`) calls `action` in
 * this scope, each with the keys the call carries there. Every one must be allowed for the call to go
 * through.
 */
export function checkedResources(action: AwsAction, scope: ResourceScope, forQuery = false): CheckedResource[] {
  return checkedGrants(action, scope, forQuery).map((grant) => ({ resource: requested(grant.arn), keys: keysOf(grant) }));
}

/**
 * What S3 asks KMS for on the caller's behalf when an object is written or read under SSE-KMS: a
 * write needs kms:GenerateDataKey, a read kms:Decrypt, on the object's key (S3 User Guide, "Using
 * server-side encryption with AWS KMS keys (SSE-KMS)", permissions). S3 sends kms:ViaService with
 * them, which resources.ts's grants for such keys carry.
 */
export const S3_KMS_CALLS: Partial<Record<AwsAction, AwsAction>> = { 's3:PutObject': 'kms:GenerateDataKey', 's3:GetObject': 'kms:Decrypt' };

/**
 * The capabilities Athena also takes for the caller with a forward access session: it writes and
 * reads query results and reads a table's data with the caller's rights (Athena User Guide, "Control
 * access to Amazon S3 from Athena"). Their actions are judged as the product's own requests and as
 * Athena's.
 */
export const ATHENA_TAKES: readonly CapabilityId[] = ['query-results', 'table-data'];

/**
 * What a policy document cannot show, per capability: who else must allow, or what else decides.
 * Coverage is a claim about the documents given, never a preflight.
 */
export const BEYOND_THE_DOCUMENT: Partial<Record<CapabilityId, readonly string[]>> = {
  connection: ["In role mode the role's trust policy must let the service assume it, with the external ID: a trust policy is not an identity policy."],
  metadata: ['Lake Formation hides the databases and tables it governs from a principal without its grants (DESCRIBE); an encrypted Data Catalog needs kms:Decrypt on its key, and another account\'s catalog its resource policy.'],
  partitions: ['Lake Formation hides the tables it governs from a principal without its grants.'],
  'schema-history': ['Lake Formation hides the tables it governs from a principal without its grants.'],
  functions: ['Lake Formation hides the databases it governs from a principal without its grants.'],
  search: ['Glue search leaves out what Lake Formation hides from the principal.'],
  'athena-catalog': ['Athena reads the Glue Data Catalog with the caller\'s rights: Lake Formation and an encrypted catalog\'s key apply as for metadata.'],
  'query-results': ["The results bucket's policy (and a VPC endpoint's) must admit the writes, Athena's own included (they carry aws:CalledVia athena.amazonaws.com and none of the caller's network keys); a KMS key's policy must let the principal use it."],
  'query-execution': ["A query reads the tables' data with the caller's rights: their buckets' policies, their keys' policies and Lake Formation (SELECT) decide too."],
  encryption: ["The key's policy must let the principal use the key (or delegate to IAM): a key policy is not an identity policy."],
  'lake-formation': ['Lake Formation grants (DESCRIBE on the databases, SELECT on the tables) are not IAM statements: no policy document shows them.'],
  'table-data': ["The data bucket's policy must admit the reads, Athena's own included; an SSE-KMS object needs kms:Decrypt on its key, whose policy must allow it."],
};

/**
 * When a capability that applies only in some accounts is needed, by the catalogue's applicability
 * fact (capabilities.ts): no policy document shows whether the account has the key or the tables.
 */
export const APPLIES_WHEN: Partial<Record<ApplicabilityFact, string>> = {
  'results-kms-key':
    "Needed only where a KMS key protects the query results (the workgroup's SSE_KMS or CSE_KMS key, or the bucket's default key): judged for the key results.kmsKey names, else for every key of the account.",
  'governed-table-sampled': 'Needed only where Lake Formation governs the tables the product reads.',
};

/** Said for every capability when no service control policy was given. */
export const NO_SCPS_GIVEN = "No service control policy was given: an organization's SCPs may refuse what these documents allow.";

/**
 * Requests that only a broader grant than any capability needs allows: an over-grant. The resource
 * `*` in a name reads "every one", as in checkedResources. `needs` is what the capabilities use of
 * the same service, for the narrower statement.
 */
export interface OverGrant {
  code: 'S3_EVERY_BUCKET' | 'GLUE_WRITE' | 'KMS_EVERY_KEY';
  service: 's3' | 'glue' | 'kms';
  /** Each action with every resource it is checked on: allowed on all of them, it is granted. */
  probes: (scope: Pick<ResourceScope, 'region' | 'accountId'> & { partition: string }) => Array<{ action: string; resources: string[] }>;
  words: (actions: readonly string[]) => string;
}

// Write-level Glue actions on the Data Catalog (Service Authorization Reference, AWS Glue, access
// level Write and Permissions management): what a read-only product never calls.
const GLUE_WRITES = [
  'glue:CreateDatabase',
  'glue:UpdateDatabase',
  'glue:DeleteDatabase',
  'glue:CreateTable',
  'glue:UpdateTable',
  'glue:DeleteTable',
  'glue:BatchDeleteTable',
  'glue:CreatePartition',
  'glue:DeletePartition',
  'glue:CreateUserDefinedFunction',
  'glue:DeleteUserDefinedFunction',
  'glue:PutResourcePolicy',
  'glue:PutDataCatalogEncryptionSettings',
];

// KMS actions beyond the three the product uses, on every key: administration and other uses.
const KMS_BEYOND_USE = ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:CreateGrant', 'kms:Encrypt', 'kms:ReEncryptFrom'];

// S3 beyond the results and the data: any bucket's objects, and administering buckets.
const S3_ANY_BUCKET = [
  ['s3:GetObject', 'object'],
  ['s3:PutObject', 'object'],
  ['s3:DeleteObject', 'object'],
  ['s3:PutBucketPolicy', 'bucket'],
  ['s3:DeleteBucket', 'bucket'],
] as const;

export const OVER_GRANTS: readonly OverGrant[] = [
  {
    code: 'S3_EVERY_BUCKET',
    service: 's3',
    probes: ({ partition }) => S3_ANY_BUCKET.map(([action, kind]) => ({ action, resources: [kind === 'object' ? `arn:${partition}:s3:::*/*` : `arn:${partition}:s3:::*`] })),
    words: (actions) => `allows ${actions.join(', ')} on every bucket of every account, where the capabilities need S3 only on the query results location and the tables' data`,
  },
  {
    code: 'GLUE_WRITE',
    service: 'glue',
    probes: ({ partition, region, accountId }) => {
      const prefix = `arn:${partition}:glue:${region}:${accountId}`;
      // Checked, as every Glue call, on the catalog and each ancestor of what it changes.
      return GLUE_WRITES.map((action) => ({ action, resources: [`${prefix}:catalog`, `${prefix}:database/*`, `${prefix}:table/*/*`] }));
    },
    words: (actions) => `allows Glue writes (${actions.join(', ')}) on the Data Catalog, where every capability only reads it`,
  },
  {
    code: 'KMS_EVERY_KEY',
    service: 'kms',
    probes: ({ partition, region, accountId }) => KMS_BEYOND_USE.map((action) => ({ action, resources: [`arn:${partition}:kms:${region}:${accountId}:key/*`] })),
    words: (actions) => `allows ${actions.join(', ')} on every KMS key of the account, where encryption needs only kms:GenerateDataKey, kms:Decrypt and kms:DescribeKey on the keys that protect the results`,
  },
];

/** The actions a capability's statements are about, for a narrower statement: its core, extended, relays. */
export function actionsNeeded(capability: CapabilityDefinition): AwsAction[] {
  return [...capability.core, ...capability.extended, ...Object.values(capability.relays ?? {}).flat()];
}
