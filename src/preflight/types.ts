// The report is the product: the API, the CLI and the web page all show this object. Its shape is
// written once, as the response schema (ReportSchema in src/schemas/report.ts), which is also the
// allow-list of what is served: the types here are that schema's Static. A field must be declared
// there to exist in these types at all; test/http/report-shape.test.ts checks that what is served
// is the whole of what the engine built.
import type { Static } from 'typebox';
import type { AwsAction } from '../catalogue/actions.js';
import type { CAPABILITY_STATUSES, ERROR_CATEGORIES, OVERALL_STATUSES, PROBE_OUTCOMES, ReportSchema, SKIP_REASONS } from '../schemas/report.js';
import type { ClassifiedError, ErrorCategory } from './classify.js';

export { CAPABILITY_STATUSES, OVERALL_STATUSES, PROBE_OUTCOMES, SKIP_REASONS } from '../schemas/report.js';
export type CapabilityStatus = (typeof CAPABILITY_STATUSES)[number];
export type SkipReason = (typeof SKIP_REASONS)[number];
export type ProbeOutcomeKind = (typeof PROBE_OUTCOMES)[number];
export type OverallStatus = (typeof OVERALL_STATUSES)[number];
export { FINDING_CODES, type FindingCode, SEVERITIES, type Severity } from '../catalogue/findings.js';

export type PreflightReport = Static<typeof ReportSchema>;
export type CapabilityReport = PreflightReport['capabilities'][number];
export type ProbeReport = PreflightReport['probes'][number];
export type ProbeError = NonNullable<ProbeReport['error']>;
export type Reason = CapabilityReport['reasons'][number];
export type Finding = PreflightReport['findings'][number];

// The report's error categories are classify.ts's, exactly: checked at compile time.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
export type ReportCategoriesAreClassifyCategories = Assert<Equal<(typeof ERROR_CATEGORIES)[number], ErrorCategory>>;

/** What one AWS call proved about one action. */
export type ActionResult =
  | { state: 'granted'; probe: string }
  // 'failed': AWS said no (permission, auth, not found, config); 'error': we could not tell.
  | { state: 'failed' | 'error'; probe: string; error: ClassifiedError; /** Refused behind another service's call (KMS behind S3, Glue behind Athena). */ relayed?: boolean }
  | { state: 'untested'; probe?: string; why?: string };

export type { AwsAction };
