// `mlenv stats --since`: the summary line of each series and the --until time, in process (the built
// CLI is exercised in stats.test.ts).
import { describe, expect, it } from 'vitest';
import type { HistoryResult } from '@shared/contract';
import { tmpDataDir } from '../test-support';
import { createHistory } from '../core/store/metrics/history';
import { createMetricsStore, HOUR, MINUTE } from '../core/store/metrics/store';
import { openDatabase } from '../core/store/db';
import { UsageError } from './args';
import { formatHistory, parseUntil } from './stats';

const CPU = { scope: 'host', resource: 'cpu', subject: '', metric: 'cpu_percent', unit: '%', label: 'Host CPU' } as const;
const RETENTION = { rawRetentionDays: 7, rollupRetentionDays: 90 };
const line = (text: string) => text.split('\n').find((l) => l.includes('Host CPU'))!;

describe('formatHistory', () => {
  it('weights each bucket by its samples: 7 samples of 10 and 3 of 30 average 16, not 20', () => {
    const r: HistoryResult = {
      from: 0, to: 120_000, bucketMs: 60_000, source: '1m',
      series: [{ name: 'host::cpu_percent', unit: '%', label: 'Host CPU', points: [
        { ts: 0, min: 10, avg: 10, max: 10, count: 7 },
        { ts: 60_000, min: 30, avg: 30, max: 30, count: 3 },
      ] }],
    };
    expect(line(formatHistory(r))).toMatch(/min 10\.0 {2}avg 16\.0 {2}max 30\.0 % {2}\(2 points, 10 samples\)$/);
  });

  it('says "no data" for a series without points', () => {
    const r: HistoryResult = { from: 0, to: 1000, bucketMs: 1000, source: 'raw', series: [{ name: 'host::cpu_percent', unit: '%', label: 'Host CPU', points: [] }] };
    expect(line(formatHistory(r))).toMatch(/Host CPU\s+no data$/);
  });

  // A real database: 600 samples, 10 and 30 in turn, in the hour before each `to`. Whatever the offset
  // of the range from the minute (the rollup's boundary) and the bucket width, the summary is their mean.
  it('prints the mean of the samples for every alignment of the range, from raw rows and from the rollup', () => {
    const db = openDatabase(tmpDataDir());
    const store = createMetricsStore(db);
    const history = createHistory(db);
    const now = Date.UTC(2026, 10, 20, 12);
    const offsets = [...Array.from({ length: 60 }, (_, i) => i * 1000), 1, 499, 59_999];
    offsets.forEach((offset, k) => {
      const to = now - 2 * k * HOUR + offset; // two hours apart: no range reaches its neighbour's samples
      store.ingestRaw('host::cpu_percent', CPU, Array.from({ length: 600 }, (_, i) => ({ ts: to - 600_000 + i * 1000, value: i % 2 ? 10 : 30 })));
    });
    store.flush();
    const seen = new Set<string>();
    offsets.forEach((offset, k) => {
      const to = now - 2 * k * HOUR + offset; // two hours apart: no range reaches its neighbour's samples
      for (const [span, buckets] of [[HOUR, 60], [15 * MINUTE, 10], [15 * MINUTE, 7], [HOUR, 1000]] as const) {
        const r = history.query({ series: ['host::cpu_percent'], from: to - span, to, buckets }, RETENTION, now);
        seen.add(r.source);
        expect(line(formatHistory(r)), `range ending ${offset} ms after a minute, ${buckets} buckets`).toMatch(/min 10\.0 {2}avg 20\.0 {2}max 30\.0 % {2}\(\d+ points, 600 samples\)$/);
      }
    });
    expect([...seen].sort()).toEqual(['1m', 'raw']);
    db.close();
  });
});

describe('parseUntil', () => {
  it('reads ISO 8601 times: UTC, with an offset, a date alone as midnight UTC', () => {
    expect(parseUntil('2026-11-20T12:00:00Z')).toBe(Date.UTC(2026, 10, 20, 12));
    expect(parseUntil('2026-11-20T12:00:00.250Z')).toBe(Date.UTC(2026, 10, 20, 12) + 250);
    expect(parseUntil('2026-11-20T13:30+01:00')).toBe(Date.UTC(2026, 10, 20, 12, 30));
    expect(parseUntil(' 2026-11-20 ')).toBe(Date.UTC(2026, 10, 20));
    expect(parseUntil('2026-11-20T12:00')).toBe(new Date(2026, 10, 20, 12).getTime()); // no offset: local time
  });

  it('refuses anything else in one sentence', () => {
    for (const bad of ['tomorrow', '1795176000000', '2026-11-20 12:00', '2026-02-30', '2026-13-01', '2026-11-20T25:00Z', '20-11-2026', '']) {
      expect(() => parseUntil(bad), bad).toThrow(UsageError);
      expect(() => parseUntil(bad), bad).toThrow(/^--until .*: use an ISO 8601 time such as 2026-11-20T12:00:00Z/);
    }
  });
});
