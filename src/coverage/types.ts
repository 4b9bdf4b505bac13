// The coverage answer's shape (POST /policy/coverage): its types and the lists its enums come from.
// Apart from the evaluator so that the page's script can name them without bundling it.
import type { CapabilityId } from '../catalogue/capabilities.js';
import type { PolicyStatement } from '../catalogue/remediation.js';

export const COVERAGE_LEVELS = ['covered', 'partly', 'not-covered'] as const;
export type Coverage = (typeof COVERAGE_LEVELS)[number];

/** Who makes a request: the product itself, Athena for the caller (a query), or S3 asking KMS for the caller. */
export const REQUESTERS = ['product', 'athena', 's3'] as const;
export type Requester = (typeof REQUESTERS)[number];

/** A statement of the request's documents, by its JSON pointer in the request (`/policies/0/Statement/2`). */
export interface StatementRef {
  pointer: string;
  sid?: string;
}

export interface CoverageDenial {
  policyType: 'identity' | 'boundary' | 'scp';
  explicit: boolean;
  /** The Deny statement that applies; for an SCP or boundary that allows nothing here, the document. */
  statement?: StatementRef;
}

export interface NotGranted {
  action: string;
  resource: string;
  by: Requester;
  deniedBy: CoverageDenial;
}

export interface CapabilityCoverage {
  id: CapabilityId;
  title: string;
  required: boolean;
  coverage: Coverage;
  /** The actions refused on at least one resource the product's (or Athena's) calls need. */
  missingActions: string[];
  notGranted: NotGranted[];
  /** Why: the explicit deny first, then a boundary or SCP, then a missing Allow. */
  deniedBy?: CoverageDenial;
  remediation?: { summary: string; statements: PolicyStatement[] };
  /** Where the capability is only needed in some accounts (a KMS key, governed tables): when. */
  appliesWhen?: string;
  /** What decides the capability too and these documents cannot show. */
  dependsOn: string[];
}

export const WARNING_CODES = ['S3_EVERY_BUCKET', 'GLUE_WRITE', 'KMS_EVERY_KEY', 'ACTIONS_NOT_USED'] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export interface CoverageWarning {
  code: WarningCode;
  message: string;
  /** The statement that grants too much. */
  statement?: StatementRef;
  /** What the capabilities need of the same service, for the statement to be replaced with. */
  narrower?: PolicyStatement[];
}

export interface CoverageAnswer {
  region: string;
  accountId: string;
  capabilities: CapabilityCoverage[];
  warnings: CoverageWarning[];
}
