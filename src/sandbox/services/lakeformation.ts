// Lake Formation over restJson1: settings, grants and effective permissions for a path.
import { isDataLakeAdmin, lakeFormationPrincipal } from '../governance.js';
import { paginate } from '../protocols.js';
import { AwsError, type ServiceCall, type ServiceDefinition } from '../types.js';

const OPERATIONS = ['GetDataLakeSettings', 'ListPermissions', 'GetEffectivePermissionsForPath'] as const;
type Operation = (typeof OPERATIONS)[number];
type Input = Record<string, any>;

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

function grantShape(call: ServiceCall, grant: ServiceCall['state']['scenario']['lakeFormation']['grants'][number]) {
  const catalogId = call.state.accountId;
  const resource =
    grant.table === undefined
      ? { Database: { CatalogId: catalogId, Name: grant.database } }
      : grant.table === '*'
        ? { Table: { CatalogId: catalogId, DatabaseName: grant.database, TableWildcard: {} } }
        : { Table: { CatalogId: catalogId, DatabaseName: grant.database, Name: grant.table } };
  return { Principal: { DataLakePrincipalIdentifier: grant.principal }, Resource: resource, Permissions: grant.permissions, PermissionsWithGrantOption: [] };
}

function defaultPermissions(call: ServiceCall) {
  return call.state.scenario.lakeFormation.iamAllowedPrincipalsByDefault
    ? [{ Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Permissions: ['ALL'] }]
    : [];
}

function maxResults(input: Input): number {
  const value = input.MaxResults;
  if (value === undefined) return 100;
  if (!Number.isInteger(value) || value < 1 || value > 1000) throw new AwsError('InvalidInputException', 'MaxResults must be between 1 and 1000.');
  return value;
}

const handlers: Record<Operation, (call: ServiceCall, input: Input) => unknown> = {
  GetDataLakeSettings(call) {
    call.authorize('lakeformation:GetDataLakeSettings', '*');
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

  ListPermissions(call, input) {
    call.authorize('lakeformation:ListPermissions', '*');
    // Only data lake administrators see everyone's grants; others see their own.
    const self = lakeFormationPrincipal(call.caller);
    const wantedPrincipal: string | undefined = input.Principal?.DataLakePrincipalIdentifier;
    const wantedDatabase: string | undefined = input.Resource?.Database?.Name ?? input.Resource?.Table?.DatabaseName;
    const grants = call.state.scenario.lakeFormation.grants.filter(
      (grant) =>
        (isDataLakeAdmin(call.state, call.caller) || grant.principal === self) &&
        (!wantedPrincipal || grant.principal === wantedPrincipal) &&
        (!wantedDatabase || grant.database === wantedDatabase),
    );
    const { page, nextToken } = paginate(grants, input.NextToken, maxResults(input), 'InvalidInputException');
    return { PrincipalResourcePermissions: page.map((grant) => grantShape(call, grant)), NextToken: nextToken };
  },

  GetEffectivePermissionsForPath(call, input) {
    call.authorize('lakeformation:GetEffectivePermissionsForPath', '*');
    const arn: unknown = input.ResourceArn;
    if (typeof arn !== 'string' || !arn.startsWith('arn:aws:s3:::')) throw new AwsError('InvalidInputException', 'ResourceArn must be an S3 ARN.');
    const path = `s3://${arn.slice('arn:aws:s3:::'.length)}`;
    const tables = call.state.scenario.glue.databases.flatMap((database) =>
      database.tables.filter((table) => table.location?.startsWith(path)).map((table) => ({ database: database.name, table: table.name })),
    );
    if (tables.length === 0) throw new AwsError('EntityNotFoundException', `No resource is registered at ${arn}.`);
    const grants = call.state.scenario.lakeFormation.grants.filter((grant) => tables.some((t) => t.database === grant.database && (grant.table === undefined || grant.table === '*' || grant.table === t.table)));
    const { page, nextToken } = paginate(grants, input.NextToken, maxResults(input), 'InvalidInputException');
    return { Permissions: page.map((grant) => grantShape(call, grant)), NextToken: nextToken };
  },
};

export const lakeformation: ServiceDefinition = {
  signingName: 'lakeformation',
  protocol: 'rest-json',
  accessDenied: { code: 'AccessDeniedException', status: 403 },
  throttling: { code: 'ThrottlingException', status: 429, message: 'Rate exceeded' },
  serverError: { code: 'InternalServiceException', status: 500, message: 'Internal service error' },
  resolveOperation(request) {
    const name = request.path.replace(/^\//, '');
    return request.method === 'POST' && OPERATIONS.includes(name as Operation) ? name : undefined;
  },
  handle(call) {
    const output = handlers[call.operation as Operation](call, parseInput(call));
    return { status: 200, headers: { 'content-type': 'application/json', 'x-amzn-requestid': call.requestId }, body: JSON.stringify(output) };
  },
};
