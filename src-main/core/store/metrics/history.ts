// metrics.history: at most `buckets` points of min / avg / max / count per series, aggregated in SQL from
// the coarsest table fine enough for the bucket width. Every query is a primary-key range scan.
// Each point carries its sample count so that buckets can be averaged together by weight: a bucket cut
// short by the range's edge or a gap holds fewer samples than its neighbours.
import type { HistoryInput, HistoryResult, HistorySeries } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Db } from '../db';
import { HOUR, ROLLUPS } from './store';

export const DEFAULT_BUCKETS = 1000;
const DAY = 86_400_000;

export interface Retention {
  rawRetentionDays: number;
  rollupRetentionDays: number;
}

export type Source = HistoryResult['source'];

/** The coarsest rollup no wider than a bucket; raw rows for narrow buckets inside the raw horizon. */
export function chooseSource(bucketMs: number, from: number, now: number, r: Retention): Source {
  const fit = [...ROLLUPS].reverse().find((l) => l.width <= bucketMs);
  if (fit) return fit.source;
  return from < now - r.rawRetentionDays * DAY ? '1m' : 'raw';
}

const fmt = (ts: number) => new Date(ts).toISOString();

export function createHistory(db: Db) {
  // Integer arithmetic: better-sqlite3 binds JS numbers as REAL, so the bucket index is CAST.
  const raw = db.prepare(
    `SELECT CAST((ts - @from) / @w AS INTEGER) AS b, MIN(value) AS mn, AVG(value) AS av, MAX(value) AS mx, COUNT(*) AS n
     FROM resource_metrics WHERE series_id = @id AND ts >= @start AND ts < @to GROUP BY b ORDER BY b`,
  );
  const rollup = (table: string) =>
    db.prepare(
      `SELECT MAX(0, CAST((ts - @from) / @w AS INTEGER)) AS b, MIN(min) AS mn, SUM(sum) / SUM(count) AS av, MAX(max) AS mx, SUM(count) AS n
       FROM ${table} WHERE series_id = @id AND ts >= @start AND ts < @to GROUP BY b ORDER BY b`,
    );
  const byLevel = new Map<Source, ReturnType<typeof rollup>>(ROLLUPS.map((l) => [l.source, rollup(l.table)]));
  const widthOf = (s: Source) => ROLLUPS.find((l) => l.source === s)?.width ?? 1;
  const findSeries = db.prepare('SELECT id, name, unit, label FROM metric_series WHERE name = ?');

  return {
    /**
     * Points of [input.from, input.to) (ms since epoch) in buckets of ceil((to − from) / buckets) ms, each
     * with its sample count. `now` (ms since epoch, default the clock) places the retention horizons:
     * it picks raw rows or a rollup and clamps a range older than what is kept. Throws AppError
     * INVALID_INPUT for from ≥ to or an unknown series.
     */
    query(input: HistoryInput, retention: Retention, now = Date.now()): HistoryResult {
      const { from, to } = input;
      const buckets = input.buckets ?? DEFAULT_BUCKETS;
      if (from >= to) {
        throw new AppError('INVALID_INPUT', `metrics.history: from (${fmt(from)}) must be before to (${fmt(to)})`, { from, to });
      }
      const found = input.series.map((name) => ({ name, row: findSeries.get(name) as { id: number; name: string; unit: string; label: string } | undefined }));
      const unknown = found.filter((f) => !f.row).map((f) => f.name);
      if (unknown.length) {
        throw new AppError(
          'INVALID_INPUT',
          `metrics.history: unknown series ${unknown.map((n) => `"${n}"`).join(', ')}; metrics.series lists the ones recorded`,
          { unknown },
        );
      }
      // Nothing is kept beyond the rollup horizon: clamp instead of scanning for rows that cannot exist.
      const horizon = now - retention.rollupRetentionDays * DAY;
      const effFrom = Math.max(from, horizon - HOUR);
      const bucketMs = Math.max(1, Math.ceil((to - from) / buckets));
      const source = chooseSource(bucketMs, from, now, retention);
      const series: HistorySeries[] = found.map(({ row }) => {
        const r = row!;
        if (effFrom >= to) return { name: r.name, unit: r.unit, label: r.label, points: [] };
        // A rollup row covers its whole minute (hour): one that starts before `from` joins the first bucket.
        const start = source === 'raw' ? effFrom : effFrom - (effFrom % widthOf(source));
        const stmt = source === 'raw' ? raw : byLevel.get(source)!;
        const rows = stmt.all({ id: r.id, from, to, w: bucketMs, start }) as { b: number; mn: number; av: number; mx: number; n: number }[];
        return {
          name: r.name,
          unit: r.unit,
          label: r.label,
          points: rows.map((p) => ({ ts: from + p.b * bucketMs, min: p.mn, avg: p.av, max: p.mx, count: p.n })),
        };
      });
      return { from, to, bucketMs, source, series };
    },
  };
}
export type History = ReturnType<typeof createHistory>;
