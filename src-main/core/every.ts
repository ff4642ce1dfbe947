// The one way to run work periodically. A run never overlaps the next: the next is scheduled only after
// the previous finished (a slow run delays, never doubles). Its failure is told through reportFailure
// (journaled when a journal is given), never thrown. Timers are unref'd: a loop never keeps the process up.
import type { Disposable } from './disposable';
import { reportFailure, type Journal } from './fire-and-forget';

export interface EveryOptions {
  /** Names the task in the journal's `background.failed` rows. */
  what: string;
  /** Where failures are journaled (fire-and-forget.ts); logged without one. */
  journal?: Journal;
  /** Delay of the first run in ms (default: one interval, or the next round time with `align`). */
  firstMs?: number;
  /** Runs on multiples of the interval since the epoch (round timestamps that do not drift). */
  align?: boolean;
  /** The clock `align` reads, ms since the epoch (default Date.now). */
  now?: () => number;
  /** Replaces reportFailure for a failed run (e.g. to tell the same failure once); must not throw. */
  onError?: (e: unknown) => void;
  /** Told after every successful run. */
  onSuccess?: () => void;
}

export interface Loop extends Disposable {
  /** Changes the interval (ms); a run already scheduled is rescheduled with it. */
  setInterval(ms: number): void;
  /** The interval in ms. */
  readonly intervalMs: number;
  /** Stops the loop; resolves once a run in flight has finished. No run starts after it is called. */
  dispose(): Promise<void>;
}

/**
 * Runs `fn` every `ms` milliseconds (ms > 0) until dispose(): the first run after `firstMs`, each next
 * one `ms` after the previous one ended (or at the next multiple of `ms` with `align`).
 */
export function every(ms: number, fn: () => unknown, opts: EveryOptions): Loop {
  const now = opts.now ?? Date.now;
  let period = ms;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let disposed = false;

  const nextDelay = () => (opts.align ? period - (now() % period) : period);
  function schedule(delay: number) {
    clearTimeout(timer);
    timer = undefined;
    if (disposed) return;
    timer = setTimeout(run, delay);
    timer.unref?.();
  }
  function failed(e: unknown) {
    if (!opts.onError) return reportFailure(e, opts.what, opts.journal);
    try {
      opts.onError(e);
    } catch (again) {
      reportFailure(again, opts.what, opts.journal);
    }
  }
  function run() {
    timer = undefined;
    if (disposed || inFlight) return;
    inFlight = (async () => {
      try {
        await fn();
        opts.onSuccess?.();
      } catch (e) {
        failed(e);
      }
    })().finally(() => {
      inFlight = undefined;
      schedule(nextDelay());
    });
  }

  schedule(opts.firstMs ?? nextDelay());
  return {
    get intervalMs() {
      return period;
    },
    setInterval(next: number) {
      period = next;
      if (timer) schedule(nextDelay()); // while a run is in flight, its end schedules with the new interval
    },
    async dispose() {
      disposed = true;
      clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
