import type { ProbeDefinition } from './types.js';

export const glueFunction: ProbeDefinition = {
  id: 'glue-function',
  service: 'glue',
  actions: ['glue:GetUserDefinedFunction'],
  informs: ['functions'],
  dependsOn: ['glue-functions'],
  requires: ['glue-functions'],
  skipUnless: ({ facts }) => (facts.sampleFunction ? undefined : { reason: 'no-sample', detail: 'no user-defined function to describe' }),
  async run(context) {
    const { GetUserDefinedFunctionCommand } = await context.sdk('glue');
    const glue = await context.client('glue');
    const { database, name } = context.facts.sampleFunction!;
    await context.call('glue:GetUserDefinedFunction', (abortSignal) =>
      glue.send(new GetUserDefinedFunctionCommand({ CatalogId: context.connection.catalogId, DatabaseName: database, FunctionName: name }), { abortSignal }),
    );
  },
};
