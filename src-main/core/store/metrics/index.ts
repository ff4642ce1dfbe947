// The time-series repository: every statement on metric_series, resource_metrics and its rollups,
// and system_snapshots. `writer` queues snapshots and commits them in batches, `history` answers
// range queries from the coarsest table fine enough, `summary` the hourly system summary, `retention` deletes past the horizons in slices.
import type { Db } from '../db';
import { createHistory } from './history';
import { createRetention } from './retention';
import { createMetricsStore } from './store';
import { createSystemSummary } from './summary';

export function createMetricsRepository(db: Db, opts: { retentionSliceMs?: number } = {}) {
  return {
    writer: createMetricsStore(db),
    history: createHistory(db),
    retention: createRetention(db, { sliceMs: opts.retentionSliceMs }),
    summary: createSystemSummary(db),
  };
}
export type MetricsRepository = ReturnType<typeof createMetricsRepository>;
