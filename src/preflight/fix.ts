// What fixes a decided capability: the actions AWS refused and those not exercised, the policy
// statements that lift them (on the resources the run found), the commands where Lake Formation
// refused, what other accounts' owners must do, and which of the catalogue's words say it. The
// decision itself is verdict.ts's; every sentence here is the catalogue's.
import type { AwsAction } from '../catalogue/actions.js';
import { type CapabilityDefinition, type CapabilityId, capabilityById } from '../catalogue/capabilities.js';
import { ATHENA_PATH_OF, ATHENA_REQUEST_DENIED, athenaFixWords } from '../catalogue/athena-path.js';
import {
  type Command,
  acceptResourceShareInvitation,
  getGlueResourcePolicy,
  lakeFormationGrant,
  pendingResourceShareInvitations,
  putGlueResourcePolicy,
  shellLines,
} from '../catalogue/commands.js';
import { FIX_WORDS } from '../catalogue/fixes.js';
import { LAKE_FORMATION_NEED_WORDS } from '../catalogue/query-failures.js';
import {
  INVITATION_ARN_PLACEHOLDER,
  MERGED_POLICY_FILE,
  OTHER_ACCOUNT_WORDS,
  type OtherAccountFix,
  POLICY_HASH_PLACEHOLDER,
  type PolicyStatement,
  type ResourceScope,
  catalogResourcePolicy,
  liftableByIdentityPolicy,
  mergeStatements,
  remediationSummary,
  statementsFor,
} from '../catalogue/remediation.js';
import { iamPrincipalOf, partitionOf } from '../catalogue/resources.js';
import { type LakeFormationNeed, NO_SERVICE_IDENTITY, isCertificateError } from './classify.js';
import { type ResolvedConnection, parseS3Uri } from './connection.js';
import { type Decision, type Evidence, coreActionsOf, evidenceFor } from './evidence.js';
import { type RunFacts, clientSideKmsKey, resultsKmsKeys, resolveOutput, sameKmsKey } from './facts.js';
import { TABLE_DATA_DENIED } from './probe.js';
import type { ActionResult, CapabilityReport, CapabilityStatus, Finding, Reason } from './types.js';

/** A KMS key reference (key id, alias name, ARN) as an ARN in the connection's partition, region and account. */
function kmsKeyArn(reference: string, connection: Pick<ResolvedConnection, 'region' | 'accountId'>): string {
  if (reference.startsWith('arn:')) return reference;
  const partition = partitionOf(connection.region);
  const resource = reference.startsWith('alias/') || reference.startsWith('key/') ? reference : `key/${reference}`;
  return `arn:${partition}:kms:${connection.region}:${connection.accountId}:${resource}`;
}

/** A data location as a scope's bucket and prefix. */
function dataScope(location: string): Pick<ResourceScope, 'bucket' | 'prefix'> {
  const { bucket, prefix } = parseS3Uri(location);
  return { bucket, prefix };
}

/** The resources a capability's fix names: the results location and keys, or for table data the data's own. */
export function resourceScope(evidence: Pick<Evidence, 'connection' | 'facts'>, capability?: CapabilityId): ResourceScope {
  const { connection } = evidence;
  const data = capability === 'table-data' ? evidence.facts.tableData : undefined;
  const output = data ?? resolveOutput(evidence);
  // Glue decrypts an encrypted catalog with the caller's rights: a capability reading Glue needs
  // that key; one that only reaches Glue through Athena needs it beside the results' keys.
  const definition = capability ? capabilityById(capability) : undefined;
  const uses = (service: string) =>
    !definition || [...definition.core, ...definition.extended, ...Object.values(definition.relays ?? {}).flat()].some((action) => action?.startsWith(`${service}:`));
  const catalogKey = evidence.facts.catalogKmsKey && uses('glue') ? [evidence.facts.catalogKmsKey] : [];
  const resultsKeys = uses('s3') || uses('kms') ? resultsKmsKeys(evidence) : [];
  // The data's key when the read showed it; else any key of the account (S3 relays the refusal without it).
  const keys = data ? [data.kmsKeyId ?? 'key/*'] : [...resultsKeys, ...catalogKey];
  // Keys only S3 uses for the caller can be narrowed to calls through S3 (kms:ViaService); a key
  // Athena or the preflight uses directly (CSE_KMS, managed results) cannot.
  const direct = data ? undefined : clientSideKmsKey(evidence);
  const viaS3 = keys.filter((key) => !catalogKey.includes(key) && (!direct || !sameKmsKey(key, direct)));
  return {
    region: connection.region,
    accountId: connection.accountId,
    glueCatalogId: connection.catalogOwner,
    ...(connection.catalogName ? { glueCatalogName: connection.catalogName } : {}),
    ...linkTargetsOf(evidence),
    databases: connection.databases,
    workgroup: connection.workgroup,
    dataCatalog: connection.catalog,
    bucket: output?.bucket,
    prefix: output?.prefix,
    s3KmsKeyArns: viaS3.length ? viaS3.map((key) => kmsKeyArn(key, connection)) : undefined,
    kmsKeyArns: keys.length ? keys.map((key) => kmsKeyArn(key, connection)) : undefined,
  };
}

/**
 * Databases the product reads in other accounts' catalogs (those the connection names, else every
 * one listed): resource links' targets, and databases shared through Lake Formation.
 */
function linkTargetsOf({ connection, facts }: Pick<Evidence, 'connection' | 'facts'>): Pick<ResourceScope, 'linkTargets'> {
  const read = (database: string) => !connection.databases.length || connection.databases.includes(database);
  const targets = [
    ...(facts.resourceLinks ?? [])
      .filter((link) => read(link.database))
      .map((link) => ({ accountId: link.target.accountId, database: link.target.database, ...(link.target.table ? { table: link.target.table } : {}) })),
    ...Object.entries(facts.databaseCatalogs ?? {})
      .filter(([database]) => read(database))
      .map(([database, catalogId]) => ({ accountId: catalogId.split(':')[0]!, database })),
  ];
  return targets.length ? { linkTargets: targets } : {};
}

/**
 * What fixes a decided capability: the actions AWS refused, those not exercised, and the policy
 * statements and words that lift them, or who must act where an Allow cannot.
 */
export function remediationFor(
  definition: CapabilityDefinition,
  evidence: Evidence,
  decision: Decision,
): Pick<CapabilityReport, 'missingActions' | 'untestedActions' | 'remediation'> {
  const { connection } = evidence;
  const { status, reasons } = decision;
  const allActions = [...coreActionsOf(definition, evidence), ...definition.extended];
  const resultOf = (action: AwsAction): ActionResult => evidenceFor(evidence, definition.id, action);
  // A path proof that did not prove (refused, or its reading undecided) is as good as untested.
  const unprovenProofs = reasons.filter((r) => definition.pathProofs?.includes(r.action as AwsAction)).map((r) => r.action as AwsAction);
  const untestedActions = [...allActions.filter((action) => resultOf(action).state === 'untested'), ...unprovenProofs];
  if (decision.why !== undefined) {
    return {
      missingActions: [],
      untestedActions: status === 'skipped' ? [] : untestedActions,
      ...(status === 'unknown' ? { remediation: { summary: decision.why, statements: [] } } : {}),
    };
  }

  const missingActions = allActions.filter((action) => {
    const result = resultOf(action);
    // Refused credentials are not a missing permission: no Allow is checked before authentication.
    return result.state === 'failed' && result.error.category === 'permission';
  });
  // Failures found through another action (the S3 write that KMS refused, a query's S3 write).
  for (const reason of reasons) {
    // A path proof refused is no missing permission of the product's: the reason only says what went unproven.
    if (definition.pathProofs?.includes(reason.action as AwsAction)) continue;
    if (reason.category === 'permission' && !missingActions.includes(reason.action as AwsAction)) missingActions.push(reason.action as AwsAction);
  }
  // Another account's catalog refusing for want of its resource policy: its owner must act, and this
  // account's identity policy must allow the same reads (a cross-account call needs both).
  const owners = otherCatalogOwners(evidence, definition.id);
  const refusedByOwner = (r: Reason) => owners.length > 0 && r.action.startsWith('glue:') && r.deniedBy?.policyType === 'resource' && !r.deniedBy.explicit;
  // Athena's own requests refused by a bucket policy: its owner merges the exception for Athena.
  const athenaPath = athenaPathFix(definition, evidence);
  const blockers = reasons
    .filter((r) => r.deniedBy && !liftableByIdentityPolicy(r.deniedBy) && !refusedByOwner(r))
    .map((r) => ({
      action: r.action,
      policyType: r.deniedBy!.policyType,
      explicit: r.deniedBy!.explicit,
      ...lakeFormationWho(queryLakeFormationNeed(r, evidence.facts)),
      ...(r.code === ATHENA_REQUEST_DENIED && athenaPath ? { who: athenaFixWords({ bucket: athenaPath.bucket, fixable: athenaPath.statements.length > 0 }) } : {}),
    }));
  const ownerBlockers = reasons.filter(refusedByOwner).map((r) => ({
    action: r.action,
    policyType: 'resource' as const,
    explicit: false,
    who: FIX_WORDS.catalogOwnersMustAllow(owners.map((o) => o.accountId)),
  }));
  // A feature that does not work needs everything it uses, including what could not be tested
  // because an earlier call failed: granting only the first refusal would just move the failure.
  // Only where the failure is a grant we can write: not after a config error, not behind a deny we cannot lift.
  const grantable = missingActions.length > 0 && blockers.length === 0 && (status === 'unavailable' || status === 'degraded');
  const relayed = grantable ? allActions.flatMap((action) => definition.relays?.[action] ?? []) : [];
  const wanted = grantable ? [...new Set([...missingActions, ...untestedActions, ...relayed])] : missingActions;
  // What no identity policy of the customer's grants: GetCallerIdentity needs no permission at all,
  // and AssumeRole is the service's, fixed by the role's trust policy (so then nothing else is asked).
  const assumeRefused = missingActions.includes('sts:AssumeRole');
  const liftable = assumeRefused ? [] : wanted.filter((action) => !NEVER_GRANTED.has(action) && !blockers.some((b) => b.action === action));
  // A query refused on a table's data needs the data's location, besides what the results need.
  const dataLocation = reasons.some((r) => r.code === TABLE_DATA_DENIED) ? evidence.facts.queriedTable?.location : undefined;
  const statements: PolicyStatement[] = mergeStatements([
    ...(liftable.length ? statementsFor(liftable as AwsAction[], resourceScope(evidence, definition.id)) : []),
    ...(dataLocation && grantable ? statementsFor(['s3:ListBucket', 's3:GetObject'], { ...resourceScope(evidence), ...dataScope(dataLocation) }) : []),
  ]);
  const needsWords = status !== 'ok' && status !== 'skipped';
  const commands = shellLines(lakeFormationGrants(reasons, evidence));
  const summary = () => {
    const words = summaryFor(definition, status, assumeRefused || !liftable.length ? missingActions : liftable, [...blockers, ...ownerBlockers], reasons, evidence.findings, connection.region);
    return commands.length ? `${words} ${commands.join('; ')}` : words;
  };
  const otherAccounts = needsWords ? otherAccountFixes(definition, evidence, reasons, ownerBlockers.length > 0 ? owners : [], wanted) : [];
  return {
    missingActions,
    untestedActions: untestedActions.filter((action) => !missingActions.includes(action)),
    ...(needsWords || missingActions.length
      ? {
          remediation: {
            summary: summary(),
            statements,
            ...(commands.length ? { commands } : {}),
            ...(athenaPath?.statements.length && reasons.some((r) => r.code === ATHENA_REQUEST_DENIED) ? { bucketPolicy: athenaPath } : {}),
            ...(otherAccounts.length ? { otherAccounts } : {}),
          },
        }
      : {}),
  };
}

/** The bucket policy statements that let Athena's own requests through, where the policy refused them. */
function athenaPathFix(definition: CapabilityDefinition, evidence: Evidence): { bucket: string; statements: PolicyStatement[] } | undefined {
  const kind = (ATHENA_PATH_OF as Partial<Record<CapabilityId, 'results' | 'data'>>)[definition.id];
  const path = kind ? evidence.facts.athenaPaths?.[kind] : undefined;
  return path ? { bucket: path.bucket, statements: (path.fix ?? []) as PolicyStatement[] } : undefined;
}

/** What no identity policy of the customer's grants. */
const NEVER_GRANTED = new Set<string>(['sts:AssumeRole', 'sts:GetCallerIdentity']);

/**
 * The other accounts whose catalogs this capability reads, each with the resources read there: the
 * selected catalog's owner, and the owners of shared databases and of resource links' targets.
 */
function otherCatalogOwners(evidence: Pick<Evidence, 'connection' | 'facts'>, capability: CapabilityId): Array<{ accountId: string; scope: ResourceScope }> {
  const { connection, facts } = evidence;
  const base = resourceScope(evidence, capability);
  if (connection.catalogOwner !== connection.accountId) return [{ accountId: connection.catalogOwner, scope: { ...base, linkTargets: undefined } }];
  const read = (database: string) => !connection.databases.length || connection.databases.includes(database);
  const byOwner = new Map<string, string[]>();
  const add = (accountId: string, database: string) => {
    if (accountId !== connection.accountId) byOwner.set(accountId, [...new Set([...(byOwner.get(accountId) ?? []), database])]);
  };
  for (const [database, catalogId] of Object.entries(facts.databaseCatalogs ?? {})) if (read(database)) add(catalogId.split(':')[0]!, database);
  for (const link of facts.resourceLinks ?? []) if (read(link.database)) add(link.target.accountId, link.target.database);
  return [...byOwner].map(([accountId, databases]) => ({ accountId, scope: { ...base, glueCatalogId: accountId, glueCatalogName: undefined, databases, linkTargets: undefined } }));
}

/**
 * What other accounts' owners must do for this capability: the catalog's owner, where its resource
 * policy refused (the statement to add to it); the owner of a resource link's target or of a
 * shared database, where Lake Formation refused (the share to grant there, and the grants this
 * account's Lake Formation administrator then makes on what was shared: "Granting permissions on
 * a database or table shared with your account", Lake Formation Developer Guide).
 */
function otherAccountFixes(
  definition: CapabilityDefinition,
  evidence: Evidence,
  reasons: readonly Reason[],
  refusingOwners: ReadonlyArray<{ accountId: string; scope: ResourceScope }>,
  wanted: readonly AwsAction[],
): OtherAccountFix[] {
  const { connection, facts } = evidence;
  const principal = iamPrincipalOf(facts.identity?.arn ?? '<principal-arn>');
  const fixes: OtherAccountFix[] = [];
  const glueActions = [...new Set([...coreActionsOf(definition, evidence), ...definition.extended, ...wanted])].filter((action) => action.startsWith('glue:'));
  const { region } = connection;
  for (const { accountId, scope } of refusingOwners) {
    fixes.push({
      accountId,
      summary: OTHER_ACCOUNT_WORDS.catalogPolicy({ accountId, ownsCatalog: accountId === connection.catalogOwner, principal, region }),
      resourcePolicy: catalogResourcePolicy(glueActions, scope, principal),
      commands: shellLines([
        getGlueResourcePolicy(region),
        putGlueResourcePolicy({ region, policyFile: MERGED_POLICY_FILE, policyHash: POLICY_HASH_PLACEHOLDER }),
        putGlueResourcePolicy({ region, policyFile: MERGED_POLICY_FILE, mustNotExist: true }),
      ]),
    });
  }
  // A refusal in this account's own catalog (Athena's default database) is no other account's to share.
  if (reasons.some((reason) => reason.deniedBy?.policyType === 'lake-formation' && !inCallersOwnCatalog(queryLakeFormationNeed(reason, facts)))) {
    const read = (database: string) => !connection.databases.length || connection.databases.includes(database);
    const targets = [
      ...(facts.resourceLinks ?? [])
        .filter((link) => read(link.database))
        .map((link) => ({ link: link.database, linkTable: link.table, accountId: link.target.accountId, catalogId: link.target.catalogId, database: link.target.database, table: link.target.table })),
      ...Object.entries(facts.databaseCatalogs ?? {})
        .filter(([database]) => read(database))
        .map(([database, catalogId]) => ({ link: undefined, linkTable: undefined, accountId: catalogId.split(':')[0]!, catalogId, database, table: undefined })),
    ].filter((target) => target.accountId !== connection.accountId);
    const consumer = connection.accountId;
    for (const target of targets) {
      // A table link shares one table; a database link or a shared database, all of its tables.
      const tables = { Table: { CatalogId: target.catalogId, DatabaseName: target.database, ...(target.table ? { Name: target.table } : { TableWildcard: {} }) } };
      const database = { Database: { CatalogId: target.catalogId, Name: target.database } };
      const what = target.table ? `${target.database}.${target.table}` : target.database;
      const link = target.linkTable ? `${target.link}.${target.linkTable}` : target.link;
      const linkResource = target.linkTable ? { Table: { DatabaseName: target.link!, Name: target.linkTable } } : { Database: { Name: target.link! } };
      const ownerCommands = [
        ...(target.table ? [] : [lakeFormationGrant({ region, principal: consumer, permissions: ['DESCRIBE'], grantable: ['DESCRIBE'], resource: database })]),
        lakeFormationGrant({ region, principal: consumer, permissions: ['DESCRIBE', 'SELECT'], grantable: ['DESCRIBE', 'SELECT'], resource: tables }),
      ];
      fixes.push({
        accountId: target.accountId,
        summary: OTHER_ACCOUNT_WORDS.lakeFormationShare({ link, what, owner: target.accountId, consumer, ownerCommands: ownerCommands.length, describesLink: Boolean(link) }),
        commands: shellLines([
          ...ownerCommands,
          pendingResourceShareInvitations(region, target.accountId),
          acceptResourceShareInvitation(region, INVITATION_ARN_PLACEHOLDER),
          lakeFormationGrant({ region, principal, permissions: ['DESCRIBE', 'SELECT'], resource: tables }),
          ...(link ? [lakeFormationGrant({ region, principal, permissions: ['DESCRIBE'], resource: linkResource })] : []),
        ]),
      });
    }
  }
  return fixes;
}

/** The Lake Formation grant a failed query named, where this reason is that failure (its action and code). */
function queryLakeFormationNeed(reason: Reason, facts: RunFacts): LakeFormationNeed | undefined {
  const failure = facts.queryFailure;
  if (!failure?.lakeFormation || reason.deniedBy?.policyType !== 'lake-formation') return undefined;
  return reason.action === failure.action && reason.code === failure.code ? failure.lakeFormation : undefined;
}

/** A grant Athena needs in the caller's own root catalog whichever catalog is selected: DESCRIBE on its default database, or creating it. */
function inCallersOwnCatalog(need: LakeFormationNeed | undefined): boolean {
  return need?.permission === 'CREATE_DATABASE' || (need?.permission === 'DESCRIBE' && 'database' in need.on && need.on.database === 'default');
}

/** Who must act for a grant a failed query named, where the usual Lake Formation words (DESCRIBE and SELECT on the tables) do not fit. */
function lakeFormationWho(need: LakeFormationNeed | undefined): { who?: string } {
  if (need?.permission === 'CREATE_DATABASE') return { who: LAKE_FORMATION_NEED_WORDS.createDatabase };
  if (need?.permission === 'DESCRIBE' && 'database' in need.on) {
    return { who: need.on.database === 'default' ? LAKE_FORMATION_NEED_WORDS.describeDefault : LAKE_FORMATION_NEED_WORDS.describe(need.on.database) };
  }
  return {};
}

/**
 * Where Lake Formation refused, the grants to make, as commands (they are not IAM statements). A
 * query's refusal that names its grant gets that grant: DESCRIBE on the default database and
 * CREATE_DATABASE on the catalog are the caller's own account's root catalog's (Athena's default
 * database is there whichever catalog the connection selects), DESCRIBE on another database is
 * the selected catalog's. Any other refusal: DESCRIBE and SELECT on what the product reads.
 */
function lakeFormationGrants(reasons: readonly Reason[], evidence: Evidence): Command[] {
  const refusals = reasons.filter((reason) => reason.deniedBy?.policyType === 'lake-formation');
  if (!refusals.length) return [];
  const { connection, facts } = evidence;
  // A catalog under the root is named in the resource itself (its id is `<account>:<path>`).
  const inCatalog = connection.catalogName ? { CatalogId: connection.catalogId } : {};
  const principal = iamPrincipalOf(facts.identity?.arn ?? '<principal-arn>');
  const grant = (permissions: string[], resource: Parameters<typeof lakeFormationGrant>[0]['resource'], catalogId = connection.catalogOwner) =>
    lakeFormationGrant({ catalogId, principal, permissions, resource });
  const named: Command[] = [];
  let others = false;
  for (const reason of refusals) {
    const need = queryLakeFormationNeed(reason, facts);
    if (need?.permission === 'CREATE_DATABASE') named.push(grant(['CREATE_DATABASE'], { Catalog: {} }, connection.accountId));
    else if (need?.permission === 'DESCRIBE' && 'database' in need.on) {
      const own = inCallersOwnCatalog(need);
      named.push(grant(['DESCRIBE'], { Database: { ...(own ? {} : inCatalog), Name: need.on.database } }, own ? connection.accountId : connection.catalogOwner));
    } else others = true;
  }
  if (!others) return named;
  const table = facts.tables?.find((t) => t.governed);
  if (table) return [...named, grant(['DESCRIBE', 'SELECT'], { Table: { ...inCatalog, DatabaseName: table.database, Name: table.name } })];
  // Nothing governed was even listed: Lake Formation hides the database itself.
  const database = connection.databases[0] ?? '<database>';
  return [...named, grant(['DESCRIBE'], { Database: { ...inCatalog, Name: database } }), grant(['DESCRIBE', 'SELECT'], { Table: { ...inCatalog, DatabaseName: database, TableWildcard: {} } })];
}

/** The fix's summary: which words of the catalogue's say what must be done. */
function summaryFor(
  definition: CapabilityDefinition,
  status: CapabilityStatus,
  missingActions: readonly string[],
  blockers: Parameters<typeof remediationSummary>[2],
  reasons: readonly Reason[],
  findings: readonly Finding[],
  region: string,
): string {
  if (missingActions.includes('sts:AssumeRole')) return FIX_WORDS.assumeRoleRefused;
  if (missingActions.length || blockers.length) {
    return remediationSummary(definition, missingActions, blockers);
  }
  const first = reasons[0];
  if (!first) return definition.impact;
  if (first.category === 'auth') return FIX_WORDS.credentials(first.code, region);
  if (first.code === NO_SERVICE_IDENTITY) return FIX_WORDS.serviceIdentity;
  const emptiness = findings.find((f) => f.code === first.code);
  if (emptiness) return FIX_WORDS.emptyListing(emptiness);
  if (status === 'unknown' && isCertificateError(first.code)) return FIX_WORDS.couldNotTellCertificate(first.message);
  if (status === 'unknown') return FIX_WORDS.couldNotTell(first.category, first.message);
  return FIX_WORDS.failed(first.action, first.code, first.message);
}
