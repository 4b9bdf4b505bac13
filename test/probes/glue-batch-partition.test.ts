// glue-batch-partition: reads the sampled partition in a batch, in the catalog its database is in.
import { describe, expect, it } from 'vitest';
import { glueBatchPartition } from '../../src/probes/glue-batch-partition.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

const facts = { partitionedTable: { database: 'sales', name: 'orders' }, partitionValues: ['2024', '01'] };

describe('glue-batch-partition', () => {
  it("passes reading the sampled partition, in the catalog that shares the table's database", async () => {
    const run = await runProbe(glueBatchPartition, { facts: { ...facts, databaseCatalogs: { sales: '444455556666' } }, answers: { BatchGetPartitionCommand: () => ({ Partitions: [{ Values: ['2024', '01'] }] }) } });
    expect(run).toMatchObject({ error: undefined, findings: [] });
    expect(run.sent[0]!.input).toEqual({ CatalogId: '444455556666', DatabaseName: 'sales', TableName: 'orders', PartitionsToGet: [{ Values: ['2024', '01'] }] });
  });

  it('fails on a refusal of glue:BatchGetPartition', async () => {
    const run = await runProbe(glueBatchPartition, { facts: { ...facts }, answers: { BatchGetPartitionCommand: () => Promise.reject(accessDenied('glue:BatchGetPartition')) } });
    expect(endedWith(run)).toBe('glue:BatchGetPartition permission');
  });
});
