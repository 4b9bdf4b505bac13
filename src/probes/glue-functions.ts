import { catalogIdFor } from '../preflight/facts.js';
import type { Probe } from './types.js';

/**
 * Lists user-defined functions across the catalog (one page of one) to find a sample. Whether Glue
 * filters this listing or refuses it when a policy allows the database but no
 * userDefinedFunction/* ARN is not documented (the guide documents filtering for GetTables only).
 * Both are read right: a refusal is the capability unavailable; an empty page, a listing that works
 * with nothing to sample. The sandbox refuses.
 */
export const glueFunctions: Probe = {
  id: 'glue-functions',
  service: 'glue',
  actions: ['glue:GetUserDefinedFunctions'],
  informs: ['functions'],
  resources: { 'glue:GetUserDefinedFunctions': 'functions' },
  roles: { functions: { core: ['glue:GetUserDefinedFunctions'] } },
  after: ['glue-databases'],
  skipWhen: ({ connection, facts }) =>
    connection.databases.length || facts.databases?.length ? undefined : { reason: 'no-sample', detail: 'no database to list functions from' },
  async run(context) {
    const { connection } = context;
    const databases = (connection.databases.length ? connection.databases : context.facts.databases!).slice(0, 3);
    const pages = await Promise.all(
      databases.map((database) =>
        context.send('glue:GetUserDefinedFunctions', 'GetUserDefinedFunctionsCommand', { CatalogId: catalogIdFor(context, database), DatabaseName: database, Pattern: '*', MaxResults: 1 }),
      ),
    );
    const found = pages.flatMap((page) => page.UserDefinedFunctions ?? [])[0];
    if (found?.FunctionName && found.DatabaseName) context.facts.sampleFunction = { database: found.DatabaseName, name: found.FunctionName };
    return found ? `found ${found.DatabaseName}.${found.FunctionName}` : 'no function in the sampled databases';
  },
};
