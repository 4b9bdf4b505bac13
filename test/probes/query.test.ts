// Failed-query reasons as Athena, S3, KMS and Lake Formation write them, to the action that fixes them.
import { describe, expect, it } from 'vitest';
import { failureOf } from '../../src/probes/query.js';

describe('failureOf', () => {
  const cases: Array<[string, string, string, string | undefined]> = [
    ['Permission denied on S3 path: s3://acme-data-lake/sales/orders/part-0000.parquet', 's3:GetObject', 'permission', 'unknown'],
    ['PERMISSION_DENIED: Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied)', 's3:GetObject', 'permission', 'unknown'],
    ['Insufficient permissions to execute the query. Insufficient Lake Formation permission(s) on orders', 'lakeformation:GetDataAccess', 'permission', 'lake-formation'],
    [
      'User: arn:aws:iam::123456789012:user/a is not authorized to perform: lakeformation:GetDataAccess on resource: * because no identity-based policy allows the lakeformation:GetDataAccess action',
      'lakeformation:GetDataAccess',
      'permission',
      'identity',
    ],
    [
      'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access. (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied)',
      'kms:Decrypt',
      'permission',
      'unknown',
    ],
    ['Access denied when writing output to url: s3://acme-athena-results/primary/x.csv . Please ensure you are allowed to access the S3 bucket.', 's3:PutObject', 'permission', 'unknown'],
  ];
  for (const [reason, action, category, policyType] of cases) {
    it(`${reason.slice(0, 60)}… → ${action}`, () => {
      const failure = failureOf(reason);
      expect(failure).toMatchObject({ action, category });
      expect(failure.deniedBy?.policyType).toBe(policyType);
      expect(failure.message).not.toContain('s3://'); // our words, never AWS's text
    });
  }

  it("treats an unrecognised failure of the user's own making as an answer, not 'run again'", () => {
    expect(failureOf('TABLE_NOT_FOUND: line 1:15: Table does not exist', 2).category).toBe('config');
    expect(failureOf('Internal error', 1).category).toBe('service');
  });
});
