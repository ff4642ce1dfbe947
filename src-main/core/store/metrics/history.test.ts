import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '@shared/contract';
import { tmpDataDir } from '../../../test-support';
import { openDatabase } from '../db';
import { createHistory } from './history';
import { createRetention } from './retention';
import { createMetricsStore, HOUR, MINUTE } from './store';

const DAY = 86_400_000;
const META = { scope: 'host', resource: 'cpu', subject: '', metric: 'synthetic', unit: '%', label: 'Synthetic' } as const;
const RETENTION = { rawRetentionDays: 7, rollupRetentionDays: 90 };

/** A wavy, noisy-looking but deterministic signal. */
const valueAt = (ts: number) => 50 + 40 * Math.sin(ts / 3_600_000) + ((ts / 1000) % 7);

/** The truth, computed directly from the samples. */
function expected(points: { ts: number; value: number }[], from: number, to: number, bucketMs: number) {
  const m = new Map<number, { min: number; max: number; sum: number; n: number }>();
  for (const p of points) {
    if (p.ts < from || p.ts >= to) continue;
    const b = Math.floor((p.ts - from) / bucketMs);
    const a = m.get(b) ?? { min: Infinity, max: -Infinity, sum: 0, n: 0 };
    a.min = Math.min(a.min, p.value);
    a.max = Math.max(a.max, p.value);
    a.sum += p.value;
    a.n++;
    m.set(b, a);
  }
  return [...m.entries()].sort((x, y) => x[0] - y[0]).map(([b, a]) => ({ ts: from + b * bucketMs, min: a.min, avg: a.sum / a.n, max: a.max, count: a.n }));
}

function closeTo(actual: HistoryPoint[], want: ReturnType<typeof expected>) {
  expect(actual.length).toBe(want.length);
  actual.forEach((p, i) => {
    const w = want[i]!;
    expect(p.ts).toBe(w.ts);
    expect(p.min).toBeCloseTo(w.min, 9);
    expect(p.max).toBeCloseTo(w.max, 9);
    expect(p.avg).toBeCloseTo(w.avg, 6);
    expect(p.count).toBe(w.count);
  });
}

describe('metrics ingest → history on a real SQLite file', () => {
  const db = openDatabase(tmpDataDir());
  const store = createMetricsStore(db);
  const history = createHistory(db);
  const now = Math.floor(Date.UTC(2026, 10, 20, 12) / HOUR) * HOUR;
  const start = now - 2 * DAY;
  // Two days at 1 Hz with a 10-minute hole (a dead nvidia-smi): 172,200 samples.
  const holeFrom = start + DAY + 5 * HOUR;
  const holeTo = holeFrom + 10 * MINUTE;
  const points: { ts: number; value: number }[] = [];
  for (let ts = start; ts < now; ts += 1000) if (ts < holeFrom || ts >= holeTo) points.push({ ts, value: valueAt(ts) });
  for (let i = 0; i < points.length; i += 5000) {
    store.ingestRaw('host::synthetic', META, points.slice(i, i + 5000));
    store.flush(); // several batches: rollups must merge across them
  }

  it('answers a short range from raw rows, exactly', () => {
    const from = now - HOUR - 1123;
    const to = now - 1123;
    const r = history.query({ series: ['host::synthetic'], from, to, buckets: 100 }, RETENTION, now);
    expect(r.source).toBe('raw');
    expect(r.bucketMs).toBe(36_000);
    closeTo(r.series[0]!.points, expected(points, from, to, r.bucketMs));
  });

  it('answers two days from the per-minute rollup with the same min / avg / max as the raw rows', () => {
    const r = history.query({ series: ['host::synthetic'], from: start, to: now, buckets: 960 }, RETENTION, now);
    expect(r.source).toBe('1m');
    expect(r.bucketMs).toBe(180_000);
    closeTo(r.series[0]!.points, expected(points, start, now, r.bucketMs));
    // The hole is a gap: no bucket there, and never a zero.
    const inHole = r.series[0]!.points.filter((p) => p.ts >= holeFrom && p.ts < holeTo - r.bucketMs);
    expect(inHole).toEqual([]);
    expect(Math.min(...r.series[0]!.points.map((p) => p.min))).toBeGreaterThan(5);
  });

  it('answers ten-minute buckets from the 10-minute rollup', () => {
    const r = history.query({ series: ['host::synthetic'], from: start, to: now, buckets: 288 }, RETENTION, now);
    expect(r.source).toBe('10m');
    closeTo(r.series[0]!.points, expected(points, start, now, 10 * MINUTE));
  });

  it('answers hour-wide buckets from the per-hour rollup', () => {
    const r = history.query({ series: ['host::synthetic'], from: start, to: now, buckets: 48 }, RETENTION, now);
    expect(r.source).toBe('1h');
    closeTo(r.series[0]!.points, expected(points, start, now, HOUR));
  });

  it('refuses from after to and unknown series, naming them', () => {
    expect(() => history.query({ series: ['host::synthetic'], from: now, to: now - 1 }, RETENTION, now)).toThrow(/from .* must be before to/);
    expect(() => history.query({ series: ['host::synthetic', 'gpu:nope:temperature'], from: start, to: now }, RETENTION, now)).toThrow(
      /unknown series "gpu:nope:temperature"/,
    );
  });

  it('gives an empty series for a range beyond retention, without scanning', () => {
    const r = history.query({ series: ['host::synthetic'], from: now - 400 * DAY, to: now - 200 * DAY }, RETENTION, now);
    expect(r.series[0]!.points).toEqual([]);
  });

  it('retention removes exactly what is past the horizon', async () => {
    const id = store.seriesId('host::synthetic')!;
    const count = (sql: string, ...args: number[]) => (db.prepare(sql).get(...args) as { n: number }).n;
    const horizon = now - DAY - 7 * DAY + 1234; // as if "now" were a day and a bit later with 7 days kept... shifted:
    const later = horizon + 7 * DAY;
    const before = count('SELECT COUNT(*) AS n FROM resource_metrics WHERE series_id = ?', id);
    const keep = points.filter((p) => p.ts >= horizon).length;
    const r = await createRetention(db, { sliceMs: 7 * MINUTE }).cleanup({ rawRetentionDays: 7, rollupRetentionDays: 7 }, later);
    expect(r.raw).toBe(before - keep);
    expect(count('SELECT COUNT(*) AS n FROM resource_metrics WHERE series_id = ?', id)).toBe(keep);
    expect(count('SELECT MIN(ts) AS n FROM resource_metrics WHERE series_id = ?', id)).toBe(points.find((p) => p.ts >= horizon)!.ts);
    expect(count('SELECT COUNT(*) AS n FROM resource_metrics_1m WHERE series_id = ? AND ts < ?', id, horizon)).toBe(0);
    expect(count('SELECT COUNT(*) AS n FROM resource_metrics_1m WHERE series_id = ? AND ts >= ?', id, horizon)).toBeGreaterThan(0);
    expect(count('SELECT COUNT(*) AS n FROM resource_metrics_10m WHERE series_id = ? AND ts < ?', id, horizon)).toBe(0);
    expect(count('SELECT COUNT(*) AS n FROM resource_metrics_1h WHERE series_id = ? AND ts < ?', id, horizon)).toBe(0);
    expect(count('SELECT COUNT(*) AS n FROM resource_metrics_1h WHERE series_id = ? AND ts >= ?', id, horizon)).toBeGreaterThan(0);
  });
});
