// The metrics service: queues every snapshot, commits a batch every few seconds, runs retention
// in slices every few minutes, and answers history and series requests.
import type { HistoryInput, MetricsSettings } from '@shared/contract';
import type { Bus } from '../bus';
import { log } from '../log';
import type { EventLog } from '../store/events';
import type { MetricsRepository } from '../store/metrics';
import { fireAndForget } from '../fire-and-forget';

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
  let flushTimer: NodeJS.Timeout | undefined;
  let cleanupTimer: NodeJS.Timeout | undefined;
  let firstCleanup: NodeJS.Timeout | undefined;
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
      flushTimer = setInterval(flush, opts.flushMs ?? 5000);
      flushTimer.unref?.();
      const every = opts.cleanupEveryMs ?? 10 * 60_000;
      cleanupTimer = setInterval(() => fireAndForget(cleanup(), 'metrics retention cleanup', opts.events), every);
      cleanupTimer.unref?.();
      firstCleanup = setTimeout(() => fireAndForget(cleanup(), 'first metrics retention cleanup', opts.events), opts.firstCleanupMs ?? 30_000);
      firstCleanup.unref?.();
    },
    stop() {
      unsubscribe?.();
      clearInterval(flushTimer);
      clearInterval(cleanupTimer);
      clearTimeout(firstCleanup);
      flush();
      stopped = true;
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
