// A process-wide cap on AWS calls in flight, shared by every run. Without it, a burst of runs hands
// the SDK thousands of calls at once: each is built, signed and parked in the HTTP agent's queue
// with its whole middleware chain (some 20 KB), waiting for a socket. Waiting here instead costs
// a closure, and the order is the same (first come, first served).

export interface CallSlots {
  /** Resolves with a release function once a slot is free; rejects with the signal's reason if it aborts first. */
  acquire(signal: AbortSignal): Promise<() => void>;
  readonly inFlight: number;
  readonly waiting: number;
}

export function createCallSlots(limit: number): CallSlots {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`call slot limit must be a positive integer, not ${limit}`);
  let inFlight = 0;
  let waiting = 0;
  // Waiters in arrival order. One that gives up keeps its place with `grant` cleared, and is
  // skipped when its turn comes: no search through the queue on abort.
  let queue: Array<{ grant: (() => void) | undefined }> = [];
  let head = 0;

  const release = () => {
    while (head < queue.length) {
      const waiter = queue[head++]!;
      // Under sustained load the queue never empties: drop the served part now and then.
      if (head >= 1024 && head * 2 >= queue.length) {
        queue = queue.slice(head);
        head = 0;
      }
      if (waiter.grant) {
        waiting -= 1;
        waiter.grant(); // the slot passes straight to the next waiter: inFlight stays the same
        return;
      }
    }
    queue = [];
    head = 0;
    inFlight -= 1;
  };

  const releaseOnce = () => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };

  return {
    acquire(signal) {
      if (signal.aborted) return Promise.reject(signal.reason);
      if (inFlight < limit) {
        inFlight += 1;
        return Promise.resolve(releaseOnce());
      }
      return new Promise((resolve, reject) => {
        const waiter: { grant: (() => void) | undefined } = { grant: undefined };
        const onAbort = () => {
          waiter.grant = undefined;
          waiting -= 1;
          reject(signal.reason);
        };
        waiter.grant = () => {
          signal.removeEventListener('abort', onAbort);
          resolve(releaseOnce());
        };
        signal.addEventListener('abort', onAbort, { once: true });
        queue.push(waiter);
        waiting += 1;
      });
    },
    get inFlight() {
      return inFlight;
    },
    get waiting() {
      return waiting;
    },
  };
}
