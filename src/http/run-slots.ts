// The service's run slots (PREFLIGHT_MAX_CONCURRENT_RUNS, or fewer when V8's heap holds fewer),
// shared by the API's runs and the watch's. An API caller takes any free slot; a watched run takes
// one only while another stays free for a caller, and never more than half of them: the watch can
// wait for its turn, a caller cannot (it is answered 503 busy).

export type RunKind = 'api' | 'watch';

export interface RunSlots {
  readonly max: number;
  readonly inFlight: number;
  /** A slot for a run of this kind, if one is free for it: true when taken (release it once the run ends). */
  take(kind: RunKind): boolean;
  release(kind: RunKind): void;
}

/** Slots a watch may hold at once: half of them, at least one. */
export const watchShare = (max: number): number => Math.max(1, Math.floor(max / 2));

export function createRunSlots(max: number): RunSlots {
  // 0 refuses every run (busy): a service kept from running any, as a test of the busy answer.
  if (!Number.isInteger(max) || max < 0) throw new RangeError(`run slot limit must be a whole number, not ${max}`);
  let inFlight = 0;
  let watching = 0;
  return {
    max,
    get inFlight() {
      return inFlight;
    },
    take(kind) {
      // A watched run leaves the last free slot to an API caller.
      if (kind === 'watch' ? inFlight + 1 >= max || watching >= watchShare(max) : inFlight >= max) return false;
      inFlight += 1;
      if (kind === 'watch') watching += 1;
      return true;
    },
    release(kind) {
      inFlight -= 1;
      if (kind === 'watch') watching -= 1;
    },
  };
}
