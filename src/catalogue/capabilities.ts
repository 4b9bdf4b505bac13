// The capability catalogue: the public contract, as typed data. Verdicts, coverage checks and
// remediation policies are all derived from it. What each capability is (its title, impact,
// applicability, what its services relay) is written here; which actions it judges, and how, the
// probes say, each in its own file (its `roles`), gathered by `npm run generate` into
// probe-index.ts, so that the catalogue reads them without importing the probes.
import type { AwsAction } from './actions.js';
import { type Markers, markersOf, withGenerated } from './generated.js';
import { CAPABILITY_ACTIONS } from './probe-index.js';

export const CAPABILITY_IDS = [
  'connection',
  'metadata',
  'partitions',
  'schema-history',
  'functions',
  'search',
  'query-history',
  'user-attribution',
  'athena-catalog',
  'query-results',
  'query-execution',
  'encryption',
  'lake-formation',
  'table-data',
] as const;

export type CapabilityId = (typeof CAPABILITY_IDS)[number];

/**
 * Facts about the account that decide whether a capability applies at all, named here and judged
 * in one place (preflight/verdict.ts). Skips a probe already makes (no output location, no
 * runQuery) are not restated: the capability takes them from its probes.
 */
export type ApplicabilityFact =
  /** A KMS key protects query results: the workgroup's, managed results', or the bucket default's. */
  | 'results-kms-key'
  /** Glue's listing is not hidden by Lake Formation (no LAKE_FORMATION_EMPTY_LISTING, no name refused by it). */
  | 'listing-visible'
  /** The sampled tables include a Lake Formation-governed one. */
  | 'governed-table-sampled'
  /** The request allows the one query that proves data access (options.runQuery). */
  | 'query-allowed';

/** Unless the fact holds, the capability is skipped with this reason, or unknown. */
export interface ApplicabilityRule {
  unless: ApplicabilityFact;
  then: { status: 'skipped'; skipReason: 'not-applicable' } | { status: 'unknown' };
  why: string;
}

/** What an action is to a capability: the CapabilityDefinition lists of the same names. */
export const ACTION_ROLES = ['core', 'extended', 'roleModeCore', 'namedCatalogCore', 'aclWriteCore', 'clientSideKeyCore', 'pathProofs', 'checkedWith'] as const;
export type ActionRole = (typeof ACTION_ROLES)[number];

/**
 * A probe's part in the catalogue, in its own file: for each capability, its actions by role
 * (`roles: { metadata: { core: ['glue:GetTables'] } }`). A capability's lists are the probes' in
 * the registry's order.
 */
export type CapabilityRoles = { readonly [C in CapabilityId]?: { readonly [R in ActionRole]?: readonly AwsAction[] } };

export interface CapabilityDefinition {
  id: CapabilityId;
  title: string;
  /** The product feature it enables. */
  feature: string;
  /** One sentence: what the customer loses when it is not ok. */
  impact: string;
  /** How a run proves it (README's table of capabilities). */
  provedBy: string;
  /** Any denied: unavailable. */
  core: readonly AwsAction[];
  /** Any denied while the core works: degraded. */
  extended: readonly AwsAction[];
  /** Core only in role mode (the service's own sts:AssumeRole). */
  roleModeCore?: readonly AwsAction[];
  /**
   * Core only when the connection reads a catalog under an account's root (S3 Tables, federated,
   * Redshift-managed): the product finds and describes that catalog before reading it.
   */
  namedCatalogCore?: readonly AwsAction[];
  /**
   * Core only when the workgroup has Athena send a canned ACL with its result writes
   * (AclConfiguration BUCKET_OWNER_FULL_CONTROL): a PutObject with x-amz-acl needs s3:PutObjectAcl
   * too (S3 API Reference, PutObject, Permissions).
   */
  aclWriteCore?: readonly AwsAction[];
  /**
   * Core only when the workgroup encrypts results client-side (CSE_KMS): Athena gets a data key
   * from the workgroup's key before it writes anything, so without it no query writes results.
   */
  clientSideKeyCore?: readonly AwsAction[];
  /**
   * What proves the path AWS takes for the caller where the preflight cannot take it itself
   * (Athena's own writes and reads, judged against the bucket policy). When it is refused or not
   * called, the capability keeps its verdict from our own calls, lists it untested and says so in a
   * reason: "ok" then speaks for our path only.
   */
  pathProofs?: readonly AwsAction[];
  /** In order: the first rule whose fact does not hold decides, before any evidence is weighed. */
  applicability?: readonly ApplicabilityRule[];
  requestedByDefault: boolean;
  /**
   * What the service checks for the caller when it carries out an action (Athena asks Glue, S3 asks
   * KMS): a feature that fails needs these granted too, or the fix only moves the failure.
   */
  relays?: Partial<Record<AwsAction, readonly AwsAction[]>>;
  /**
   * What the preflight itself calls to check the capability, beyond what the product uses (deleting
   * its marker, reading the bucket's settings): granted in the full policy under Sids of their own.
   */
  checkedWith?: readonly AwsAction[];
  /** What an IAM policy cannot express and must be done elsewhere as well. */
  remediationNote?: string;
}

const CAPABILITY_TRAITS = [
  {
    id: 'connection',
    title: 'Connection',
    feature: 'Authenticate and confirm the account',
    impact: 'Nothing can be read: the credentials do not work or belong to another account.',
    provedBy: "the calls themselves; the external ID's enforcement by an `AssumeRole` without it",
    requestedByDefault: true,
  },
  {
    id: 'metadata',
    title: 'Catalog metadata',
    feature: 'Databases, tables and columns from the Glue Data Catalog',
    impact: 'Databases, tables and columns cannot be ingested.',
    provedBy: 'one page of each listing, in the catalog `glue.catalogId` names; an empty listing is a finding, never `ok`',
    requestedByDefault: true,
  },
  {
    id: 'partitions',
    title: 'Partitions',
    feature: 'Partition metadata',
    impact: 'Partition metadata will be missing.',
    provedBy: 'on a sampled partitioned table',
    requestedByDefault: true,
  },
  {
    id: 'schema-history',
    title: 'Schema history',
    feature: 'Table versions',
    impact: 'Schema changes over time will not be shown.',
    provedBy: 'on a sampled table',
    requestedByDefault: true,
  },
  {
    id: 'functions',
    title: 'User-defined functions',
    feature: 'User-defined functions',
    impact: 'User-defined functions will not be documented.',
    provedBy: 'on the sampled databases',
    requestedByDefault: true,
  },
  {
    id: 'search',
    title: 'Catalog search',
    feature: 'Catalog search',
    impact: 'Catalog search through Glue will not work.',
    provedBy: 'one search',
    requestedByDefault: true,
  },
  {
    id: 'query-history',
    title: 'Query history',
    feature: 'Query popularity and lineage from Athena query history',
    impact: 'Query popularity and lineage will be missing.',
    provedBy: "in the connection's workgroup",
    requestedByDefault: true,
  },
  {
    id: 'user-attribution',
    title: 'User attribution',
    feature: 'Who ran each query (CloudTrail)',
    impact: 'Queries will not be attributed to the people who ran them.',
    provedBy: "one lookup, throttling retried at the quota's pace",
    requestedByDefault: true,
  },
  {
    id: 'athena-catalog',
    title: 'Athena catalog APIs',
    feature: "Athena's own catalog APIs (used by JDBC/ODBC drivers)",
    impact: 'JDBC/ODBC drivers will not list databases and tables through Athena.',
    provedBy: "the calls; Glue's refusals relayed by Athena name the Glue action",
    // Athena answers its catalog APIs from the Glue Data Catalog with the caller's rights (Athena
    // User Guide, "Fine-grained access to databases and tables in the AWS Glue Data Catalog").
    relays: {
      'athena:ListDatabases': ['glue:GetDatabases'],
      'athena:ListTableMetadata': ['glue:GetTables'],
      'athena:GetDatabase': ['glue:GetDatabase'],
      'athena:GetTableMetadata': ['glue:GetTable'],
    },
    requestedByDefault: true,
  },
  {
    id: 'query-results',
    title: 'Query results location',
    feature: 'The Athena output location on S3 can be written and read',
    impact: 'Athena cannot write or read query results, so no query can return rows.',
    provedBy: "a marker written exactly as Athena writes results (the workgroup's SSE headers and key, canned ACL, expected bucket owner), read back and deleted; Athena's own requests (aws:CalledVia, no VPC endpoint) judged against the bucket policy, or proved by a query",
    requestedByDefault: true,
  },
  {
    id: 'query-execution',
    title: 'Query execution',
    feature: 'Run queries (profiling, data quality)',
    impact: 'Queries for profiling and data quality cannot run.',
    provedBy: "a real query; its failure names the action and the path it failed on (results, the table's data, Glue, Lake Formation, a key)",
    // A query reads the catalog and writes its results with the caller's rights (Athena User Guide,
    // "Identity and access management in Athena": Glue and S3 permissions for the results location).
    relays: {
      'athena:StartQueryExecution': ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions', 's3:GetBucketLocation', 's3:PutObject'],
      'athena:GetQueryResults': ['s3:GetObject'],
    },
    // The one probe that costs the customer money: only on request.
    requestedByDefault: false,
  },
  {
    id: 'encryption',
    title: 'Encryption keys',
    feature: 'KMS keys that protect query results or the catalog',
    impact: 'Encrypted query results or catalog objects cannot be written or read.',
    provedBy: "on the key Athena uses: the workgroup's (sent with the marker write) or the bucket default's, through the S3 round trip; for CSE_KMS and managed results a direct data-key round trip",
    applicability: [{ unless: 'results-kms-key', then: { status: 'skipped', skipReason: 'not-applicable' }, why: 'no KMS key protects query results' }],
    requestedByDefault: true,
    remediationNote: 'If the key policy does not delegate to IAM, the key policy itself must allow this principal too.',
  },
  {
    id: 'lake-formation',
    title: 'Lake Formation',
    feature: 'Lake Formation-governed tables are readable',
    impact: 'Tables governed by Lake Formation will be missing from listings or unreadable.',
    provedBy: 'only a query on a governed table proves it (and the Lake Formation grants, DESCRIBE and SELECT): without `options.runQuery` it is `unknown`, never `ok`; refusals are fixed by a Lake Formation grant (the command is printed)',
    applicability: [
      { unless: 'listing-visible', then: { status: 'unknown' }, why: 'Lake Formation hides the tables (or the databases) the connection would read: Glue lists none, or refuses them by name' },
      { unless: 'governed-table-sampled', then: { status: 'skipped', skipReason: 'not-applicable' }, why: 'no Lake Formation-governed table among the sampled tables' },
      // lakeformation:GetDataAccess has no API of its own: without a query nothing proves it, and a
      // governed table the product cannot read must not leave the run ok.
      {
        unless: 'query-allowed',
        then: { status: 'unknown' },
        why: 'The sampled tables include Lake Formation-governed ones, whose data only a query can prove readable (lakeformation:GetDataAccess and a SELECT grant): run the preflight with options.runQuery to prove it.',
      },
    ],
    requestedByDefault: true,
    // Lake Formation grants are not IAM actions: no policy statement can carry them. Athena looks up
    // the default database of the caller's own catalog for every query ("The DESCRIBE permission is
    // required on the default database", Athena User Guide, querying data registered with Lake Formation).
    remediationNote:
      "In Lake Formation, also grant this principal DESCRIBE on each database and SELECT on each table it must read, and DESCRIBE on the default database of its own account's catalog, which Athena looks up for every query.",
  },
  {
    id: 'table-data',
    title: 'Table data',
    feature: "A sampled table's data can be read on S3 (profiling, data quality)",
    impact: 'Profiling and data-quality checks cannot read table data.',
    provedBy: "the listing and a one-byte read of a sampled table's data, which also prove `kms:Decrypt` for SSE-KMS data; Athena's own reads judged against the data bucket's policy; the fix is scoped to the data location",
    // Metadata-only products never read data: asked for by those that do.
    requestedByDefault: false,
  },
] as const satisfies readonly CapabilityTraits[];

/** What a capability is, written here; its action lists come from the probes' roles. */
type CapabilityTraits = Omit<CapabilityDefinition, ActionRole>;

const ROLES_OF: CapabilityRoles = CAPABILITY_ACTIONS;

export const CAPABILITIES: readonly CapabilityDefinition[] = CAPABILITY_TRAITS.map((traits: CapabilityTraits) => ({ ...traits, core: [], extended: [], ...ROLES_OF[traits.id] }));

/**
 * Called by the service's own identity in role mode, so it belongs in the role's trust policy and
 * the service's own policy, never in the customer's remediation policy.
 */
export const assumeRoleAction = 'sts:AssumeRole' satisfies AwsAction;

const byId = new Map<CapabilityId, CapabilityDefinition>(CAPABILITIES.map((capability) => [capability.id, capability]));

export function capabilityById(id: CapabilityId): CapabilityDefinition {
  const capability = byId.get(id);
  if (!capability) throw new Error(`unknown capability ${id}`);
  return capability;
}

const CAPABILITY_MARKERS: Markers = markersOf('capabilities', 'src/catalogue/capabilities.ts');

/** Core actions only under a condition, with the words for when. */
const CONDITIONAL_CORE: ReadonlyArray<[keyof CapabilityDefinition, string]> = [
  ['roleModeCore', 'by the service in role mode'],
  ['namedCatalogCore', 'for a catalog under the root'],
  ['aclWriteCore', 'when the workgroup sends an ACL with its results'],
  ['clientSideKeyCore', 'with CSE_KMS results'],
];

/** README's table of capabilities, from this catalogue. */
export function capabilitiesTable(): string {
  const code = (actions: readonly string[]) => actions.map((action) => `\`${action}\``).join(', ');
  const rows = CAPABILITIES.map((c: CapabilityDefinition) => {
    const conditional = CONDITIONAL_CORE.flatMap(([field, when]) => {
      const actions = c[field] as readonly AwsAction[] | undefined;
      return actions?.length ? [` (+ ${code(actions)} ${when})`] : [];
    });
    return `| \`${c.id}\` | ${c.feature} | ${code(c.core)}${conditional.join('')} | ${code(c.extended)} | ${c.provedBy} |`;
  });
  return ['| capability | feature | core actions (denied: unavailable) | extended (denied: degraded) | how it is proved |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** A Markdown text (README.md) with its table of capabilities replaced by the catalogue's. */
export const withCapabilitiesTable = (markdown: string): string => withGenerated(markdown, CAPABILITY_MARKERS, capabilitiesTable());

/** Every action that is core under some condition (role mode, a catalog under the root, an ACL sent, CSE_KMS). */
export function conditionalCoreOf(capability: CapabilityDefinition): AwsAction[] {
  return [...(capability.roleModeCore ?? []), ...(capability.namedCatalogCore ?? []), ...(capability.aclWriteCore ?? []), ...(capability.clientSideKeyCore ?? [])];
}

/** Every action a capability uses, core first. */
export function actionsOf(capability: Pick<CapabilityDefinition, 'core' | 'extended'>): AwsAction[] {
  return [...capability.core, ...capability.extended];
}
