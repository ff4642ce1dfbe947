// The optimiser on a schedule: every `tiers.optimizeEveryMinutes` minutes (0: only by hand, through
// tiers.optimize) the tier manager's optimiser plans and queues its moves. every() runs it — one run
// never overlapping the next, a failed run journaled as background.failed and the next still due —
// and a changed setting applies at once: a new interval, or the loop stopped or started.
import { every, type Loop } from '../every';
import { fireAndForget, type Journal } from '../fire-and-forget';
import type { SettingsSlice } from '../store/settings';

/** Names the task in the journal's background.failed rows. */
export const OPTIMISER_TASK = 'the scheduled tier optimiser';

export interface OptimiserScheduleDeps {
  /** The tier manager's optimize(true): plans and queues the moves (each a job that records itself). */
  optimize(apply: true): unknown;
  /** Minutes between runs; 0 turns the schedule off. */
  minutes: SettingsSlice<number>;
  journal?: Journal;
}

export function createOptimiserSchedule(deps: OptimiserScheduleDeps) {
  let loop: Loop | undefined;
  let off: (() => void) | undefined;

  function follow(minutes: number): void {
    const ms = minutes * 60_000;
    if (ms <= 0) {
      if (loop) fireAndForget(loop.dispose(), 'stopping the tier optimiser', deps.journal);
      loop = undefined;
    } else if (loop) loop.setInterval(ms);
    else loop = every(ms, () => deps.optimize(true), { what: OPTIMISER_TASK, journal: deps.journal });
  }

  return {
    /** Starts following the setting: the first run one interval from now. */
    start(): void {
      off ??= deps.minutes.subscribe(follow);
      follow(deps.minutes.get());
    },
    /** Stops the schedule; resolves once a run in flight has ended. */
    async dispose(): Promise<void> {
      off?.();
      off = undefined;
      const l = loop;
      loop = undefined;
      await l?.dispose();
    },
    /** The interval in force, ms (0: off). */
    get intervalMs(): number {
      return loop?.intervalMs ?? 0;
    },
  };
}
export type OptimiserSchedule = ReturnType<typeof createOptimiserSchedule>;
