// lakeformation-settings: whether new tables default to IAM or to Lake Formation; an empty listing in
// a governed account is a finding, never a quiet ok.
import { describe, expect, it } from 'vitest';
import { lakeformationSettings } from '../../src/probes/lakeformation-settings.js';
import { runProbe } from './fake-run.js';

const settings = (iamAllowed: boolean) => ({
  GetDataLakeSettingsCommand: () => ({
    DataLakeSettings: { DataLakeAdmins: [{}], CreateTableDefaultPermissions: iamAllowed ? [{ Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Permissions: ['ALL'] }] : [] },
  }),
});

describe('lakeformation-settings', () => {
  it('passes with the settings as a fact, and no finding, where tables default to IAM', async () => {
    const run = await runProbe(lakeformationSettings, { facts: { tables: [] }, answers: settings(true) });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: 'new tables default to IAM access control' });
    expect(run.facts.dataLakeSettings).toEqual({ iamAllowedByDefault: true, admins: 1 });
  });

  it('finds LAKE_FORMATION_EMPTY_LISTING when Glue listed no table in a governed account', async () => {
    const run = await runProbe(lakeformationSettings, { facts: { tables: [] }, answers: settings(false) });
    expect(run.findings).toEqual([
      {
        code: 'LAKE_FORMATION_EMPTY_LISTING',
        severity: 'high',
        message: 'Glue returned no table, and the account governs new tables with Lake Formation: tables without a Lake Formation grant are hidden, not denied.',
        remediation: "Grant DESCRIBE (and SELECT to query) on the databases and tables in Lake Formation to the connection's principal.",
        probe: 'lakeformation-settings',
      },
    ]);
  });

  it('finds nothing when tables were listed, or when no listing ran', async () => {
    expect((await runProbe(lakeformationSettings, { facts: { tables: [{ database: 'd', name: 't', partitioned: false, governed: true }] }, answers: settings(false) })).findings).toEqual([]);
    expect((await runProbe(lakeformationSettings, { answers: settings(false) })).findings).toEqual([]);
  });
});
