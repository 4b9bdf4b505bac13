import type { Probe } from './types.js';

/**
 * Whether new tables default to IAM-only access or to Lake Formation. Glue listings silently omit
 * governed tables the caller has no grant on, so an empty listing in a governed account is a
 * finding, never a quiet ok.
 */
export const lakeformationSettings: Probe = {
  id: 'lakeformation-settings',
  service: 'lakeformation',
  actions: ['lakeformation:GetDataLakeSettings'],
  informs: ['lake-formation'],
  resources: { 'lakeformation:GetDataLakeSettings': 'any-resource' },
  roles: { 'lake-formation': { checkedWith: ['lakeformation:GetDataLakeSettings'] } },
  after: ['glue-tables'],
  async run(context) {
    const answer = await context.send('lakeformation:GetDataLakeSettings', 'GetDataLakeSettingsCommand', { CatalogId: context.connection.accountId });
    const settings = answer.DataLakeSettings;
    const iamAllowedByDefault = (settings?.CreateTableDefaultPermissions ?? []).some(
      (grant) => grant.Principal?.DataLakePrincipalIdentifier === 'IAM_ALLOWED_PRINCIPALS' && grant.Permissions?.includes('ALL'),
    );
    context.facts.dataLakeSettings = { iamAllowedByDefault, admins: settings?.DataLakeAdmins?.length ?? 0 };
    const { tables } = context.facts;
    if (!iamAllowedByDefault && tables !== undefined && tables.length === 0) {
      context.finding('LAKE_FORMATION_EMPTY_LISTING');
    }
    return iamAllowedByDefault ? 'new tables default to IAM access control' : 'new tables default to Lake Formation permissions';
  },
};
