import { parseS3Uri } from '../preflight/connection.js';
import { isKmsAlgorithm } from '../preflight/facts.js';
import type { Probe, RunFacts } from './types.js';

const TABLES_TO_TRY = 3;

/**
 * Profiling and data-quality products read the tables' data on S3 with the connection's rights (a
 * query does too: Athena reads the data as the caller). One small listing of a sampled table's
 * location and a one-byte ranged read of one object prove s3:ListBucket and s3:GetObject there,
 * and kms:Decrypt when the data is SSE-KMS (S3 relays KMS's refusal). Governed tables are left
 * out: Lake Formation vends their data access (see lake-formation).
 */
export const s3TableData: Probe = {
  id: 's3-table-data',
  service: 's3',
  actions: ['s3:ListBucket', 's3:GetObject', 'kms:Decrypt'],
  informs: ['table-data'],
  resources: { 's3:ListBucket': 'bucket-listing', 's3:GetObject': 'objects', 'kms:Decrypt': 'key-use' },
  // kms:Decrypt is needed only for SSE-KMS data: S3 relays its refusal, which then explains the verdict.
  roles: { 'table-data': { core: ['s3:ListBucket', 's3:GetObject'] } },
  after: ['glue-tables'],
  skipWhen: ({ facts }) => {
    if (!facts.tables?.length) return { reason: 'no-sample', detail: 'no table was listed' };
    if (!candidates(facts.tables).length) {
      return facts.tables.some((t) => t.governed)
        ? { reason: 'not-applicable', detail: 'only Lake Formation-governed tables have data on S3: Lake Formation vends their data access' }
        : { reason: 'no-sample', detail: 'no sampled table has an S3 location' };
    }
    return undefined;
  },
  async run(context) {
    for (const table of candidates(context.facts.tables!).slice(0, TABLES_TO_TRY)) {
      const { bucket, prefix } = parseS3Uri(table.location!);
      const name = `${table.database}.${table.name}`;
      context.facts.tableData = { table: name, bucket, prefix };
      const listing = await context.send('s3:ListBucket', 'ListObjectsV2Command', { Bucket: bucket, Prefix: prefix, MaxKeys: 10 });
      const object = listing.Contents?.find((entry) => (entry.Size ?? 0) > 0);
      if (!object?.Key) continue;
      const read = await context.send('s3:GetObject', 'GetObjectCommand', { Bucket: bucket, Key: object.Key, Range: 'bytes=0-0' }, { readBody: true });
      if (isKmsAlgorithm(read.ServerSideEncryption)) {
        context.facts.tableData.kmsKeyId = read.SSEKMSKeyId;
        context.granted('kms:Decrypt');
      } else {
        context.untested('kms:Decrypt', "the table's data is not encrypted with SSE-KMS");
      }
      return `read one byte of ${name}'s data (s3://${bucket}/${object.Key})`;
    }
    context.untested('s3:GetObject', 'no object under the sampled tables\' locations');
    context.skip('no-sample', "the sampled tables' locations hold no object to read");
  },
};

function candidates(tables: NonNullable<RunFacts['tables']>) {
  return tables.filter((table) => !table.governed && table.location?.startsWith('s3://'));
}
