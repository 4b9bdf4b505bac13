import { runQuery } from './helpers/run-query.js';
import type { Probe } from './types.js';

/**
 * lakeformation:GetDataAccess has no API of its own: only a real query on governed data proves
 * it, so this runs only with options.runQuery and a governed table in the sample.
 */
export const lakeformationDataAccess: Probe = {
  id: 'lakeformation-data-access',
  service: 'athena',
  actions: ['lakeformation:GetDataAccess'],
  informs: ['lake-formation'],
  resources: { 'lakeformation:GetDataAccess': 'any-resource' },
  roles: { 'lake-formation': { core: ['lakeformation:GetDataAccess'] } },
  after: ['glue-tables', 'athena-workgroup', 'athena-query'],
  skipWhen: ({ connection, facts }) => {
    if (!facts.tables?.some((table) => table.governed)) return { reason: 'not-applicable', detail: 'no Lake Formation-governed table among the sampled tables' };
    if (!connection.runQuery) return { reason: 'disabled-by-option', detail: 'reading governed data needs a query: set options.runQuery' };
    return undefined;
  },
  async run(context) {
    // athena-query reads a governed table when the sample has one: its outcome is the proof.
    const earlier = context.facts.governedQuery;
    if (earlier?.failure) context.fail(earlier.failure.action, earlier.failure);
    if (earlier) {
      context.granted('lakeformation:GetDataAccess');
      return `athena-query read ${earlier.database}.${earlier.name} through Lake Formation`;
    }
    const table = context.facts.tables!.find((t) => t.governed)!;
    await runQuery(context, `SELECT * FROM "${table.database.replaceAll('"', '""')}"."${table.name.replaceAll('"', '""')}" LIMIT 1`);
    context.granted('lakeformation:GetDataAccess');
    return `read ${table.database}.${table.name} through Lake Formation`;
  },
};
