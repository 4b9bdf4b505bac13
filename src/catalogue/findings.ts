// The findings catalogue: every finding a probe can report, as data, with all the words a customer
// reads (severity, message, remediation). A probe names the code and gives the facts,
// `context.finding('BUCKET_OTHER_REGION', { bucket, region, connectionRegion })`; each code's
// facts are typed here. The report's list of codes (FINDING_CODES, openapi.yaml's enum) and
// docs/api.md's table are derived from this one list.
import { type Command, abortMultipartUpload, deleteObject, enableWorkgroup, lakeFormationGrant, listMultipartUploads } from './commands.js';
import { type ConnectFailure, endpointSetup, vpcEndpointFor } from './endpoints.js';
import { type Markers, withGenerated } from './generated.js';
import { shellCommand } from './quote.js';
import { EXTERNAL_ID_PLACEHOLDER, SERVICE_PRINCIPAL_PLACEHOLDER, buildTrustPolicy } from './remediation.js';
import { iamPrincipalOf } from './resources.js';

export const SEVERITIES = ['high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

interface FindingDefinition<Facts> {
  severity: Severity;
  /** One line for docs/api.md's table: when it is reported. */
  title: string;
  message(facts: Facts): string;
  /** The fix in words; `commands` are this finding's commands, quoted for a shell, to quote in them. */
  remediation(facts: Facts, commands: readonly string[]): string;
  /** The aws CLI commands that fix it, as the program must receive them (quoted once, by shellCommand). */
  commands?(facts: Facts): Command[];
}

/** A catalogue entry whose messages take `Facts` (none when the type is left out). */
const finding = <Facts = Record<never, never>>(definition: FindingDefinition<Facts>) => definition;

/** Where a Glue listing came back empty: the catalog, the caller, and for tables the databases listed. */
interface EmptyListing {
  region: string;
  catalogId: string;
  /** The catalog's owner and its path under the owner's root (absent: the default catalog): the ARNs' parts. */
  catalogOwner?: string;
  catalogName?: string;
  /** The connection's identity as STS named it (a session's ARN is turned into its role's). */
  callerArn?: string;
}

/** The Lake Formation grant that shows what a listing hides: DESCRIBE on the database, or on its tables. */
function emptyListingGrant({ region, callerArn }: EmptyListing, what: 'databases' | 'tables', database?: string): Command {
  return lakeFormationGrant({
    region,
    principal: iamPrincipalOf(callerArn ?? '<principal-arn>'),
    permissions: ['DESCRIBE'],
    resource: what === 'databases' ? { Database: { Name: '<database>' } } : { Table: { DatabaseName: database ?? '<database>', TableWildcard: {} } },
  });
}

/** The two usual reasons a Glue listing comes back empty, and the fix for each. */
function emptyListingFixes({ region, catalogId, catalogOwner, catalogName }: EmptyListing, what: 'databases' | 'tables', grant: string, database?: string): string {
  const glueArn = `arn:aws:glue:${region}:${catalogOwner ?? catalogId}`;
  const under = catalogName ? `${catalogName}/` : '';
  const resources = what === 'databases' ? `${glueArn}:database/${under}*` : `${glueArn}:table/${under}${database ?? '*'}/*`;
  const action = what === 'databases' ? 'glue:GetDatabases' : 'glue:GetTables';
  return [
    `If ${what} exist, one of two things hides them. (1) The identity policy allows ${action} on the catalog but not on ${resources}: Glue leaves out of listings what a policy does not allow, so allow ${action} on those ARNs too.`,
    `(2) Lake Formation hides ${what} the principal has no grant on: grant DESCRIBE (add SELECT to query them): ${grant}`,
  ].join(' ');
}

/** A service none of whose calls connected: what failed, where, and the way the calls took (the operator's settings, never a request's). */
interface Unreachable {
  /** The AWS service (its IAM prefix, which names its endpoint too). */
  service: string;
  region: string;
  failure: ConnectFailure;
  /** The network error's code (ENOTFOUND, ECONNREFUSED, ...). */
  errorCode: string;
  /** The host the connection was for, as the error named it. */
  host?: string;
  /** The calls that could not be made, in the order the probes ran. */
  actions: readonly string[];
  /** The endpoint URL is the operator's (AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL), not AWS's default. */
  configuredEndpoint?: string;
  /** The proxy the calls passed through: its host and port, and the variable that named it. */
  proxy?: { host: string; variable: string };
}

/** What happened to the connection, in words: "<host> does not resolve (ENOTFOUND)". */
function connectFailureWords(failure: ConnectFailure, host: string, errorCode: string): string {
  switch (failure) {
    case 'dns':
      return `${host} does not resolve (${errorCode})`;
    case 'no-route':
      return `no route leads to ${host} (${errorCode})`;
    case 'connect-timeout':
      return `${host} never answered the connection (${errorCode})`;
    case 'refused':
      return `${host} refused the connection (${errorCode})`;
  }
}

const callsWords = (actions: readonly string[]) => `${actions.length === 1 ? 'The call' : `${actions.length} calls`} (${actions.slice(0, 5).join(', ')}${actions.length > 5 ? ', …' : ''})`;

/** Written after the code of the call that failed, when there was one. */
const codeNote = (errorCode: string | undefined) => (errorCode !== undefined ? ` (${errorCode})` : '');

// In this order in the report's schema (openapi.yaml) and docs/api.md.
export const FINDINGS = {
  ACCOUNT_MISMATCH: finding<{ account: string | undefined; expected: string }>({
    severity: 'high',
    title: 'The credentials belong to another account than the connection names.',
    message: ({ account, expected }) => `The credentials belong to account ${account}, not to ${expected} as the connection says.`,
    remediation: () => 'Use credentials of the account that holds the Glue catalog and Athena workgroup, or correct the account id.',
  }),
  EXTERNAL_ID_NOT_ENFORCED: finding<{ roleArn: string | undefined }>({
    severity: 'high',
    title: "The role can be assumed without the external ID: its trust policy does not require it.",
    message: ({ roleArn }) =>
      `The role ${roleArn} can be assumed without an external ID: any customer of the service could name this role and reach your account (the confused-deputy problem).`,
    remediation: () => 'Add a condition to the role trust policy: "Condition": {"StringEquals": {"sts:ExternalId": "<your external ID>"}}.',
  }),
  EXTERNAL_ID_NOT_GIVEN: finding({
    severity: 'medium',
    title: 'A role was given without an external ID.',
    message: () => "No external ID was given for the role: nothing distinguishes this customer's requests from another's naming the same role (the confused-deputy problem).",
    remediation: () => 'Require an external ID in the role\'s trust policy ("Condition": {"StringEquals": {"sts:ExternalId": "<id>"}}) and give it in the connection.',
  }),
  ASSUME_ROLE_DENIED: finding<{ roleArn: string | undefined; /** The service's own identity as STS named it, if it could be read. */ serviceArn?: string }>({
    severity: 'high',
    title: 'The service could not assume the role: the report carries the trust policy to give it (remediation.trustPolicy).',
    message: ({ roleArn, serviceArn }) =>
      `The service (${serviceArn ? iamPrincipalOf(serviceArn) : 'its principal could not be read'}) could not assume ${roleArn}: the role does not exist, its trust policy does not name the service, or the external ID does not match.`,
    remediation: ({ serviceArn }) => {
      const trusted = serviceArn ? iamPrincipalOf(serviceArn) : undefined;
      const trust = buildTrustPolicy({ trustedPrincipalArn: trusted ?? SERVICE_PRINCIPAL_PLACEHOLDER, externalId: EXTERNAL_ID_PLACEHOLDER });
      // A session's ARN names its role without the role's path.
      const path = trusted && serviceArn !== trusted ? ` If the service's role has a path, write it into the ARN (arn:aws:iam::<account>:role/<path>/<name>).` : '';
      return `Check the role ARN and give the role this trust policy (report.remediation.trustPolicy), with your external ID in place of ${EXTERNAL_ID_PLACEHOLDER}: ${JSON.stringify(trust)}.${path}`;
    },
  }),
  BUCKET_OTHER_REGION: finding<{ bucket: string; region: string; connectionRegion: string }>({
    severity: 'high',
    title: 'The output bucket is in another region than the connection.',
    message: ({ bucket, region, connectionRegion }) =>
      `The output bucket ${bucket} is in ${region}, but the connection is in ${connectionRegion}: Athena writes query results only to a bucket in its own region.`,
    remediation: ({ connectionRegion }) => `Use an output bucket in ${connectionRegion}.`,
  }),
  BUCKET_NOT_FOUND: finding<{ bucket: string }>({
    severity: 'high',
    title: 'The output bucket does not exist.',
    message: ({ bucket }) => `The output bucket ${bucket} does not exist.`,
    remediation: () => "Create the bucket in the connection's region, or correct the output location.",
  }),
  WORKGROUP_ENFORCED_LOCATION: finding<{ workgroup: string; enforced: string; requested: string }>({
    severity: 'medium',
    title: "The workgroup enforces its own output location, not the connection's.",
    message: ({ workgroup, enforced, requested }) =>
      `The workgroup "${workgroup}" enforces its own output location ${enforced}; results will not go to ${requested} as the connection says.`,
    remediation: () => 'Use the workgroup\'s output location in the connection (and grant access to it), or turn off "Override client-side settings" on the workgroup.',
  }),
  WORKGROUP_DISABLED: finding<{ workgroup: string }>({
    severity: 'high',
    title: 'The workgroup is disabled: every query in it is rejected.',
    message: ({ workgroup }) => `The Athena workgroup "${workgroup}" is disabled: every query in it is rejected.`,
    commands: ({ workgroup }) => [enableWorkgroup(workgroup)],
    remediation: (_, [enable]) => `Enable it, or use another workgroup: ${enable}`,
  }),
  WORKGROUP_NOT_FOUND: finding<{ workgroup: string; region: string }>({
    severity: 'high',
    title: 'The workgroup does not exist in the connection\'s region.',
    message: ({ workgroup, region }) => `The Athena workgroup "${workgroup}" does not exist in ${region}.`,
    remediation: () => 'Check the workgroup name and the region of the connection.',
  }),
  WORKGROUP_ENCRYPTION: finding<{ option: string; kmsKey?: string }>({
    severity: 'info',
    title: 'The workgroup encrypts query results with a KMS key, which the connection must be allowed to use.',
    message: ({ option, kmsKey }) =>
      `The workgroup encrypts query results with ${option}${kmsKey ? ` (key ${kmsKey})` : ''}: the connection needs kms:GenerateDataKey and kms:Decrypt on that key.`,
    remediation: () => "Grant kms:GenerateDataKey and kms:Decrypt on the key to the connection's identity (identity policy and key policy).",
  }),
  RESULTS_NO_LIFECYCLE: finding<{ bucket: string; prefix: string; uri: string }>({
    severity: 'low',
    title: 'No lifecycle rule expires query results: Athena never deletes them.',
    message: ({ uri }) => `No lifecycle rule expires objects under ${uri}: Athena never deletes query results, so they accumulate.`,
    remediation: ({ bucket, prefix }) => `Add an S3 lifecycle rule on ${bucket} that expires objects under "${prefix}" after, for example, 30 days.`,
  }),
  MARKER_NOT_DELETED: finding<{ bucket: string; key: string; errorCode?: string; /** The write was never answered: deleted, but S3 may apply it later. */ unanswered?: boolean }>({
    severity: 'low',
    title: 'The marker object the preflight wrote could not be deleted, or may be left: its write was never answered (the message names it).',
    message: ({ bucket, key, errorCode, unanswered }) =>
      unanswered
        ? `The marker object s3://${bucket}/${key} may be left: its write had not been answered when the run ended, and S3 may apply it after the delete.`
        : `The marker object s3://${bucket}/${key} could not be deleted${codeNote(errorCode)}.`,
    commands: ({ bucket, key }) => [deleteObject(bucket, key)],
    remediation: ({ unanswered }, [remove]) => `${unanswered ? 'If it is there, delete it' : 'Delete it'} by hand: ${remove}`,
  }),
  MULTIPART_UPLOAD_NOT_ABORTED: finding<{ bucket: string; key: string; uploadId: string | undefined; errorCode?: string }>({
    severity: 'low',
    title: 'The multipart upload the preflight started could not be aborted (the message names it).',
    message: ({ bucket, key, uploadId, errorCode }) => `${uploadId ? `The multipart upload ${uploadId}` : 'A multipart upload'} to s3://${bucket}/${key} could not be aborted${codeNote(errorCode)}.`,
    // Without the upload's id (the run ended before S3 answered), list the uploads under the key first.
    commands: ({ bucket, key, uploadId }) => (uploadId ? [abortMultipartUpload(bucket, key, uploadId)] : [listMultipartUploads(bucket, key), abortMultipartUpload(bucket, key, '<UploadId>')]),
    remediation: ({ uploadId }, commands) =>
      uploadId ? `Abort it by hand: ${commands[0]}` : `Find its UploadId with ${commands[0]}, then abort it by hand: ${commands[1]}`,
  }),
  ATHENA_PATH_UNPROVEN: finding<{ bucket: string; what: string; why: string }>({
    severity: 'info',
    title: "Whether a bucket policy admits Athena's own requests (made for the caller, with other condition keys) could not be read: only our own path was proved.",
    message: ({ bucket, what, why }) =>
      `Athena writes query results and reads table data for the caller with other condition keys than the preflight's own calls (aws:CalledVia athena.amazonaws.com, no VPC endpoint): whether the bucket policy of ${bucket} (${what}) admits them went unproven: ${why}.`,
    remediation: ({ bucket }) => `Grant this principal s3:GetBucketPolicy on arn:aws:s3:::${bucket} (the generated policies do), or run the preflight with options.runQuery, which proves Athena's path by taking it.`,
  }),
  LAKE_FORMATION_EMPTY_LISTING: finding({
    severity: 'high',
    title: 'Glue listed no table in an account that governs new tables with Lake Formation.',
    message: () => 'Glue returned no table, and the account governs new tables with Lake Formation: tables without a Lake Formation grant are hidden, not denied.',
    remediation: () => "Grant DESCRIBE (and SELECT to query) on the databases and tables in Lake Formation to the connection's principal.",
  }),
  NO_DATABASES_VISIBLE: finding<EmptyListing>({
    severity: 'high',
    title: 'Glue listed no database: its two usual causes (Glue grants on the catalog but not on `database/*`, or Lake Formation hiding them), each with its fix.',
    message: ({ catalogId }) => `Glue listed no database in catalog ${catalogId}: nothing can be ingested.`,
    commands: (facts) => [emptyListingGrant(facts, 'databases')],
    remediation: (facts, [grant]) => emptyListingFixes(facts, 'databases', grant!),
  }),
  NO_TABLES_VISIBLE: finding<EmptyListing & { databases: readonly string[] }>({
    severity: 'high',
    title: 'Glue listed no table in the sampled databases: its two usual causes (Glue grants not on `table/*/*`, or Lake Formation hiding them), each with its fix.',
    message: ({ databases }) => `Glue listed no table in ${databases.join(', ')}: no table can be ingested from ${databases.length > 1 ? 'them' : 'it'}.`,
    commands: (facts) => [emptyListingGrant(facts, 'tables', facts.databases.length === 1 ? facts.databases[0] : undefined)],
    remediation: (facts, [grant]) => emptyListingFixes(facts, 'tables', grant!, facts.databases.length === 1 ? facts.databases[0] : undefined),
  }),
  CATALOG_NOT_FOUND: finding<{ catalogId: string; region: string; listed?: readonly string[] }>({
    severity: 'high',
    title: 'The Glue catalog the connection names does not exist (or is not in this region).',
    message: ({ catalogId, region }) => `Glue has no catalog ${catalogId} in ${region}: nothing in it can be read.`,
    remediation: ({ listed }) =>
      `Check glue.catalogId: a catalog under the root is named by its path ('s3tablescatalog/<table bucket>', lowercase), another account's catalog by its 12-digit id, and catalogs are regional.${listed?.length ? ` Glue lists: ${listed.slice(0, 10).join(', ')}.` : ''}`,
  }),
  OTHER_CATALOGS: finding<{ checked: string; catalogs: readonly string[] }>({
    severity: 'info',
    title: 'The account has catalogs besides the one checked (S3 Tables, federated, Redshift-managed): they were not checked.',
    message: ({ checked, catalogs }) => `Besides ${checked}, Glue lists ${catalogs.length} catalog${catalogs.length === 1 ? '' : 's'} under the account's root: ${catalogs.slice(0, 10).join(', ')}${catalogs.length > 10 ? ', …' : ''}. Only ${checked} was checked.`,
    remediation: () => "If the product's tables are in one of them, run the preflight again with glue.catalogId set to its path (for example s3tablescatalog/<table bucket>).",
  }),
  ATHENA_CATALOG_MISMATCH: finding<{ dataCatalog: string; athenaCatalogId: string; checked: string }>({
    severity: 'medium',
    title: "Athena's data catalog reads another Glue catalog than the one the preflight checked.",
    message: ({ dataCatalog, athenaCatalogId, checked }) =>
      `Athena's data catalog "${dataCatalog}" reads Glue catalog ${athenaCatalogId}, but this preflight checked Glue catalog ${checked}: queries will see other databases and need other grants than the ones checked.`,
    remediation: ({ dataCatalog, athenaCatalogId }) =>
      `Run the preflight again with glue.catalogId ${athenaCatalogId} (the catalog "${dataCatalog}" points to), or set athena.catalog to the data catalog registered over the Glue catalog you meant.`,
  }),
  SHARED_DATABASES: finding<{ databases: ReadonlyArray<{ name: string; accountId: string }> }>({
    severity: 'info',
    title: 'Databases shared from other accounts through Lake Formation are visible: they are read in their owners\' catalogs.',
    message: ({ databases }) =>
      `Glue lists ${databases.length} database${databases.length === 1 ? '' : 's'} shared from other accounts: ${databases.slice(0, 10).map((d) => `${d.name} (account ${d.accountId})`).join(', ')}.`,
    remediation: ({ databases }) =>
      `Reading a shared database needs this principal's Glue reads on the owner's ARNs (arn:aws:glue:<region>:<owner account>:…) and the owner's Lake Formation grant: if one stops working, the owner of ${[...new Set(databases.map((d) => d.accountId))].join(', ')} must act.`,
  }),
  RESOURCE_LINK: finding<{ links: ReadonlyArray<{ database: string; accountId: string; target: string }> }>({
    severity: 'info',
    title: 'A database is a Lake Formation resource link to another account\'s database: reads are checked on both.',
    message: ({ links }) => `${links.map((l) => `${l.database} is a resource link to ${l.target} in account ${l.accountId}`).join('; ')}: reading through it was checked.`,
    remediation: ({ links }) =>
      `Reading through a resource link needs Glue reads on the link in this account and on its target in the owner's account (arn:aws:glue:<region>:${links[0]?.accountId ?? '<owner>'}:database/${links[0]?.target ?? '<database>'}), and the owner's Lake Formation grant on the target (DESCRIBE, SELECT to query).`,
  }),
  DATABASE_NOT_FOUND: finding<{ database: string; catalogId: string; region: string }>({
    severity: 'medium',
    title: 'A database the connection names does not exist.',
    message: ({ database, catalogId, region }) => `The database "${database}" named in the connection does not exist in catalog ${catalogId} (${region}).`,
    remediation: () => 'Check the database name and the region, or remove it from glue.databases.',
  }),
  SERVICE_UNREACHABLE: finding<Unreachable>({
    severity: 'high',
    title:
      'An AWS service could not be reached at all (its name did not resolve, no route, no connection in time, refused): the VPC endpoint the network lacks is named, or the proxy the calls went through. Once per service.',
    message: ({ service, region, failure, errorCode, host, actions, proxy }) => {
      const endpoint = vpcEndpointFor(service, region);
      const where = proxy ? `its calls go through the proxy ${proxy.host} (${proxy.variable}), and ${connectFailureWords(failure, proxy.host, errorCode)}` : connectFailureWords(failure, host ?? `the ${service} endpoint`, errorCode);
      const lacking = proxy ? '' : ` From a VPC without a way out to the internet, ${service} is reached through the ${endpoint.type.toLowerCase()} endpoint ${endpoint.serviceName}, which this network lacks or does not route to.`;
      return `The service could not connect to ${service}: ${where}. ${callsWords(actions)} could not be checked.${lacking}`;
    },
    remediation: ({ service, region, proxy, configuredEndpoint }) => {
      const endpoint = vpcEndpointFor(service, region);
      const create = `${endpoint.serviceName}: ${endpointSetup(endpoint)}`;
      if (proxy) {
        return `Check ${proxy.variable}: the proxy ${proxy.host} must be reachable from the service and let it connect to ${service}'s endpoint on 443. Or reach ${service} without the proxy: create ${create}, and name its host in NO_PROXY.`;
      }
      const configured = configuredEndpoint
        ? ` The endpoint URL for ${service} is set by the operator (AWS_ENDPOINT_URL_${service.toUpperCase()} or AWS_ENDPOINT_URL: ${configuredEndpoint}): check it names that endpoint (its private DNS name or its vpce- name), or unset it.`
        : '';
      return `Create ${create}; or give the service a way out (a NAT gateway, or a proxy in HTTPS_PROXY).${configured} Then run the preflight again.`;
    },
  }),
};

export type FindingCode = keyof typeof FINDINGS;
export const FINDING_CODES = Object.keys(FINDINGS) as readonly FindingCode[];

/** The facts a finding's words are made from. */
export type FindingFacts<C extends FindingCode> = Parameters<(typeof FINDINGS)[C]['message']>[0];
/** A finding's facts as arguments: none for a finding whose words need none. */
export type FindingArguments<C extends FindingCode> = Record<never, never> extends FindingFacts<C> ? [facts?: FindingFacts<C>] : [facts: FindingFacts<C>];

/** A finding in the report's words (the engine adds the probe that found it). */
export function renderFinding<C extends FindingCode>(
  code: C,
  ...[facts]: FindingArguments<C>
): { code: C; severity: Severity; message: string; remediation: string; commands?: string[] } {
  const definition = FINDINGS[code] as FindingDefinition<FindingFacts<C> | undefined>;
  const commands = (definition.commands?.(facts) ?? []).map(shellCommand);
  return {
    code,
    severity: definition.severity,
    message: definition.message(facts),
    remediation: definition.remediation(facts, commands),
    ...(commands.length ? { commands } : {}),
  };
}

const FINDINGS_MARKERS: Markers = { start: '<!-- findings: generated from src/catalogue/findings.ts by `npm run openapi` -->', end: '<!-- /findings -->' };

/** docs/api.md's table of findings, between its markers. */
export function findingsTable(): string {
  const rows = Object.entries(FINDINGS).map(([code, definition]) => `| \`${code}\` | ${definition.severity} | ${definition.title} |`);
  return [FINDINGS_MARKERS.start, '| finding | severity | reported when |', '|---|---|---|', ...rows, FINDINGS_MARKERS.end].join('\n');
}

/** A markdown text (docs/api.md) with its findings table replaced by the catalogue's. */
export function withFindingsTable(markdown: string): string {
  return withGenerated(markdown, FINDINGS_MARKERS, findingsTable().split('\n').slice(1, -1).join('\n'));
}
