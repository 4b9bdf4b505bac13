// Athena over awsJson1.1: workgroups, query history, the catalog APIs JDBC/ODBC drivers use, and
// queries that really "run" (athena-queries.ts, over athena-sql.ts's SQL): they read the Glue
// catalog with the caller's rights, write their CSV to the sandbox's S3, and fail as Athena does
// when the caller cannot write there, use the key, or read Lake Formation-governed data. The Glue
// catalog read is the one the data catalog names (its own account's, a named catalog, another
// account's): see athena-catalog.ts's glueCatalogOf.
//
// Every call Athena makes for its caller (Glue, S3, KMS, Lake Formation) is a forward access
// session: authorized as the caller, with aws:CalledVia athena.amazonaws.com and aws:ViaAWSService
// true, without the caller's network keys and past no VPC endpoint (Athena User Guide, "Control
// access to Amazon S3 from Athena"; IAM User Guide, "Forward access sessions"). A bucket policy that
// admits only the caller's VPC endpoint or address range refuses Athena's reads and writes.
import { isDatabaseVisible, isTableVisible } from '../governance.js';
import { jsonService, stringField } from '../protocols.js';
import type { ScenarioTable } from '../scenario.js';
import type { QueryExecutionRecord } from '../state.js';
import { AwsError, type ServiceCall } from '../types.js';
import { allowedForAthena, findDatabase, glueAuthorize, glueCatalogOf, governed, knownCatalog, requireGlue, throughLink } from './athena-catalog.js';
import { currentState, executionShape, getQueryResults, parseS3Url, startQueryExecution, workgroupConfiguration } from './athena-queries.js';
import { ENGINE_VERSION, type Input, findExecution, findWorkgroup, invalid, page, required, workgroupArn } from './athena-requests.js';
import { type CatalogRef, authorizationIn, catalogArns } from './glue-catalogs.js';

const CREATED = new Date('2026-01-10T12:00:00Z');

// ---- The catalog APIs ---------------------------------------------------------------------------

/** Athena reads the Glue catalog with the caller's rights and relays Glue's errors inside a MetadataException. */
function glueError(call: ServiceCall, code: string, message: string): AwsError {
  return new AwsError('MetadataException', `${message} (Service: AmazonDataCatalog; Status Code: 400; Error Code: ${code}; Request ID: ${call.requestId}; Proxy: null)`);
}

/** Runs Glue's side of a catalog API and relays its errors as Athena does, inside a MetadataException. */
function relayed<T>(call: ServiceCall, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof AwsError && error.code !== 'MetadataException') throw glueError(call, error.code, error.message);
    throw error;
  }
}

/**
 * Authorises a catalog action on the datacatalog ARN and resolves the Glue catalog behind it. A
 * data catalog whose Glue catalog does not exist (catalog-id of an account the scenario does not
 * model) is answered as Glue answers it: refused on its ARNs first, else not found.
 */
function catalogFor(call: ServiceCall, input: Input, glueAction: string): CatalogRef {
  const name = required(input, 'CatalogName');
  call.authorize(`athena:${call.operation}`, `arn:aws:athena:${call.region}:${call.state.accountId}:datacatalog/${name}`);
  const catalog = knownCatalog(call, name);
  if (!catalog) throw new AwsError('MetadataException', `Catalog ${name} was not found`);
  const ref = glueCatalogOf(call, catalog);
  if (!ref.exists) {
    relayed(call, () => glueAuthorize(call, ref, glueAction, catalogArns(call.region, ref).chain));
    throw glueError(call, 'EntityNotFoundException', 'Entity Not Found');
  }
  return ref;
}

function tableMetadata(table: ScenarioTable) {
  return {
    Name: table.name,
    CreateTime: CREATED,
    LastAccessTime: CREATED,
    TableType: table.type,
    Columns: table.columns.map((c) => ({ Name: c.name, Type: c.type, ...(c.comment ? { Comment: c.comment } : {}) })),
    PartitionKeys: table.partitionKeys.map((c) => ({ Name: c.name, Type: c.type })),
    Parameters: { ...(table.type === 'VIRTUAL_VIEW' ? {} : { classification: 'parquet' }), ...(table.location ? { location: table.location } : {}) },
  };
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
      const { page: workgroups, nextToken } = page(call.state.scenario.athena.workgroups, input, 1, 50);
      return {
        WorkGroups: workgroups.map((w) => ({ Name: w.name, State: w.state, Description: w.description ?? '', CreationTime: CREATED, EngineVersion: ENGINE_VERSION })),
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
      const { page: pageIds, nextToken } = page(ids, input, 0, 50);
      return { QueryExecutionIds: pageIds, NextToken: nextToken };
    },

    BatchGetQueryExecution(input, call) {
      const ids = input.QueryExecutionIds;
      if (!Array.isArray(ids) || ids.length < 1 || ids.length > 50 || ids.some((id) => typeof id !== 'string')) {
        throw invalid("1 validation error detected: Value at 'queryExecutionIds' failed to satisfy constraint: Member must have length between 1 and 50");
      }
      const found: QueryExecutionRecord[] = [];
      const unprocessed: Array<{ QueryExecutionId: string; ErrorCode: string; ErrorMessage: string }> = [];
      for (const id of ids as string[]) {
        const execution = call.state.queryExecutions.get(id);
        if (execution) found.push(execution);
        else unprocessed.push({ QueryExecutionId: id, ErrorCode: 'INVALID_INPUT', ErrorMessage: `QueryExecution ${id} was not found` });
      }
      // Each execution is read under its own workgroup's ARN.
      for (const workgroup of new Set(found.map((e) => e.workgroup))) call.authorize('athena:BatchGetQueryExecution', workgroupArn(call, workgroup));
      return { QueryExecutions: found.map((execution) => executionShape(call, execution)), UnprocessedQueryExecutionIds: unprocessed };
    },

    GetQueryExecution(input, call) {
      const execution = findExecution(call, required(input, 'QueryExecutionId'));
      call.authorize('athena:GetQueryExecution', workgroupArn(call, execution.workgroup));
      return { QueryExecution: executionShape(call, execution) };
    },

    StartQueryExecution: startQueryExecution,

    StopQueryExecution(input, call) {
      const execution = findExecution(call, required(input, 'QueryExecutionId'));
      call.authorize('athena:StopQueryExecution', workgroupArn(call, execution.workgroup));
      const state = currentState(call, execution);
      if (state === 'QUEUED' || state === 'RUNNING') {
        execution.state = 'CANCELLED';
        execution.stateChangeReason = 'Query was cancelled by the user';
        execution.completedAt = new Date(call.state.now());
        // A cancelled query leaves no results behind.
        if (execution.outputLocation) {
          const { bucket, key } = parseS3Url(execution.outputLocation);
          call.state.objects.get(bucket)?.delete(key);
          call.state.objects.get(bucket)?.delete(`${key}.metadata`);
        }
      }
      return {};
    },

    GetQueryResults: getQueryResults,

    ListDataCatalogs(input, call) {
      call.authorize('athena:ListDataCatalogs', '*');
      const catalogs = call.state.scenario.athena.dataCatalogs.length ? call.state.scenario.athena.dataCatalogs : [knownCatalog(call, 'AwsDataCatalog')!];
      const { page: pageCatalogs, nextToken } = page(catalogs, input, 2, 50);
      return { DataCatalogsSummary: pageCatalogs.map((c) => ({ CatalogName: c.name, Type: c.type })), NextToken: nextToken };
    },

    GetDataCatalog(input, call) {
      const name = required(input, 'Name');
      call.authorize('athena:GetDataCatalog', `arn:aws:athena:${call.region}:${call.state.accountId}:datacatalog/${name}`);
      const catalog = knownCatalog(call, name);
      if (!catalog) throw invalid(`Catalog ${name} was not found`);
      // Parameters as registered; a GLUE catalog over another account's catalog carries its catalog-id
      // (Athena User Guide, "Register a Data Catalog from another account").
      return { DataCatalog: { Name: catalog.name, Type: catalog.type, Description: catalog.description ?? '', Parameters: catalog.parameters ?? { 'catalog-id': call.state.accountId } } };
    },

    ListDatabases(input, call) {
      const ref = catalogFor(call, input, 'glue:GetDatabases');
      const arn = catalogArns(call.region, ref);
      // Athena lists through glue:GetDatabases with the caller's rights, filtered the same way.
      const readable = relayed(call, () => {
        requireGlue(call, ref, 'glue:GetDatabases', arn.chain);
        const found = ref.databases.filter(
          (d) => allowedForAthena(call, 'glue:GetDatabases', arn.database(d.name), authorizationIn(call, ref, 'glue:GetDatabases', arn.database(d.name))) && (!governed(ref) || isDatabaseVisible(call.state, call.caller, d.name)),
        );
        if (found.length === 0) requireGlue(call, ref, 'glue:GetDatabases', [arn.database('*')]);
        return found;
      });
      const { page: databases, nextToken } = page(readable, input, 1, 50);
      return { DatabaseList: databases.map((d) => ({ Name: d.name, Description: d.description ?? '', Parameters: {} })), NextToken: nextToken };
    },

    GetDatabase(input, call) {
      const ref = catalogFor(call, input, 'glue:GetDatabase');
      const name = required(input, 'DatabaseName');
      const arn = catalogArns(call.region, ref);
      // Glue's GetDatabase answers a resource link with the link itself, not its target.
      const database = relayed(call, () => {
        requireGlue(call, ref, 'glue:GetDatabase', [...arn.chain, arn.database(name.toLowerCase())]);
        return findDatabase(call, ref, name);
      });
      return { Database: { Name: database.name, Description: database.description ?? '', Parameters: {} } };
    },

    ListTableMetadata(input, call) {
      const ref = catalogFor(call, input, 'glue:GetTables');
      const name = required(input, 'DatabaseName').toLowerCase();
      const arn = catalogArns(call.region, ref);
      const linked = relayed(call, () => {
        requireGlue(call, ref, 'glue:GetTables', [...arn.chain, arn.database(name), arn.table(name, '*')]);
        return throughLink(call, ref, findDatabase(call, ref, name), 'glue:GetTables', (target, db) => [...target.chain, target.database(db), target.table(db, '*')]);
      });
      const { database } = linked;
      const expression = stringField(input, 'Expression', { code: 'InvalidRequestException' });
      // Athena hands the expression to Glue's GetTables, where '*' is the wildcard.
      const pattern = expression ? new RegExp(`^${expression.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i') : undefined;
      // Governed tables the caller may not see are left out silently, as Glue does.
      const visible = database.tables.filter((t) => (!governed(linked.ref) || isTableVisible(call.state, call.caller, database.name, t.name)) && (!pattern || pattern.test(t.name)));
      const { page: tables, nextToken } = page(visible, input, 1, 50);
      return { TableMetadataList: tables.map(tableMetadata), NextToken: nextToken };
    },

    GetTableMetadata(input, call) {
      const ref = catalogFor(call, input, 'glue:GetTable');
      const databaseName = required(input, 'DatabaseName').toLowerCase();
      const tableName = required(input, 'TableName').toLowerCase();
      const arn = catalogArns(call.region, ref);
      const table = relayed(call, () => {
        requireGlue(call, ref, 'glue:GetTable', [...arn.chain, arn.database(databaseName), arn.table(databaseName, tableName)]);
        const linked = throughLink(call, ref, findDatabase(call, ref, databaseName), 'glue:GetTable', (target, db) => [...target.chain, target.database(db), target.table(db, tableName)]);
        const found = linked.database.tables.find((t) => t.name === tableName);
        if (!found) throw new AwsError('EntityNotFoundException', 'Entity Not Found');
        if (governed(linked.ref) && !isTableVisible(call.state, call.caller, linked.database.name, found.name)) {
          throw new AwsError('AccessDeniedException', `Insufficient Lake Formation permission(s) on ${found.name}`);
        }
        return found;
      });
      return { TableMetadata: tableMetadata(table) };
    },
  },
});

