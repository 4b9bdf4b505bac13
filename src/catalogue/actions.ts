// Every IAM action the product exercises or asks for, as one union: the actions the probes call or
// give a role (each probe says so in its file, src/probes/<id>.ts, gathered into probe-index.ts by
// `npm run generate`), and the few no probe calls. A typo makes an action no one asks for:
// test/catalogue/iam-reference.test.ts checks every one against the Service Authorization Reference.
// These are IAM action names, which are not always API names: S3's GetBucketEncryption API is
// authorised by `s3:GetEncryptionConfiguration`, its GetBucketLifecycleConfiguration API by
// `s3:GetLifecycleConfiguration` (Service Authorization Reference).
import { PROBE_ACTIONS } from './probe-index.js';

/** Actions no probe calls, named all the same. */
export const OTHER_ACTIONS = [
  // Athena creates the caller's default database when it is missing: asked for only when a query is refused it.
  'glue:CreateDatabase',
  // No probe calls these; the sandbox serves them, and test/iam/differential.test.ts compares its
  // decisions on them with IAM's as on every other action.
  'athena:ListDataCatalogs',
  'lakeformation:ListPermissions',
] as const;

export type AwsAction = keyof typeof PROBE_ACTIONS | (typeof OTHER_ACTIONS)[number];

export const AWS_ACTIONS: readonly AwsAction[] = [...(Object.keys(PROBE_ACTIONS) as Array<keyof typeof PROBE_ACTIONS>), ...OTHER_ACTIONS];

export function isAwsAction(value: string): value is AwsAction {
  return (AWS_ACTIONS as readonly string[]).includes(value);
}

/** The IAM service prefix of an action: 'glue' for 'glue:GetTables'. */
export function serviceOf(action: string): string {
  return action.slice(0, action.indexOf(':'));
}
