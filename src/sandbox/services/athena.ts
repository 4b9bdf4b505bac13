// Athena over awsJson1.1: workgroups, query history, the catalog APIs JDBC/ODBC drivers use, and
// queries that really "run": they write their CSV to the sandbox's S3 and fail as Athena does
// when the caller cannot write there, use the key, or read Lake Formation-governed data.
import { hasLakeFormationPermission, isGoverned, isTableVisible, kmsDecision, resolveKmsKey } from '../governance.js';
import { intField, jsonService, paginate, stringField } from '../protocols.js';
import type { ScenarioWorkGroup } from '../scenario.js';
import { type QueryExecutionRecord, etagOf } from '../state.js';
import { AwsError, type ServiceCall } from '../types.js';

type Input = Record<string, unknown>;

const QUEUED_MS = 20;
const RUNNING_MS = 80;
const CREATED = new Date('2026-01-10T12:00:00Z');

function invalid(message: string, athenaErrorCode?: string): AwsError {
  return new AwsError('InvalidRequestException', message, 400, athenaErrorCode ? { fields: { AthenaErrorCode: athenaErrorCode } } : {});
}

function workgroupArn(call: ServiceCall, name: string): string {
  return `arn:aws:athena:${call.region}:${call.state.accountId}:workgroup/${name}`;
}

function dataCatalogArn(call: ServiceCall, name: string): string {
  return `arn:aws:athena:${call.region}:${call.state.accountId}:datacatalog/${name}`;
}

function findWorkgroup(call: ServiceCall, name: string): ScenarioWorkGroup {
  const workgroup = call.state.scenario.athena.workgroups.find((w) => w.name === name);
  if (!workgroup) throw invalid(`WorkGroup ${name} is not found.`);
  return workgroup;
}

function findExecution(call: ServiceCall, id: string): QueryExecutionRecord {
  const execution = call.state.queryExecutions.get(id);
  if (!execution) throw invalid(`QueryExecution ${id} was not found`);
  return execution;
}

function required(input: Input, name: string): string {
  return stringField(input, name, { required: true, code: 'InvalidRequestException' })!;
}

/** A query's state moves on with sandbox time: queued, running, then its outcome. */
function currentState(call: ServiceCall, execution: QueryExecutionRecord): QueryExecutionRecord['state'] {
  if (execution.finishesAt === undefined || execution.state === 'CANCELLED') return execution.state;
  const elapsed = call.state.now() - execution.submittedAt.getTime();
  if (elapsed < QUEUED_MS) return 'QUEUED';
  if (call.state.now() < execution.finishesAt) return 'RUNNING';
  return execution.state;
}

function workgroupConfiguration(workgroup: ScenarioWorkGroup) {
  return {
    ResultConfiguration: {
      ...(workgroup.outputLocation ? { OutputLocation: workgroup.outputLocation } : {}),
      ...(workgroup.encryption ? { EncryptionConfiguration: { EncryptionOption: workgroup.encryption.option, ...(workgroup.encryption.kmsKey ? { KmsKey: workgroup.encryption.kmsKey } : {}) } } : {}),
    },
    ManagedQueryResultsConfiguration: { Enabled: workgroup.managedQueryResults },
    EnforceWorkGroupConfiguration: workgroup.enforceWorkGroupConfiguration,
    PublishCloudWatchMetricsEnabled: true,
    RequesterPaysEnabled: false,
    EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
  };
}

function executionShape(call: ServiceCall, execution: QueryExecutionRecord) {
  const state = currentState(call, execution);
  const done = state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED';
  return {
    QueryExecutionId: execution.id,
    Query: execution.query,
    StatementType: /^\s*(select|with)\b/i.test(execution.query) ? 'DML' : 'DDL',
    ResultConfiguration: {
      ...(execution.outputLocation ? { OutputLocation: execution.outputLocation } : {}),
      ...(execution.encryption ? { EncryptionConfiguration: { EncryptionOption: execution.encryption.option, ...(execution.encryption.kmsKey ? { KmsKey: execution.encryption.kmsKey } : {}) } } : {}),
    },
    QueryExecutionContext: { ...(execution.database ? { Database: execution.database } : {}), Catalog: execution.catalog ?? 'AwsDataCatalog' },
    Status: {
      State: state,
      SubmissionDateTime: execution.submittedAt,
      ...(done ? { CompletionDateTime: execution.completedAt ?? new Date(execution.finishesAt ?? execution.submittedAt.getTime()) } : {}),
      ...(state === 'FAILED' || state === 'CANCELLED' ? { StateChangeReason: execution.stateChangeReason ?? 'Query failed' } : {}),
      ...(state === 'FAILED' && execution.error
        ? { AthenaError: { ErrorCategory: execution.error.category, ErrorType: execution.error.type, Retryable: false, ErrorMessage: execution.error.message } }
        : {}),
    },
    Statistics: done ? { EngineExecutionTimeInMillis: 412, DataScannedInBytes: 0, TotalExecutionTimeInMillis: 530, QueryQueueTimeInMillis: 20 } : {},
    WorkGroup: execution.workgroup,
    EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
  };
}

/** Athena's catalog APIs on the Glue catalog also need the caller's Glue permissions; Glue's refusal comes back wrapped. */
function requireGlue(call: ServiceCall, action: string, resources: string[]): void {
  for (const resource of resources) {
    if (!call.isAuthorized(action, resource)) {
      throw new AwsError(
        'MetadataException',
        `User: ${call.caller.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action (Service: AmazonDataCatalog; Status Code: 400; Error Code: AccessDeniedException; Request ID: ${call.requestId}; Proxy: null)`,
      );
    }
  }
}

function glueArns(call: ServiceCall) {
  const prefix = `arn:aws:glue:${call.region}:${call.state.accountId}`;
  return { catalog: `${prefix}:catalog`, database: (d: string) => `${prefix}:database/${d}`, table: (d: string, t: string) => `${prefix}:table/${d}/${t}` };
}

function catalogName(call: ServiceCall, input: Input): string {
  const name = required(input, 'CatalogName');
  call.authorize(`athena:${call.operation}`, dataCatalogArn(call, name));
  if (!call.state.scenario.athena.dataCatalogs.some((c) => c.name === name) && name !== 'AwsDataCatalog') {
    throw new AwsError('MetadataException', `Catalog ${name} was not found`);
  }
  return name;
}

function findDatabase(call: ServiceCall, name: string) {
  const database = call.state.scenario.glue.databases.find((d) => d.name === name.toLowerCase());
  if (!database) throw new AwsError('MetadataException', `Database ${name} not found.`);
  return database;
}

function tableMetadata(table: ReturnType<typeof findDatabase>['tables'][number]) {
  return {
    Name: table.name,
    CreateTime: CREATED,
    LastAccessTime: CREATED,
    TableType: table.type,
    Columns: table.columns.map((c) => ({ Name: c.name, Type: c.type, ...(c.comment ? { Comment: c.comment } : {}) })),
    PartitionKeys: table.partitionKeys.map((c) => ({ Name: c.name, Type: c.type })),
    Parameters: { classification: 'parquet', ...(table.location ? { location: table.location } : {}) },
  };
}

interface QueryPlan {
  outputLocation?: string;
  encryption?: { option: string; kmsKey?: string };
  failure?: { reason: string; type: number };
  header: string[];
  rows: string[][];
}

/** Decides at submission what the query will do, so that its later states are deterministic. */
function planQuery(call: ServiceCall, workgroup: ScenarioWorkGroup, query: string, requested: Input | undefined, database: string | undefined): QueryPlan {
  const enforced = workgroup.enforceWorkGroupConfiguration;
  const requestedOutput = typeof requested?.OutputLocation === 'string' ? requested.OutputLocation : undefined;
  const requestedEncryption = requested?.EncryptionConfiguration as { EncryptionOption?: string; KmsKey?: string } | undefined;
  const outputLocation = workgroup.managedQueryResults ? undefined : enforced ? workgroup.outputLocation : (requestedOutput ?? workgroup.outputLocation);
  const encryption = enforced || !requestedEncryption?.EncryptionOption ? workgroup.encryption : { option: requestedEncryption.EncryptionOption, kmsKey: requestedEncryption.KmsKey };
  if (!outputLocation && !workgroup.managedQueryResults) {
    throw invalid('No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.');
  }
  const plan: QueryPlan = { outputLocation, encryption, header: ['_col0'], rows: [['1']] };
  const fail = (reason: string, type = 1000) => ({ ...plan, failure: { reason, type } });

  const reference = /\bfrom\s+"?([\w-]+)"?(?:\s*\.\s*"?([\w-]+)"?)?/i.exec(query);
  const [dbName, tableName] = reference?.[2] ? [reference[1]!, reference[2]] : [database, reference?.[1]];
  if (dbName && tableName) {
    const db = call.state.scenario.glue.databases.find((d) => d.name === dbName.toLowerCase());
    const table = db?.tables.find((t) => t.name === tableName.toLowerCase());
    const glue = glueArns(call);
    if (!db || !table || !isTableVisible(call.state, call.caller, db.name, table.name)) {
      return fail(`line 1:15: Table '${dbName}.${tableName}' does not exist`, 1301);
    }
    for (const resource of [glue.catalog, glue.database(db.name), glue.table(db.name, table.name)]) {
      if (!call.isAuthorized('glue:GetTable', resource)) {
        return fail(`Insufficient permissions to execute the query. User: ${call.caller.arn} is not authorized to perform: glue:GetTable on resource: ${resource} because no identity-based policy allows the glue:GetTable action`);
      }
    }
    if (isGoverned(call.state, db.name, table.name)) {
      if (!call.isAuthorized('lakeformation:GetDataAccess', '*')) {
        return fail(`Insufficient permissions to execute the query. User: ${call.caller.arn} is not authorized to perform: lakeformation:GetDataAccess because no identity-based policy allows the lakeformation:GetDataAccess action`);
      }
      if (!hasLakeFormationPermission(call.state, call.caller, db.name, table.name, 'SELECT')) {
        return fail(`Insufficient permissions to execute the query. Insufficient Lake Formation permission(s) on ${table.name}`);
      }
    }
    plan.header = table.columns.map((c) => c.name);
    plan.rows = [table.columns.map((c) => sampleValue(c.type, 1)), table.columns.map((c) => sampleValue(c.type, 2))];
  }

  if (outputLocation) {
    const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(outputLocation)!;
    const [bucketName, key] = [match[1]!, `${match[2]!.replace(/\/?$/, match[2] ? '/' : '')}`];
    const bucket = call.state.scenario.s3.buckets.find((b) => b.name === bucketName);
    const writeFailure = `Access denied when writing output to url: ${outputLocation} . Please ensure you are allowed to access the S3 bucket. If you are encrypting query results with KMS key, please ensure you are allowed to access your KMS key`;
    if (!bucket) return fail(`Unable to verify/create output bucket ${bucketName}`, 1300);
    if ((bucket.region ?? call.state.region) !== call.region) return fail(`Unable to verify/create output bucket ${bucketName}. The bucket is in ${bucket.region}`, 1300);
    const objectArn = `arn:aws:s3:::${bucketName}/${key}x.csv`;
    if (!call.isAuthorized('s3:PutObject', objectArn, { resourcePolicy: bucket.policy, resourceAccountId: bucket.accountId ?? call.state.accountId })) return fail(writeFailure);
    const keyRef = encryption?.option.endsWith('KMS') ? encryption.kmsKey : bucket.encryption?.algorithm === 'aws:kms' ? bucket.encryption.kmsKeyId : undefined;
    if (keyRef && !kmsDecision(call.state, call.caller, 'kms:GenerateDataKey', keyRef, 's3').decision.allowed) {
      return fail(`${writeFailure} (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; KMS.AccessDeniedException: not authorized to perform: kms:GenerateDataKey)`);
    }
  }
  return plan;
}

function sampleValue(type: string, n: number): string {
  if (/int|decimal|double|float/.test(type)) return String(n * 7);
  if (/timestamp/.test(type)) return `2026-11-2${n} 10:00:00.000`;
  return `value-${n}`;
}

function csv(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => cells.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',');
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

export const athena = jsonService({
  signingName: 'athena',
  targetPrefix: 'AmazonAthena',
  throttling: { code: 'TooManyRequestsException', status: 400, message: 'Rate exceeded' },
  serverError: { code: 'InternalServerException', status: 500, message: 'Internal server error' },
  denialMessage(call, action, _resource, standard) {
    return call.state.scenario.athena.legacyDenialMessages
      ? `You are not authorized to perform: ${action} on the resource. After your AWS administrator or you have updated your permissions, please try again.`
      : standard;
  },
  operations: {
    ListWorkGroups(input, call) {
      call.authorize('athena:ListWorkGroups', '*');
      const { page, nextToken } = paginate(call.state.scenario.athena.workgroups, input.NextToken, intField(input, 'MaxResults', 1, 50, 'InvalidRequestException') ?? 50, 'InvalidRequestException');
      return {
        WorkGroups: page.map((w) => ({ Name: w.name, State: w.state, Description: w.description ?? '', CreationTime: CREATED, EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' } })),
        NextToken: nextToken,
      };
    },

    GetWorkGroup(input, call) {
      const name = required(input, 'WorkGroup');
      call.authorize('athena:GetWorkGroup', workgroupArn(call, name));
      const workgroup = findWorkgroup(call, name);
      return { WorkGroup: { Name: workgroup.name, State: workgroup.state, Configuration: workgroupConfiguration(workgroup), Description: workgroup.description ?? '', CreationTime: CREATED } };
    },

    ListQueryExecutions(input, call) {
      const name = stringField(input, 'WorkGroup', { code: 'InvalidRequestException' }) ?? 'primary';
      call.authorize('athena:ListQueryExecutions', workgroupArn(call, name));
      findWorkgroup(call, name);
      const ids = [...call.state.queryExecutions.values()]
        .filter((execution) => execution.workgroup === name)
        .sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime())
        .map((execution) => execution.id);
      const { page, nextToken } = paginate(ids, input.NextToken, intField(input, 'MaxResults', 0, 50, 'InvalidRequestException') ?? 50, 'InvalidRequestException');
      return { QueryExecutionIds: page, NextToken: nextToken };
    },

    BatchGetQueryExecution(input, call) {
      const ids = input.QueryExecutionIds;
      if (!Array.isArray(ids) || ids.length < 1 || ids.length > 50) {
        throw invalid("1 validation error detected: Value at 'queryExecutionIds' failed to satisfy constraint: Member must have length between 1 and 50");
      }
      const found: QueryExecutionRecord[] = [];
      const unprocessed: Array<{ QueryExecutionId: string; ErrorCode: string; ErrorMessage: string }> = [];
      for (const id of ids as string[]) {
        const execution = call.state.queryExecutions.get(id);
        if (execution) found.push(execution);
        else unprocessed.push({ QueryExecutionId: id, ErrorCode: 'INVALID_INPUT', ErrorMessage: `QueryExecution ${id} was not found` });
      }
      for (const workgroup of new Set(found.map((e) => e.workgroup))) call.authorize('athena:BatchGetQueryExecution', workgroupArn(call, workgroup));
      return { QueryExecutions: found.map((execution) => executionShape(call, execution)), UnprocessedQueryExecutionIds: unprocessed };
    },

    GetQueryExecution(input, call) {
      const execution = findExecution(call, required(input, 'QueryExecutionId'));
      call.authorize('athena:GetQueryExecution', workgroupArn(call, execution.workgroup));
      return { QueryExecution: executionShape(call, execution) };
    },

    StartQueryExecution(input, call) {
      const query = required(input, 'QueryString');
      const workgroupName = stringField(input, 'WorkGroup', { code: 'InvalidRequestException' }) ?? 'primary';
      call.authorize('athena:StartQueryExecution', workgroupArn(call, workgroupName));
      const workgroup = findWorkgroup(call, workgroupName);
      if (workgroup.state === 'DISABLED') throw invalid(`Unable to submit query. WorkGroup ${workgroupName} is disabled.`);
      const context = (input.QueryExecutionContext ?? {}) as { Database?: string; Catalog?: string };
      const plan = planQuery(call, workgroup, query, input.ResultConfiguration as Input | undefined, context.Database);
      const id = call.state.nextId();
      const submittedAt = new Date(call.state.now());
      const outputLocation = plan.outputLocation ? `${plan.outputLocation.replace(/\/?$/, '/')}${id}.csv` : undefined;
      call.state.queryExecutions.set(id, {
        id,
        workgroup: workgroupName,
        query,
        state: plan.failure ? 'FAILED' : 'SUCCEEDED',
        ...(plan.failure ? { stateChangeReason: plan.failure.reason, error: { category: 2, type: plan.failure.type, message: plan.failure.reason } } : {}),
        database: context.Database,
        catalog: context.Catalog ?? 'AwsDataCatalog',
        submittedAt,
        outputLocation,
        encryption: plan.encryption,
        finishesAt: submittedAt.getTime() + QUEUED_MS + RUNNING_MS,
        resultRows: [plan.header, ...plan.rows],
        userArn: call.caller.arn,
        startedInSandbox: true,
      });
      if (!plan.failure && outputLocation) {
        const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(outputLocation)!;
        const body = Buffer.from(csv(plan.header, plan.rows));
        // Without a KMS option of its own the write gets the bucket's default encryption, as any S3 write does.
        const bucketEncryption = call.state.scenario.s3.buckets.find((b) => b.name === bucket)?.encryption;
        const kmsKey = plan.encryption?.option.endsWith('KMS') ? plan.encryption.kmsKey : bucketEncryption?.algorithm === 'aws:kms' ? bucketEncryption.kmsKeyId : undefined;
        const sse = kmsKey ? { algorithm: 'aws:kms' as const, kmsKeyArn: resolveKmsKey(call.state, kmsKey)?.arn ?? kmsKey } : undefined;
        const objects = call.state.objects.get(bucket!)!;
        objects.set(key!, { body, etag: etagOf(body), lastModified: submittedAt, contentType: 'text/csv', ...(sse ? { sse } : {}) });
        objects.set(`${key}.metadata`, { body: Buffer.from('sandbox-metadata'), etag: etagOf(Buffer.from('m')), lastModified: submittedAt, ...(sse ? { sse } : {}) });
      }
      return { QueryExecutionId: id };
    },

    StopQueryExecution(input, call) {
      const execution = findExecution(call, required(input, 'QueryExecutionId'));
      call.authorize('athena:StopQueryExecution', workgroupArn(call, execution.workgroup));
      const state = currentState(call, execution);
      if (state === 'QUEUED' || state === 'RUNNING') {
        execution.state = 'CANCELLED';
        execution.stateChangeReason = 'Query was cancelled by the user';
        execution.completedAt = new Date(call.state.now());
      }
      return {};
    },

    GetQueryResults(input, call) {
      const execution = findExecution(call, required(input, 'QueryExecutionId'));
      call.authorize('athena:GetQueryResults', workgroupArn(call, execution.workgroup));
      const state = currentState(call, execution);
      if (state === 'QUEUED' || state === 'RUNNING') throw invalid(`Query has not yet finished. Current state: ${state}`);
      if (state === 'FAILED') throw invalid(execution.stateChangeReason ?? 'Query failed');
      if (state === 'CANCELLED') throw invalid('Query was cancelled');
      if (execution.outputLocation) {
        const [, bucketName, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(execution.outputLocation)!;
        const bucket = call.state.scenario.s3.buckets.find((b) => b.name === bucketName);
        if (!call.isAuthorized('s3:GetObject', `arn:aws:s3:::${bucketName}/${key}`, { resourcePolicy: bucket?.policy, resourceAccountId: bucket?.accountId ?? call.state.accountId })) {
          throw invalid(`Access denied when reading results from ${execution.outputLocation}. Please ensure you are allowed to access the S3 bucket.`);
        }
        const object = call.state.objects.get(bucketName!)?.get(key!);
        if (object?.sse?.kmsKeyArn && !kmsDecision(call.state, call.caller, 'kms:Decrypt', object.sse.kmsKeyArn, 's3').decision.allowed) {
          throw invalid(`Access denied when reading results from ${execution.outputLocation}: not authorized to perform: kms:Decrypt`);
        }
      }
      const rows = execution.resultRows ?? [['_col0'], ['1']];
      const { page, nextToken } = paginate(rows, input.NextToken, intField(input, 'MaxResults', 1, 1000, 'InvalidRequestException') ?? 1000, 'InvalidRequestException');
      return {
        UpdateCount: 0,
        ResultSet: {
          Rows: page.map((row) => ({ Data: row.map((value) => ({ VarCharValue: value })) })),
          ResultSetMetadata: { ColumnInfo: rows[0]!.map((name) => ({ CatalogName: 'hive', SchemaName: '', TableName: '', Name: name, Label: name, Type: 'varchar', Precision: 2147483647, Scale: 0, Nullable: 'UNKNOWN', CaseSensitive: true })) },
        },
        NextToken: nextToken,
      };
    },

    ListDataCatalogs(input, call) {
      call.authorize('athena:ListDataCatalogs', '*');
      const catalogs = call.state.scenario.athena.dataCatalogs.length ? call.state.scenario.athena.dataCatalogs : [{ name: 'AwsDataCatalog', type: 'GLUE' as const }];
      const { page, nextToken } = paginate(catalogs, input.NextToken, intField(input, 'MaxResults', 2, 50, 'InvalidRequestException') ?? 50, 'InvalidRequestException');
      return { DataCatalogsSummary: page.map((c) => ({ CatalogName: c.name, Type: c.type })), NextToken: nextToken };
    },

    GetDataCatalog(input, call) {
      const name = required(input, 'Name');
      call.authorize('athena:GetDataCatalog', dataCatalogArn(call, name));
      const catalog = call.state.scenario.athena.dataCatalogs.find((c) => c.name === name) ?? (name === 'AwsDataCatalog' ? { name, type: 'GLUE' as const, description: undefined } : undefined);
      if (!catalog) throw invalid(`Catalog ${name} was not found`);
      return { DataCatalog: { Name: catalog.name, Type: catalog.type, Description: catalog.description ?? '', Parameters: { 'catalog-id': call.state.accountId } } };
    },

    ListDatabases(input, call) {
      catalogName(call, input);
      const glue = glueArns(call);
      // Athena lists through Glue with the caller's rights: the same filtering as glue:GetDatabases.
      requireGlue(call, 'glue:GetDatabases', [glue.catalog]);
      const readable = call.state.scenario.glue.databases.filter((d) => call.isAuthorized('glue:GetDatabases', glue.database(d.name)));
      if (readable.length === 0) requireGlue(call, 'glue:GetDatabases', [glue.database('*')]);
      const { page, nextToken } = paginate(readable, input.NextToken, intField(input, 'MaxResults', 1, 50, 'InvalidRequestException') ?? 50, 'InvalidRequestException');
      return { DatabaseList: page.map((d) => ({ Name: d.name, Description: d.description ?? '', Parameters: {} })), NextToken: nextToken };
    },

    GetDatabase(input, call) {
      catalogName(call, input);
      const name = required(input, 'DatabaseName');
      const glue = glueArns(call);
      requireGlue(call, 'glue:GetDatabase', [glue.catalog, glue.database(name.toLowerCase())]);
      const database = findDatabase(call, name);
      return { Database: { Name: database.name, Description: database.description ?? '', Parameters: {} } };
    },

    ListTableMetadata(input, call) {
      catalogName(call, input);
      const name = required(input, 'DatabaseName');
      const glue = glueArns(call);
      requireGlue(call, 'glue:GetTables', [glue.catalog, glue.database(name.toLowerCase()), glue.table(name.toLowerCase(), '*')]);
      const database = findDatabase(call, name);
      const visible = database.tables.filter((table) => isTableVisible(call.state, call.caller, database.name, table.name));
      const { page, nextToken } = paginate(visible, input.NextToken, intField(input, 'MaxResults', 1, 50, 'InvalidRequestException') ?? 50, 'InvalidRequestException');
      return { TableMetadataList: page.map(tableMetadata), NextToken: nextToken };
    },

    GetTableMetadata(input, call) {
      catalogName(call, input);
      const databaseName = required(input, 'DatabaseName');
      const tableName = required(input, 'TableName');
      const glue = glueArns(call);
      requireGlue(call, 'glue:GetTable', [glue.catalog, glue.database(databaseName.toLowerCase()), glue.table(databaseName.toLowerCase(), tableName.toLowerCase())]);
      const database = findDatabase(call, databaseName);
      const table = database.tables.find((t) => t.name === tableName.toLowerCase());
      if (!table || !isTableVisible(call.state, call.caller, database.name, table.name)) throw new AwsError('MetadataException', `Table ${tableName} not found.`);
      return { TableMetadata: tableMetadata(table) };
    },
  },
});
