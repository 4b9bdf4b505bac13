// A failed query names its true cause: Athena's prose (StateChangeReason, AthenaError) to the action
// refused and the path it concerns. The texts are AWS's own, as public reports show them (each case
// cites its source; sessions and request ids shortened), and as the Athena User Guide's error catalog
// numbers them (AthenaError.ErrorType 1500 "Permission error", 1501 "Amazon S3 permission error",
// 401/402 "Failed to write query results to Amazon S3", 234 "Lake Formation error").
import { describe, expect, it } from 'vitest';
import { type QueryFailure, type QueryStatus, TABLE_DATA_DENIED, classifyError, classifyQueryFailure, isAnswer } from '../../src/preflight/classify.js';

const reason = (StateChangeReason: string, AthenaError?: QueryStatus['AthenaError']): QueryStatus => ({ StateChangeReason, ...(AthenaError ? { AthenaError } : {}) });
const USER = { ErrorCategory: 2 };

type Expected = Partial<Pick<QueryFailure, 'action' | 'path' | 'category' | 'code' | 'relayedAction' | 'resourceType' | 'lakeFormation'>> & { policyType?: string };

const CASES: Array<[source: string, status: QueryStatus, expected: Expected]> = [
  // Glue refusing Athena's look-up of the default database (quiltdata/quilt-mcp-server#76; the
  // "Insufficient permissions to execute the query. Error:" prefix is Athena's).
  [
    'quiltdata/quilt-mcp-server#76',
    reason(
      'Insufficient permissions to execute the query. Error: User: arn:aws:sts::850787717197:assumed-role/ReadWriteQuiltV2-sales-prod/someone@example.com is not authorized to perform: glue:GetDatabase on resource: arn:aws:glue:us-east-1:850787717197:database/default because no identity-based policy allows the glue:GetDatabase action (Service: AWSGlue; Status Code: 400; Error Code: AccessDeniedException)',
      { ...USER, ErrorType: 1500 },
    ),
    { action: 'glue:GetDatabase', path: 'catalog', category: 'permission', relayedAction: 'glue:GetDatabase', resourceType: 'glue:database', policyType: 'identity' },
  ],
  [
    'Glue refusing a table behind an explicit deny (SCP)',
    reason('Insufficient permissions to execute the query. Error: User: arn:aws:iam::123456789012:user/a is not authorized to perform: glue:GetTable on resource: arn:aws:glue:eu-west-1:123456789012:table/sales/orders with an explicit deny in a service control policy'),
    { action: 'glue:GetTable', path: 'catalog', resourceType: 'glue:table', policyType: 'scp' },
  ],
  [
    'Glue refusing to create the missing default database',
    reason('Insufficient permissions to execute the query. Error: User: arn:aws:iam::123456789012:user/a is not authorized to perform: glue:CreateDatabase on resource: arn:aws:glue:eu-west-1:123456789012:catalog because no identity-based policy allows the glue:CreateDatabase action'),
    { action: 'glue:CreateDatabase', path: 'catalog', resourceType: 'glue:catalog', policyType: 'identity' },
  ],
  // Reading a table's data (kubecost/docs#125).
  [
    'kubecost/docs#125',
    reason(
      '[ErrorCategory:USER_ERROR, ErrorCode:PERMISSION_ERROR], Detail:Permission denied on S3 path: s3://kubecost-reports/kubecost_/kubecost_intergration/year=2021/month=8/kubecost_intergration-00002.snappy.parquet, Message:Amazon Athena experienced a permission error. Please provide proper permission and submitting the query again.',
      { ...USER, ErrorType: 1501 },
    ),
    { action: 's3:GetObject', path: 'table-data', code: TABLE_DATA_DENIED, category: 'permission' },
  ],
  // The engine's own words for a split it could not open (trinodb/trino#15267: Athena's engine is Trino).
  [
    'trinodb/trino#15267',
    reason(
      'HIVE_CANNOT_OPEN_SPLIT: Error opening Hive split s3a://REDACTED/table/0001/block_date=2022-07-09/part-00000.c000.snappy.parquet (offset=0, length=9688): com.amazonaws.services.s3.model.AmazonS3Exception: Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: GWPGEHRBPM0Z41ER; S3 Extended Request ID: btz5; Proxy: null), S3 Extended Request ID: btz5 (Path: s3a://REDACTED/table/0001/block_date=2022-07-09/part-00000.c000.snappy.parquet)',
    ),
    { action: 's3:GetObject', path: 'table-data', code: TABLE_DATA_DENIED },
  ],
  [
    'AmazonS3Exception with its Path, as the issue quotes it',
    reason('com.amazonaws.services.s3.model.AmazonS3Exception: Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: X) (Path: s3://acme-data-lake/sales/orders/part-0000.parquet)', { ...USER, ErrorType: 1501 }),
    { action: 's3:GetObject', path: 'table-data', code: TABLE_DATA_DENIED },
  ],
  // Writing the results (AWS Knowledge Center "access-denied-athena", as quoted in public notes).
  [
    'AWS Knowledge Center, access-denied-athena',
    reason('Access denied when writing output to url: s3://my-athena-result-bucket/Unsaved/2021/05/07/example_query_ID.csv . Please ensure you are allowed to access the S3 bucket. If you are encrypting query results with KMS key, please ensure you are allowed to access your KMS key', { ...USER, ErrorType: 1501 }),
    { action: 's3:PutObject', path: 'results', category: 'permission' },
  ],
  ['grafana/athena-datasource#112', reason('Access denied when writing to location: s3://aws-athena-query-results-123456789012-us-west-2/1a2b3c.csv'), { action: 's3:PutObject', path: 'results' }],
  ['error catalog 401, no prose', reason('', { ErrorCategory: 1, ErrorType: 401 }), { action: 's3:PutObject', path: 'results' }],
  // KMS behind the results write: the key, not the bucket.
  [
    'KMS refusing the data key behind the write',
    reason(
      'Access denied when writing output to url: s3://results/x.csv . Please ensure you are allowed to access the S3 bucket. If you are encrypting query results with KMS key, please ensure you are allowed to access your KMS key (User: arn:aws:iam::123456789012:user/a is not authorized to perform: kms:GenerateDataKey on resource: arn:aws:kms:eu-west-1:123456789012:key/k because no identity-based policy allows the kms:GenerateDataKey action (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied))',
    ),
    { action: 'kms:GenerateDataKey', path: 'kms', category: 'permission', resourceType: 'kms:key' },
  ],
  [
    'KMS, as S3 relays a refused decrypt',
    reason('The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access. (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied)'),
    { action: 'kms:Decrypt', path: 'kms' },
  ],
  [
    'a disabled key behind the write',
    reason('Access denied when writing output to url: s3://results/x.csv . Please ensure you are allowed to access the S3 bucket. (Service: Amazon S3; Status Code: 400; Error Code: KMS.KMSInvalidStateException; Key: arn:aws:kms:eu-west-1:123456789012:key/k)'),
    { action: 'kms:GenerateDataKey', path: 'kms', category: 'config' },
  ],
  // Lake Formation (aws-solutions/workload-discovery-on-aws#228, awslabs/sagemaker-explaining-credit-decisions#8).
  [
    'Lake Formation hiding the default database',
    reason('Insufficient permissions to execute the query. Insufficient Lake Formation permission(s): Required Describe on default', { ...USER, ErrorType: 1500 }),
    { action: 'glue:GetDatabase', path: 'lake-formation', policyType: 'lake-formation', lakeFormation: { permission: 'DESCRIBE', on: { database: 'default' } } },
  ],
  [
    'aws-solutions/workload-discovery-on-aws#228',
    reason('Insufficient Lake Formation permission(s): Required Create Database on Catalog (Service: AWSGlue; Status Code: 400; Error Code: AccessDeniedException; Request ID: 815bc078; Proxy: null)'),
    { action: 'glue:CreateDatabase', path: 'lake-formation', policyType: 'lake-formation', lakeFormation: { permission: 'CREATE_DATABASE', on: { catalog: true } } },
  ],
  [
    'awslabs/sagemaker-explaining-credit-decisions#8',
    reason('Insufficient Lake Formation permission(s) on sagemaker-soln-ecd-js-98cdwa-database (Database name: sagemaker-soln-ecd-js-98cdwa-database) (Service: AWSGlue; Status Code: 400; Error Code: AccessDeniedException)'),
    { action: 'glue:GetDatabase', path: 'lake-formation', lakeFormation: { permission: 'DESCRIBE', on: { database: 'sagemaker-soln-ecd-js-98cdwa-database' } } },
  ],
  [
    'Lake Formation refusing the table’s data',
    reason('Insufficient permissions to execute the query. Insufficient Lake Formation permission(s) on orders'),
    { action: 'lakeformation:GetDataAccess', path: 'lake-formation', policyType: 'lake-formation', lakeFormation: { permission: 'SELECT', on: { table: 'orders' } } },
  ],
  [
    'IAM refusing lakeformation:GetDataAccess',
    reason('User: arn:aws:iam::123456789012:user/a is not authorized to perform: lakeformation:GetDataAccess on resource: * because no identity-based policy allows the lakeformation:GetDataAccess action'),
    { action: 'lakeformation:GetDataAccess', path: 'lake-formation', policyType: 'identity' },
  ],
  // S3 refusals that name no location: the results bucket in aws/context-ontology-accelerator#38,
  // unknown in mozilla/redash#938. Either may be it.
  ['aws/context-ontology-accelerator#38', reason('PERMISSION_DENIED: Access Denied (Service: S3, Status Code: 403)', { ...USER, ErrorType: 1501 }), { action: 's3:GetObject', path: 'query', code: TABLE_DATA_DENIED }],
  ['mozilla/redash#938', reason('Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: 5B11DF4645EDCBE0)'), { action: 's3:GetObject', path: 'query' }],
  // Only the error catalog's numbers to go by.
  ['error catalog 1500, no prose', reason('Insufficient permissions to execute the query.', { ...USER, ErrorType: 1500 }), { action: 'athena:StartQueryExecution', path: 'query', category: 'permission' }],
  ['error catalog 234', reason('', { ErrorCategory: 2, ErrorType: 234 }), { action: 'lakeformation:GetDataAccess', path: 'lake-formation', policyType: 'lake-formation' }],
  ['error catalog 1401, Glue throttling', reason('Rate exceeded', { ErrorCategory: 1, ErrorType: 1401 }), { path: 'catalog', category: 'throttled' }],
  ['a query of the user’s own making', reason('TABLE_NOT_FOUND: line 1:15: Table does not exist', { ...USER, ErrorType: 1110 }), { action: 'athena:StartQueryExecution', path: 'query', category: 'config' }],
  ['a system error', reason('Internal error', { ErrorCategory: 1, ErrorType: 100 }), { path: 'query', category: 'service' }],
];

describe('classifyQueryFailure', () => {
  for (const [source, status, expected] of CASES) {
    it(`${source} → ${expected.action ?? expected.category} on ${expected.path}`, () => {
      const failure = classifyQueryFailure(status);
      const { policyType, ...fields } = expected;
      expect(failure).toMatchObject(fields);
      if (policyType) expect(failure.deniedBy?.policyType).toBe(policyType);
      // Our words, never AWS's text: no location, no ARN, no session.
      expect(failure.message).not.toMatch(/s3a?:\/\/|arn:aws|someone@|REDACTED/);
    });
  }

  it('never calls a refusal of another service athena:StartQueryExecution as written, nor something to try again', () => {
    for (const [, status, expected] of CASES) {
      const failure = classifyQueryFailure(status);
      if (failure.category !== 'permission') continue;
      expect(isAnswer(failure.category)).toBe(true);
      expect(failure.message).not.toMatch(/as written|again/);
      if (/not authorized to perform: (glue|kms|lakeformation|s3):/.test(status.StateChangeReason ?? '')) expect(failure.action, expected.action).not.toBe('athena:StartQueryExecution');
    }
  });

  it('reads a table-data refusal as the data, never as the output location', () => {
    for (const [, status] of CASES) {
      const failure = classifyQueryFailure(status);
      if (failure.path === 'table-data') expect(failure.message).not.toMatch(/output location/);
    }
  });
});

describe('Athena refusing to start: "Unable to verify/create output bucket"', () => {
  // pyathena-dev/PyAthena#67; the body as hashicorp/terraform-provider-aws#39716 logged it:
  // {"__type":"InvalidRequestException","AthenaErrorCode":"INSUFFICIENT_PERMISSIONS","ErrorCode":"INSUFFICIENT_PERMISSIONS","Message":"Unable to verify/create output bucket foobarbaz"}
  const error = Object.assign(new Error('Unable to verify/create output bucket foobarbaz'), {
    name: 'InvalidRequestException',
    AthenaErrorCode: 'INSUFFICIENT_PERMISSIONS',
    $fault: 'client',
    $metadata: { httpStatusCode: 400, requestId: 'r' },
  });

  it('is the output location, refused: Athena allowed its own call', () => {
    const classified = classifyError(error, { action: 'athena:StartQueryExecution' });
    expect(classified).toMatchObject({ category: 'permission', relayedAction: 's3:GetBucketLocation', path: 'results' });
    expect(classified.message).not.toContain('foobarbaz');
    expect(classified.message).not.toMatch(/disabled workgroup|not valid/);
  });

  it('and as a query failure', () => {
    expect(classifyQueryFailure(reason('Unable to verify/create output bucket foobarbaz'))).toMatchObject({ action: 's3:GetBucketLocation', path: 'results' });
  });
});
