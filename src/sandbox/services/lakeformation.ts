// Lake Formation over restJson1 (POST /<Operation>, JSON in and out): the data lake settings, the
// grants, and the grants that apply at an S3 path. IAM checks each action on "*"; past that,
// Lake Formation shows a principal that is not a data lake administrator only its own grants.
import { isDataLakeAdmin, lakeFormationPrincipal } from '../governance.js';
import { paginate } from '../protocols.js';
import type { Scenario } from '../scenario.js';
import { AwsError, type ServiceCall, type ServiceDefinition } from '../types.js';

type Input = Record<string, any>;
/**
 * A grant on a database or table, or CREATE_DATABASE on the catalog: the account's database
 * creators (Lake Formation Developer Guide, "Implicit Lake Formation permissions"), which
 * ListPermissions lists on the Catalog resource.
 */
type Grant = Scenario['lakeFormation']['grants'][number] | { principal: string; catalog: true; permissions: ['CREATE_DATABASE'] };
const onCatalog = (grant: Grant): grant is Extract<Grant, { catalog: true }> => 'catalog' in grant;

function parseInput(call: ServiceCall): Input {
  if (call.request.body.length === 0) return {};
  try {
    const parsed = JSON.parse(call.request.body.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed;
  } catch {
    throw new AwsError('InvalidInputException', 'The request body is not valid JSON.');
  }
}

/** IAM first, then the catalog: the sandbox holds only the caller's account's. */
function begin(call: ServiceCall, input: Input): void {
  call.authorize(`lakeformation:${call.operation}`, '*');
  if (input.CatalogId !== undefined && input.CatalogId !== call.state.accountId) {
    throw new AwsError('AccessDeniedException', 'Resource does not exist or requester is not authorized to access requested permissions.', 403);
  }
}

function maxResults(input: Input): number {
  const value = input.MaxResults;
  if (value === undefined) return 100;
  if (!Number.isInteger(value) || value < 1 || value > 1000) throw new AwsError('InvalidInputException', 'MaxResults must be between 1 and 1000.');
  return value;
}

function defaultPermissions(call: ServiceCall) {
  return call.state.scenario.lakeFormation.iamAllowedPrincipalsByDefault
    ? [{ Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Permissions: ['ALL'] }]
    : [];
}

/** The grants the caller may see: all of them for an administrator, else its own. */
function visibleGrants(call: ServiceCall): Grant[] {
  const { lakeFormation } = call.state.scenario;
  const grants: Grant[] = [...lakeFormation.grants, ...lakeFormation.databaseCreators.map((principal) => ({ principal, catalog: true as const, permissions: ['CREATE_DATABASE'] as ['CREATE_DATABASE'] }))];
  if (isDataLakeAdmin(call.state, call.caller)) return grants;
  const self = lakeFormationPrincipal(call.caller);
  return grants.filter((grant) => grant.principal === self);
}

function grantShape(call: ServiceCall, grant: Grant) {
  const CatalogId = call.state.accountId;
  if (onCatalog(grant)) return { Principal: { DataLakePrincipalIdentifier: grant.principal }, Resource: { Catalog: {} }, Permissions: grant.permissions, PermissionsWithGrantOption: [] };
  const resource =
    grant.table === undefined
      ? { Database: { CatalogId, Name: grant.database } }
      : { Table: { CatalogId, DatabaseName: grant.database, ...(grant.table === '*' ? { TableWildcard: {} } : { Name: grant.table }) } };
  return { Principal: { DataLakePrincipalIdentifier: grant.principal }, Resource: resource, Permissions: grant.permissions, PermissionsWithGrantOption: [] };
}

/** ListPermissions' Resource filter: the grants on exactly that resource. */
function resourceFilter(resource: Input | undefined): (grant: Grant) => boolean {
  if (resource === undefined) return () => true;
  if (typeof resource !== 'object' || resource === null) throw new AwsError('InvalidInputException', 'Resource must be a structure.');
  const { Database: database, Table: table } = resource;
  if (database) return (grant) => !onCatalog(grant) && grant.table === undefined && grant.database === String(database.Name).toLowerCase();
  if (table) {
    if ((table.Name === undefined) === (table.TableWildcard === undefined)) {
      throw new AwsError('InvalidInputException', 'Exactly one of table name and table wildcard must be given.');
    }
    const name = table.TableWildcard === undefined ? String(table.Name).toLowerCase() : '*';
    return (grant) => !onCatalog(grant) && grant.database === String(table.DatabaseName).toLowerCase() && grant.table === name;
  }
  if (resource.Catalog) return onCatalog;
  if (resource.DataLocation || resource.DataCellsFilter || resource.LFTag || resource.LFTagPolicy || resource.TableWithColumns) {
    // The scenarios grant on the catalog, databases and tables only.
    return () => false;
  }
  throw new AwsError('InvalidInputException', 'Resource must have either the catalog, table or database field populated.');
}

function resourceTypeFilter(type: unknown): (grant: Grant) => boolean {
  if (type === undefined) return () => true;
  if (type === 'CATALOG') return onCatalog;
  if (type === 'DATABASE') return (grant) => !onCatalog(grant) && grant.table === undefined;
  if (type === 'TABLE') return (grant) => !onCatalog(grant) && grant.table !== undefined;
  return () => false;
}

/** An S3 location with a trailing slash, so that prefixes compare by whole path segments. */
function s3Path(location: string): string {
  return location.endsWith('/') ? location : `${location}/`;
}

const handlers = {
  GetDataLakeSettings(call: ServiceCall, input: Input) {
    begin(call, input);
    const { lakeFormation } = call.state.scenario;
    return {
      DataLakeSettings: {
        DataLakeAdmins: lakeFormation.admins.map((arn) => ({ DataLakePrincipalIdentifier: arn })),
        ReadOnlyAdmins: [],
        CreateDatabaseDefaultPermissions: defaultPermissions(call),
        CreateTableDefaultPermissions: defaultPermissions(call),
        Parameters: { CROSS_ACCOUNT_VERSION: '4', SET_CONTEXT: 'TRUE' },
        TrustedResourceOwners: [],
        AllowExternalDataFiltering: false,
        AllowFullTableExternalDataAccess: false,
      },
    };
  },

  ListPermissions(call: ServiceCall, input: Input) {
    begin(call, input);
    const size = maxResults(input);
    const principal: unknown = input.Principal?.DataLakePrincipalIdentifier;
    const onResource = resourceFilter(input.Resource);
    const ofType = resourceTypeFilter(input.ResourceType);
    const grants = visibleGrants(call).filter((grant) => (principal === undefined || grant.principal === principal) && ofType(grant) && onResource(grant));
    const { page, nextToken } = paginate(grants, input.NextToken, size);
    return { PrincipalResourcePermissions: page.map((grant) => grantShape(call, grant)), NextToken: nextToken };
  },

  GetEffectivePermissionsForPath(call: ServiceCall, input: Input) {
    begin(call, input);
    const size = maxResults(input);
    const arn: unknown = input.ResourceArn;
    if (typeof arn !== 'string' || !/^arn:aws[\w-]*:s3:::[^/]+/.test(arn)) throw new AwsError('InvalidInputException', 'ResourceArn must be the ARN of an S3 path.');
    const path = s3Path(`s3://${arn.replace(/^arn:aws[\w-]*:s3:::/, '')}`);
    // A database or table is "at" the path when one lies within the other: a path inside a table
    // is that table's data, a path above it holds the table.
    const at = (location: string | undefined) => location !== undefined && (s3Path(location).startsWith(path) || path.startsWith(s3Path(location)));
    const { databases } = call.state.scenario.glue;
    const databasesThere = new Set(databases.filter((database) => at(database.locationUri)).map((database) => database.name));
    const tablesThere = new Set(databases.flatMap((database) => database.tables.filter((table) => at(table.location)).map((table) => `${database.name}.${table.name}`)));
    if (databasesThere.size === 0 && tablesThere.size === 0) throw new AwsError('EntityNotFoundException', `No resource is registered at ${arn}.`);
    const applies = (grant: Grant) =>
      onCatalog(grant)
        ? false
        : grant.table === undefined
        ? databasesThere.has(grant.database)
        : grant.table === '*'
          ? [...tablesThere].some((table) => table.startsWith(`${grant.database}.`))
          : tablesThere.has(`${grant.database}.${grant.table}`);
    const { page, nextToken } = paginate(visibleGrants(call).filter(applies), input.NextToken, size);
    return { Permissions: page.map((grant) => grantShape(call, grant)), NextToken: nextToken };
  },
};

type Operation = keyof typeof handlers;

export const lakeformation: ServiceDefinition = {
  signingName: 'lakeformation',
  protocol: 'rest-json',
  accessDenied: { code: 'AccessDeniedException', status: 403 },
  throttling: { code: 'ThrottlingException', status: 429, message: 'Rate exceeded' },
  serverError: { code: 'InternalServiceException', status: 500, message: 'Internal service error' },
  resolveOperation(request) {
    const name = request.rawPath.replace(/^\//, '');
    return request.method === 'POST' && Object.hasOwn(handlers, name) ? name : undefined;
  },
  handle(call) {
    const output = handlers[call.operation as Operation](call, parseInput(call));
    return { status: 200, headers: { 'content-type': 'application/json', 'x-amzn-requestid': call.requestId }, body: JSON.stringify(output) };
  },
};
