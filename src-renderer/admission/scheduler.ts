// When the launch preview asks admission again: after the user stops typing (debounced), and when the
// machine's load changes (throttled); only the answer to the latest question is shown.

export interface CheckScheduler<Req> {
  /** The request as edited now (undefined: nothing to preview). Checked once edits pause for debounceMs; an unchanged request is not checked again. */
  set(request: Req | undefined): void;
  /** The machine's load changed (a `metrics.snapshot`): the current request is checked again, at most once per throttleMs. */
  loadChanged(): void;
  /** Stops every timer; answers still on their way are dropped. */
  dispose(): void;
}

export interface SchedulerOptions<Req, Res> {
  check(request: Req): Promise<Res>;
  /** The answer to the newest check sent; an older check's answer arriving later is dropped. */
  onResult(result: Res, request: Req): void;
  onError(error: unknown, request: Req): void;
  /** Identity of a request (equal keys: the same question). */
  key(request: Req): string;
  /** Quiet time after the last edit before checking, ms. */
  debounceMs: number;
  /** Least time between two load-driven re-checks, ms. */
  throttleMs: number;
}

/**
 * A latest-wins scheduler for a live preview. Each check sent gets a sequence number; only the
 * answer of the highest number sent so far is delivered, so a slow answer to an old request never
 * overwrites a newer one. No clock is read: the debounce and the throttle are timers.
 */
export function createCheckScheduler<Req, Res>(o: SchedulerOptions<Req, Res>): CheckScheduler<Req> {
  let current: Req | undefined;
  let currentKey: string | undefined;
  let sent = 0;
  let disposed = false;
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let throttle: ReturnType<typeof setTimeout> | undefined;

  const run = () => {
    if (disposed || current === undefined) return;
    const request = current;
    const seq = ++sent;
    o.check(request).then(
      (r) => !disposed && seq === sent && o.onResult(r, request),
      (e: unknown) => !disposed && seq === sent && o.onError(e, request),
    );
  };
  return {
    set(request) {
      const k = request === undefined ? undefined : o.key(request);
      if (k === currentKey) return;
      current = request;
      currentKey = k;
      clearTimeout(debounce);
      if (request === undefined) {
        sent++; // an answer still coming for the old request is no longer wanted
        return;
      }
      debounce = setTimeout(run, o.debounceMs);
    },
    loadChanged() {
      if (disposed || throttle !== undefined || current === undefined) return;
      throttle = setTimeout(() => {
        throttle = undefined;
        run();
      }, o.throttleMs);
    },
    dispose() {
      disposed = true;
      clearTimeout(debounce);
      clearTimeout(throttle);
    },
  };
}
