// The metrics service: queues every snapshot, commits a batch every few seconds, runs retention
// in slices every few minutes, and answers history and series requests.
import type { HistoryInput, MetricsSettings } from '@shared/contract';
import type { Bus } from '../bus';
import { log } from '../log';
import type { EventLog } from '../store/events';
import type { MetricsRepository } from '../store/metrics';
import { every, type Loop } from '../every';

export interface MetricsServiceOptions {
  /** The time-series repository (core/store/metrics). */
  repository: MetricsRepository;
  bus: Bus;
  events: EventLog;
  retention: () => MetricsSettings;
  flushMs?: number;
  cleanupEveryMs?: number;
  /** Delay of the first retention run after start (default 30 s: let the app settle first). */
  firstCleanupMs?: number;
}

export function createMetricsService(opts: MetricsServiceOptions) {
  const { writer: store, history, retention } = opts.repository;
  let loops: Loop[] = [];
  /** Set by stop(): a cleanup still sweeping (it yields between slices) must not touch the closed database. */
  let stopped = false;
  let unsubscribe: (() => void) | undefined;
  let lastError: string | undefined;

  function flush(): number {
    try {
      const n = store.flush();
      lastError = undefined;
      return n;
    } catch (e) {
      // Reported once per distinct failure (a full disk would otherwise log every batch).
      const message = (e as Error).message;
      if (message !== lastError) {
        lastError = message;
        log.error('metrics: batch not written', { message });
        opts.events.record({ type: 'metrics.write_failed', outcome: 'error', error: `metrics batch not written: ${message}` });
      }
      return 0;
    }
  }

  async function cleanup() {
    if (stopped) return undefined;
    try {
      const r = await retention.cleanup(opts.retention());
      if (!stopped && r.forgotten?.length) store.forgetSeries(r.forgotten);
      return r;
    } catch (e) {
      if (stopped) return undefined;
      opts.events.record({ type: 'metrics.cleanup_failed', outcome: 'error', error: `metrics retention cleanup failed: ${(e as Error).message}` });
      return undefined;
    }
  }

  return {
    store,
    start() {
      stopped = false;
      unsubscribe = opts.bus.on('metrics.snapshot', (s) => store.ingest(s));
      for (const loop of loops) void loop.dispose();
      loops = [
        every(opts.flushMs ?? 5000, flush, { what: 'metrics batch commit', journal: opts.events }),
        every(opts.cleanupEveryMs ?? 10 * 60_000, cleanup, {
          what: 'metrics retention cleanup',
          journal: opts.events,
          firstMs: opts.firstCleanupMs ?? 30_000,
        }),
      ];
    },
    /** Commits the last batch at once; resolves when a cleanup in flight has ended (before its next slice). */
    async stop(): Promise<void> {
      unsubscribe?.();
      const ending = loops.map((loop) => loop.dispose());
      loops = [];
      flush();
      stopped = true;
      await Promise.all(ending);
    },
    flush,
    cleanup,
    history: (input: HistoryInput, now?: number) => {
      flush(); // the newest samples belong in the answer
      return history.query(input, opts.retention(), now);
    },
    series: (prefix?: string) => store.series(prefix),
  };
}
export type MetricsService = ReturnType<typeof createMetricsService>;
