import { describe, expect, it } from 'vitest';
import type { HistoryResult } from '@shared/contract';
import { toCsv } from './format';

describe('history CSV export', () => {
  it('writes each bucket with its sample count, the weight to average buckets together with', () => {
    const r: HistoryResult = {
      from: Date.UTC(2026, 10, 20, 12), to: Date.UTC(2026, 10, 20, 12, 2), bucketMs: 60_000, source: '1m',
      series: [{ name: 'host::cpu_percent', unit: '%', label: 'Host CPU', points: [
        { ts: Date.UTC(2026, 10, 20, 12), min: 10, avg: 10, max: 10, count: 7 },
        { ts: Date.UTC(2026, 10, 20, 12, 1), min: 30, avg: 30, max: 30, count: 3 },
      ] }],
    };
    expect(toCsv(r)).toBe(
      'series,unit,ts_iso,ts_ms,min,avg,max,count\n' +
        `"host::cpu_percent","%",2026-11-20T12:00:00.000Z,${Date.UTC(2026, 10, 20, 12)},10,10,10,7\n` +
        `"host::cpu_percent","%",2026-11-20T12:01:00.000Z,${Date.UTC(2026, 10, 20, 12, 1)},30,30,30,3\n`,
    );
  });
});
