import { catalogIdFor } from '../preflight/facts.js';
import type { Probe } from './types.js';

export const gluePartition: Probe = {
  id: 'glue-partition',
  service: 'glue',
  actions: ['glue:GetPartition'],
  informs: ['partitions'],
  resources: { 'glue:GetPartition': 'tables' },
  roles: { partitions: { extended: ['glue:GetPartition'] } },
  needs: ['glue-partitions'],
  skipWhen: ({ facts }) => (facts.partitionValues ? undefined : { reason: 'no-sample', detail: 'the partitioned table has no partition yet' }),
  async run(context) {
    const { database, name } = context.facts.partitionedTable!;
    await context.send('glue:GetPartition', 'GetPartitionCommand', {
      CatalogId: catalogIdFor(context, database),
      DatabaseName: database,
      TableName: name,
      PartitionValues: context.facts.partitionValues,
    });
  },
};
