// The events journal's retention: rows older than the horizon go, then the oldest rows beyond the
// row cap. Deleted in slices (one short transaction each, oldest first by the events_ts index),
// yielding to the event loop between slices so sampling and requests never stall — the pattern of
// metrics/retention.ts. Stopping ends a sweep before its next slice: nothing writes to a closed database.
import type { JournalSettings } from '@shared/contract';
import { every, type Loop } from '../every';
import { log } from '../log';
import type { EventLog } from './events';

const DAY = 86_400_000;
const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

export interface JournalSweepResult {
  /** Rows removed for being older than retentionDays. */
  byAge: number;
  /** Rows removed to bring the journal down to maxRows. */
  byRows: number;
}

export interface JournalRetentionOptions {
  /** The events repository: what is swept, and where a failed sweep is journaled. */
  events: EventLog;
  settings: () => JournalSettings;
  /** Rows deleted per slice (default 2,000). */
  sliceRows?: number;
  /** How often start() sweeps (default 10 min). */
  everyMs?: number;
  /** Delay of the first sweep after start (default 45 s). */
  firstMs?: number;
}

export function createJournalRetention(opts: JournalRetentionOptions) {
  const { events } = opts;
  const sliceRows = opts.sliceRows ?? 2000;
  let running: Promise<JournalSweepResult> | undefined;
  let stopped = false;
  let loop: Loop | undefined;

  async function run(policy: JournalSettings, now: number): Promise<JournalSweepResult> {
    const result: JournalSweepResult = { byAge: 0, byRows: 0 };
    const horizon = now - policy.retentionDays * DAY;
    while (!stopped) {
      const n = events.deleteOlderThan(horizon, sliceRows);
      result.byAge += n;
      if (n < sliceRows) break;
      await yieldToLoop();
    }
    if (stopped) return result;
    let excess = events.count() - policy.maxRows;
    while (excess > 0 && !stopped) {
      const n = events.deleteOldest(Math.min(excess, sliceRows));
      if (n === 0) break;
      result.byRows += n;
      excess -= n;
      if (excess > 0) await yieldToLoop();
    }
    return result;
  }

  /**
   * One sweep with `policy` (default the settings) at `now` (ms since epoch, default the clock).
   * One at a time: a call while one runs gets the same promise. Resolves to what was removed.
   */
  function sweep(now = Date.now(), policy = opts.settings()): Promise<JournalSweepResult> {
    if (stopped) return Promise.resolve({ byAge: 0, byRows: 0 });
    running ??= run(policy, now).finally(() => (running = undefined));
    return running;
  }

  async function scheduled() {
    try {
      await sweep();
    } catch (e) {
      if (stopped) return;
      const message = (e as Error).message;
      log.warn('events journal retention failed', { message });
      opts.events.record({ type: 'events.cleanup_failed', outcome: 'error', error: `events journal retention failed: ${message}` });
    }
  }

  return {
    sweep,
    start() {
      stopped = false;
      void loop?.dispose();
      loop = every(opts.everyMs ?? 10 * 60_000, scheduled, { what: 'events journal retention', journal: opts.events, firstMs: opts.firstMs ?? 45_000 });
    },
    /** Ends the loop; a sweep in flight ends before its next slice. Resolves when it has. */
    async stop(): Promise<void> {
      stopped = true;
      const ending = loop?.dispose();
      loop = undefined;
      await ending;
      await running?.catch(() => undefined);
    },
  };
}
export type JournalRetention = ReturnType<typeof createJournalRetention>;
