// The report is the product: the API, the CLI and the web page all show this object.
import type { AwsAction } from '../catalogue/actions.js';
import type { CapabilityId } from '../catalogue/capabilities.js';
import type { NumberedPolicy, PolicyDocument, PolicyStatement, TrustPolicyDocument } from '../catalogue/remediation.js';
import type { ClassifiedError, ErrorCategory, PolicyType } from './classify.js';

export type CapabilityStatus = 'ok' | 'degraded' | 'unavailable' | 'unknown' | 'skipped';
export type SkipReason = 'not-requested' | 'not-applicable' | 'prerequisite-failed' | 'disabled-by-option' | 'not-configured' | 'no-sample';
export type ProbeOutcomeKind = 'pass' | 'fail' | 'skipped' | 'error';
export type OverallStatus = 'ok' | 'degraded' | 'failed';
export type Severity = 'high' | 'medium' | 'low' | 'info';

export const FINDING_CODES = [
  'ACCOUNT_MISMATCH',
  'EXTERNAL_ID_NOT_ENFORCED',
  'EXTERNAL_ID_NOT_GIVEN',
  'ASSUME_ROLE_DENIED',
  'BUCKET_OTHER_REGION',
  'BUCKET_NOT_FOUND',
  'WORKGROUP_ENFORCED_LOCATION',
  'WORKGROUP_DISABLED',
  'WORKGROUP_NOT_FOUND',
  'WORKGROUP_ENCRYPTION',
  'RESULTS_NO_LIFECYCLE',
  'MARKER_NOT_DELETED',
  'MULTIPART_UPLOAD_NOT_ABORTED',
  'LAKE_FORMATION_EMPTY_LISTING',
  'NO_DATABASES_VISIBLE',
  'NO_TABLES_VISIBLE',
  'DATABASE_NOT_FOUND',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export interface Finding {
  code: FindingCode;
  severity: Severity;
  message: string;
  remediation: string;
  /** Probe that found it. */
  probe?: string;
}

export interface Reason {
  probe: string;
  action: string;
  code: string;
  category: ErrorCategory;
  message: string;
  deniedBy?: { policyType: PolicyType; explicit: boolean };
  requestId?: string;
}

export interface CapabilityReport {
  id: CapabilityId;
  title: string;
  status: CapabilityStatus;
  skipReason?: SkipReason;
  required: boolean;
  impact?: string;
  missingActions: string[];
  untestedActions: string[];
  reasons: Reason[];
  remediation?: { summary: string; statements: PolicyStatement[] };
}

export interface ProbeReport {
  id: string;
  service: string;
  actions: readonly string[];
  outcome: ProbeOutcomeKind;
  skipReason?: SkipReason;
  detail?: string;
  startedAtMs: number;
  durationMs: number;
  error?: ProbeError;
}

export interface ProbeError {
  action: string;
  code: string;
  category: ErrorCategory;
  message: string;
  requestId?: string;
  deniedBy?: { policyType: PolicyType; explicit: boolean };
}

export interface PreflightReport {
  id: string;
  requestId?: string;
  status: OverallStatus;
  startedAt: string;
  durationMs: number;
  connection: {
    region: string;
    accountId: string;
    credentialType: 'accessKey' | 'role' | 'ambient';
    roleArn?: string;
    accessKeyId?: string;
    externalIdGiven?: boolean;
    workgroup?: string;
    outputLocation?: string;
  };
  identity?: { accountId: string; arn: string; userId: string };
  capabilities: CapabilityReport[];
  probes: ProbeReport[];
  findings: Finding[];
  remediation: { policy: PolicyDocument | null; policies?: NumberedPolicy[]; trustPolicy?: TrustPolicyDocument; notes: string[] };
}

/** What one AWS call proved about one action. */
export type ActionResult =
  | { state: 'granted'; probe: string }
  // 'failed': AWS said no (permission, auth, not found, config); 'error': we could not tell.
  | { state: 'failed' | 'error'; probe: string; error: ClassifiedError; /** Refused behind another service's call (KMS behind S3, Glue behind Athena). */ relayed?: boolean }
  | { state: 'untested'; probe?: string; why?: string };

export type { AwsAction };
