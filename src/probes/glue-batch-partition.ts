import { catalogIdFor } from '../preflight/facts.js';
import type { Probe } from './types.js';

export const glueBatchPartition: Probe = {
  id: 'glue-batch-partition',
  service: 'glue',
  actions: ['glue:BatchGetPartition'],
  informs: ['partitions'],
  resources: { 'glue:BatchGetPartition': 'tables' },
  roles: { partitions: { extended: ['glue:BatchGetPartition'] } },
  needs: ['glue-partitions'],
  skipWhen: ({ facts }) => (facts.partitionValues ? undefined : { reason: 'no-sample', detail: 'the partitioned table has no partition yet' }),
  async run(context) {
    const { database, name } = context.facts.partitionedTable!;
    await context.send('glue:BatchGetPartition', 'BatchGetPartitionCommand', {
      CatalogId: catalogIdFor(context, database),
      DatabaseName: database,
      TableName: name,
      PartitionsToGet: [{ Values: context.facts.partitionValues }],
    });
  },
};
