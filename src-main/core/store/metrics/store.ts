// Batched persistence of snapshots: figures wait in memory and go to SQLite in one transaction
// every few seconds (raw rows, incremental 1-minute and 1-hour rollups, the system snapshot row).
import type { MetricsSnapshot, SeriesInfo } from '@shared/contract';
import type { Db } from '../db';
import { figuresOf, type SeriesMeta } from './series';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
/** Rollup levels, finest first: each batch updates all of them incrementally. */
export const ROLLUPS = [
  { source: '1m', table: 'resource_metrics_1m', width: MINUTE },
  { source: '10m', table: 'resource_metrics_10m', width: 10 * MINUTE },
  { source: '1h', table: 'resource_metrics_1h', width: HOUR },
] as const;

interface Agg {
  min: number;
  max: number;
  sum: number;
  count: number;
}

export function createMetricsStore(db: Db) {
  const insertSeries = db.prepare(
    `INSERT INTO metric_series (name, scope, resource_type, subject, metric, unit, label, first_ts, last_ts)
     VALUES (@name, @scope, @resource, @subject, @metric, @unit, @label, @ts, @ts)
     ON CONFLICT (name) DO UPDATE SET label = excluded.label RETURNING id`,
  );
  const touchSeries = db.prepare('UPDATE metric_series SET last_ts = MAX(last_ts, ?) WHERE id = ?');
  const insertRaw = db.prepare('INSERT OR IGNORE INTO resource_metrics (series_id, ts, value) VALUES (?, ?, ?)');
  // Many rows per statement: better-sqlite3's per-call overhead dominates single-row inserts.
  const CHUNK = 500;
  const insertRawChunk = db.prepare(
    `INSERT OR IGNORE INTO resource_metrics (series_id, ts, value) VALUES ${Array.from({ length: CHUNK }, () => '(?, ?, ?)').join(', ')}`,
  );
  const upsertRollup = (table: string) =>
    db.prepare(
      `INSERT INTO ${table} (series_id, ts, min, max, sum, count) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (series_id, ts) DO UPDATE SET min = MIN(min, excluded.min), max = MAX(max, excluded.max),
         sum = sum + excluded.sum, count = count + excluded.count`,
    );
  const upserts = ROLLUPS.map((r) => upsertRollup(r.table));
  const insertSnapshot = db.prepare(
    `INSERT OR IGNORE INTO system_snapshots (ts, cpu_percent, memory_percent, memory_used, swap_used, load1, gpu_count, gpu_util_avg, vram_used_mib, containers_running)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  const ids = new Map<string, number>();
  for (const r of db.prepare('SELECT id, name FROM metric_series').all() as { id: number; name: string }[]) ids.set(r.name, r.id);

  /** Pending raw rows as flat triples (series_id, ts, value): no per-row objects on the hot path. */
  let pending: number[] = [];
  let pendingSnapshots: unknown[][] = [];

  function seriesId(name: string, meta: SeriesMeta, ts: number): number {
    let id = ids.get(name);
    if (id === undefined) {
      id = (insertSeries.get({ name, ...meta, ts }) as { id: number }).id;
      ids.set(name, id);
    }
    return id;
  }

  /** series id → bucket start → aggregate (numeric keys: no string building per row). */
  type Buckets = Map<number, Map<number, Agg>>;
  function rollups(rows: number[]) {
    const levels: Buckets[] = ROLLUPS.map(() => new Map());
    const last = new Map<number, number>();
    const add = (map: Buckets, id: number, ts: number, v: number) => {
      let byTs = map.get(id);
      if (!byTs) map.set(id, (byTs = new Map()));
      const a = byTs.get(ts);
      if (!a) byTs.set(ts, { min: v, max: v, sum: v, count: 1 });
      else {
        if (v < a.min) a.min = v;
        if (v > a.max) a.max = v;
        a.sum += v;
        a.count++;
      }
    };
    for (let i = 0; i < rows.length; i += 3) {
      const id = rows[i]!;
      const ts = rows[i + 1]!;
      const v = rows[i + 2]!;
      for (let l = 0; l < ROLLUPS.length; l++) add(levels[l]!, id, ts - (ts % ROLLUPS[l]!.width), v);
      if (ts > (last.get(id) ?? -1)) last.set(id, ts);
    }
    return { levels, last };
  }

  /** Writes raw rows and their rollups in one transaction (also the benchmark's ingest path). */
  const writeRows = db.transaction((rows: number[], snapshots: unknown[][]) => {
    const whole = rows.length - (rows.length % (CHUNK * 3));
    for (let i = 0; i < whole; i += CHUNK * 3) insertRawChunk.run(rows.slice(i, i + CHUNK * 3));
    for (let i = whole; i < rows.length; i += 3) insertRaw.run(rows[i], rows[i + 1], rows[i + 2]);
    const { levels, last } = rollups(rows);
    levels.forEach((level, l) => {
      for (const [id, byTs] of level) for (const [ts, a] of byTs) upserts[l]!.run(id, ts, a.min, a.max, a.sum, a.count);
    });
    for (const [id, ts] of last) touchSeries.run(ts, id);
    for (const s of snapshots) insertSnapshot.run(...s);
  });

  return {
    /** Queues one snapshot's figures; nothing touches the disk until `flush()`. */
    ingest(s: MetricsSnapshot): number {
      const figures = figuresOf(s);
      for (const f of figures) pending.push(seriesId(f.name, f.meta, s.ts), s.ts, f.value);
      const gpus = s.gpus ?? [];
      const util = gpus.map((g) => g.utilizationGpu).filter((v): v is number => v !== null);
      const vram = gpus.map((g) => g.memoryUsedMiB).filter((v): v is number => v !== null);
      pendingSnapshots.push([
        s.ts, s.host.cpu.percent, s.host.memory.percent, s.host.memory.used, s.host.swap.used, s.host.load[0], gpus.length,
        util.length ? util.reduce((a, b) => a + b, 0) / util.length : null,
        vram.length ? vram.reduce((a, b) => a + b, 0) : null,
        s.containers?.length ?? 0,
      ]);
      return figures.length;
    },
    /** Queues raw figures by series name (benchmarks and tests with synthetic data). */
    ingestRaw(name: string, meta: SeriesMeta, points: { ts: number; value: number }[]): void {
      const id = seriesId(name, meta, points[0]?.ts ?? Date.now());
      for (const p of points) pending.push(id, p.ts, p.value);
    },
    /** Commits everything queued in one transaction; returns the number of raw rows written. */
    flush(): number {
      if (!pending.length && !pendingSnapshots.length) return 0;
      const rows = pending;
      const snaps = pendingSnapshots;
      pending = [];
      pendingSnapshots = [];
      writeRows(rows, snaps);
      return rows.length / 3;
    },
    get pendingRows() {
      return pending.length / 3;
    },
    seriesId: (name: string) => ids.get(name),
    series(prefix?: string): SeriesInfo[] {
      const rows = db
        .prepare(
          `SELECT name, scope, resource_type AS resource, subject, metric, unit, label, first_ts AS firstTs, last_ts AS lastTs
           FROM metric_series ${prefix ? 'WHERE substr(name, 1, ?) = ?' : ''} ORDER BY name`,
        )
        .all(...(prefix ? [prefix.length, prefix] : [])) as SeriesInfo[];
      return rows;
    },
    forgetSeries(names: string[]) {
      for (const n of names) ids.delete(n);
    },
  };
}
export type MetricsStore = ReturnType<typeof createMetricsStore>;
