// The words for Athena's own path: what a bucket policy does to the requests Athena makes for the
// caller, and what proves them. The judgement is the engine's (preflight/athena-path.ts).
import type { CapabilityId } from './capabilities.js';

/** The code of a refusal of Athena's own request, found in the bucket policy rather than by a call. */
export const ATHENA_REQUEST_DENIED = 'AthenaRequestDenied';

export type AthenaPathKind = 'results' | 'data';

/** The capability whose path each is: query results are written there, a table's data read there. */
export const ATHENA_PATH_OF = { 'query-results': 'results', 'table-data': 'data' } as const satisfies Partial<Record<CapabilityId, AthenaPathKind>>;

/**
 * The capabilities a failed query speaks for, by the path its failure names (classify.ts): Athena
 * could not write or read its results, read the table's data, or use a results key. A query's
 * refusal of Glue or Lake Formation concerns queries only: the catalog reads our own calls proved
 * stand as they are.
 */
export const QUERY_PATH_CAPABILITIES: Readonly<Record<string, readonly CapabilityId[]>> = {
  results: ['query-results'],
  'table-data': ['table-data'],
  kms: ['encryption'],
};

const WHAT: Record<AthenaPathKind, string> = { results: 'query results', data: "the table's data" };

export interface DenyingStatementWords {
  sid?: string;
  index: number;
  effect: 'Allow' | 'Deny';
  conditionKeys: readonly string[];
}

const statementName = (s: DenyingStatementWords) => (s.sid ? `"${s.sid}"` : `#${s.index + 1}`);
const statementWords = (statements: readonly DenyingStatementWords[]) =>
  statements.map((s) => `${statementName(s)} (${s.effect}, on ${s.conditionKeys.join(', ') || 'its condition'})`).join(', ');

/** Why Athena's request is refused though ours went through. */
export function athenaDeniedMessage(facts: { action: string; bucket: string; kind: AthenaPathKind; explicit: boolean; statements: readonly DenyingStatementWords[] }): string {
  const how = facts.explicit ? 'refuses it in' : 'grants it only under a condition Athena cannot meet, in';
  return (
    `Athena's own ${facts.action} for ${WHAT[facts.kind]} in ${facts.bucket} (made for the caller via athena.amazonaws.com, without the caller's VPC endpoint, VPC or address) ` +
    `is refused: the bucket policy ${how} statement ${statementWords(facts.statements)}. The preflight's own call went through; every query's would not.`
  );
}

/** Who acts on a refusal of Athena's own requests, and with what. */
export function athenaFixWords(facts: { bucket: string; fixable: boolean }): string {
  return facts.fixable
    ? `the owner of the bucket policy of ${facts.bucket} must merge remediation.bucketPolicy.statements into it: AWS's exception for requests made via Athena (aws:CalledVia athena.amazonaws.com; "Bool": {"aws:ViaAWSService": "false"} in a Deny works too), which admits Athena and nothing else`
    : `the owner of the bucket policy of ${facts.bucket} must let requests made via athena.amazonaws.com through (aws:CalledVia athena.amazonaws.com, or aws:ViaAWSService)`;
}

/** Why Athena's path went unproven, as a reason's words on a capability our calls proved. */
export function athenaUnprovenMessage(facts: { bucket: string; kind: AthenaPathKind; why: string }): string {
  return `Only the preflight's own path to ${WHAT[facts.kind]} was proved: Athena makes its requests for the caller with other condition keys (aws:CalledVia, no VPC endpoint), and whether the bucket policy of ${facts.bucket} admits them went unproven (${facts.why}). Grant s3:GetBucketPolicy on arn:aws:s3:::${facts.bucket}, or run with options.runQuery, to prove it.`;
}
