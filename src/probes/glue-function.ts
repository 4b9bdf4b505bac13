import { catalogIdFor } from '../preflight/facts.js';
import type { Probe } from './types.js';

export const glueFunction: Probe = {
  id: 'glue-function',
  service: 'glue',
  actions: ['glue:GetUserDefinedFunction'],
  informs: ['functions'],
  resources: { 'glue:GetUserDefinedFunction': 'functions' },
  roles: { functions: { extended: ['glue:GetUserDefinedFunction'] } },
  needs: ['glue-functions'],
  skipWhen: ({ facts }) => (facts.sampleFunction ? undefined : { reason: 'no-sample', detail: 'no user-defined function to describe' }),
  async run(context) {
    const { database, name } = context.facts.sampleFunction!;
    await context.send('glue:GetUserDefinedFunction', 'GetUserDefinedFunctionCommand', { CatalogId: catalogIdFor(context, database), DatabaseName: database, FunctionName: name });
  },
};
