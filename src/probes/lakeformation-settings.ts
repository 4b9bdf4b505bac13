import type { ProbeDefinition } from './types.js';

/**
 * Whether new tables default to IAM-only access or to Lake Formation. Glue listings silently omit
 * governed tables the caller has no grant on, so an empty listing in a governed account is a
 * finding, never a quiet ok.
 */
export const lakeformationSettings: ProbeDefinition = {
  id: 'lakeformation-settings',
  service: 'lakeformation',
  actions: ['lakeformation:GetDataLakeSettings'],
  informs: ['lake-formation'],
  dependsOn: ['glue-tables'],
  requires: ['sts-caller-identity'],
  async run(context) {
    const { GetDataLakeSettingsCommand } = await context.sdk('lakeformation');
    const lakeformation = await context.client('lakeformation');
    const answer = await context.call('lakeformation:GetDataLakeSettings', (abortSignal) =>
      lakeformation.send(new GetDataLakeSettingsCommand({ CatalogId: context.connection.catalogId }), { abortSignal }),
    );
    const settings = answer.DataLakeSettings;
    const iamAllowedByDefault = (settings?.CreateTableDefaultPermissions ?? []).some(
      (grant) => grant.Principal?.DataLakePrincipalIdentifier === 'IAM_ALLOWED_PRINCIPALS' && grant.Permissions?.includes('ALL'),
    );
    context.facts.dataLakeSettings = { iamAllowedByDefault, admins: settings?.DataLakeAdmins?.length ?? 0 };
    const { tables } = context.facts;
    if (!iamAllowedByDefault && tables !== undefined && tables.length === 0) {
      context.finding({
        code: 'LAKE_FORMATION_EMPTY_LISTING',
        severity: 'high',
        message: 'Glue returned no table, and the account governs new tables with Lake Formation: tables without a Lake Formation grant are hidden, not denied.',
        remediation: 'Grant DESCRIBE (and SELECT to query) on the databases and tables in Lake Formation to the connection\'s principal.',
      });
    }
    return iamAllowedByDefault ? 'new tables default to IAM access control' : 'new tables default to Lake Formation permissions';
  },
};
