import type { ProbeDefinition } from './types.js';

export const gluePartitions: ProbeDefinition = {
  id: 'glue-partitions',
  service: 'glue',
  actions: ['glue:GetPartitions'],
  informs: ['partitions'],
  dependsOn: ['glue-tables'],
  requires: ['sts-caller-identity'],
  skipUnless: ({ facts }) => (facts.partitionedTable ? undefined : { reason: 'no-sample', detail: 'no partitioned table among the sampled tables' }),
  async run(context) {
    const { GetPartitionsCommand } = await context.sdk('glue');
    const glue = await context.client('glue');
    const { database, name } = context.facts.partitionedTable!;
    const page = await context.call('glue:GetPartitions', (abortSignal) =>
      glue.send(new GetPartitionsCommand({ CatalogId: context.connection.catalogId, DatabaseName: database, TableName: name, MaxResults: 1 }), { abortSignal }),
    );
    context.facts.partitionValues = page.Partitions?.[0]?.Values;
    return `listed partitions of ${database}.${name}`;
  },
};
