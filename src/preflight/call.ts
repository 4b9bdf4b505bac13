// One AWS call under a deadline: its own abort signal and timer, a slot under the shared cap,
// throttling and 5xx retried while time remains. What a call may take is decided here only.
import { type CallSlots } from './call-slots.js';
import { type ClassifiedError, classifyError } from './classify.js';
import { retryDelayMs } from './retry.js';

/** The signal and deadline that bound a call: the run's, or the cleanup grace that outlives it. */
export interface Budget {
  signal: AbortSignal;
  deadline(): number;
  /**
   * For a write of ours: no new attempt once this aborts, but an attempt in flight goes on until
   * `signal` or the deadline, uncapped by the per-call limit. Abandoning a write S3 may still apply
   * would let the clean-up run first and the write land after it.
   */
  startSignal?: AbortSignal;
}

export interface CallSettings {
  retry: { maxAttempts: number; baseDelayMs: number };
  /** The most one call may take, whatever the budget leaves. */
  maxCallMs: number;
  callSlots?: CallSlots;
  /** The host an action's calls go to (for network errors that do not name it). */
  endpointHost(action: string): string | undefined;
}

/**
 * One call may use at most half the run's budget (and never more than 10 s): a service that hangs
 * must leave time for the probes that wait on it to try what they can without it.
 */
export const callBudget = (timeoutMs: number) => Math.min(10_000, Math.max(1000, timeoutMs / 2));

/** What a run's deadline (or its clean-up's) aborts with: classified as a timeout. */
export class DeadlineError extends Error {
  override name = 'TimeoutError';
  constructor(message = 'the preflight ran out of time') {
    super(message);
  }
}

/**
 * Makes the call, retrying throttling and 5xx while time remains (retryDelayMs: a few full-jitter
 * attempts, or for an action with a documented quota, at the quota's pace until the deadline);
 * denials, auth errors and not-found never are. Throws a ClassifiedError.
 */
export async function callAws<T>(action: string, send: (signal: AbortSignal) => Promise<T>, budget: Budget, settings: CallSettings): Promise<T> {
  const stop = budget.signal;
  for (let attempt = 1; ; attempt++) {
    const remaining = budget.deadline() - Date.now();
    const late = budget.startSignal?.aborted ? budget.startSignal : undefined;
    if (stop.aborted || late || remaining <= 0) throw classifyError((late ?? stop).reason ?? new DeadlineError(), { action });
    // A signal of its own per call, its timer cleared as soon as the call settles: a timer left
    // to expire (AbortSignal.timeout) would keep every finished call's signal alive for seconds.
    const call = new AbortController();
    const timer = setTimeout(() => call.abort(new DeadlineError()), budget.startSignal ? remaining : Math.min(remaining, settings.maxCallMs));
    const abandon = () => call.abort(stop.reason);
    stop.addEventListener('abort', abandon, { once: true });
    let release: (() => void) | undefined;
    try {
      // Waiting for a slot counts against the call's deadline, as waiting for a socket would.
      release = await settings.callSlots?.acquire(call.signal);
      return await send(call.signal);
    } catch (error) {
      const classified: ClassifiedError = classifyError(stop.aborted ? (stop.reason ?? error) : error, { action, host: settings.endpointHost(action) });
      // Backing off holds no slot, and no timer of the call that failed.
      release?.();
      clearTimeout(timer);
      const wait = retryDelayMs(action, classified, attempt, budget.deadline() - Date.now(), settings.retry);
      if (wait === undefined) throw classified;
      await pause(wait, stop);
    } finally {
      release?.();
      clearTimeout(timer);
      stop.removeEventListener('abort', abandon);
    }
  }
}

/** Waits `ms`, or less if `signal` aborts meanwhile (the caller then sees the signal's reason). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
