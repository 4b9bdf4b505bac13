import type { ProbeDefinition } from './types.js';

export const gluePartition: ProbeDefinition = {
  id: 'glue-partition',
  service: 'glue',
  actions: ['glue:GetPartition'],
  informs: ['partitions'],
  dependsOn: ['glue-partitions'],
  requires: ['glue-partitions'],
  skipUnless: ({ facts }) => (facts.partitionValues ? undefined : { reason: 'no-sample', detail: 'the partitioned table has no partition yet' }),
  async run(context) {
    const { GetPartitionCommand } = await context.sdk('glue');
    const glue = await context.client('glue');
    const { database, name } = context.facts.partitionedTable!;
    await context.call('glue:GetPartition', (abortSignal) =>
      glue.send(
        new GetPartitionCommand({ CatalogId: context.connection.catalogId, DatabaseName: database, TableName: name, PartitionValues: context.facts.partitionValues }),
        { abortSignal },
      ),
    );
  },
};
