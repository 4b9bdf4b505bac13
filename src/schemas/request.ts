// POST /preflight's body: the canonical request (the source of its types, of the route's schema and
// of openapi.yaml) and the seeds' flat format beside it. Validation into issues that name each
// field is src/preflight/request.ts's.
import Type, { type Static, type TSchema } from 'typebox';
import { CAPABILITY_IDS, type CapabilityId } from '../catalogue/capabilities.js';

const REGION_PATTERN = '^(us|eu|ap|sa|ca|me|af|il|mx)(-gov)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-[1-9]$';
const ACCOUNT_PATTERN = '^[0-9]{12}$';
const ROLE_ARN_PATTERN = '^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/[\\w+=,.@/-]{1,512}$';
/**
 * An S3 location: a bucket name and a prefix without white space or an empty segment. Keys may hold
 * "//", but whether Athena writes `s3://b//` under "/" or under "" is documented nowhere, and a
 * grant must name exactly where it writes: such a location is refused rather than guessed.
 */
export const S3_URI_PATTERN = '^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/(?!/)(?:[^\\s/]|/(?!/))*)?$';
const WORKGROUP_PATTERN = '^[a-zA-Z0-9._-]{1,128}$';
const EXTERNAL_ID_PATTERN = '^[\\w+=,.@:/-]{2,1224}$';
const SESSION_NAME_PATTERN = '^[\\w+=,.@-]{2,64}$';
/**
 * A Glue catalog: an account's default catalog (its 12-digit id), a catalog under an account's
 * root catalog (`<account>:<path>`, or `<path>` under the connection's account: S3 Tables'
 * `s3tablescatalog/<bucket>`, federated and Redshift-managed catalogs), or the catalog's ARN. Glue
 * and Lake Formation write a child catalog's id as `<account>:<path>` (Lake Formation Developer
 * Guide, S3 Tables integration); catalog names are lowercase (Glue API, GetCatalog). A name of
 * digits alone is refused: it is far likelier a mistyped account id than a catalog.
 */
export const CATALOG_ID_PATTERN =
  '^(?:[0-9]{12}|(?:[0-9]{12}:)?(?![0-9]+(?:/|$))[a-z0-9][a-z0-9_-]{0,63}(?:/[a-z0-9][a-z0-9_.-]{0,63}){0,3}|arn:aws(?:-cn|-us-gov)?:glue:[a-z0-9-]+:[0-9]{12}:catalog(?:/[a-z0-9][a-z0-9_.-]{0,63}){0,4})$';

const CapabilityIdSchema = Type.Unsafe<CapabilityId>(Type.Union(CAPABILITY_IDS.map((id) => Type.Literal(id)), { description: 'A capability id from the catalogue' }));

export const AccessKeyCredentialsSchema = Type.Object(
  {
    type: Type.Literal('accessKey'),
    accessKeyId: Type.String({ pattern: '^(AKIA|ASIA)[A-Z0-9]{12,124}$', description: 'AWS access key id' }),
    secretAccessKey: Type.String({ minLength: 16, maxLength: 128, writeOnly: true }),
    sessionToken: Type.Optional(Type.String({ minLength: 16, maxLength: 4096, writeOnly: true })),
  },
  { additionalProperties: false },
);

export const RoleCredentialsSchema = Type.Object(
  {
    type: Type.Literal('role'),
    roleArn: Type.String({ pattern: ROLE_ARN_PATTERN }),
    externalId: Type.Optional(Type.String({ pattern: EXTERNAL_ID_PATTERN, writeOnly: true })),
    sessionName: Type.Optional(Type.String({ pattern: SESSION_NAME_PATTERN })),
  },
  { additionalProperties: false },
);

export const AmbientCredentialsSchema = Type.Object({ type: Type.Literal('ambient') }, { additionalProperties: false });

export const PreflightRequestSchema = Type.Object(
  {
    region: Type.String({ pattern: REGION_PATTERN, description: 'AWS region of Glue and Athena, e.g. eu-west-1' }),
    accountId: Type.String({ pattern: ACCOUNT_PATTERN, description: 'The 12-digit AWS account id the connection must reach' }),
    credentials: Type.Union([AccessKeyCredentialsSchema, RoleCredentialsSchema, AmbientCredentialsSchema]),
    athena: Type.Optional(
      Type.Object(
        {
          workgroup: Type.Optional(Type.String({ pattern: WORKGROUP_PATTERN })),
          // S3 Tables' catalogs appear in Athena by their Glue path (s3tablescatalog/<table bucket>).
          catalog: Type.Optional(Type.String({ pattern: '^[\\w@-]{1,128}(?:/[\\w@.-]{1,128})*$' })),
          outputLocation: Type.Optional(Type.String({ pattern: S3_URI_PATTERN })),
        },
        { additionalProperties: false },
      ),
    ),
    glue: Type.Optional(
      Type.Object(
        {
          catalogId: Type.Optional(
            Type.String({
              pattern: CATALOG_ID_PATTERN,
              description:
                "The Glue catalog to check: another account's catalog (its 12-digit id), a catalog under an account's root catalog ('123456789012:s3tablescatalog/bucket', or 's3tablescatalog/bucket' under accountId), or the catalog's ARN. Default: accountId's own catalog.",
            }),
          ),
          databases: Type.Optional(Type.Array(Type.String({ pattern: '^[^\\s`]{1,255}$' }), { maxItems: 50, uniqueItems: true })),
        },
        { additionalProperties: false },
      ),
    ),
    capabilities: Type.Optional(Type.Array(CapabilityIdSchema, { uniqueItems: true, minItems: 1 })),
    required: Type.Optional(Type.Array(CapabilityIdSchema, { uniqueItems: true })),
    options: Type.Optional(
      Type.Object(
        {
          runQuery: Type.Optional(Type.Boolean()),
          writeTest: Type.Optional(Type.Boolean()),
          timeoutMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 300_000 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type PreflightRequest = Static<typeof PreflightRequestSchema>;
export type CredentialsInput = PreflightRequest['credentials'];

/**
 * The seeds' flat connection format (Coalesce, Skoot, …), accepted and turned into the canonical
 * one: each field and the canonical field it fills. The one list of these names: the HTTP schema
 * (openapi.yaml) is built from it, each field required and write-only as its canonical field is;
 * `documented: false` is an alias accepted but not advertised.
 */
export const FLAT_FIELDS: ReadonlyArray<{ name: string; path: string; documented?: false }> = [
  { name: 'aws_region', path: '/region' },
  { name: 'aws_account_id', path: '/accountId' },
  { name: 'access_key_id', path: '/credentials/accessKeyId' },
  { name: 'access_key_secret', path: '/credentials/secretAccessKey' },
  { name: 'secret_access_key', path: '/credentials/secretAccessKey', documented: false },
  { name: 'session_token', path: '/credentials/sessionToken' },
  { name: 'role_arn', path: '/credentials/roleArn' },
  { name: 'external_id', path: '/credentials/externalId' },
  { name: 'workgroup', path: '/athena/workgroup' },
  { name: 'catalog', path: '/athena/catalog' },
  { name: 'catalog_id', path: '/glue/catalogId' },
  { name: 'glue_catalog_id', path: '/glue/catalogId', documented: false },
  { name: 's3_output_location', path: '/athena/outputLocation' },
  { name: 's3_staging_dir', path: '/athena/outputLocation' },
];

/** The canonical request's schema of the field at `path` (a credentials field in whichever credentials type has it). */
function canonicalField(path: string): TSchema & { writeOnly?: boolean } {
  let field: any = PreflightRequestSchema;
  for (const key of path.slice(1).split('/')) field = ((field?.anyOf ?? [field]) as any[]).map((branch) => branch?.properties?.[key]).find(Boolean);
  if (!field) throw new Error(`flat field for ${path}: the canonical request has no such field`);
  return field;
}

/** A flat field: a string, required if its canonical field is a required top-level one, write-only if that is. */
function flatField(path: string) {
  const field = Type.String(canonicalField(path).writeOnly ? { writeOnly: true } : {});
  return (PreflightRequestSchema.required as readonly string[]).includes(path.slice(1)) ? field : Type.Optional(field);
}

/** The seeds' flat connection format, accepted beside the canonical one: from FLAT_FIELDS. */
export const FlatRequestSchema = Type.Object(Object.fromEntries(FLAT_FIELDS.filter((f) => f.documented !== false).map(({ name, path }) => [name, flatField(path)])), {
  description: 'The flat format of vendor connection forms; normalised to the canonical request',
});

export const PreflightBodySchema = Type.Union([PreflightRequestSchema, FlatRequestSchema], { $id: 'PreflightRequest' });
