import { catalogIdFor } from '../preflight/facts.js';
import type { Probe } from './types.js';

export const gluePartitions: Probe = {
  id: 'glue-partitions',
  service: 'glue',
  actions: ['glue:GetPartitions'],
  informs: ['partitions'],
  resources: { 'glue:GetPartitions': 'tables' },
  roles: { partitions: { core: ['glue:GetPartitions'] } },
  after: ['glue-tables'],
  skipWhen: ({ facts }) => (facts.partitionedTable ? undefined : { reason: 'no-sample', detail: 'no partitioned table among the sampled tables' }),
  async run(context) {
    const { database, name } = context.facts.partitionedTable!;
    const page = await context.send('glue:GetPartitions', 'GetPartitionsCommand', { CatalogId: catalogIdFor(context, database), DatabaseName: database, TableName: name, MaxResults: 1 });
    context.facts.partitionValues = page.Partitions?.[0]?.Values;
    return `listed partitions of ${database}.${name}`;
  },
};
