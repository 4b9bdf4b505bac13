// The report is the product: the API, the CLI and the web page all show this object. Its shape is
// written once, as the response schema (ReportSchema in src/http/schemas.ts), which is also the
// allow-list of what is served: the types here are that schema's Static. A field must be declared
// there to exist in these types at all; test/http/report-shape.test.ts checks that what is served
// is the whole of what the engine built.
import type { Static } from 'typebox';
import type { AwsAction } from '../catalogue/actions.js';
import type { ReportSchema } from '../http/schemas.js';
import type { ClassifiedError } from './classify.js';

// Each list once, as values: the schema's enums are built from them, the types derived from them.
export const CAPABILITY_STATUSES = ['ok', 'degraded', 'unavailable', 'unknown', 'skipped'] as const;
export type CapabilityStatus = (typeof CAPABILITY_STATUSES)[number];
export const SKIP_REASONS = ['not-requested', 'not-applicable', 'prerequisite-failed', 'disabled-by-option', 'not-configured', 'no-sample'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
export const PROBE_OUTCOMES = ['pass', 'fail', 'skipped', 'error'] as const;
export type ProbeOutcomeKind = (typeof PROBE_OUTCOMES)[number];
export const OVERALL_STATUSES = ['ok', 'degraded', 'failed'] as const;
export type OverallStatus = (typeof OVERALL_STATUSES)[number];
export { FINDING_CODES, type FindingCode, SEVERITIES, type Severity } from '../catalogue/findings.js';

export type PreflightReport = Static<typeof ReportSchema>;
export type CapabilityReport = PreflightReport['capabilities'][number];
export type ProbeReport = PreflightReport['probes'][number];
export type ProbeError = NonNullable<ProbeReport['error']>;
export type Reason = CapabilityReport['reasons'][number];
export type Finding = PreflightReport['findings'][number];

/** What one AWS call proved about one action. */
export type ActionResult =
  | { state: 'granted'; probe: string }
  // 'failed': AWS said no (permission, auth, not found, config); 'error': we could not tell.
  | { state: 'failed' | 'error'; probe: string; error: ClassifiedError; /** Refused behind another service's call (KMS behind S3, Glue behind Athena). */ relayed?: boolean }
  | { state: 'untested'; probe?: string; why?: string };

export type { AwsAction };
