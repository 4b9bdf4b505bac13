import { runQuery } from './helpers/run-query.js';
import { type Probe, ProbeCallError } from './types.js';

/**
 * The one probe that costs the customer money, only with options.runQuery: a query that reads a
 * sampled table (a Lake Formation-governed one when the sample has one), so that it proves what a
 * product's queries need together: Glue, the table's data on S3, its key, Lake Formation and the
 * results location. `SELECT 1` only when no table was listed.
 */
export const athenaQuery: Probe = {
  id: 'athena-query',
  service: 'athena',
  actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'],
  informs: ['query-execution'],
  resources: {
    'athena:StartQueryExecution': 'workgroup',
    'athena:GetQueryExecution': 'workgroup',
    'athena:GetQueryResults': 'workgroup',
    'athena:StopQueryExecution': 'workgroup',
    'athena:GetQueryResultsStream': 'workgroup',
  },
  roles: {
    'query-execution': {
      core: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'],
      // Never proved: stopping is done only past the deadline, unrecorded; GetQueryResultsStream has no
      // API of its own (the JDBC and ODBC drivers fetch results through it: Athena User Guide, JDBC
      // driver permissions). Both are asked for with the rest, and reported untested.
      extended: ['athena:StopQueryExecution', 'athena:GetQueryResultsStream'],
    },
  },
  after: ['athena-workgroup', 'glue-tables'],
  skipWhen: ({ connection }) => (connection.runQuery ? undefined : { reason: 'disabled-by-option', detail: 'options.runQuery is false' }),
  async run(context) {
    const { facts } = context;
    const target = facts.tables?.find((table) => table.governed) ?? facts.sampleTable;
    const sql = target ? `SELECT * FROM ${quoted(target.database)}.${quoted(target.name)} LIMIT 1` : 'SELECT 1';
    if (target) facts.queriedTable = { database: target.database, name: target.name, location: facts.tables?.find((t) => t.database === target.database && t.name === target.name)?.location };
    const governed = facts.tables?.some((table) => table.governed && table.database === target?.database && table.name === target?.name) ?? false;
    try {
      const { queryExecutionId, rows } = await runQuery(context, sql);
      if (governed) facts.governedQuery = { database: target!.database, name: target!.name };
      // Athena took its own path, for the caller: its results written and read, the table's data read.
      const readData = Boolean(target && !governed && facts.queriedTable?.location);
      facts.queryProvedAthenaPath = { results: true, ...(readData ? { data: true } : {}) };
      return `query ${queryExecutionId} read ${target ? `${target.database}.${target.name}` : 'no table'}: ${rows} rows`;
    } catch (error) {
      // The Lake Formation probe reads this outcome instead of paying for the same query again.
      if (governed && error instanceof ProbeCallError) facts.governedQuery = { database: target!.database, name: target!.name, failure: { action: error.action, ...error.classified } };
      throw error;
    }
  },
};

/** A SQL identifier in double quotes, embedded quotes doubled (Athena's DML follows Presto/Trino). */
function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
