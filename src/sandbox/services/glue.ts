// Glue Data Catalog reads over awsJson1.1. Every action is checked on the resource and its
// ancestors (catalog > database > table or function), as the Service Authorization Reference and
// the Glue guide say. The database, table and search listings check the catalog and the parent
// and leave out the children the caller may not read, as the guide documents for GetTables
// ("Filter tables by GetTables permission": no table ARN allowed, an empty list; no database ARN,
// AccessDeniedException). Tables governed by Lake Formation are likewise left out for principals
// without a grant.
import { isDatabaseVisible, isTableVisible, kmsDecision } from '../governance.js';
import { accessDeniedMessage } from '../iam/evaluate.js';
import { intField, jsonService, paginate, stringField } from '../protocols.js';
import type { ScenarioTable } from '../scenario.js';
import { AwsError, type ServiceCall } from '../types.js';

type Input = Record<string, unknown>;
type Database = ServiceCall['state']['scenario']['glue']['databases'][number];
type UserDefinedFunction = Database['functions'][number];

const CREATED = new Date('2026-01-15T08:00:00Z');

function arns(call: ServiceCall, catalogId: string) {
  const prefix = `arn:aws:glue:${call.region}:${catalogId}`;
  return {
    catalog: `${prefix}:catalog`,
    database: (database: string) => `${prefix}:database/${database}`,
    table: (database: string, table: string) => `${prefix}:table/${database}/${table}`,
    udf: (database: string, name: string) => `${prefix}:userDefinedFunction/${database}/${name}`,
  };
}

/** The catalog a request names: the caller's account unless CatalogId says otherwise. */
function catalogOf(call: ServiceCall, input: Input): string {
  const catalogId = stringField(input, 'CatalogId') ?? call.state.accountId;
  if (catalogId === call.state.accountId) return catalogId;
  // Another account's catalog needs its resource policy too, and no scenario gives one: IAM refuses
  // on the identity side, or else "because no resource-based policy allows". Were it allowed, the
  // catalog would still not be here.
  call.authorize(`glue:${call.operation}`, arns(call, catalogId).catalog, { resourceAccountId: catalogId });
  throw new AwsError('EntityNotFoundException', `Catalog ${catalogId} not found.`);
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

function findDatabase(call: ServiceCall, name: string): Database {
  const database = call.state.scenario.glue.databases.find((d) => d.name === name.toLowerCase());
  if (!database) throw new AwsError('EntityNotFoundException', `Database ${name} not found.`);
  // Named directly, a database Lake Formation hides is refused, in Lake Formation's words.
  if (!isDatabaseVisible(call.state, call.caller, database.name)) {
    throw new AwsError('AccessDeniedException', `Insufficient Lake Formation permission(s): Required Describe on ${database.name}`);
  }
  return database;
}

function findTable(call: ServiceCall, database: Database, name: string): ScenarioTable {
  const table = database.tables.find((t) => t.name === name.toLowerCase());
  if (!table) throw new AwsError('EntityNotFoundException', `Table ${name} not found.`);
  // Named directly, a governed table is refused rather than hidden.
  if (!isTableVisible(call.state, call.caller, database.name, table.name)) {
    throw new AwsError('AccessDeniedException', `Insufficient Lake Formation permission(s) on ${table.name}`);
  }
  return table;
}

/** A read of one table (its metadata, partitions or versions): checked on the table and its ancestors. */
function tableContext(call: ServiceCall, input: Input, tableField = 'TableName') {
  const databaseName = required(input, 'DatabaseName');
  const tableName = required(input, tableField);
  const catalogId = catalogOf(call, input);
  const arn = arns(call, catalogId);
  call.authorize(`glue:${call.operation}`, [arn.catalog, arn.database(databaseName.toLowerCase()), arn.table(databaseName.toLowerCase(), tableName.toLowerCase())]);
  const database = findDatabase(call, databaseName);
  return { catalogId, database, table: findTable(call, database, tableName) };
}

function databaseShape(call: ServiceCall, database: Database, catalogId: string) {
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
 * catalog's key, in KMS's words (AWS Glue Developer Guide, "Encrypting your Data Catalog").
 */
function requireCatalogKey(call: ServiceCall): void {
  const keyId = call.state.scenario.glue.catalogEncryption?.kmsKeyId;
  if (!keyId) return;
  const { keyArn, decision } = kmsDecision(call.state, call.caller, 'kms:Decrypt', keyId, 'glue');
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
    GetDatabases(input, call) {
      const size = catalogPageSize(input);
      const catalogId = catalogOf(call, input);
      const arn = arns(call, catalogId);
      call.authorize('glue:GetDatabases', arn.catalog);
      // No database is shared with this account, so FOREIGN and FEDERATED list nothing.
      const shared = input.ResourceShareType === 'FOREIGN' || input.ResourceShareType === 'FEDERATED';
      const readable = shared
        ? []
        : call.state.scenario.glue.databases.filter(
            (database) => call.isAuthorized('glue:GetDatabases', arn.database(database.name)) && isDatabaseVisible(call.state, call.caller, database.name),
          );
      const { page, nextToken } = paginate(readable, input.NextToken, size);
      return { DatabaseList: page.map((database) => databaseShape(call, database, catalogId)), NextToken: nextToken };
    },

    GetDatabase(input, call) {
      const name = required(input, 'Name');
      const catalogId = catalogOf(call, input);
      const arn = arns(call, catalogId);
      call.authorize('glue:GetDatabase', [arn.catalog, arn.database(name.toLowerCase())]);
      return { Database: databaseShape(call, findDatabase(call, name), catalogId) };
    },

    GetTables(input, call) {
      const size = catalogPageSize(input);
      const pattern = namePattern(stringField(input, 'Expression'));
      const databaseName = required(input, 'DatabaseName');
      const catalogId = catalogOf(call, input);
      const arn = arns(call, catalogId);
      call.authorize('glue:GetTables', [arn.catalog, arn.database(databaseName.toLowerCase())]);
      const database = findDatabase(call, databaseName);
      const listed = database.tables.filter(
        (table) =>
          (!pattern || pattern.test(table.name)) &&
          call.isAuthorized('glue:GetTables', arn.table(database.name, table.name)) &&
          isTableVisible(call.state, call.caller, database.name, table.name),
      );
      const { page, nextToken } = paginate(listed, input.NextToken, size);
      return { TableList: page.map((table) => tableShape(database, table, catalogId)), NextToken: nextToken };
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
      const catalogId = catalogOf(call, input);
      const arn = arns(call, catalogId);
      // Unlike GetTables, no guide says this listing is filtered: it is checked against every
      // function it may return, so a policy without a userDefinedFunction ARN is refused.
      const scope = databaseName?.toLowerCase() ?? '*';
      call.authorize('glue:GetUserDefinedFunctions', [arn.catalog, arn.database(scope), arn.udf(scope, '*')]);
      const databases = databaseName ? [findDatabase(call, databaseName)] : call.state.scenario.glue.databases;
      const functions = databases.flatMap((database) => database.functions.filter((udf) => pattern.test(udf.name)).map((udf) => udfShape(database, udf, catalogId)));
      const { page, nextToken } = paginate(functions, input.NextToken, size);
      return { UserDefinedFunctions: page, NextToken: nextToken };
    },

    GetUserDefinedFunction(input, call) {
      const databaseName = required(input, 'DatabaseName');
      const name = required(input, 'FunctionName');
      const catalogId = catalogOf(call, input);
      const arn = arns(call, catalogId);
      call.authorize('glue:GetUserDefinedFunction', [arn.catalog, arn.database(databaseName.toLowerCase()), arn.udf(databaseName.toLowerCase(), name.toLowerCase())]);
      const database = findDatabase(call, databaseName);
      const found = database.functions.find((udf) => udf.name === name.toLowerCase());
      if (!found) throw new AwsError('EntityNotFoundException', `Function ${name} not found.`);
      return { UserDefinedFunction: udfShape(database, found, catalogId) };
    },

    SearchTables(input, call) {
      const size = intField(input, 'MaxResults', 1, 1000) ?? 100;
      const text = (stringField(input, 'SearchText') ?? '').toLowerCase();
      const catalogId = catalogOf(call, input);
      const arn = arns(call, catalogId);
      call.authorize('glue:SearchTables', arn.catalog);
      const matchesText = (database: Database, table: ScenarioTable) =>
        !text || [database.name, table.name, ...table.columns.flatMap((c) => [c.name, c.comment ?? ''])].some((field) => field.toLowerCase().includes(text));
      // The search never fails on what the caller may not read: it leaves it out.
      const found = call.state.scenario.glue.databases
        .filter((database) => call.isAuthorized('glue:SearchTables', arn.database(database.name)) && isDatabaseVisible(call.state, call.caller, database.name))
        .flatMap((database) =>
          database.tables
            .filter(
              (table) =>
                matchesText(database, table) &&
                call.isAuthorized('glue:SearchTables', arn.table(database.name, table.name)) &&
                isTableVisible(call.state, call.caller, database.name, table.name),
            )
            .map((table) => tableShape(database, table, catalogId)),
        );
      const { page, nextToken } = paginate(found, input.NextToken, size);
      return { TableList: page, NextToken: nextToken };
    },

    GetDataCatalogEncryptionSettings(input, call) {
      const catalogId = catalogOf(call, input);
      call.authorize('glue:GetDataCatalogEncryptionSettings', arns(call, catalogId).catalog);
      const encryption = call.state.scenario.glue.catalogEncryption;
      return {
        DataCatalogEncryptionSettings: {
          EncryptionAtRest: encryption?.kmsKeyId ? { CatalogEncryptionMode: 'SSE-KMS', SseAwsKmsKeyId: encryption.kmsKeyId } : { CatalogEncryptionMode: 'DISABLED' },
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
