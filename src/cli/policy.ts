// preflight policy: capabilities and where they apply → the least-privilege IAM policies, from the
// catalogue that judges a run, with no AWS call → one JSON object.
import { CAPABILITIES, CAPABILITY_IDS } from '../catalogue/capabilities.js';
import { buildTrustPolicy, setupPolicies } from '../catalogue/remediation.js';
import { parseS3Uri } from '../preflight/connection.js';
import { CATALOG_ID_PATTERN, S3_URI_PATTERN } from '../schemas/request.js';
import { kmsActionsOnEveryKey, selectionScope } from '../setup/generate.js';
import { KMS_KEY_PATTERN } from '../schemas/setup.js';
import { type Command, EXIT, type Io, SELECTION_FLAGS, UsageError, listOption, parseOptions } from './shared.js';

export const policy: Command = {
  name: 'policy',
  synopsis: 'policy',
  summary: 'print the IAM policies for capabilities (no AWS call)',
  help: `usage: preflight policy --capabilities a,b|all --region R --account A [options]

Prints, with no AWS call, one JSON object: identityPolicies (least privilege for the capabilities,
in numbered parts beyond IAM's size quota), selfCheckPolicy (what only the preflight calls) and,
with --external-id, the role's trustPolicy.

  --capabilities a,b|all    ${CAPABILITY_IDS.join(', ')}
  --region R                the connection's region, such as eu-west-1
  --account A               its 12-digit account id
  --workgroup W             the Athena workgroup (default: every one)
  --catalog C               the Athena data catalog (default: AwsDataCatalog)
  --catalog-id C            the Glue catalog: another account's id, a catalog under the root
                            (s3tablescatalog/bucket or ACCOUNT:path), or its ARN (default: --account's)
  --databases d1,d2         only these databases (default: every one)
  --output s3://…           the query results location (needed for query-results, query-execution)
  --data-location s3://…    the tables' data (needed for table-data)
  --kms-keys ARN,ARN        KMS key or alias ARNs that encrypt query results
  --external-id X           with --trusted-principal: the trust policy that requires X
  --trusted-principal ARN   the service's principal, which the role trusts
  -h, --help                this help
  -V, --version             the version

exit: 0 printed, 3 usage error
`,
  run: async (args, io) => runPolicy(args, io),
};

function runPolicy(args: string[], io: Io): number {
  const parsed = parseOptions(
    policy,
    args,
    {
      ...SELECTION_FLAGS,
      'kms-keys': { type: 'string' },
      'external-id': { type: 'string' },
      'trusted-principal': { type: 'string' },
    },
    io,
  );
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  // Not the argument itself: a stray word can be a value meant for an option (an external ID).
  if (positionals.length) throw new UsageError('policy takes options only, no file', 'policy');
  const require = (name: 'capabilities' | 'region' | 'account') => {
    const value = values[name];
    if (!value) throw new UsageError(`--${name} is required`, 'policy');
    return value;
  };
  const asked = require('capabilities').trim();
  const ids = asked === 'all' ? [...CAPABILITY_IDS] : asked.split(',').map((id) => id.trim());
  const unknown = ids.filter((id) => !(CAPABILITY_IDS as readonly string[]).includes(id));
  if (unknown.length) throw new UsageError(`--capabilities: unknown ${unknown.join(', ')} (known: all, ${CAPABILITY_IDS.join(', ')})`, 'policy');
  const region = require('region');
  if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region)) throw new UsageError('--region must be an AWS region, such as eu-west-1', 'policy');
  const accountId = require('account');
  if (!/^\d{12}$/.test(accountId)) throw new UsageError('--account must be a 12-digit account id', 'policy');
  const location = (name: 'output' | 'data-location') => {
    const value = values[name];
    if (value === undefined) return undefined;
    // The request's own rule for an S3 location: no white space, no empty segment (s3://bucket//).
    if (!new RegExp(S3_URI_PATTERN).test(value)) throw new UsageError(`--${name} must be an S3 URI such as s3://bucket/prefix/ (no spaces, no empty segment //)`, 'policy');
    return parseS3Uri(value);
  };
  const output = location('output');
  const data = location('data-location');
  // Without the location, the grant could only be on every bucket: refuse rather than print one
  // that a customer might paste.
  const needsOutput = ids.filter((id) => id === 'query-results' || id === 'query-execution');
  if (needsOutput.length && !output) throw new UsageError(`--output s3://bucket/prefix/ is required for ${needsOutput.join(' and ')}: the results location to grant`, 'policy');
  if (ids.includes('table-data') && !data) throw new UsageError('--data-location s3://bucket/prefix/ is required for table-data: the tables\' data to grant', 'policy');
  const kmsKeys = listOption(values['kms-keys']);
  if (kmsKeys?.some((key) => !new RegExp(KMS_KEY_PATTERN).test(key))) {
    throw new UsageError('--kms-keys must be KMS key ARNs (arn:aws:kms:region:account:key/id) or alias ARNs (…:alias/name), separated by commas', 'policy');
  }
  if (Boolean(values['external-id']) !== Boolean(values['trusted-principal'])) throw new UsageError('--external-id and --trusted-principal go together', 'policy');
  const catalogId = values['catalog-id'];
  if (catalogId !== undefined && !new RegExp(CATALOG_ID_PATTERN).test(catalogId)) {
    throw new UsageError('--catalog-id must be a Glue catalog: a 12-digit account id, ACCOUNT:path, a path such as s3tablescatalog/bucket, or a catalog ARN', 'policy');
  }

  const { identityPolicies, selfCheckPolicy } = setupPolicies(
    CAPABILITIES.filter((c) => ids.includes(c.id)),
    {
      ...selectionScope({ region, accountId, athena: { workgroup: values.workgroup, catalog: values.catalog, outputLocation: values.output }, glue: { catalogId, databases: listOption(values.databases) } }),
      kmsKeyArns: kmsKeys?.length ? kmsKeys : undefined,
    },
    data ? { bucket: data.bucket, prefix: data.prefix } : undefined,
  );
  // Queries read the tables' data with the caller's rights: without its location nothing grants it.
  if (ids.includes('query-execution') && !data) {
    io.stderr.write("preflight: warning: query-execution: Athena reads the tables' data with the caller's rights; without --data-location the policy cannot grant it (queries on tables not governed by Lake Formation will be refused)\n");
  }
  // Read from the policy itself, as POST /setup's warning is: what it grants on every key.
  const everyKey = kmsActionsOnEveryKey(identityPolicies.map((p) => p.document));
  if (everyKey.length) {
    io.stderr.write(`preflight: warning: encryption: without --kms-keys this policy lets the principal use every KMS key of account ${accountId} in ${region} (${everyKey.join(', ')} on key/*): give --kms-keys, or leave encryption out if no key protects the results\n`);
  }
  // One shape: the identity policy (numbered parts when one would exceed IAM's size quota), what
  // the preflight itself calls to check, and the trust policy when asked for.
  const trustPolicy = values['external-id'] ? buildTrustPolicy({ trustedPrincipalArn: values['trusted-principal']!, externalId: values['external-id'] }) : undefined;
  io.stdout.write(`${JSON.stringify({ identityPolicies, selfCheckPolicy, ...(trustPolicy ? { trustPolicy } : {}) }, null, 2)}\n`);
  return EXIT.ok;
}
