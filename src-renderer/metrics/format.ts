// Formatting and export of history figures, by the unit each series declares.
import type { HistoryResult } from '@shared/contract';
import { throttleNames } from '@shared/throttle';
import { formatBytes } from '@shared/units';

export { throttleNames };

export function formatValue(v: number | null | undefined, unit: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  switch (unit) {
    case '%':
      return `${v.toFixed(1)} %`;
    case 'B':
      return formatBytes(v);
    case 'B/s':
      return `${formatBytes(v)}/s`;
    case 'MiB':
      return formatBytes(v * 2 ** 20);
    case 'mask':
      return throttleNames(Math.round(v)).join(', ') || 'none';
    case '':
      return v.toFixed(2);
    default:
      return `${v.toFixed(unit === 'W' ? 1 : 0)} ${unit}`;
  }
}

/** One row per bucket; `count` is the bucket's sample count, the weight to average buckets together with. */
export function toCsv(r: HistoryResult): string {
  const rows = ['series,unit,ts_iso,ts_ms,min,avg,max,count'];
  for (const s of r.series) {
    for (const p of s.points) rows.push([JSON.stringify(s.name), JSON.stringify(s.unit), new Date(p.ts).toISOString(), p.ts, p.min, p.avg, p.max, p.count].join(','));
  }
  return rows.join('\n') + '\n';
}

/** Saves text as a file through a blob link (CSP-safe: no data: URLs, no inline script). */
export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const RANGES: { id: string; label: string; ms: number }[] = [
  { id: '15m', label: '15 min', ms: 15 * 60_000 },
  { id: '1h', label: '1 h', ms: 3_600_000 },
  { id: '6h', label: '6 h', ms: 6 * 3_600_000 },
  { id: '24h', label: '24 h', ms: 86_400_000 },
  { id: '7d', label: '7 d', ms: 7 * 86_400_000 },
];
