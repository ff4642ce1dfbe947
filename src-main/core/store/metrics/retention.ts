// Retention: deletes what is past the horizon in small slices (one series, a bounded time span, one
// short transaction each), yielding to the event loop between slices so sampling never stalls.
// Deleting a whole day at once took 1–2 s in one transaction when measured: long enough to stall sampling.
import type { Db } from '../db';
import type { Retention } from './history';
import { ROLLUPS } from './store';

const DAY = 86_400_000;

export interface CleanupResult {
  raw: number;
  /** Rows removed from the rollup tables (all levels). */
  rollups: number;
  snapshots: number;
  series: number;
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

export function createRetention(db: Db, opts: { sliceMs?: number } = {}) {
  /** At most this much of one series' history is deleted per slice (1 Hz: 3,600 rows). */
  const sliceMs = opts.sliceMs ?? 3_600_000;
  const seriesIds = db.prepare('SELECT id FROM metric_series');
  const oldest = (table: string) => db.prepare(`SELECT MIN(ts) AS ts FROM ${table} WHERE series_id = ?`);
  const del = (table: string) => db.prepare(`DELETE FROM ${table} WHERE series_id = ? AND ts < ?`);
  const tables = {
    raw: { oldest: oldest('resource_metrics'), del: del('resource_metrics') },
  };
  const rollupTables = ROLLUPS.map((l) => ({ oldest: oldest(l.table), del: del(l.table) }));
  const oldestSnapshot = db.prepare('SELECT MIN(ts) AS ts FROM system_snapshots');
  const delSnapshots = db.prepare('DELETE FROM system_snapshots WHERE ts < ?');
  const delSeries = db.prepare('DELETE FROM metric_series WHERE last_ts < ? RETURNING name');
  let running: Promise<CleanupResult> | undefined;

  async function sweep(t: (typeof tables)['raw'], ids: number[], horizon: number): Promise<number> {
    let removed = 0;
    for (const id of ids) {
      for (;;) {
        const first = (t.oldest.get(id) as { ts: number | null }).ts;
        if (first === null || first >= horizon) break;
        removed += t.del.run(id, Math.min(horizon, first + sliceMs)).changes;
        await yieldToLoop();
      }
    }
    return removed;
  }

  async function run(r: Retention, now: number): Promise<CleanupResult & { forgotten: string[] }> {
    const rawHorizon = now - r.rawRetentionDays * DAY;
    const rollupHorizon = now - r.rollupRetentionDays * DAY;
    const ids = (seriesIds.all() as { id: number }[]).map((x) => x.id);
    const raw = await sweep(tables.raw, ids, rawHorizon);
    let rollups = 0;
    for (const t of rollupTables) rollups += await sweep(t, ids, rollupHorizon);
    let snapshots = 0;
    for (;;) {
      const first = (oldestSnapshot.get() as { ts: number | null }).ts;
      if (first === null || first >= rawHorizon) break;
      snapshots += delSnapshots.run(Math.min(rawHorizon, first + sliceMs)).changes;
      await yieldToLoop();
    }
    // A series with nothing left anywhere (a container long gone) leaves the catalogue too.
    const forgotten = (delSeries.all(rollupHorizon) as { name: string }[]).map((x) => x.name);
    return { raw, rollups, snapshots, series: forgotten.length, forgotten };
  }

  return {
    /** One cleanup at a time; a second call while one runs gets the same promise. */
    cleanup(r: Retention, now = Date.now()): Promise<CleanupResult & { forgotten?: string[] }> {
      running ??= run(r, now).finally(() => (running = undefined));
      return running;
    },
  };
}
