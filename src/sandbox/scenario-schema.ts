// The shape of a scenario, as a schema: one simulated AWS account (plus any outside principals)
// with its IAM, catalog, workgroups, buckets, keys, Lake Formation settings and faults, and the
// types the sandbox reads it with. scenario.ts loads and checks scenario files against it.
import Type, { type Static } from 'typebox';

const Str = Type.String({ minLength: 1 });
const StrOrList = Type.Union([Str, Type.Array(Str)]);

const PrincipalSpec = Type.Union([
  Type.Literal('*'),
  Type.Object(
    { AWS: Type.Optional(StrOrList), Service: Type.Optional(StrOrList), Federated: Type.Optional(StrOrList) },
    { additionalProperties: false },
  ),
]);

export const PolicyStatementSchema = Type.Object(
  {
    Sid: Type.Optional(Type.String()),
    Effect: Type.Union([Type.Literal('Allow'), Type.Literal('Deny')]),
    Action: Type.Optional(StrOrList),
    NotAction: Type.Optional(StrOrList),
    Resource: Type.Optional(StrOrList),
    NotResource: Type.Optional(StrOrList),
    Principal: Type.Optional(PrincipalSpec),
    NotPrincipal: Type.Optional(PrincipalSpec),
    Condition: Type.Optional(
      Type.Record(Type.String(), Type.Record(Type.String(), Type.Union([Type.String(), Type.Boolean(), Type.Array(Type.Union([Type.String(), Type.Boolean()]))]))),
    ),
  },
  { additionalProperties: false },
);

export const PolicyDocumentSchema = Type.Object(
  {
    Version: Type.Optional(Type.Union([Type.Literal('2012-10-17'), Type.Literal('2008-10-17')])),
    Id: Type.Optional(Type.String()),
    Statement: Type.Union([PolicyStatementSchema, Type.Array(PolicyStatementSchema, { minItems: 1 })]),
  },
  { additionalProperties: false },
);

const AccountId = Type.String({ pattern: '^[0-9]{12}$' });
const Region = Type.String({ pattern: '^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$' });
const AccessKeyId = Type.String({ pattern: '^(AKIA|ASIA)[A-Z0-9]{12,124}$' });

const User = Type.Object(
  {
    name: Str,
    /** Defaults to the scenario's account: a principal of another account is how cross-account is modelled. */
    accountId: Type.Optional(AccountId),
    accessKeyId: AccessKeyId,
    secretAccessKey: Type.String({ minLength: 16 }),
    policies: Type.Array(PolicyDocumentSchema, { default: [] }),
    permissionsBoundary: Type.Optional(PolicyDocumentSchema),
    /** True for the identity the preflight service itself runs as (the base principal in role mode). */
    serviceIdentity: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const Role = Type.Object(
  {
    name: Str,
    accountId: Type.Optional(AccountId),
    trustPolicy: PolicyDocumentSchema,
    policies: Type.Array(PolicyDocumentSchema, { default: [] }),
    permissionsBoundary: Type.Optional(PolicyDocumentSchema),
    /** The external ID a caller is expected to present (printed on start; the trust policy is what enforces it). */
    externalId: Type.Optional(Str),
    maxSessionDurationSeconds: Type.Optional(Type.Integer({ minimum: 900, maximum: 43200 })),
  },
  { additionalProperties: false },
);

const Column = Type.Object({ name: Str, type: Str, comment: Type.Optional(Type.String()) }, { additionalProperties: false });

const Table = Type.Object(
  {
    name: Str,
    type: Type.Union([Type.Literal('EXTERNAL_TABLE'), Type.Literal('MANAGED_TABLE'), Type.Literal('VIRTUAL_VIEW')], { default: 'EXTERNAL_TABLE' }),
    columns: Type.Array(Column, { minItems: 1 }),
    partitionKeys: Type.Array(Column, { default: [] }),
    /** Each entry is one partition's values, in partitionKeys order. */
    partitions: Type.Array(Type.Array(Type.String()), { default: [] }),
    location: Type.Optional(Type.String()),
    viewOriginalText: Type.Optional(Type.String()),
    /** Number of stored versions (GetTableVersions); at least 1. */
    versions: Type.Integer({ minimum: 1, default: 1 }),
    registeredWithLakeFormation: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);

const UserDefinedFunction = Type.Object(
  { name: Str, className: Str, ownerName: Type.Optional(Type.String()), resourceUris: Type.Optional(Type.Array(Type.String())) },
  { additionalProperties: false },
);

const Database = Type.Object(
  {
    name: Str,
    description: Type.Optional(Type.String()),
    locationUri: Type.Optional(Type.String()),
    tables: Type.Array(Table, { default: [] }),
    functions: Type.Array(UserDefinedFunction, { default: [] }),
    /**
     * Created while the account defaulted to Lake Formation permissions (no IAM_ALLOWED_PRINCIPALS
     * grant on it): Lake Formation, not IAM alone, decides who may see it, so listings leave it out
     * and naming it is refused for a principal without a grant.
     */
    registeredWithLakeFormation: Type.Boolean({ default: false }),
    /**
     * A Lake Formation resource link: this database stands for another catalog's database (Glue
     * API, Database.TargetDatabase, a DatabaseIdentifier: CatalogId, DatabaseName, Region).
     * catalogId is a 12-digit account id or `<account>:<catalog path>`.
     */
    targetDatabase: Type.Optional(Type.Object({ catalogId: Str, name: Str, region: Type.Optional(Region) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

/**
 * A named catalog under the account's root catalog (Glue multi-catalog): `name` is its path,
 * e.g. `s3tablescatalog/acme-tables` (an S3 Tables child catalog, whose parent `s3tablescatalog`
 * is implied and holds no databases) or `sales_rs` (a federated or Redshift-managed catalog).
 */
const NamedCatalog = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9_-]+(/[a-z0-9_-]+)*$' }),
    description: Type.Optional(Type.String()),
    databases: Type.Array(Database, { default: [] }),
  },
  { additionalProperties: false },
);

const LakeFormationPermissionList = Type.Array(
  Type.Union([Type.Literal('ALL'), Type.Literal('DESCRIBE'), Type.Literal('SELECT'), Type.Literal('ALTER'), Type.Literal('DROP'), Type.Literal('INSERT'), Type.Literal('DELETE'), Type.Literal('CREATE_TABLE')]),
  { minItems: 1 },
);

/**
 * Another account's default Data Catalog, its Glue catalog resource policy, and what it shares
 * through Lake Formation with principals outside it (a cross-account grant, carried by RAM).
 */
const OtherAccount = Type.Object(
  {
    accountId: AccountId,
    glue: Type.Object(
      { databases: Type.Array(Database, { default: [] }), resourcePolicy: Type.Optional(PolicyDocumentSchema) },
      { additionalProperties: false, default: {} },
    ),
    lakeFormationShares: Type.Array(
      Type.Object(
        {
          /** A 12-digit account id or an IAM principal ARN (a role's grant covers its sessions). */
          principal: Str,
          database: Str,
          /** Absent: the database itself; '*': every table of it; else one table. */
          table: Type.Optional(Str),
          permissions: LakeFormationPermissionList,
        },
        { additionalProperties: false },
      ),
      { default: [] },
    ),
  },
  { additionalProperties: false },
);

const WorkGroup = Type.Object(
  {
    name: Str,
    state: Type.Union([Type.Literal('ENABLED'), Type.Literal('DISABLED')], { default: 'ENABLED' }),
    description: Type.Optional(Type.String()),
    outputLocation: Type.Optional(Type.String({ pattern: '^s3://' })),
    enforceWorkGroupConfiguration: Type.Boolean({ default: false }),
    encryption: Type.Optional(
      Type.Object(
        { option: Type.Union([Type.Literal('SSE_S3'), Type.Literal('SSE_KMS'), Type.Literal('CSE_KMS')]), kmsKey: Type.Optional(Str) },
        { additionalProperties: false },
      ),
    ),
    /** Athena managed query results: no S3 output location at all. */
    managedQueryResults: Type.Boolean({ default: false }),
    /** The KMS key that encrypts managed query results (ManagedQueryResultsConfiguration.EncryptionConfiguration). */
    managedQueryResultsKmsKey: Type.Optional(Str),
    /** ResultConfiguration.AclConfiguration: the canned ACL Athena sends with every result write. */
    aclOption: Type.Optional(Type.Literal('BUCKET_OWNER_FULL_CONTROL')),
    /** ResultConfiguration.ExpectedBucketOwner: Athena sends it with every call to the output bucket. */
    expectedBucketOwner: Type.Optional(AccountId),
  },
  { additionalProperties: false },
);

const QueryExecution = Type.Object(
  {
    id: Str,
    workgroup: Str,
    query: Str,
    state: Type.Union(
      [Type.Literal('QUEUED'), Type.Literal('RUNNING'), Type.Literal('SUCCEEDED'), Type.Literal('FAILED'), Type.Literal('CANCELLED')],
      { default: 'SUCCEEDED' },
    ),
    database: Type.Optional(Type.String()),
    submittedAt: Type.String({ format: 'date-time' }),
    /** Who ran it: shows up in CloudTrail's StartQueryExecution event. */
    userArn: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const DataCatalog = Type.Object(
  {
    name: Str,
    type: Type.Union([Type.Literal('GLUE'), Type.Literal('LAMBDA'), Type.Literal('HIVE')], { default: 'GLUE' }),
    description: Type.Optional(Type.String()),
    /**
     * GetDataCatalog's Parameters; default `{ "catalog-id": <scenario account> }`. A GLUE catalog
     * with another account's id is one registered from that account (Athena User Guide, "Register
     * a Data Catalog from another account").
     */
    parameters: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: false },
);

const S3Object = Type.Object({ key: Str, body: Type.String({ default: '' }) }, { additionalProperties: false });

const LifecycleRule = Type.Object(
  { id: Str, prefix: Type.String({ default: '' }), expirationDays: Type.Optional(Type.Integer({ minimum: 1 })), status: Type.Union([Type.Literal('Enabled'), Type.Literal('Disabled')], { default: 'Enabled' }) },
  { additionalProperties: false },
);

const Bucket = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' }),
    /** Defaults to the scenario's region. */
    region: Type.Optional(Region),
    accountId: Type.Optional(AccountId),
    encryption: Type.Optional(
      Type.Object(
        {
          // aws:kms:dsse is dual-layer SSE with KMS: for key access it behaves as aws:kms.
          algorithm: Type.Union([Type.Literal('AES256'), Type.Literal('aws:kms'), Type.Literal('aws:kms:dsse')]),
          kmsKeyId: Type.Optional(Str),
          bucketKeyEnabled: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
    lifecycleRules: Type.Optional(Type.Array(LifecycleRule)),
    policy: Type.Optional(PolicyDocumentSchema),
    objects: Type.Array(S3Object, { default: [] }),
  },
  { additionalProperties: false },
);

const KmsKey = Type.Object(
  {
    id: Type.String({ pattern: '^[0-9a-f-]{36}$' }),
    alias: Type.Optional(Type.String({ pattern: '^alias/' })),
    description: Type.Optional(Type.String()),
    /** Key policy. A statement naming the account root delegates to IAM policies, as in AWS. */
    policy: PolicyDocumentSchema,
    state: Type.Union([Type.Literal('Enabled'), Type.Literal('Disabled'), Type.Literal('PendingDeletion')], { default: 'Enabled' }),
  },
  { additionalProperties: false },
);

const LakeFormationGrant = Type.Object(
  {
    principal: Str,
    database: Str,
    /** Absent: a grant on the database itself; '*' : all tables of the database. */
    table: Type.Optional(Str),
    permissions: LakeFormationPermissionList,
  },
  { additionalProperties: false },
);

const CloudTrailEvent = Type.Object(
  {
    eventName: Str,
    eventSource: Str,
    eventTime: Type.String({ format: 'date-time' }),
    username: Type.Optional(Type.String()),
    resources: Type.Optional(Type.Array(Type.Object({ type: Str, name: Str }, { additionalProperties: false }))),
  },
  { additionalProperties: false },
);

const Fault = Type.Object(
  {
    /** Service signing name (sts, glue, athena, cloudtrail, s3, kms, lakeformation); absent = every service. */
    service: Type.Optional(Str),
    /** Operation name as in the API reference (e.g. ListQueryExecutions); absent = every operation. */
    operation: Type.Optional(Str),
    latencyMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 600000 })),
    jitterMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 600000 })),
    /** Throttle with the protocol's throttling error: beyond ratePerSecond, or with this probability. */
    throttle: Type.Optional(
      Type.Object(
        { ratePerSecond: Type.Optional(Type.Number({ exclusiveMinimum: 0 })), probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })) },
        { additionalProperties: false },
      ),
    ),
    serverErrorProbability: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    /** Accept the request and never answer. */
    hang: Type.Optional(Type.Boolean()),
    /**
     * Answer with the real status and headers, send this many bytes of the body, then stall with
     * the connection open: a client that stops waiting only for the headers hangs.
     */
    stallBodyAfterBytes: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Carry the request out (a write is applied), then never answer: the client cannot tell it happened. */
    hangAfterApplying: Type.Optional(Type.Boolean()),
    resetProbability: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);

export const ScenarioSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$' }),
    description: Str,
    /** Name of a built-in scenario whose top-level sections this one starts from (shallow, per section). */
    extends: Type.Optional(Str),
    accountId: AccountId,
    region: Region,
    /** Seed for every random choice (faults, ids), so that a run can be repeated. */
    seed: Type.Integer({ default: 1 }),
    users: Type.Array(User, { default: [] }),
    roles: Type.Array(Role, { default: [] }),
    /** Service control policies that apply to every principal of the scenario's account. */
    serviceControlPolicies: Type.Array(PolicyDocumentSchema, { default: [] }),
    glue: Type.Object(
      {
        databases: Type.Array(Database, { default: [] }),
        catalogs: Type.Array(NamedCatalog, { default: [] }),
        catalogEncryption: Type.Optional(
          Type.Object(
            {
              kmsKeyId: Type.Optional(Str),
              connectionPasswordKmsKeyId: Type.Optional(Str),
              /**
               * GetDataCatalogEncryptionSettings' EncryptionAtRest.CatalogEncryptionMode when kmsKeyId is
               * set (default SSE-KMS). SSE-KMS-WITH-SERVICE-ROLE: Glue assumes serviceRole to use the key
               * (EncryptionAtRest.CatalogEncryptionServiceRole), so callers need no rights on the key.
               */
              mode: Type.Optional(Type.Union([Type.Literal('SSE-KMS'), Type.Literal('SSE-KMS-WITH-SERVICE-ROLE')])),
              serviceRole: Type.Optional(Type.String({ pattern: '^arn:aws:iam::[0-9]{12}:role/.+' })),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Other accounts' catalogs the scenario's principals may reach (cross-account, Lake Formation shares). */
    otherAccounts: Type.Array(OtherAccount, { default: [] }),
    athena: Type.Object(
      {
        workgroups: Type.Array(WorkGroup, { default: [] }),
        dataCatalogs: Type.Array(DataCatalog, { default: [] }),
        queryExecutions: Type.Array(QueryExecution, { default: [] }),
        /** Answer denials with Athena's older "You are not authorized to perform: … on the resource." text. */
        legacyDenialMessages: Type.Boolean({ default: false }),
      },
      { additionalProperties: false, default: {} },
    ),
    cloudtrail: Type.Object(
      { events: Type.Array(CloudTrailEvent, { default: [] }), lookupRatePerSecond: Type.Number({ exclusiveMinimum: 0, default: 2 }) },
      { additionalProperties: false, default: {} },
    ),
    s3: Type.Object({ buckets: Type.Array(Bucket, { default: [] }) }, { additionalProperties: false, default: {} }),
    kms: Type.Object({ keys: Type.Array(KmsKey, { default: [] }) }, { additionalProperties: false, default: {} }),
    lakeFormation: Type.Object(
      {
        admins: Type.Array(Str, { default: [] }),
        /** True: new databases and tables default to IAM_ALLOWED_PRINCIPALS/ALL (IAM-only access). */
        iamAllowedPrincipalsByDefault: Type.Boolean({ default: true }),
        grants: Type.Array(LakeFormationGrant, { default: [] }),
        /**
         * Who may create databases in the account's catalog (Lake Formation's "Database creators",
         * CREATE_DATABASE on the catalog): principal ARNs, and IAM_ALLOWED_PRINCIPALS, which holds it
         * by default and stands for every principal IAM allows glue:CreateDatabase.
         */
        databaseCreators: Type.Array(Str, { default: ['IAM_ALLOWED_PRINCIPALS'] }),
      },
      { additionalProperties: false, default: {} },
    ),
    /**
     * Where the scenario's principals make their own requests from (the preflight service's network,
     * a customer's laptop): absent, a public address (DEFAULT_SOURCE_IP). sourceVpce is an S3 gateway
     * endpoint in sourceVpc: direct S3 requests go through it (aws:SourceVpce, aws:SourceVpc,
     * aws:VpcSourceIp, no aws:SourceIp) and its policy applies to them; every other service is reached
     * from sourceIp (a NAT gateway's address). Requests services make on a caller's behalf (Athena's)
     * carry none of these.
     */
    network: Type.Optional(
      Type.Object(
        {
          sourceIp: Type.Optional(Type.Union([Type.String({ format: 'ipv4' }), Type.String({ format: 'ipv6' })])),
          sourceVpce: Type.Optional(Type.String({ pattern: '^vpce-[0-9a-f]{8,17}$' })),
          sourceVpc: Type.Optional(Type.String({ pattern: '^vpc-[0-9a-f]{8,17}$' })),
          vpcSourceIp: Type.Optional(Type.Union([Type.String({ format: 'ipv4' }), Type.String({ format: 'ipv6' })])),
          /** The S3 gateway endpoint's policy (absent: the default, full access). */
          vpcEndpointPolicy: Type.Optional(PolicyDocumentSchema),
        },
        { additionalProperties: false },
      ),
    ),
    faults: Type.Array(Fault, { default: [] }),
    /**
     * The connection a preflight of this scenario uses (demo, tests, the web page): which principal
     * signs ("user:NAME" or "role:NAME", the role assumed by the service identity) and the request's
     * other fields (athena, glue, capabilities, required, options), without secrets.
     */
    sample: Type.Optional(
      Type.Object(
        { credentials: Type.String({ pattern: '^(user|role):[A-Za-z0-9+=,.@_-]+$' }), request: Type.Record(Type.String(), Type.Unknown(), { default: {} }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type Scenario = Static<typeof ScenarioSchema>;
export type PolicyDocument = Static<typeof PolicyDocumentSchema>;
export type PolicyStatement = Static<typeof PolicyStatementSchema>;
export type ScenarioUser = Scenario['users'][number];
export type ScenarioRole = Scenario['roles'][number];
export type ScenarioTable = Scenario['glue']['databases'][number]['tables'][number];
export type ScenarioWorkGroup = Scenario['athena']['workgroups'][number];
export type ScenarioBucket = Scenario['s3']['buckets'][number];
export type ScenarioFault = Scenario['faults'][number];
export type ScenarioDatabase = Scenario['glue']['databases'][number];
export type ScenarioOtherAccount = Scenario['otherAccounts'][number];
export type LakeFormationShare = ScenarioOtherAccount['lakeFormationShares'][number];
export type ScenarioNetwork = NonNullable<Scenario['network']>;
