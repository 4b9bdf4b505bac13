import type { ProbeDefinition } from './types.js';

export const glueBatchPartition: ProbeDefinition = {
  id: 'glue-batch-partition',
  service: 'glue',
  actions: ['glue:BatchGetPartition'],
  informs: ['partitions'],
  dependsOn: ['glue-partitions'],
  requires: ['glue-partitions'],
  skipUnless: ({ facts }) => (facts.partitionValues ? undefined : { reason: 'no-sample', detail: 'the partitioned table has no partition yet' }),
  async run(context) {
    const { BatchGetPartitionCommand } = await context.sdk('glue');
    const glue = await context.client('glue');
    const { database, name } = context.facts.partitionedTable!;
    await context.call('glue:BatchGetPartition', (abortSignal) =>
      glue.send(
        new BatchGetPartitionCommand({
          CatalogId: context.connection.catalogId,
          DatabaseName: database,
          TableName: name,
          PartitionsToGet: [{ Values: context.facts.partitionValues }],
        }),
        { abortSignal },
      ),
    );
  },
};
