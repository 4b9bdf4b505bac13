// Glue Data Catalog reads over awsJson1.1. Every action is checked on the resource and its
// ancestors (catalog > database > table or function), as the Service Authorization Reference and
// the Glue guide say. The database, table and search listings check the catalog and the parent
// and leave out the children the caller may not read, as the guide documents for GetTables
// ("Filter tables by GetTables permission": no table ARN allowed, an empty list; no database ARN,
// AccessDeniedException). Tables governed by Lake Formation are likewise left out for principals
// without a grant. Which catalog a request names (the default one, a named catalog under the root,
// another account's) and how cross-account reads are decided is in glue-catalogs.ts.
import { isDatabaseVisible, isTableVisible, kmsDecision } from '../governance.js';
import { accessDeniedMessage } from '../../iam/evaluate.js';
import { intField, jsonService, paginate, stringField } from '../protocols.js';
import type { ScenarioTable } from '../scenario.js';
import { AwsError, type ServiceCall } from '../types.js';
import { allowedIn, authorizeIn, type CatalogRef, catalogArns, catalogShape, namedCatalogPaths, requireShare, resolveCatalog, sharedDatabaseNames } from './glue-catalogs.js';

type Input = Record<string, unknown>;
type Database = ServiceCall['state']['scenario']['glue']['databases'][number];
type UserDefinedFunction = Database['functions'][number];

const CREATED = new Date('2026-01-15T08:00:00Z');

function arns(call: ServiceCall, ref: CatalogRef) {
  return catalogArns(call.region, ref);
}

/**
 * The catalog a request names (CatalogId, see parseCatalogId). One that does not exist is refused
 * as Glue would on its ARN first (another account's catalog without a resource-policy statement:
 * "because no resource-based policy allows"), else EntityNotFoundException.
 */
function catalogOf(call: ServiceCall, input: Input, field = 'CatalogId'): CatalogRef {
  const ref = resolveCatalog(call.state, stringField(input, field));
  if (!ref.exists) {
    authorizeIn(call, ref, `glue:${call.operation}`, arns(call, ref).chain);
    throw new AwsError('EntityNotFoundException', `Catalog ${ref.id} not found.`);
  }
  return ref;
}

/** Lake Formation governance is modelled on the scenario account's default catalog. */
function governed(ref: CatalogRef): boolean {
  return ref.owner === 'local' && !ref.path;
}

/**
 * A read through a Lake Formation resource link: checked on the link (its own ARNs in the caller's
 * catalog, already done by the caller) and on the target in the owning catalog, where the owner's
 * share stands in for the resource policy; without a share Lake Formation refuses. The tables are
 * the target's, carrying the owner's CatalogId (Lake Formation Developer Guide, "Creating resource
 * links": queries and Glue reads through a link act on the target). The exact error text for a
 * link whose share is gone is not documented; the sandbox uses Lake Formation's usual wording.
 */
function throughLink(call: ServiceCall, ref: CatalogRef, database: Database, resources: (arn: ReturnType<typeof arns>, database: string) => string[]) {
  const link = database.targetDatabase;
  if (!link) return { ref, database };
  const target = resolveCatalog(call.state, link.catalogId);
  const name = link.name.toLowerCase();
  requireShare(call, target, name);
  authorizeIn(call, target, `glue:${call.operation}`, resources(arns(call, target), name));
  const found = target.databases.find((d) => d.name === name);
  if (!target.exists || !found) throw new AwsError('EntityNotFoundException', `Database ${link.name} not found.`);
  return { ref: target, database: found };
}

function required(input: Input, name: string): string {
  return stringField(input, name, { required: true })!;
}

/**
 * Page size of a catalog listing. The model says 1–100, but Glue cuts larger values (up to the
 * 1000 it once documented) to 100 instead of refusing them (aws/aws-sdk-go#4203).
 */
function catalogPageSize(input: Input): number {
  return Math.min(intField(input, 'MaxResults', 1, 1000) ?? 100, 100);
}

/** Glue name patterns are Hive's: `*` matches anything and `|` separates alternatives. */
function namePattern(pattern: string | undefined): RegExp | undefined {
  if (!pattern) return undefined;
  try {
    return new RegExp(`^(?:${pattern.replace(/\*/g, '.*')})$`, 'i');
  } catch {
    throw new AwsError('InvalidInputException', `Invalid pattern: ${pattern}`);
  }
}

function findDatabase(call: ServiceCall, ref: CatalogRef, name: string): Database {
  const database = ref.databases.find((d) => d.name === name.toLowerCase());
  if (!database) throw new AwsError('EntityNotFoundException', `Database ${name} not found.`);
  // Named directly, a database Lake Formation hides is refused, in Lake Formation's words.
  if (governed(ref) && !isDatabaseVisible(call.state, call.caller, database.name)) {
    throw new AwsError('AccessDeniedException', `Insufficient Lake Formation permission(s): Required Describe on ${database.name}`);
  }
  return database;
}

function findTable(call: ServiceCall, ref: CatalogRef, database: Database, name: string): ScenarioTable {
  const table = database.tables.find((t) => t.name === name.toLowerCase());
  if (!table) throw new AwsError('EntityNotFoundException', `Table ${name} not found.`);
  // Named directly, a governed table is refused rather than hidden.
  if (governed(ref) && !isTableVisible(call.state, call.caller, database.name, table.name)) {
    throw new AwsError('AccessDeniedException', `Insufficient Lake Formation permission(s) on ${table.name}`);
  }
  return table;
}

/** A read of one table (its metadata, partitions or versions): checked on the table and its ancestors. */
function tableContext(call: ServiceCall, input: Input, tableField = 'TableName') {
  const databaseName = required(input, 'DatabaseName');
  const tableName = required(input, tableField);
  const ref = catalogOf(call, input);
  const arn = arns(call, ref);
  authorizeIn(call, ref, `glue:${call.operation}`, [...arn.chain, arn.database(databaseName.toLowerCase()), arn.table(databaseName.toLowerCase(), tableName.toLowerCase())]);
  const linked = throughLink(call, ref, findDatabase(call, ref, databaseName), (target, name) => [...target.chain, target.database(name), target.table(name, tableName.toLowerCase())]);
  return { catalogId: linked.ref.id, database: linked.database, table: findTable(call, linked.ref, linked.database, tableName) };
}

function databaseShape(call: ServiceCall, database: Database, catalogId: string) {
  const target = database.targetDatabase;
  return {
    Name: database.name,
    Description: database.description,
    LocationUri: database.locationUri,
    Parameters: {},
    CreateTime: CREATED,
    CreateTableDefaultPermissions: call.state.scenario.lakeFormation.iamAllowedPrincipalsByDefault
      ? [{ Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Permissions: ['ALL'] }]
      : [],
    CatalogId: catalogId,
    ...(target ? { TargetDatabase: { CatalogId: target.catalogId, DatabaseName: target.name, Region: target.region ?? call.region } } : {}),
  };
}

function columns(list: ScenarioTable['columns']) {
  return list.map((column) => ({ Name: column.name, Type: column.type, ...(column.comment ? { Comment: column.comment } : {}) }));
}

function storageDescriptor(table: ScenarioTable, location: string | undefined) {
  return {
    Columns: columns(table.columns),
    ...(location ? { Location: location } : {}),
    InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
    Compressed: false,
    NumberOfBuckets: -1,
    SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', Parameters: { 'serialization.format': '1' } },
    StoredAsSubDirectories: false,
  };
}

function tableShape(database: Database, table: ScenarioTable, catalogId: string, version = table.versions) {
  const view = table.type === 'VIRTUAL_VIEW';
  return {
    Name: table.name,
    DatabaseName: database.name,
    Owner: 'hadoop',
    CreateTime: CREATED,
    UpdateTime: new Date(CREATED.getTime() + version * 86_400_000),
    Retention: 0,
    StorageDescriptor: storageDescriptor(table, view ? undefined : table.location),
    PartitionKeys: columns(table.partitionKeys),
    ...(table.viewOriginalText ? { ViewOriginalText: table.viewOriginalText, ViewExpandedText: table.viewOriginalText } : {}),
    TableType: table.type,
    Parameters: view ? { presto_view: 'true' } : { classification: 'parquet' },
    IsRegisteredWithLakeFormation: table.registeredWithLakeFormation,
    CatalogId: catalogId,
    VersionId: String(version),
  };
}

function partitionShape(database: Database, table: ScenarioTable, values: string[], catalogId: string) {
  const suffix = table.partitionKeys.map((key, index) => `${key.name}=${values[index]}`).join('/');
  return {
    Values: values,
    DatabaseName: database.name,
    TableName: table.name,
    CreationTime: CREATED,
    StorageDescriptor: storageDescriptor(table, table.location ? `${table.location.replace(/\/?$/, '/')}${suffix}/` : undefined),
    Parameters: {},
    CatalogId: catalogId,
  };
}

function udfShape(database: Database, udf: UserDefinedFunction, catalogId: string) {
  return {
    FunctionName: udf.name,
    DatabaseName: database.name,
    ClassName: udf.className,
    OwnerName: udf.ownerName ?? 'hadoop',
    OwnerType: 'USER',
    CreateTime: CREATED,
    ResourceUris: (udf.resourceUris ?? []).map((uri) => ({ ResourceType: 'JAR', Uri: uri })),
    CatalogId: catalogId,
  };
}

/**
 * The databases other accounts share with the caller through Lake Formation (GetDatabases with
 * ResourceShareType FOREIGN or ALL), each with its owner's CatalogId. Listed as Glue lists: only
 * those the caller's IAM policies let it read (the share stands in for the owner's side).
 */
function sharedWithCaller(call: ServiceCall) {
  return call.state.scenario.otherAccounts.flatMap((other) => {
    const owner = resolveCatalog(call.state, other.accountId);
    const arn = arns(call, owner);
    return sharedDatabaseNames(owner, call.caller)
      .map((name) => owner.databases.find((database) => database.name === name))
      .filter((database): database is Database => database !== undefined && allowedIn(call, owner, 'glue:GetDatabases', arn.database(database.name)))
      .map((database) => databaseShape(call, database, owner.id));
  });
}

const COMPARISON = /^\s*(\w+)\s*(=|<>|!=|<=|>=|<|>)\s*(?:'([^']*)'|(-?\d+(?:\.\d+)?))\s*$/;

/** A partition predicate of comparisons of a key with a literal, joined by AND and OR (no parentheses). */
function partitionPredicate(table: ScenarioTable, expression: string | undefined): (values: string[]) => boolean {
  if (!expression?.trim()) return () => true;
  const clause = (text: string) => {
    const match = COMPARISON.exec(text);
    const index = match ? table.partitionKeys.findIndex((key) => key.name.toLowerCase() === match[1]!.toLowerCase()) : -1;
    if (!match || index < 0) throw new AwsError('InvalidInputException', `Unsupported expression: ${expression}`);
    const [, , operator, quoted, number] = match;
    return (values: string[]) => {
      const value = values[index] ?? '';
      const order = number !== undefined ? Math.sign(Number(value) - Number(number)) : value < quoted! ? -1 : value > quoted! ? 1 : 0;
      return { '=': order === 0, '<>': order !== 0, '!=': order !== 0, '<': order < 0, '<=': order <= 0, '>': order > 0, '>=': order >= 0 }[operator!]!;
    };
  };
  const alternatives = expression.split(/\s+or\s+/i).map((alternative) => alternative.split(/\s+and\s+/i).map(clause));
  return (values) => alternatives.some((all) => all.every((test) => test(values)));
}

function samePartition(values: unknown): (partition: string[]) => boolean {
  return (partition) => Array.isArray(values) && partition.length === values.length && partition.every((value, index) => value === values[index]);
}

/**
 * With the Data Catalog encrypted at rest (SSE-KMS), Glue decrypts what it returns with the
 * caller's rights: a read the caller may make is still refused without kms:Decrypt on the
 * catalog's key, in KMS's words (AWS Glue Developer Guide, "Encrypting your Data Catalog"). In
 * SSE-KMS-WITH-SERVICE-ROLE mode Glue uses the key as the role it is given ("The role that AWS Glue
 * assumes to encrypt and decrypt the Data Catalog objects on the caller's behalf", Glue API,
 * EncryptionAtRest.CatalogEncryptionServiceRole): the caller needs no right on the key. `calledVia`
 * names the services the read came through (Athena reads the catalog for its caller).
 */
export function requireCatalogKey(call: ServiceCall, calledVia: readonly string[] = []): void {
  const encryption = call.state.scenario.glue.catalogEncryption;
  if (!encryption?.kmsKeyId || encryption.mode === 'SSE-KMS-WITH-SERVICE-ROLE') return;
  const { keyArn, decision } = kmsDecision(call.state, call.caller, 'kms:Decrypt', encryption.kmsKeyId, { service: 'glue', calledVia });
  if (!decision.allowed) throw new AwsError('AccessDeniedException', accessDeniedMessage(call.caller.arn, 'kms:Decrypt', keyArn, decision.denial));
}

type Operations = Parameters<typeof jsonService>[0]['operations'];

/** Every catalog read decrypts; the encryption settings themselves are not encrypted. */
function decrypting(operations: Operations): Operations {
  return Object.fromEntries(
    Object.entries(operations).map(([name, operation]) => [
      name,
      name === 'GetDataCatalogEncryptionSettings'
        ? operation
        : async (input: Parameters<typeof operation>[0], call: ServiceCall) => {
            const output = await operation(input, call);
            requireCatalogKey(call);
            return output;
          },
    ]),
  );
}

export const glue = jsonService({
  signingName: 'glue',
  targetPrefix: 'AWSGlue',
  operations: decrypting({
    GetCatalogs(input, call) {
      const size = intField(input, 'MaxResults', 1, 1000) ?? 100;
      const parent = resolveCatalog(call.state, stringField(input, 'ParentCatalogId'));
      // API reference, GetCatalogs: IncludeRoot with a ParentCatalogId other than an account id is
      // refused with InvalidInputException (its text also reads as refusing any ParentCatalogId; the
      // sandbox accepts an account id, which the same paragraph allows).
      if (input.IncludeRoot !== undefined && input.IncludeRoot !== null && parent.path) {
        throw new AwsError('InvalidInputException', 'IncludeRoot is only valid when ParentCatalogId is absent or an account id.');
      }
      // Service Authorization Reference: glue:GetCatalogs takes the root catalog (rootcatalog required).
      authorizeIn(call, parent, 'glue:GetCatalogs', [arns(call, parent).root]);
      if (!parent.exists) throw new AwsError('EntityNotFoundException', `Catalog ${parent.id} not found.`);
      const prefix = parent.path ? `${parent.path}/` : '';
      const named = parent.owner === 'local' ? namedCatalogPaths(call.state) : [];
      const declared = new Map(call.state.scenario.glue.catalogs.map((catalog) => [catalog.name, catalog]));
      const children = named.filter((path) => path.startsWith(prefix) && path !== parent.path && (input.Recursive === true || !path.slice(prefix.length).includes('/')));
      // HasDatabases: implied containers (s3tablescatalog) hold only catalogs.
      const listed = input.HasDatabases === true ? children.filter((path) => declared.has(path)) : children;
      const entries = [
        ...(input.IncludeRoot === true ? [catalogShape(call.region, { accountId: parent.accountId }, undefined, CREATED)] : []),
        ...listed.map((path) => catalogShape(call.region, { accountId: parent.accountId, path }, declared.get(path)?.description, CREATED)),
      ];
      const { page, nextToken } = paginate(entries, input.NextToken, size);
      return { CatalogList: page, NextToken: nextToken };
    },

    GetCatalog(input, call) {
      const ref = resolveCatalog(call.state, required(input, 'CatalogId'));
      // Checked on the root, each ancestor and the catalog itself (Service Authorization Reference:
      // catalog and rootcatalog resources for glue:GetCatalog).
      authorizeIn(call, ref, 'glue:GetCatalog', arns(call, ref).chain);
      if (!ref.exists) throw new AwsError('EntityNotFoundException', `Catalog ${ref.id} not found.`);
      const description = ref.path ? call.state.scenario.glue.catalogs.find((catalog) => catalog.name === ref.path)?.description : undefined;
      return { Catalog: catalogShape(call.region, ref, description, CREATED) };
    },

    GetDatabases(input, call) {
      const size = catalogPageSize(input);
      const ref = catalogOf(call, input);
      const arn = arns(call, ref);
      authorizeIn(call, ref, 'glue:GetDatabases', arn.chain);
      const shareType = input.ResourceShareType;
      if (shareType !== undefined && shareType !== 'FOREIGN' && shareType !== 'ALL' && shareType !== 'FEDERATED') {
        throw new AwsError('InvalidInputException', `Invalid ResourceShareType: ${String(shareType)}`);
      }
      // Botocore's model: absent lists the local databases, FOREIGN those shared with the account,
      // ALL both; FEDERATED the federated ones, none of which is modelled.
      const local =
        shareType === 'FOREIGN' || shareType === 'FEDERATED'
          ? []
          : ref.databases
              .filter((database) => allowedIn(call, ref, 'glue:GetDatabases', arn.database(database.name)) && (!governed(ref) || isDatabaseVisible(call.state, call.caller, database.name)))
              .map((database) => databaseShape(call, database, ref.id));
      const foreign = (shareType === 'FOREIGN' || shareType === 'ALL') && governed(ref) ? sharedWithCaller(call) : [];
      const { page, nextToken } = paginate([...local, ...foreign], input.NextToken, size);
      return { DatabaseList: page, NextToken: nextToken };
    },

    GetDatabase(input, call) {
      const name = required(input, 'Name');
      const ref = catalogOf(call, input);
      const arn = arns(call, ref);
      authorizeIn(call, ref, 'glue:GetDatabase', [...arn.chain, arn.database(name.toLowerCase())]);
      return { Database: databaseShape(call, findDatabase(call, ref, name), ref.id) };
    },

    GetTables(input, call) {
      const size = catalogPageSize(input);
      const pattern = namePattern(stringField(input, 'Expression'));
      const databaseName = required(input, 'DatabaseName');
      const ref = catalogOf(call, input);
      const arn = arns(call, ref);
      authorizeIn(call, ref, 'glue:GetTables', [...arn.chain, arn.database(databaseName.toLowerCase())]);
      const linked = throughLink(call, ref, findDatabase(call, ref, databaseName), (target, name) => [...target.chain, target.database(name)]);
      const database = linked.database;
      const tableArn = arns(call, linked.ref);
      const listed = database.tables.filter(
        (table) =>
          (!pattern || pattern.test(table.name)) &&
          allowedIn(call, linked.ref, 'glue:GetTables', tableArn.table(database.name, table.name)) &&
          (!governed(linked.ref) || isTableVisible(call.state, call.caller, database.name, table.name)),
      );
      const { page, nextToken } = paginate(listed, input.NextToken, size);
      return { TableList: page.map((table) => tableShape(database, table, linked.ref.id)), NextToken: nextToken };
    },

    GetTable(input, call) {
      const { catalogId, database, table } = tableContext(call, input, 'Name');
      return { Table: tableShape(database, table, catalogId) };
    },

    GetPartitions(input, call) {
      const size = intField(input, 'MaxResults', 1, 1000) ?? 1000;
      const expression = stringField(input, 'Expression');
      const { catalogId, database, table } = tableContext(call, input);
      const matches = partitionPredicate(table, expression);
      const { page, nextToken } = paginate(table.partitions.filter(matches), input.NextToken, size);
      return { Partitions: page.map((values) => partitionShape(database, table, values, catalogId)), NextToken: nextToken };
    },

    GetPartition(input, call) {
      const { catalogId, database, table } = tableContext(call, input);
      if (!Array.isArray(input.PartitionValues)) {
        throw new AwsError('ValidationException', "1 validation error detected: Value null at 'partitionValues' failed to satisfy constraint: Member must not be null");
      }
      const found = table.partitions.find(samePartition(input.PartitionValues));
      if (!found) throw new AwsError('EntityNotFoundException', 'Cannot find partition.');
      return { Partition: partitionShape(database, table, found, catalogId) };
    },

    BatchGetPartition(input, call) {
      const { catalogId, database, table } = tableContext(call, input);
      const wanted = input.PartitionsToGet;
      if (!Array.isArray(wanted)) {
        throw new AwsError('ValidationException', "1 validation error detected: Value null at 'partitionsToGet' failed to satisfy constraint: Member must not be null");
      }
      if (wanted.length > 1000) {
        throw new AwsError('ValidationException', "1 validation error detected: Value at 'partitionsToGet' failed to satisfy constraint: Member must have length less than or equal to 1000");
      }
      // Partitions that do not exist are simply absent from the answer, as in Glue.
      const partitions = wanted.flatMap((entry: { Values?: unknown }) => {
        const found = table.partitions.find(samePartition(entry?.Values));
        return found ? [partitionShape(database, table, found, catalogId)] : [];
      });
      return { Partitions: partitions, UnprocessedKeys: [] };
    },

    GetTableVersions(input, call) {
      const size = catalogPageSize(input);
      const { catalogId, database, table } = tableContext(call, input);
      const newestFirst = Array.from({ length: table.versions }, (_, index) => table.versions - index);
      const { page, nextToken } = paginate(newestFirst, input.NextToken, size);
      return { TableVersions: page.map((version) => ({ Table: tableShape(database, table, catalogId, version), VersionId: String(version) })), NextToken: nextToken };
    },

    GetTableVersion(input, call) {
      const { catalogId, database, table } = tableContext(call, input);
      const versionId = stringField(input, 'VersionId') ?? String(table.versions);
      const version = Number(versionId);
      if (!/^\d+$/.test(versionId) || version < 1 || version > table.versions) throw new AwsError('EntityNotFoundException', `Version ${versionId} not found.`);
      return { TableVersion: { Table: tableShape(database, table, catalogId, version), VersionId: String(version) } };
    },

    GetUserDefinedFunctions(input, call) {
      const size = catalogPageSize(input);
      const pattern = namePattern(required(input, 'Pattern'))!;
      const databaseName = stringField(input, 'DatabaseName');
      const ref = catalogOf(call, input);
      const arn = arns(call, ref);
      // Unlike GetTables, no guide says this listing is filtered: it is checked against every
      // function it may return, so a policy without a userDefinedFunction ARN is refused.
      const scope = databaseName?.toLowerCase() ?? '*';
      authorizeIn(call, ref, 'glue:GetUserDefinedFunctions', [...arn.chain, arn.database(scope), arn.udf(scope, '*')]);
      const sources = databaseName
        ? [throughLink(call, ref, findDatabase(call, ref, databaseName), (target, name) => [...target.chain, target.database(name), target.udf(name, '*')])]
        : ref.databases.map((database) => ({ ref, database }));
      const functions = sources.flatMap(({ ref: owner, database }) => database.functions.filter((udf) => pattern.test(udf.name)).map((udf) => udfShape(database, udf, owner.id)));
      const { page, nextToken } = paginate(functions, input.NextToken, size);
      return { UserDefinedFunctions: page, NextToken: nextToken };
    },

    GetUserDefinedFunction(input, call) {
      const databaseName = required(input, 'DatabaseName');
      const name = required(input, 'FunctionName');
      const ref = catalogOf(call, input);
      const arn = arns(call, ref);
      authorizeIn(call, ref, 'glue:GetUserDefinedFunction', [...arn.chain, arn.database(databaseName.toLowerCase()), arn.udf(databaseName.toLowerCase(), name.toLowerCase())]);
      const linked = throughLink(call, ref, findDatabase(call, ref, databaseName), (target, db) => [...target.chain, target.database(db), target.udf(db, name.toLowerCase())]);
      const found = linked.database.functions.find((udf) => udf.name === name.toLowerCase());
      if (!found) throw new AwsError('EntityNotFoundException', `Function ${name} not found.`);
      return { UserDefinedFunction: udfShape(linked.database, found, linked.ref.id) };
    },

    SearchTables(input, call) {
      const size = intField(input, 'MaxResults', 1, 1000) ?? 100;
      const text = (stringField(input, 'SearchText') ?? '').toLowerCase();
      const ref = catalogOf(call, input);
      const arn = arns(call, ref);
      authorizeIn(call, ref, 'glue:SearchTables', arn.chain);
      const matchesText = (database: Database, table: ScenarioTable) =>
        !text || [database.name, table.name, ...table.columns.flatMap((c) => [c.name, c.comment ?? ''])].some((field) => field.toLowerCase().includes(text));
      // The search never fails on what the caller may not read: it leaves it out. It searches the
      // catalog's own tables; resource links are not followed (undocumented: the sandbox's choice).
      const found = ref.databases
        .filter((database) => allowedIn(call, ref, 'glue:SearchTables', arn.database(database.name)) && (!governed(ref) || isDatabaseVisible(call.state, call.caller, database.name)))
        .flatMap((database) =>
          database.tables
            .filter(
              (table) =>
                matchesText(database, table) &&
                allowedIn(call, ref, 'glue:SearchTables', arn.table(database.name, table.name)) &&
                (!governed(ref) || isTableVisible(call.state, call.caller, database.name, table.name)),
            )
            .map((table) => tableShape(database, table, ref.id)),
        );
      const { page, nextToken } = paginate(found, input.NextToken, size);
      return { TableList: page, NextToken: nextToken };
    },

    GetDataCatalogEncryptionSettings(input, call) {
      const ref = catalogOf(call, input);
      authorizeIn(call, ref, 'glue:GetDataCatalogEncryptionSettings', arns(call, ref).chain);
      const encryption = call.state.scenario.glue.catalogEncryption;
      return {
        DataCatalogEncryptionSettings: {
          EncryptionAtRest: encryption?.kmsKeyId
            ? { CatalogEncryptionMode: encryption.mode ?? 'SSE-KMS', SseAwsKmsKeyId: encryption.kmsKeyId, ...(encryption.serviceRole ? { CatalogEncryptionServiceRole: encryption.serviceRole } : {}) }
            : { CatalogEncryptionMode: 'DISABLED' },
          ConnectionPasswordEncryption: encryption?.connectionPasswordKmsKeyId
            ? { ReturnConnectionPasswordEncrypted: true, AwsKmsKeyId: encryption.connectionPasswordKmsKeyId }
            : { ReturnConnectionPasswordEncrypted: false },
        },
      };
    },
  }),
  throttling: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
  serverError: { code: 'InternalServiceException', status: 500, message: 'Internal service exception' },
});
