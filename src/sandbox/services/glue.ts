// Glue Data Catalog reads over awsJson1.1. Each operation is authorised against the resource
// ARNs the Service Authorization Reference lists (catalog, database, table, function), and tables
// governed by Lake Formation are silently left out for principals without a grant, as in AWS.
import { isTableVisible } from '../governance.js';
import { accessDeniedMessage } from '../iam/evaluate.js';
import { intField, jsonService, paginate, stringField } from '../protocols.js';
import type { ScenarioTable } from '../scenario.js';
import { AwsError, type ServiceCall } from '../types.js';

type Input = Record<string, unknown>;
type Database = ServiceCall['state']['scenario']['glue']['databases'][number];

const CREATED = new Date('2026-01-15T08:00:00Z');

function arns(call: ServiceCall, catalogId: string) {
  const prefix = `arn:aws:glue:${call.region}:${catalogId}`;
  return {
    catalog: `${prefix}:catalog`,
    database: (name: string) => `${prefix}:database/${name}`,
    table: (database: string, table: string) => `${prefix}:table/${database}/${table}`,
    tableVersion: (database: string, table: string, version: string) => `${prefix}:tableVersion/${database}/${table}/${version}`,
    udf: (database: string, name: string) => `${prefix}:userDefinedFunction/${database}/${name}`,
  };
}

function catalogOf(call: ServiceCall, input: Input): string {
  const catalogId = stringField(input, 'CatalogId', { code: 'InvalidInputException' }) ?? call.state.accountId;
  if (!/^\d{12}$/.test(catalogId)) throw new AwsError('InvalidInputException', `1 validation error detected: Value '${catalogId}' at 'catalogId' failed to satisfy constraint: Member must satisfy regular expression pattern`);
  if (catalogId !== call.state.accountId) {
    // Another account's catalog is reachable only through its catalog resource policy, which no scenario grants.
    const action = `glue:${call.operation}`;
    throw new AwsError('AccessDeniedException', accessDeniedMessage(call.caller.arn, action, arns(call, catalogId).catalog, { policyType: 'resource', explicit: false }));
  }
  return catalogId;
}

function required(input: Input, name: string): string {
  return stringField(input, name, { required: true, code: 'InvalidInputException' })!;
}

function findDatabase(call: ServiceCall, name: string): Database {
  const database = call.state.scenario.glue.databases.find((d) => d.name === name.toLowerCase());
  if (!database) throw new AwsError('EntityNotFoundException', `Database ${name} not found.`);
  return database;
}

function findTable(call: ServiceCall, database: Database, name: string): ScenarioTable {
  const table = database.tables.find((t) => t.name === name.toLowerCase());
  if (!table) throw new AwsError('EntityNotFoundException', `Table ${name} not found.`);
  if (!isTableVisible(call.state, call.caller, database.name, table.name)) {
    throw new AwsError('AccessDeniedException', `Insufficient Lake Formation permission(s) on ${table.name}`);
  }
  return table;
}

function pageSize(input: Input, max: number): number {
  return intField(input, 'MaxResults', 1, max, 'InvalidInputException') ?? 100;
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

function storageDescriptor(table: ScenarioTable, location = table.location) {
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
  return {
    Name: table.name,
    DatabaseName: database.name,
    Owner: 'hadoop',
    CreateTime: CREATED,
    UpdateTime: new Date(CREATED.getTime() + version * 86_400_000),
    Retention: 0,
    StorageDescriptor: storageDescriptor(table, table.type === 'VIRTUAL_VIEW' ? undefined : table.location),
    PartitionKeys: columns(table.partitionKeys),
    ...(table.viewOriginalText ? { ViewOriginalText: table.viewOriginalText, ViewExpandedText: table.viewOriginalText } : {}),
    TableType: table.type,
    Parameters: table.type === 'VIRTUAL_VIEW' ? { presto_view: 'true' } : { classification: 'parquet' },
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

/** The table's ARNs that a read of its data or metadata is checked against. */
function authorizeTableRead(call: ServiceCall, action: string, catalogId: string, database: string, table: string): void {
  const arn = arns(call, catalogId);
  call.authorize(action, [arn.catalog, arn.database(database), arn.table(database, table)]);
}

function tableContext(call: ServiceCall, input: Input, action: string) {
  const catalogId = catalogOf(call, input);
  const databaseName = required(input, 'DatabaseName');
  const tableName = required(input, 'TableName');
  authorizeTableRead(call, action, catalogId, databaseName.toLowerCase(), tableName.toLowerCase());
  const database = findDatabase(call, databaseName);
  return { catalogId, database, table: findTable(call, database, tableName) };
}

function matchesPartition(table: ScenarioTable, values: string[], expression: string | undefined): boolean {
  if (!expression) return true;
  // Supports the simple `key = 'value'` conjunctions partition filters mostly are.
  return expression.split(/\s+and\s+/i).every((clause) => {
    const match = /^\s*(\w+)\s*=\s*'([^']*)'\s*$/.exec(clause);
    if (!match) throw new AwsError('InvalidInputException', `Unsupported expression: ${expression}`);
    const index = table.partitionKeys.findIndex((key) => key.name === match[1]);
    return index >= 0 && values[index] === match[2];
  });
}

export const glue = jsonService({
  signingName: 'glue',
  targetPrefix: 'AWSGlue',
  operations: {
    GetDatabases(input, call) {
      const catalogId = catalogOf(call, input);
      const arn = arns(call, catalogId);
      call.authorize('glue:GetDatabases', arn.catalog);
      // The listing is filtered to the databases the caller may read; with none at all it is a denial.
      const readable = call.state.scenario.glue.databases.filter((database) => call.isAuthorized('glue:GetDatabases', arn.database(database.name)));
      if (readable.length === 0) call.authorize('glue:GetDatabases', arn.database('*'));
      const { page, nextToken } = paginate(readable, input.NextToken, pageSize(input, 100));
      return { DatabaseList: page.map((database) => databaseShape(call, database, catalogId)), NextToken: nextToken };
    },

    GetDatabase(input, call) {
      const catalogId = catalogOf(call, input);
      const name = required(input, 'Name');
      const arn = arns(call, catalogId);
      call.authorize('glue:GetDatabase', [arn.catalog, arn.database(name.toLowerCase())]);
      return { Database: databaseShape(call, findDatabase(call, name), catalogId) };
    },

    GetTables(input, call) {
      const catalogId = catalogOf(call, input);
      const databaseName = required(input, 'DatabaseName');
      const arn = arns(call, catalogId);
      call.authorize('glue:GetTables', [arn.catalog, arn.database(databaseName.toLowerCase()), arn.table(databaseName.toLowerCase(), '*')]);
      const database = findDatabase(call, databaseName);
      const expression = stringField(input, 'Expression', { code: 'InvalidInputException' });
      const pattern = expression ? new RegExp(`^${expression.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i') : undefined;
      const visible = database.tables.filter((table) => isTableVisible(call.state, call.caller, database.name, table.name) && (!pattern || pattern.test(table.name)));
      const { page, nextToken } = paginate(visible, input.NextToken, pageSize(input, 100));
      return { TableList: page.map((table) => tableShape(database, table, catalogId)), NextToken: nextToken };
    },

    GetTable(input, call) {
      const catalogId = catalogOf(call, input);
      const databaseName = required(input, 'DatabaseName');
      const name = required(input, 'Name');
      authorizeTableRead(call, 'glue:GetTable', catalogId, databaseName.toLowerCase(), name.toLowerCase());
      const database = findDatabase(call, databaseName);
      return { Table: tableShape(database, findTable(call, database, name), catalogId) };
    },

    GetPartitions(input, call) {
      const { catalogId, database, table } = tableContext(call, input, 'glue:GetPartitions');
      const expression = stringField(input, 'Expression', { code: 'InvalidInputException' });
      const matching = table.partitions.filter((values) => matchesPartition(table, values, expression));
      const { page, nextToken } = paginate(matching, input.NextToken, intField(input, 'MaxResults', 1, 1000, 'InvalidInputException') ?? 1000);
      return { Partitions: page.map((values) => partitionShape(database, table, values, catalogId)), NextToken: nextToken };
    },

    GetPartition(input, call) {
      const { catalogId, database, table } = tableContext(call, input, 'glue:GetPartition');
      const values = input.PartitionValues;
      if (!Array.isArray(values)) throw new AwsError('InvalidInputException', "1 validation error detected: Value null at 'partitionValues' failed to satisfy constraint: Member must not be null");
      const found = table.partitions.find((partition) => partition.length === values.length && partition.every((value, index) => value === values[index]));
      if (!found) throw new AwsError('EntityNotFoundException', 'Cannot find partition.');
      return { Partition: partitionShape(database, table, found, catalogId) };
    },

    BatchGetPartition(input, call) {
      const { catalogId, database, table } = tableContext(call, input, 'glue:BatchGetPartition');
      const wanted = input.PartitionsToGet;
      if (!Array.isArray(wanted) || wanted.length === 0 || wanted.length > 1000) {
        throw new AwsError('InvalidInputException', "1 validation error detected: Value at 'partitionsToGet' failed to satisfy constraint: Member must have length between 0 and 1000");
      }
      // Partitions that do not exist are simply absent from the answer, as in Glue.
      const partitions = (wanted as Array<{ Values?: string[] }>).flatMap((entry) => {
        const values = entry?.Values ?? [];
        const found = table.partitions.find((partition) => partition.length === values.length && partition.every((value, index) => value === values[index]));
        return found ? [partitionShape(database, table, found, catalogId)] : [];
      });
      return { Partitions: partitions, UnprocessedKeys: [] };
    },

    GetTableVersions(input, call) {
      const { catalogId, database, table } = tableContext(call, input, 'glue:GetTableVersions');
      const versions = Array.from({ length: table.versions }, (_, index) => table.versions - index);
      const { page, nextToken } = paginate(versions, input.NextToken, pageSize(input, 100));
      return { TableVersions: page.map((version) => ({ Table: tableShape(database, table, catalogId, version), VersionId: String(version) })), NextToken: nextToken };
    },

    GetTableVersion(input, call) {
      const { catalogId, database, table } = tableContext(call, input, 'glue:GetTableVersion');
      const versionId = stringField(input, 'VersionId', { code: 'InvalidInputException' }) ?? String(table.versions);
      const version = Number(versionId);
      if (!Number.isInteger(version) || version < 1 || version > table.versions) throw new AwsError('EntityNotFoundException', `Version ${versionId} not found.`);
      return { TableVersion: { Table: tableShape(database, table, catalogId, version), VersionId: versionId } };
    },

    GetUserDefinedFunctions(input, call) {
      const catalogId = catalogOf(call, input);
      const pattern = required(input, 'Pattern');
      const databaseName = stringField(input, 'DatabaseName', { code: 'InvalidInputException' });
      const arn = arns(call, catalogId);
      const scope = databaseName?.toLowerCase() ?? '*';
      call.authorize('glue:GetUserDefinedFunctions', [arn.catalog, arn.database(scope), arn.udf(scope, '*')]);
      const databases = databaseName ? [findDatabase(call, databaseName)] : call.state.scenario.glue.databases;
      const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
      const functions = databases.flatMap((database) => database.functions.filter((f) => regex.test(f.name)).map((f) => ({ database, f })));
      const { page, nextToken } = paginate(functions, input.NextToken, pageSize(input, 100));
      return {
        UserDefinedFunctions: page.map(({ database, f }) => udfShape(database, f, catalogId)),
        NextToken: nextToken,
      };
    },

    GetUserDefinedFunction(input, call) {
      const catalogId = catalogOf(call, input);
      const databaseName = required(input, 'DatabaseName');
      const name = required(input, 'FunctionName');
      const arn = arns(call, catalogId);
      call.authorize('glue:GetUserDefinedFunction', [arn.catalog, arn.database(databaseName.toLowerCase()), arn.udf(databaseName.toLowerCase(), name.toLowerCase())]);
      const database = findDatabase(call, databaseName);
      const found = database.functions.find((f) => f.name === name.toLowerCase());
      if (!found) throw new AwsError('EntityNotFoundException', `Function ${name} not found.`);
      return { UserDefinedFunction: udfShape(database, found, catalogId) };
    },

    SearchTables(input, call) {
      const catalogId = catalogOf(call, input);
      const arn = arns(call, catalogId);
      call.authorize('glue:SearchTables', [arn.catalog, arn.database('*'), arn.table('*', '*')]);
      const text = (stringField(input, 'SearchText', { code: 'InvalidInputException' }) ?? '').toLowerCase();
      // Results are filtered to what the caller may read, never denied as a whole.
      const matches = call.state.scenario.glue.databases.flatMap((database) =>
        database.tables
          .filter((table) => !text || table.name.includes(text) || database.name.includes(text) || table.columns.some((c) => c.name.includes(text)))
          .filter((table) => isTableVisible(call.state, call.caller, database.name, table.name))
          .filter((table) => call.isAuthorized('glue:GetTable', arn.table(database.name, table.name)))
          .map((table) => tableShape(database, table, catalogId)),
      );
      const { page, nextToken } = paginate(matches, input.NextToken, intField(input, 'MaxResults', 1, 1000, 'InvalidInputException') ?? 100);
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
  },
  throttling: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
  serverError: { code: 'InternalServiceException', status: 500, message: 'Internal service exception' },
});

function udfShape(database: Database, f: Database['functions'][number], catalogId: string) {
  return {
    FunctionName: f.name,
    DatabaseName: database.name,
    ClassName: f.className,
    OwnerName: f.ownerName ?? 'hadoop',
    OwnerType: 'USER',
    CreateTime: CREATED,
    ResourceUris: (f.resourceUris ?? []).map((uri) => ({ ResourceType: 'JAR', Uri: uri })),
    CatalogId: catalogId,
  };
}
