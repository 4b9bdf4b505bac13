import { describe, expect, it } from 'vitest';
import { AWS_ACTIONS, isAwsAction } from '../../src/catalogue/actions.js';
import { actionsOf, assumeRoleAction, CAPABILITIES, CAPABILITY_IDS, type CapabilityId, capabilityById } from '../../src/catalogue/capabilities.js';

// SPEC §2, copied by hand on purpose: the catalogue is the public contract, so a change to it must
// be a change to this table too.
const CONTRACT: Record<CapabilityId, { core: string[]; extended: string[] }> = {
  connection: { core: ['sts:GetCallerIdentity'], extended: [] },
  metadata: { core: ['glue:GetDatabases', 'glue:GetTables'], extended: ['glue:GetDatabase', 'glue:GetTable'] },
  partitions: { core: ['glue:GetPartitions'], extended: ['glue:GetPartition', 'glue:BatchGetPartition'] },
  'schema-history': { core: ['glue:GetTableVersions'], extended: ['glue:GetTableVersion'] },
  functions: { core: ['glue:GetUserDefinedFunctions'], extended: ['glue:GetUserDefinedFunction'] },
  search: { core: ['glue:SearchTables'], extended: [] },
  'query-history': { core: ['athena:ListQueryExecutions', 'athena:BatchGetQueryExecution'], extended: ['athena:ListWorkGroups', 'athena:GetWorkGroup', 'athena:GetQueryExecution'] },
  'user-attribution': { core: ['cloudtrail:LookupEvents'], extended: [] },
  'athena-catalog': { core: ['athena:ListDatabases', 'athena:ListTableMetadata'], extended: ['athena:GetDataCatalog', 'athena:GetDatabase', 'athena:GetTableMetadata'] },
  'query-results': {
    core: ['s3:PutObject', 's3:GetObject'],
    extended: ['s3:GetBucketLocation', 's3:ListBucket', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:ListBucketMultipartUploads'],
  },
  'query-execution': { core: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'], extended: ['athena:StopQueryExecution', 'athena:GetQueryResultsStream'] },
  encryption: { core: ['kms:GenerateDataKey', 'kms:Decrypt'], extended: ['kms:DescribeKey'] },
  'lake-formation': { core: ['lakeformation:GetDataAccess'], extended: [] },
  'table-data': { core: ['s3:ListBucket', 's3:GetObject'], extended: [] },
};

describe('the capability catalogue', () => {
  it("lists every capability once, in the contract's order", () => {
    expect(CAPABILITIES.map((c) => c.id)).toEqual([...CAPABILITY_IDS]);
    expect(new Set(CAPABILITY_IDS).size).toBe(CAPABILITY_IDS.length);
  });

  it.each(CAPABILITY_IDS)('%s has exactly the core and extended actions of SPEC §2', (id) => {
    const capability = capabilityById(id);
    expect({ core: [...capability.core], extended: [...capability.extended] }).toEqual(CONTRACT[id]);
  });

  it('uses only known actions, each once per capability', () => {
    for (const capability of CAPABILITIES) {
      const actions = actionsOf(capability);
      expect(new Set(actions).size).toBe(actions.length);
      for (const action of actions) expect(isAwsAction(action)).toBe(true);
    }
    expect(new Set(AWS_ACTIONS).size).toBe(AWS_ACTIONS.length);
  });

  it('knows the actions the engine calls outside the table', () => {
    for (const action of [
      'lakeformation:GetDataAccess',
      'sts:AssumeRole',
      'sts:GetCallerIdentity',
      's3:DeleteObject',
      'glue:GetDataCatalogEncryptionSettings',
      'athena:ListDataCatalogs',
      's3:GetEncryptionConfiguration',
      's3:GetLifecycleConfiguration',
      'lakeformation:GetDataLakeSettings',
      'lakeformation:ListPermissions',
    ]) {
      expect(isAwsAction(action)).toBe(true);
    }
    // GetBucketEncryption is the S3 API; IAM authorises it as s3:GetEncryptionConfiguration.
    expect(isAwsAction('s3:GetBucketEncryption')).toBe(false);
  });

  it('requests everything by default except the query that costs money and reading table data', () => {
    expect(CAPABILITIES.filter((c) => !c.requestedByDefault).map((c) => c.id)).toEqual(['query-execution', 'table-data']);
  });

  it("keeps the service's own AssumeRole out of every customer capability", () => {
    expect(assumeRoleAction).toBe('sts:AssumeRole');
    for (const capability of CAPABILITIES) expect(actionsOf(capability)).not.toContain(assumeRoleAction);
  });

  it('says in one sentence what is lost, with a title and a feature', () => {
    for (const capability of CAPABILITIES) {
      expect(capability.title.length).toBeGreaterThan(0);
      expect(capability.feature.length).toBeGreaterThan(0);
      expect(capability.impact).toMatch(/^[A-Z][^.]*\.$/);
    }
    expect(capabilityById('query-history').impact).toBe('Query popularity and lineage will be missing.');
  });

  it('tells that Lake Formation needs grants no IAM policy can carry', () => {
    const note = capabilityById('lake-formation').remediationNote ?? '';
    expect(note).toMatch(/DESCRIBE/);
    expect(note).toMatch(/SELECT/);
  });

  it('finds a capability by id and refuses an unknown one', () => {
    expect(capabilityById('search').core).toEqual(['glue:SearchTables']);
    expect(() => capabilityById('nope' as CapabilityId)).toThrow(/unknown capability/);
  });
});

describe("README's table of capabilities", () => {
  it('is the catalogue\'s, as generated (run `npm run openapi` after changing the catalogue)', async () => {
    const { readFileSync } = await import('node:fs');
    const { capabilitiesTable, withCapabilitiesTable } = await import('../../src/catalogue/capabilities.js');
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain(capabilitiesTable());
    expect(withCapabilitiesTable(readme)).toBe(readme);
    // Every capability has its row, with its conditional core said.
    expect(capabilitiesTable()).toMatch(/\| `query-results` \|.*\(\+ `s3:PutObjectAcl` when the workgroup sends an ACL/);
  });
});
