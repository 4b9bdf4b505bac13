// s3-table-data: a one-byte read of a sampled table's data, where it lives on S3.
import { describe, expect, it } from 'vitest';
import { s3TableData } from '../../src/probes/s3-table-data.js';
import { accessDenied, endedWith, runProbe } from './fake-run.js';

const facts = () => ({ tables: [{ database: 'sales', name: 'orders', partitioned: false, governed: false, location: 's3://acme-lake/sales/orders/' }] });

describe('s3-table-data', () => {
  it("passes listing the table's location and reading one byte of its first object", async () => {
    const run = await runProbe(s3TableData, {
      facts: facts(),
      answers: { ListObjectsV2Command: () => ({ Contents: [{ Key: 'sales/orders/_SUCCESS', Size: 0 }, { Key: 'sales/orders/part-0.parquet', Size: 10 }] }), GetObjectCommand: () => ({ ServerSideEncryption: 'AES256' }) },
    });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: "read one byte of sales.orders's data (s3://acme-lake/sales/orders/part-0.parquet)" });
    expect(run.sent.map((s) => s.input)).toEqual([
      { Bucket: 'acme-lake', Prefix: 'sales/orders/', MaxKeys: 10 },
      { Bucket: 'acme-lake', Key: 'sales/orders/part-0.parquet', Range: 'bytes=0-0' },
    ]);
    expect(run.facts.tableData).toEqual({ table: 'sales.orders', bucket: 'acme-lake', prefix: 'sales/orders/' });
    expect(run.evidence.get('kms:Decrypt')).toMatchObject({ state: 'untested' });
  });

  it("fails on a refusal of s3:ListBucket on the table's location", async () => {
    const run = await runProbe(s3TableData, { facts: facts(), answers: { ListObjectsV2Command: () => Promise.reject(accessDenied('s3:ListBucket')) } });
    expect(endedWith(run)).toBe('s3:ListBucket permission');
    expect(run.facts.tableData).toEqual({ table: 'sales.orders', bucket: 'acme-lake', prefix: 'sales/orders/' });
  });
});
