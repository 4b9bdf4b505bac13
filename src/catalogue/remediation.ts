// Remediation generated from the catalogue: the minimal identity policy that lifts what is
// missing, scoped to the customer's real resources, valid IAM JSON to paste as it is; and, where
// no Allow can help, who must act instead.
import { type AwsAction, serviceOf } from './actions.js';
import { assumeRoleAction, type CapabilityDefinition, type CapabilityId, capabilityById } from './capabilities.js';
import { canonicalJson, type Grant, grantsFor, type PolicyCondition, type ResourceScope } from './resources.js';

export type { PolicyCondition, ResourceScope };

/**
 * Who refused. 'lake-formation' is Lake Formation's own permissions (grants, not IAM policies):
 * "Insufficient Lake Formation permission(s) on <name>" is fixed by a grant, never by an Allow.
 */
export const POLICY_TYPES = ['identity', 'resource', 'scp', 'rcp', 'boundary', 'session', 'vpc-endpoint', 'lake-formation', 'unknown'] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[];
  Condition?: PolicyCondition;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

// Sids must be alphanumeric: these spell each service as a word.
const SERVICE_WORDS: Record<string, string> = {
  glue: 'Glue',
  athena: 'Athena',
  cloudtrail: 'CloudTrail',
  s3: 'S3',
  kms: 'Kms',
  lakeformation: 'LakeFormation',
  sts: 'Sts',
};

// What a resource is, for a Sid ("every" when its name is only wildcards), in a policy's reading order.
const KINDS: ReadonlyArray<readonly [type: string, one: string, every: string]> = [
  ['*', 'AnyResource', 'AnyResource'],
  ['catalog', 'Catalog', 'Catalog'],
  ['database', 'Databases', 'AllDatabases'],
  ['table', 'Tables', 'AllTables'],
  ['userDefinedFunction', 'Functions', 'AllFunctions'],
  ['workgroup', 'Workgroup', 'AllWorkgroups'],
  ['datacatalog', 'DataCatalog', 'AllDataCatalogs'],
  ['bucket', 'Bucket', 'AllBuckets'],
  ['object', 'Objects', 'AllObjects'],
  ['key', 'Keys', 'AllKeys'],
  ['role', 'Role', 'AllRoles'],
];

function kindOf(arn: string): { rank: number; word: string } {
  if (arn === '*') return { rank: 0, word: 'AnyResource' };
  const [, , service, , , ...rest] = arn.split(':');
  const resource = rest.join(':');
  // S3 ARNs are "bucket" or "bucket/key": no type word.
  const [type, name] = service === 's3' ? [resource.includes('/') ? 'object' : 'bucket', resource] : [resource.split('/')[0]!, resource.slice(resource.indexOf('/') + 1)];
  const rank = KINDS.findIndex(([kind]) => kind === type);
  if (rank < 0) return { rank: KINDS.length, word: type.charAt(0).toUpperCase() + type.slice(1).replace(/[^A-Za-z0-9]/g, '') };
  return { rank, word: KINDS[rank]![/^[*/]+$/.test(name) && resource.includes('*') ? 2 : 1] };
}

/** The Sid's word for what narrows a statement: UnderPrefix (s3:prefix), ViaS3 (kms:ViaService), ByAlias (kms:ResourceAliases). */
function conditionWord(condition: PolicyCondition | undefined): string {
  const entries = Object.values(condition ?? {}).flatMap((keys) => Object.entries(keys));
  const words = entries.map(([key, value]) => {
    switch (key.toLowerCase()) {
      case 's3:prefix':
        return 'UnderPrefix';
      case 'kms:resourcealiases':
        return 'ByAlias';
      case 'kms:viaservice':
        return `Via${SERVICE_WORDS[String(Array.isArray(value) ? value[0] : value).split('.')[0]!] ?? 'Service'}`;
      default:
        return 'Conditional';
    }
  });
  return [...new Set(words)].sort().join('');
}

type ActionGrant = Grant & { action: string };

/**
 * Statements that grant exactly these (action, resource, condition) triples: each resource named
 * once per service and condition, in the statement of the actions that need it. So a Glue policy
 * reads catalog, databases, tables, functions, each with its actions, instead of naming the catalog
 * and every database again in each action's statement (25 databases of 32-character names and every
 * capability: some 9,400 characters rather than 19,300). Services are kept apart even where they
 * share "*", as the vendors' guides do; actions sorted; a deterministic order and alphanumeric
 * Sids such as PreflightGlueTables.
 */
function fromGrants(grants: readonly ActionGrant[]): PolicyStatement[] {
  const conditionKey = (condition?: PolicyCondition) => (condition ? canonicalJson(condition) : '');
  const byResource = new Map<string, { service: string; arn: string; condition?: PolicyCondition; actions: Set<string> }>();
  for (const { action, arn, condition } of grants) {
    const service = serviceOf(action);
    const key = JSON.stringify([service, conditionKey(condition), arn]);
    const entry = byResource.get(key) ?? { service, arn, condition, actions: new Set<string>() };
    entry.actions.add(action);
    byResource.set(key, entry);
  }
  const groups = new Map<string, { service: string; condition?: PolicyCondition; actions: string[]; resources: string[] }>();
  for (const { service, arn, condition, actions } of byResource.values()) {
    const sorted = [...actions].sort();
    const key = JSON.stringify([service, conditionKey(condition), sorted]);
    const group = groups.get(key) ?? { service, condition, actions: sorted, resources: [] };
    group.resources.push(arn);
    groups.set(key, group);
  }
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const described = [...groups.values()].map((group) => {
    const resources = group.resources.sort();
    const kinds = resources.map(kindOf);
    const rank = Math.max(...kinds.map((kind) => kind.rank));
    const words = new Set(kinds.filter((kind) => kind.rank === rank).map((kind) => kind.word));
    // Mixed "every" and named resources of one kind read as the named kind.
    const word = words.size === 1 ? [...words][0]! : KINDS[rank]?.[1] ?? [...words][0]!;
    return { ...group, resources, rank, name: `Preflight${SERVICE_WORDS[group.service] ?? 'Access'}${word}${conditionWord(group.condition)}` };
  });
  described.sort(
    (a, b) =>
      compare(a.service, b.service) ||
      a.rank - b.rank ||
      Number(Boolean(a.condition)) - Number(Boolean(b.condition)) ||
      compare(a.actions[0]!, b.actions[0]!) ||
      compare(a.resources.join(' '), b.resources.join(' ')) ||
      compare(conditionKey(a.condition), conditionKey(b.condition)),
  );
  const sids = new Set<string>();
  return described.map(({ name, actions, resources, condition }) => {
    // Two statements of one kind: the one for a single action is named after it (PreflightKmsKeysDescribeKey).
    let sid = sids.has(name) && actions.length === 1 ? `${name}${actions[0]!.slice(actions[0]!.indexOf(':') + 1)}` : name;
    for (let n = 2; sids.has(sid); n++) sid = `${name}${n}`;
    sids.add(sid);
    return { Sid: sid, Effect: 'Allow' as const, Action: actions, Resource: resources, ...(condition ? { Condition: condition } : {}) };
  });
}

/** The statements that allow `actions` on the scope's resources, under the conditions that narrow them (see fromGrants). */
export function statementsFor(actions: readonly AwsAction[], scope: ResourceScope): PolicyStatement[] {
  return fromGrants([...new Set(actions)].flatMap((action) => grantsFor(action, scope).map((grant) => ({ action, ...grant }))));
}

/**
 * Allow statements from anywhere (several capabilities' remediation, each with its own scope)
 * rewritten as statementsFor writes them: the same grants, each resource named once per service
 * and condition. Any other statement is kept as it is, after them.
 */
export function mergeStatements(statements: readonly PolicyStatement[]): PolicyStatement[] {
  const allows = statements.filter((statement) => statement.Effect === 'Allow');
  const grants = allows.flatMap((s) => s.Action.flatMap((action) => s.Resource.map((arn) => ({ action, arn, ...(s.Condition ? { condition: s.Condition } : {}) }))));
  return [...fromGrants(grants), ...statements.filter((statement) => statement.Effect !== 'Allow')];
}

/** The customer's identity policy. AssumeRole is left out: the service's identity calls it, not the customer's. */
export function buildRemediationPolicy(actions: readonly AwsAction[], scope: ResourceScope): PolicyDocument {
  return { Version: '2012-10-17', Statement: statementsFor(actions.filter((action) => action !== assumeRoleAction), scope) };
}

/**
 * IAM's quotas on the size of policies, in characters, whitespace not counted (IAM User Guide,
 * "IAM and AWS STS quotas"): one managed policy; all the inline policies of one role together.
 */
export const IAM_POLICY_LIMITS = { managedPolicy: 6144, roleInlinePolicies: 10_240 } as const;

/** The characters IAM counts, or a few more: compact JSON, whose only whitespace is inside strings. */
export function policySize(policy: PolicyDocument): number {
  return JSON.stringify(policy).length;
}

/** One of the policies that, attached together, grant what one policy too large for IAM would. */
export interface NumberedPolicy {
  /** `preflight-remediation-1`, `-2`, …: a name to create it under. */
  name: string;
  document: PolicyDocument;
  /** policySize(document): at most the limit asked for. */
  characters: number;
}

export interface SplitOptions {
  /** At most this many characters per policy: IAM's managed-policy quota unless smaller. */
  maxCharacters?: number;
  /** The policies' names, before their number. */
  name?: string;
}

/**
 * The statements, merged (mergeStatements), as numbered policies of at most maxCharacters each:
 * one when it fits; else the statements packed in order into as few as fit (first fit), a
 * statement too large for any one policy cut by its resources (Sids …Part1, …Part2). Together
 * they grant exactly what the statements grant. Several fit a role as managed policies (ten by
 * default); as inline policies only while their sum is within roleInlinePolicies.
 */
export function splitIntoPolicies(statements: readonly PolicyStatement[], options: SplitOptions = {}): NumberedPolicy[] {
  const max = options.maxCharacters ?? IAM_POLICY_LIMITS.managedPolicy;
  const empty = policySize({ Version: '2012-10-17', Statement: [] });
  const cost = (statement: PolicyStatement) => JSON.stringify(statement).length;
  const pieces = mergeStatements(statements).flatMap((statement) => (empty + cost(statement) <= max ? [statement] : byResources(statement, max - empty)));
  const bins: Array<{ statements: PolicyStatement[]; size: number }> = [];
  for (const piece of pieces) {
    const bin = bins.find((candidate) => candidate.size + 1 + cost(piece) <= max); // 1: the comma
    if (bin) {
      bin.statements.push(piece);
      bin.size += 1 + cost(piece);
    } else {
      bins.push({ statements: [piece], size: empty + cost(piece) });
    }
  }
  return bins.map((bin, i) => {
    const document: PolicyDocument = { Version: '2012-10-17', Statement: bin.statements };
    return { name: `${options.name ?? 'preflight-remediation'}-${i + 1}`, document, characters: policySize(document) };
  });
}

/** A statement cut into parts of as many resources as fit `room` characters each. */
function byResources(statement: PolicyStatement, room: number): PolicyStatement[] {
  const parts: PolicyStatement[] = [];
  const part = (resources: string[]) => ({ ...statement, Sid: `${statement.Sid ?? 'Preflight'}Part${parts.length + 1}`, Resource: resources });
  let current: string[] = [];
  for (const arn of statement.Resource) {
    if (current.length && JSON.stringify(part([...current, arn])).length > room) {
      parts.push(part(current));
      current = [];
    }
    current.push(arn);
  }
  parts.push(part(current));
  const tooLarge = parts.find((p) => JSON.stringify(p).length > room);
  if (tooLarge) throw new Error(`${tooLarge.Sid} does not fit in a policy even with one resource`);
  return parts;
}

/** buildRemediationPolicy's grants as numbered policies that each fit IAM's quota (splitIntoPolicies). */
export function buildRemediationPolicies(actions: readonly AwsAction[], scope: ResourceScope, options: SplitOptions = {}): NumberedPolicy[] {
  return splitIntoPolicies(buildRemediationPolicy(actions, scope).Statement, options);
}

export interface TrustPolicyDocument {
  Version: '2012-10-17';
  Statement: Array<{ Sid: string; Effect: 'Allow'; Principal: { AWS: string }; Action: string[]; Condition: Record<string, Record<string, string>> }>;
}

/** A statement of a resource-based policy: the same grant, naming who it is for. */
export interface ResourcePolicyStatement extends PolicyStatement {
  Principal: { AWS: string };
}

export interface ResourcePolicyDocument {
  Version: '2012-10-17';
  Statement: ResourcePolicyStatement[];
}

/**
 * What the owner of another account must do, where no policy of the caller's account can help: the
 * statement to add to that account's Glue Data Catalog resource policy, and the Lake Formation
 * grants to run there or here (as aws CLI commands: they are no IAM documents).
 */
export interface OtherAccountFix {
  accountId: string;
  summary: string;
  resourcePolicy?: ResourcePolicyDocument;
  commands?: string[];
}

/**
 * What another account's owner, and this account after it, must do, in words that name the
 * commands printed beside them by their order.
 */
export const OTHER_ACCOUNT_WORDS = {
  /**
   * The owner's catalog resource policy, which `put-resource-policy` replaces whole (PolicyInJson,
   * Glue API Reference, PutResourcePolicy): the statement is merged into the policy read with its
   * hash, and written back on that hash (PolicyHashCondition) so that a change made meanwhile is
   * refused rather than lost; with no policy yet, written alone on PolicyExistsCondition NOT_EXIST.
   */
  catalogPolicy: (o: { accountId: string; ownsCatalog: boolean; principal: string; region: string }) =>
    `Account ${o.accountId} owns ${o.ownsCatalog ? 'the Glue catalog' : 'databases this principal reads'} and its Glue Data Catalog resource policy does not allow ${o.principal}: its owner must add this statement to that resource policy in ${o.region}. aws glue put-resource-policy replaces the whole policy, so merge it: read the current policy and its PolicyHash (aws glue get-resource-policy), add this statement to its Statement list and save the result as policy.json, then put it back with --policy-hash-condition and the PolicyHash read, which refuses the write if the policy changed meanwhile. Where get-resource-policy finds no policy (EntityNotFoundException), put this statement alone as policy.json with --policy-exists-condition NOT_EXIST. Add --enable-hybrid TRUE where Lake Formation grants to other accounts already use the policy. Or share the databases through Lake Formation instead.`,
  /**
   * A Lake Formation share from the owner, accepted through AWS RAM outside one organization ("If
   * your account is not in the same organization, AWS RAM sends an invitation to your account",
   * Lake Formation Developer Guide, accessing and viewing shared Data Catalog tables and databases;
   * "Accepting a resource share invitation from AWS RAM"), then granted on in this account.
   */
  lakeFormationShare: (o: { link?: string; what: string; owner: string; consumer: string; ownerCommands: number; describesLink: boolean }) =>
    `${o.link ? `${o.link} is a resource link to` : 'This principal reads'} ${o.what} in account ${o.owner}, and Lake Formation refused it: the owner of ${o.owner} must share ${o.what} with account ${o.consumer} (${o.ownerCommands === 1 ? 'the first command' : `the first ${o.ownerCommands === 2 ? 'two' : o.ownerCommands} commands`}, run in ${o.owner}). Where the two accounts are not in the same AWS organization, AWS RAM sends account ${o.consumer} an invitation, and the share applies only once a data lake administrator there accepts it: list the pending invitations from ${o.owner} (aws ram get-resource-share-invitations), then accept the one for this share by its resourceShareInvitationArn (aws ram accept-resource-share-invitation), both run in ${o.consumer}; in one organization there is none to accept. Then a Lake Formation administrator of ${o.consumer} grants this principal what was shared${o.describesLink ? ' and DESCRIBE on the link' : ''} (the rest, run in ${o.consumer}).`,
} as const;

/** Stand-ins in printed commands for what only the customer's own previous command tells. */
export const POLICY_HASH_PLACEHOLDER = '<PolicyHash from get-resource-policy>';
export const INVITATION_ARN_PLACEHOLDER = '<resourceShareInvitationArn from get-resource-share-invitations>';
export const MERGED_POLICY_FILE = 'policy.json';

/**
 * The Glue Data Catalog resource-policy statements that let `principal` carry out `actions` on
 * the owner's resources: a cross-account read is allowed only where the caller's identity policy
 * and the owner's catalog resource policy both allow it ("Granting cross-account access", Glue
 * Developer Guide). The owner adds them with `aws glue put-resource-policy` (with
 * --enable-hybrid TRUE where Lake Formation shares already use the policy).
 */
export function catalogResourcePolicy(actions: readonly AwsAction[], scope: ResourceScope, principal: string): ResourcePolicyDocument {
  // A catalog's resource policy speaks for its owner's resources only: the caller's own default
  // database, which Athena reads beside them, is the caller's identity policy's business.
  const owner = scope.glueCatalogId ?? scope.accountId;
  const ownersOnly = (arn: string) => arn.split(':')[4] === owner;
  const statements = statementsFor(actions.filter((action) => action.startsWith('glue:')), scope)
    .map((statement) => ({ ...statement, Resource: statement.Resource.filter(ownersOnly) }))
    .filter((statement) => statement.Resource.length > 0);
  return {
    Version: '2012-10-17',
    Statement: statements.map(({ Sid, Condition, ...rest }) => ({
      ...(Sid ? { Sid: `${Sid}ForPartner` } : {}),
      ...rest,
      Principal: { AWS: principal },
      ...(Condition ? { Condition } : {}),
    })),
  };
}

/** Stand-ins a customer must replace: the external ID is theirs and never printed; the principal may be unknown. */
export const EXTERNAL_ID_PLACEHOLDER = '<your-external-id>';
export const SERVICE_PRINCIPAL_PLACEHOLDER = '<the-service-role-arn>';

/** The trust policy of a role that only the service's principal may assume, and only with the external ID. */
export function buildTrustPolicy(options: { trustedPrincipalArn: string; externalId: string }): TrustPolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PreflightTrustWithExternalId',
        Effect: 'Allow',
        Principal: { AWS: options.trustedPrincipalArn },
        Action: [assumeRoleAction],
        Condition: { StringEquals: { 'sts:ExternalId': options.externalId } },
      },
    ],
  };
}

/** Whether adding an Allow to the principal's identity policy lifts this denial. */
export function liftableByIdentityPolicy(denial: { policyType: PolicyType; explicit: boolean } | undefined): boolean {
  return !denial || (!denial.explicit && (denial.policyType === 'identity' || denial.policyType === 'unknown'));
}

/** A denial an identity-policy Allow cannot lift. `explicit` defaults to true. */
export interface Blocker {
  action: string;
  policyType: PolicyType;
  explicit?: boolean;
  /** Who must act, where the policy type's usual words do not say it (another account's catalog). */
  who?: string;
}

// For each kind of policy: how to name it, and who must act when it denies.
const POLICIES: Record<PolicyType, { name: string; who: string }> = {
  identity: { name: 'an identity-based policy', who: 'remove or narrow the Deny statement in the policies attached to this principal or its groups' },
  resource: { name: 'a resource-based policy', who: 'the owner of the bucket policy, key policy or role trust policy must change it to allow this principal' },
  scp: { name: 'a service control policy', who: 'ask your AWS Organizations administrator to change the service control policy' },
  rcp: { name: 'a resource control policy', who: 'ask your AWS Organizations administrator to change the resource control policy' },
  boundary: { name: 'the permissions boundary', who: "ask whoever manages this principal's permissions boundary to allow it" },
  session: { name: 'the session policy', who: 'whoever creates the session must pass a session policy that allows it, or none' },
  'vpc-endpoint': { name: 'a VPC endpoint policy', who: 'ask your network team to allow it in the VPC endpoint policy' },
  'lake-formation': {
    name: 'Lake Formation permissions',
    who: 'a Lake Formation administrator must grant this principal DESCRIBE on the database and DESCRIBE and SELECT on its tables (aws lakeformation grant-permissions)',
  },
  unknown: { name: 'a policy', who: 'find the denying policy with the IAM policy simulator or in CloudTrail' },
};

/** One line a person can act on: what to allow, or, where an Allow cannot help, who must act. */
export function remediationSummary(
  capability: Pick<CapabilityDefinition, 'title' | 'remediationNote'>,
  missingActions: readonly string[],
  explicitDenies: readonly Blocker[],
): string {
  const groups = new Map<string, { policyType: PolicyType; explicit: boolean; actions: string[]; who?: string }>();
  for (const denial of explicitDenies) {
    const explicit = denial.explicit ?? true;
    const key = `${denial.policyType} ${explicit} ${denial.who ?? ''}`;
    const group = groups.get(key) ?? { policyType: denial.policyType, explicit, actions: [], ...(denial.who ? { who: denial.who } : {}) };
    if (!group.actions.includes(denial.action)) group.actions.push(denial.action);
    groups.set(key, group);
  }
  const parts = [...groups.values()].map(({ policyType, explicit, actions, who: whoHere }) => {
    const { name } = POLICIES[policyType];
    const who = whoHere ?? POLICIES[policyType].who;
    return explicit
      ? `An explicit deny in ${name} blocks ${actions.join(', ')}: ${who}; adding an Allow does not override it.`
      : `No allow in ${name} covers ${actions.join(', ')}: ${who}; an Allow in an identity policy alone is not enough.`;
  });
  const blocked = new Set(explicitDenies.map((denial) => denial.action));
  const grantable = missingActions.filter((action) => !blocked.has(action));
  if (grantable.length) {
    parts.push(`${capability.title}: allow ${grantable.join(', ')} in this principal's identity policy.`);
    if (capability.remediationNote) parts.push(capability.remediationNote);
  }
  return parts.join(' ') || `${capability.title} needs no change.`;
}

/**
 * What a product needing these capabilities must be granted, from the same catalogue that judges
 * them: each capability's actions and what its services check on the caller's behalf (relays), on
 * its resources (table data on the data's location), split to fit IAM's quota; and apart, what
 * the preflight itself calls to check them (deleting its marker, reading settings), which a
 * customer may grant or leave out. sts:GetCallerIdentity needs no permission, sts:AssumeRole
 * belongs in the trust policy: neither is granted here.
 *
 * The data location's read (table-data's actions, and kms:Decrypt on the data's keys) goes to
 * query-execution as well: Athena reads an ungoverned table's data with the caller's rights
 * (Athena User Guide, "Access to Amazon S3"), so a query over it needs it as much as a direct read.
 */
export function setupPolicies(
  capabilities: readonly CapabilityDefinition[],
  scope: ResourceScope,
  dataScope?: Pick<ResourceScope, 'bucket' | 'prefix' | 'kmsKeyArns'>,
): { identityPolicies: NumberedPolicy[]; selfCheckPolicy: PolicyDocument | null } {
  const granted = (actions: readonly AwsAction[]) => actions.filter((action) => action !== assumeRoleAction && action !== 'sts:GetCallerIdentity');
  const actionsFor = (capability: CapabilityDefinition): AwsAction[] => [
    ...capability.core,
    ...(scope.glueCatalogName ? (capability.namedCatalogCore ?? []) : []),
    // Athena sends a canned ACL with result writes when the workgroup says so, which a setup cannot
    // see: s3:PutObjectAcl on the results prefix, so that such a workgroup's writes pass.
    ...(capability.aclWriteCore ?? []),
    ...capability.extended,
    ...Object.values(capability.relays ?? {}).flat(),
  ];
  // The capabilities that read the tables' data on S3 with the caller's rights.
  const dataReaders = new Set<CapabilityId>(['table-data', 'query-execution']);
  const statements = capabilities.flatMap((capability) => (capability.id === 'table-data' && dataScope ? [] : statementsFor(granted(actionsFor(capability)), scope)));
  if (dataScope && capabilities.some((capability) => dataReaders.has(capability.id))) {
    // The data's own key, when it is SSE-KMS: S3 decrypts with the reader's rights, through S3 only.
    const dataKeys = dataScope.kmsKeyArns ?? [];
    const own: ResourceScope = { ...scope, ...dataScope, kmsKeyArns: dataKeys, s3KmsKeyArns: dataKeys };
    statements.push(...statementsFor(granted([...actionsFor(capabilityById('table-data')), ...(dataKeys.length ? (['kms:Decrypt'] as const) : [])]), own));
  }
  const selfCheck = granted(capabilities.flatMap((capability) => (capability.id === 'table-data' && dataScope ? [] : (capability.checkedWith ?? []))));
  // What the preflight reads of the data's bucket (its policy, judged for Athena's reads) is granted there.
  const dataChecks = dataScope && capabilities.some((capability) => dataReaders.has(capability.id)) ? granted(capabilityById('table-data').checkedWith ?? []) : [];
  const selfCheckStatements = mergeStatements([...statementsFor(selfCheck, scope), ...statementsFor(dataChecks, { ...scope, ...dataScope })]);
  return {
    identityPolicies: statements.length ? splitIntoPolicies(statements) : [],
    selfCheckPolicy: selfCheckStatements.length ? { Version: '2012-10-17', Statement: selfCheckStatements } : null,
  };
}
