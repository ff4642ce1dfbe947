// Restarts within a sliding window, from Docker's RestartCount (the restarts its restart policy
// made since the container was created) as seen at successive inspects. Only changes of the count
// are kept, so the window slides without inspecting again: the count at the window's start is the
// one last seen at or before it.

/** One inspect's RestartCount, seen at `ts` (ms since the epoch). */
export interface RestartObservation {
  ts: number;
  count: number;
}

/**
 * `history` (oldest first) with `count` seen at `now` added when it differs from the last one, and
 * the observations no longer needed for a window of `windowMs` dropped (the last one at or before
 * the window's start is kept: it is the count at that start). Returns a new array.
 */
export function withRestartCount(history: readonly RestartObservation[], now: number, count: number, windowMs: number): RestartObservation[] {
  const next = history.length && history[history.length - 1]!.count === count ? [...history] : [...history, { ts: now, count }];
  const start = now - windowMs;
  while (next.length > 1 && next[1]!.ts <= start) next.shift();
  return next;
}

/**
 * Restarts in the `windowMs` before `now`: the newest count less the count at the window's start
 * (the first one seen when none was seen that early). 0 for an empty history. A count that went
 * down (a container created anew under the same id cannot, but an engine may reset it) counts 0.
 */
export function restartsInWindow(history: readonly RestartObservation[], now: number, windowMs: number): number {
  if (!history.length) return 0;
  const start = now - windowMs;
  let base = history[0]!;
  for (const o of history) if (o.ts <= start) base = o;
  return Math.max(0, history[history.length - 1]!.count - base.count);
}
