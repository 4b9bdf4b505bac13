// Whether and when a failed call is tried again: throttling and AWS's own failures, at the pace of
// a quota AWS documents where there is one, and a reset connection for a call that changes nothing.
import { TRANSIENT_NETWORK_CODES, requestQuotaOf } from '../catalogue/aws-errors.js';
import type { ClassifiedError } from './classify.js';

/** Calls that change nothing: retrying one after a reset cannot apply anything twice. */
const READ_ONLY_ACTION = /^[a-z0-9-]+:(Get|List|Describe|Lookup|Search|BatchGet|Head)/;

/** Throttling and service failures may pass on a retry; nothing else is worth asking twice. */
export function isRetryable(classified: ClassifiedError): boolean {
  return classified.category === 'throttled' || classified.category === 'service';
}

/**
 * How long to wait before trying a failed call again, or undefined to give up and report the error.
 * `attempt` is the attempt that just failed (from 1); `remainingMs`, what the run's deadline leaves.
 * - Nothing but throttling and 5xx is tried again (isRetryable): never a denial.
 * - Throttling of an action with a documented quota (REQUEST_QUOTAS): at least one quota interval,
 *   jittered up to three, for as long as the deadline leaves another interval for the call after
 *   the wait, whatever the attempt count. Giving up therefore means the deadline ran out.
 * - Other throttling and 5xx: full-jitter exponential backoff, up to `maxAttempts`, within the deadline.
 */
export function retryDelayMs(
  action: string,
  classified: ClassifiedError,
  attempt: number,
  remainingMs: number,
  defaults: { maxAttempts: number; baseDelayMs: number },
  random: () => number = Math.random,
): number | undefined {
  const resetRead = classified.category === 'network' && TRANSIENT_NETWORK_CODES.has(classified.code) && READ_ONLY_ACTION.test(action);
  if (!isRetryable(classified) && !resetRead) return undefined;
  const quota = classified.category === 'throttled' ? requestQuotaOf(action) : undefined;
  if (quota) {
    const interval = 1000 / quota.requestsPerSecond;
    const wait = Math.min(interval * (1 + random() * Math.min(2 ** (attempt - 1), 2)), remainingMs - interval);
    return wait >= interval ? wait : undefined;
  }
  const backoff = random() * defaults.baseDelayMs * 2 ** (attempt - 1);
  return attempt < defaults.maxAttempts && backoff < remainingMs ? backoff : undefined;
}
