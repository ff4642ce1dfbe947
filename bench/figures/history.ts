// Time-series storage and history queries: ingest rate, 7-day query latency, size on disk, and the
// event loop's lag while the whole app samples. Baselines run in the same process, same run.
import { statSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from '../../src-main/core/app';
import { createHistory } from '../../src-main/core/store/metrics/history';
import { createMetricsStore, HOUR, ROLLUPS } from '../../src-main/core/store/metrics/store';
import { DB_FILE, openDatabase } from '../../src-main/core/store/db';
import { VERSION } from '../../src-main/version';
import { compare, percentile, round, type BenchContext, type Figures } from '../report';

const DAY = 86_400_000;
const SERIES = 50;
const META = { scope: 'host', resource: 'cpu', subject: '', metric: 'bench', unit: '%', label: 'Bench' } as const;

/** Our ingest path: queued figures, one transaction per batch with raw rows and both rollups. */
function ingestRate(dir: string, samples: number): number {
  const db = openDatabase(dir);
  const store = createMetricsStore(db);
  const perSeries = samples / SERIES;
  const batchSeconds = 100; // 50 series × 100 s = 5,000 rows a transaction
  const t0 = performance.now();
  for (let s0 = 0; s0 < perSeries; s0 += batchSeconds) {
    for (let s = 0; s < SERIES; s++) {
      const points = [];
      for (let i = s0; i < Math.min(perSeries, s0 + batchSeconds); i++) points.push({ ts: 1_700_000_000_000 + i * 1000, value: (i * 7 + s) % 100 });
      store.ingestRaw(`host:${s}:bench`, META, points);
    }
    store.flush();
  }
  const rate = samples / ((performance.now() - t0) / 1000);
  db.close();
  return rate;
}

/** Baseline: the naive way, one INSERT per sample in autocommit into a rowid table with an index. */
function naiveRate(dir: string, samples: number): number {
  const db = openDatabase(dir);
  db.exec('CREATE TABLE naive (id INTEGER PRIMARY KEY, series TEXT NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL); CREATE INDEX naive_s ON naive (series, ts)');
  const ins = db.prepare('INSERT INTO naive (series, ts, value) VALUES (?, ?, ?)');
  const t0 = performance.now();
  for (let i = 0; i < samples; i++) ins.run(`host:${i % SERIES}:bench`, 1_700_000_000_000 + Math.floor(i / SERIES) * 1000, i % 100);
  const rate = samples / ((performance.now() - t0) / 1000);
  db.close();
  return rate;
}

/** 7 days × 1 Hz × 50 series, written in SQL (fast) with the rollups our ingest would have made. */
function build7Days(dir: string, days: number, end: number) {
  const db = openDatabase(dir);
  const start = end - days * DAY;
  const insSeries = db.prepare(
    `INSERT INTO metric_series (name, scope, resource_type, subject, metric, unit, label, first_ts, last_ts) VALUES (?, 'host', 'cpu', ?, 'bench', '%', ?, ?, ?) RETURNING id`,
  );
  const ids: number[] = [];
  db.pragma('cache_size = -200000');
  for (let s = 0; s < SERIES; s++) {
    const id = (insSeries.get(`host:${s}:bench`, String(s), `Bench ${s}`, start, end) as { id: number }).id;
    ids.push(id);
    db.transaction(() => {
      db.prepare(
        `INSERT INTO resource_metrics (series_id, ts, value)
         WITH RECURSIVE t(ts) AS (SELECT CAST(? AS INTEGER) UNION ALL SELECT ts + 1000 FROM t WHERE ts + 1000 < CAST(? AS INTEGER))
         SELECT ?, ts, ((ts / 1000) * 7 + ?) % 100 + (ts / 1000 % 13) / 13.0 FROM t`,
      ).run(start, end, id, s);
      for (const { table, width } of ROLLUPS) {
        db.prepare(
          `INSERT INTO ${table} (series_id, ts, min, max, sum, count)
           SELECT series_id, (ts / ${width}) * ${width}, MIN(value), MAX(value), SUM(value), COUNT(*) FROM resource_metrics WHERE series_id = ? GROUP BY ts / ${width}`,
        ).run(id);
      }
    })();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { db, ids, start };
}

function fileMb(dir: string): number {
  let bytes = 0;
  for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`]) {
    try {
      bytes += statSync(path.join(dir, f)).size;
    } catch {
      // not there: nothing to count
    }
  }
  return bytes / 2 ** 20;
}

async function eventLoopLag(ctx: BenchContext, seconds: number): Promise<number> {
  const app = createApp({ dataDir: ctx.tmpDir(), version: VERSION, sampleIntervalMs: 1000 });
  await app.start();
  await new Promise((r) => setTimeout(r, 2000));
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  h.disable();
  await app.dispose();
  return h.percentile(99) / 1e6;
}

export async function historyFigures(ctx: BenchContext): Promise<Figures> {
  const samples = ctx.quick ? 500_000 : 3_000_000;
  ingestRate(ctx.tmpDir(), 100_000); // warm-up: JIT and first-page allocation are not the steady rate
  const ours = ingestRate(ctx.tmpDir(), samples);
  const naive = naiveRate(ctx.tmpDir(), ctx.quick ? 10_000 : 50_000);

  const days = ctx.quick ? 1 : 7;
  const end = Math.floor(Date.now() / HOUR) * HOUR;
  const dir = ctx.tmpDir();
  const t0 = performance.now();
  const { db, ids, start } = build7Days(dir, days, end);
  const buildS = (performance.now() - t0) / 1000;
  const mb = fileMb(dir);
  const history = createHistory(db);
  const names = ids.map((_, s) => `host:${s}:bench`);
  const retention = { rawRetentionDays: 7, rollupRetentionDays: 90 };
  const ms: number[] = [];
  for (let round = 0; round < 4; round++) {
    for (const name of names) {
      const q0 = performance.now();
      const r = history.query({ series: [name], from: start, to: end, buckets: 1000 }, retention, end);
      ms.push(performance.now() - q0);
      if (!r.series[0]!.points.length) throw new Error('bench: empty history');
    }
  }
  // Baseline: the same buckets straight from the raw rows (what a rollup-less design must do).
  const raw = db.prepare(
    `SELECT CAST((ts - @from) / @w AS INTEGER) AS b, MIN(value), AVG(value), MAX(value) FROM resource_metrics
     WHERE series_id = @id AND ts >= @from AND ts < @to GROUP BY b`,
  );
  const rawMs: number[] = [];
  for (const id of ids.slice(0, ctx.quick ? 3 : 10)) {
    const q0 = performance.now();
    raw.all({ id, from: start, to: end, w: Math.ceil((end - start) / 1000) });
    rawMs.push(performance.now() - q0);
  }
  db.close();

  const lag = await eventLoopLag(ctx, ctx.quick ? 5 : 30);
  const scale = days === 7 ? '' : ` (quick run: ${days} day, not 7)`;
  return {
    'store.ingest_samples_per_s': {
      ...compare(Math.round(ours), Math.round(naive), 'samples/s', { text: '>= 200000', met: (_r, v) => v >= 200_000 }),
      note: `${samples} samples, 50 series, 5,000 a transaction, raw rows + 1-min, 10-min and 1-h rollups; baseline: one autocommit INSERT per sample into a rowid table with an index`,
    },
    'history.query_7d_1000_buckets_ms_p95': {
      ...compare(percentile(ms, 95), percentile(rawMs, 95), 'ms', { text: '<= 20', met: (_r, v) => v <= 20 }),
      note: `${days} d × 1 Hz × ${SERIES} series, ${ms.length} queries of 1,000 buckets through metrics.history (10-minute rollup); baseline: the same buckets from raw rows${scale}`,
    },
    'history.db_mb_7d_50_series': {
      value: round(mb, 1),
      unit: 'MiB',
      note: `${days} d × 1 Hz × ${SERIES} series = ${(days * 86_400 * SERIES).toLocaleString('en')} raw rows plus rollups, built in ${buildS.toFixed(0)} s${scale}`,
    },
    'core.event_loop_lag_ms_p99': {
      value: round(lag, 2),
      unit: 'ms',
      goal: '<= 10',
      met: lag <= 10,
      note: `whole app sampling at 1 Hz with batched metrics writes, ${ctx.quick ? 5 : 30} s, monitorEventLoopDelay resolution 5 ms`,
    },
  };
}
