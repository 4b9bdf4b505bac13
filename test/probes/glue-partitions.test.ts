// glue-partitions: lists the partitions of the sampled partitioned table and samples the first.
import { describe, expect, it } from 'vitest';
import { gluePartitions } from '../../src/probes/glue-partitions.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

const facts = { partitionedTable: { database: 'sales', name: 'orders' } };

describe('glue-partitions', () => {
  it("passes listing one partition, whose values the next probes read; a table without partitions yet passes too", async () => {
    const run = await runProbe(gluePartitions, { facts: { ...facts }, answers: { GetPartitionsCommand: () => ({ Partitions: [{ Values: ['2024'] }] }) } });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: 'listed partitions of sales.orders' });
    expect(run.facts.partitionValues).toEqual(['2024']);
    expect(run.sent[0]!.input).toEqual({ CatalogId: '123456789012', DatabaseName: 'sales', TableName: 'orders', MaxResults: 1 });
    const empty = await runProbe(gluePartitions, { facts: { ...facts }, answers: { GetPartitionsCommand: () => ({ Partitions: [] }) } });
    expect(empty).toMatchObject({ error: undefined });
    expect(empty.facts.partitionValues).toBeUndefined();
  });

  it('fails on a refusal of glue:GetPartitions', async () => {
    const run = await runProbe(gluePartitions, { facts: { ...facts }, answers: { GetPartitionsCommand: () => Promise.reject(accessDenied('glue:GetPartitions')) } });
    expect(endedWith(run)).toBe('glue:GetPartitions permission');
  });
});
