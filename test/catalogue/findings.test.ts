// The findings catalogue: one list of codes, every code reported by a probe and tested there, words
// without holes, and docs/api.md's table generated from it.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FINDINGS, FINDING_CODES, type FindingArguments, type FindingCode, findingsTable, renderFinding, withFindingsTable } from '../../src/catalogue/findings.js';
import * as reportTypes from '../../src/preflight/types.js';

const read = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts')).map((file) => readFileSync(`${dir}/${file}`, 'utf8')).join('\n');

/** Facts of a finding as a probe gives them, for every code: the type check keeps them in step with the catalogue. */
const SAMPLES: { [C in FindingCode]: FindingArguments<C> } = {
  ACCOUNT_MISMATCH: [{ account: '999999999999', expected: '123456789012' }],
  EXTERNAL_ID_NOT_ENFORCED: [{ roleArn: 'arn:aws:iam::123456789012:role/R' }],
  EXTERNAL_ID_NOT_GIVEN: [],
  ASSUME_ROLE_DENIED: [{ roleArn: 'arn:aws:iam::123456789012:role/R', serviceArn: 'arn:aws:sts::999999999999:assumed-role/S/i' }],
  BUCKET_OTHER_REGION: [{ bucket: 'b', region: 'us-west-2', connectionRegion: 'eu-west-1' }],
  BUCKET_NOT_FOUND: [{ bucket: 'b' }],
  WORKGROUP_ENFORCED_LOCATION: [{ workgroup: 'w', enforced: 's3://a/', requested: 's3://b/' }],
  WORKGROUP_DISABLED: [{ workgroup: 'w' }],
  WORKGROUP_NOT_FOUND: [{ workgroup: 'w', region: 'eu-west-1' }],
  WORKGROUP_ENCRYPTION: [{ option: 'SSE_KMS', kmsKey: 'alias/k' }],
  RESULTS_NO_LIFECYCLE: [{ bucket: 'b', prefix: 'p/', uri: 's3://b/p/' }],
  MARKER_NOT_DELETED: [{ bucket: 'b', key: 'p/m.txt', errorCode: 'AccessDenied' }],
  MULTIPART_UPLOAD_NOT_ABORTED: [{ bucket: 'b', key: 'p/u.txt', uploadId: 'u', errorCode: 'AccessDenied' }],
  ATHENA_PATH_UNPROVEN: [{ bucket: 'b', what: 'query results', why: 's3:GetBucketPolicy was refused (AccessDenied)' }],
  LAKE_FORMATION_EMPTY_LISTING: [],
  NO_DATABASES_VISIBLE: [{ region: 'eu-west-1', catalogId: '123456789012', callerArn: 'arn:aws:iam::123456789012:user/a' }],
  NO_TABLES_VISIBLE: [{ region: 'eu-west-1', catalogId: '123456789012', callerArn: 'arn:aws:iam::123456789012:user/a', databases: ['sales'] }],
  DATABASE_NOT_FOUND: [{ database: 'sales', catalogId: '123456789012', region: 'eu-west-1' }],
  CATALOG_NOT_FOUND: [{ catalogId: '123456789012:s3tablescatalog/t', region: 'eu-west-1', listed: ['s3tablescatalog/u'] }],
  OTHER_CATALOGS: [{ checked: '123456789012', catalogs: ['s3tablescatalog/t'] }],
  ATHENA_CATALOG_MISMATCH: [{ dataCatalog: 'partner', athenaCatalogId: '999988887777', checked: '123456789012' }],
  SHARED_DATABASES: [{ databases: [{ name: 'sales', accountId: '999988887777' }] }],
  RESOURCE_LINK: [{ links: [{ database: 'sales_link', accountId: '999988887777', target: 'sales' }] }],
  SERVICE_UNREACHABLE: [{ service: 's3', region: 'eu-west-1', failure: 'connect-timeout', errorCode: 'ETIMEDOUT', host: 's3.eu-west-1.amazonaws.com', actions: ['s3:ListBucket', 's3:PutObject'] }],
};

/**
 * Findings no probe reports: derived once the probes ran, from what their calls met, because no
 * one probe can say it (a service none of whose calls connected is one finding, not one per
 * probe). Each is reported by the module named here and tested in the test file named here.
 */
const DERIVED: Partial<Record<FindingCode, { source: string; test: string }>> = {
  SERVICE_UNREACHABLE: { source: 'src/preflight/unreachable.ts', test: 'test/e2e/unreachable.test.ts' },
};

describe('the findings catalogue', () => {
  it("is the one list of codes: the report's types and schema take theirs from it", () => {
    expect(FINDING_CODES).toEqual(Object.keys(FINDINGS));
    expect(reportTypes.FINDING_CODES).toBe(FINDING_CODES);
  });

  it("has every code reported by a probe and tested in that probe's own tests, or derived after the probes by the module named and tested there", () => {
    const probes = read('src/probes');
    const tests = read('test/probes');
    for (const code of FINDING_CODES) {
      const derived = DERIVED[code];
      if (derived) {
        expect(probes, `${code} is derived after the probes: no probe reports it`).not.toContain(`finding('${code}'`);
        expect(readFileSync(derived.source, 'utf8'), `${derived.source} does not report ${code}`).toContain(`renderFinding('${code}'`);
        expect(readFileSync(derived.test, 'utf8'), `${derived.test} does not test ${code}`).toContain(`'${code}'`);
        continue;
      }
      expect(probes, `no probe reports ${code}`).toContain(`finding('${code}'`);
      expect(tests, `no test under test/probes/ produces ${code}`).toContain(`'${code}'`);
    }
  });

  it.each(FINDING_CODES)('words %s in full from its facts', (code) => {
    const finding = renderFinding(code, ...(SAMPLES[code] as FindingArguments<typeof code>));
    expect(finding).toMatchObject({ code, severity: FINDINGS[code].severity });
    for (const text of [finding.message, finding.remediation, FINDINGS[code].title]) {
      expect(text.length).toBeGreaterThan(10);
      expect(text).not.toMatch(/undefined|\[object|\$\{/);
    }
  });

  it("is what docs/api.md's table of findings says (run `npm run openapi` after changing it)", () => {
    const page = readFileSync('docs/api.md', 'utf8');
    expect(page).toContain(findingsTable());
    expect(withFindingsTable(page)).toBe(page);
  });
});
