// The aws CLI commands the product prints as fixes, as argument vectors: what the `aws` program must
// receive. They are turned into text for a shell by one function (quote.ts, shellCommand) only, so
// that a name from a request or from AWS (a prefix with `$(…)`, a database named `x';id;'`) reaches
// `aws` as one argument, exactly as written.
import { shellCommand } from './quote.js';

export type Command = readonly string[];

/** A Lake Formation resource as `--resource` takes it (the API's Resource shape, as JSON). */
export type LakeFormationResource =
  | { Catalog: { Id?: string } }
  | { Database: { CatalogId?: string; Name: string } }
  | { Table: { CatalogId?: string; DatabaseName: string; Name?: string; TableWildcard?: Record<string, never> } };

export interface LakeFormationGrant {
  region?: string;
  /** The catalog the grant is made in (its owner's account, or `<account>:<path>`). */
  catalogId?: string;
  /** An IAM principal's ARN or an account id. */
  principal: string;
  permissions: readonly string[];
  /** Permissions the grantee may grant on (a share to another account). */
  grantable?: readonly string[];
  resource: LakeFormationResource;
}

/** `aws lakeformation grant-permissions` ("GrantPermissions", Lake Formation API Reference). */
export function lakeFormationGrant(grant: LakeFormationGrant): Command {
  return [
    'aws', 'lakeformation', 'grant-permissions',
    ...(grant.region ? ['--region', grant.region] : []),
    ...(grant.catalogId ? ['--catalog-id', grant.catalogId] : []),
    '--principal', `DataLakePrincipalIdentifier=${grant.principal}`,
    '--permissions', ...grant.permissions,
    ...(grant.grantable?.length ? ['--permissions-with-grant-option', ...grant.grantable] : []),
    '--resource', JSON.stringify(grant.resource),
  ];
}

/**
 * A Glue Data Catalog's resource policy, with the hash that guards its replacement ("GetResourcePolicy":
 * PolicyInJson and PolicyHash, Glue API Reference).
 */
export function getGlueResourcePolicy(region: string): Command {
  return ['aws', 'glue', 'get-resource-policy', '--region', region];
}

/**
 * `aws glue put-resource-policy`, which replaces the whole policy with PolicyInJson (required). On a
 * policy that exists, PolicyHashCondition refuses the write if it changed since the hash was read;
 * where there is none yet, PolicyExistsCondition NOT_EXIST refuses to overwrite one made meanwhile
 * ("PutResourcePolicy", Glue API Reference).
 */
export function putGlueResourcePolicy(options: { region: string; policyFile: string } & ({ policyHash: string } | { mustNotExist: true })): Command {
  return [
    'aws', 'glue', 'put-resource-policy', '--region', options.region,
    '--policy-in-json', `file://${options.policyFile}`,
    ...('policyHash' in options ? ['--policy-hash-condition', options.policyHash] : ['--policy-exists-condition', 'NOT_EXIST']),
  ];
}

/** The AWS RAM resource share invitations one account sent that wait to be accepted ("Accepting a resource share invitation from AWS RAM", Lake Formation Developer Guide). */
export function pendingResourceShareInvitations(region: string, senderAccountId: string): Command {
  // The filter is JMESPath: only an account id (digits) is written into it, anything else lists them all.
  const filter = /^\d{12}$/.test(senderAccountId) ? ['--query', `resourceShareInvitations[?status=='PENDING' && senderAccountId=='${senderAccountId}']`] : [];
  return ['aws', 'ram', 'get-resource-share-invitations', '--region', region, ...filter];
}

export function acceptResourceShareInvitation(region: string, invitationArn: string): Command {
  return ['aws', 'ram', 'accept-resource-share-invitation', '--region', region, '--resource-share-invitation-arn', invitationArn];
}

/** Deletes one object by its exact key (s3api, not `aws s3 rm`, which reads the key as a path). */
export function deleteObject(bucket: string, key: string): Command {
  return ['aws', 's3api', 'delete-object', '--bucket', bucket, '--key', key];
}

export function abortMultipartUpload(bucket: string, key: string, uploadId: string): Command {
  return ['aws', 's3api', 'abort-multipart-upload', '--bucket', bucket, '--key', key, '--upload-id', uploadId];
}

/** Uploads still open under a key (their ids), for when the run never learnt its upload's id. */
export function listMultipartUploads(bucket: string, prefix: string): Command {
  return ['aws', 's3api', 'list-multipart-uploads', '--bucket', bucket, '--prefix', prefix];
}

export function enableWorkgroup(workgroup: string, region?: string): Command {
  return ['aws', 'athena', 'update-work-group', ...(region ? ['--region', region] : []), '--work-group', workgroup, '--state', 'ENABLED'];
}

/** Commands as lines for a shell. */
export const shellLines = (commands: readonly Command[]): string[] => commands.map(shellCommand);
