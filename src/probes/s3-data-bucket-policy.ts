import { dataPathRequests, judgeAthenaPath } from './helpers/athena-path.js';
import type { Probe } from './types.js';

/**
 * A query reads a table's data as Athena's own request for the caller (aws:CalledVia
 * athena.amazonaws.com, none of the caller's network keys): the data bucket's policy is judged for
 * it, as the output bucket's is for results, so table-data speaks for the query's path too.
 */
export const s3DataBucketPolicy: Probe = {
  id: 's3-data-bucket-policy',
  service: 's3',
  actions: ['s3:GetBucketPolicy'],
  informs: ['table-data'],
  resources: { 's3:GetBucketPolicy': 'bucket' },
  roles: { 'table-data': { pathProofs: ['s3:GetBucketPolicy'], checkedWith: ['s3:GetBucketPolicy'] } },
  after: ['s3-table-data'],
  skipWhen: ({ facts }) => (facts.tableData ? undefined : { reason: 'not-applicable', detail: "no table's data location was read" }),
  run(context) {
    const data = context.facts.tableData!;
    return judgeAthenaPath(context, 'data', data.bucket, dataPathRequests(context, data));
  },
};
