// Small helpers shared by probes: which output location Athena will really use, and samples.
import { type S3Location, parseS3Uri } from '../preflight/connection.js';
import type { ProbeContext, ProbeDefinition } from './types.js';

/** The connection gate: every probe but the STS ones waits for the identity to be known. */
export const CONNECTION_GATE = ['sts-caller-identity'] as const;

/** Athena writes where the workgroup says when it enforces its configuration, else where the client says. */
export function resolveOutput(context: Pick<ProbeContext, 'connection' | 'facts'>): (S3Location & { source: 'request' | 'workgroup' }) | undefined {
  const workgroup = context.facts.workgroup;
  if (workgroup?.enforced && workgroup.outputLocation) return { ...parseS3Uri(workgroup.outputLocation), source: 'workgroup' };
  if (context.connection.outputLocation) return { ...context.connection.outputLocation, source: 'request' };
  if (workgroup?.outputLocation) return { ...parseS3Uri(workgroup.outputLocation), source: 'workgroup' };
  return undefined;
}

/** Skip rule for every probe of the output location. */
export const needsOutputLocation: NonNullable<ProbeDefinition['skipUnless']> = (context) => {
  if (context.facts.workgroup?.managedResults) return { reason: 'not-applicable', detail: 'the workgroup uses Athena managed query results: there is no S3 output location' };
  if (!resolveOutput(context)) return { reason: 'not-configured', detail: 'no output location in the request or the workgroup' };
  return undefined;
};

/** The KMS key that protects query results, if any: the workgroup's wins over the bucket default. */
export function resultsKmsKey(context: Pick<ProbeContext, 'facts'>): string | undefined {
  const workgroupEncryption = context.facts.workgroup?.encryption;
  if (workgroupEncryption?.option.endsWith('KMS') && workgroupEncryption.kmsKey) return workgroupEncryption.kmsKey;
  for (const encryption of [context.facts.markerEncryption, context.facts.bucketEncryption]) {
    if (encryption?.algorithm === 'aws:kms' && encryption.kmsKeyId) return encryption.kmsKeyId;
  }
  return undefined;
}
