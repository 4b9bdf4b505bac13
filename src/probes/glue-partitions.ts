import type { Probe } from './types.js';

export const gluePartitions: Probe = {
  id: 'glue-partitions',
  service: 'glue',
  actions: ['glue:GetPartitions'],
  informs: ['partitions'],
  after: ['glue-tables'],
  skipWhen: ({ facts }) => (facts.partitionedTable ? undefined : { reason: 'no-sample', detail: 'no partitioned table among the sampled tables' }),
  async run(context) {
    const { database, name } = context.facts.partitionedTable!;
    const page = await context.send('glue:GetPartitions', 'GetPartitionsCommand', { CatalogId: context.connection.catalogId, DatabaseName: database, TableName: name, MaxResults: 1 });
    context.facts.partitionValues = page.Partitions?.[0]?.Values;
    return `listed partitions of ${database}.${name}`;
  },
};
