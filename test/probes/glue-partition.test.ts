// glue-partition: describes the sampled partition of the sampled partitioned table.
import { describe, expect, it } from 'vitest';
import { gluePartition } from '../../src/probes/glue-partition.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

const facts = { partitionedTable: { database: 'sales', name: 'orders' }, partitionValues: ['2024'] };

describe('glue-partition', () => {
  it('passes describing the sampled partition by its values', async () => {
    const run = await runProbe(gluePartition, { facts: { ...facts }, answers: { GetPartitionCommand: () => ({ Partition: { Values: ['2024'] } }) } });
    expect(run).toMatchObject({ error: undefined, findings: [] });
    expect(run.sent[0]!.input).toEqual({ CatalogId: '123456789012', DatabaseName: 'sales', TableName: 'orders', PartitionValues: ['2024'] });
  });

  it('fails on a refusal of glue:GetPartition', async () => {
    const run = await runProbe(gluePartition, { facts: { ...facts }, answers: { GetPartitionCommand: () => Promise.reject(accessDenied('glue:GetPartition')) } });
    expect(endedWith(run)).toBe('glue:GetPartition permission');
  });
});
