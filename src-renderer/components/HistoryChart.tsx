import { memo, useMemo } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { HistorySeries } from '@shared/contract';
import { formatValue, throttleNames } from '../metrics/format';

export interface Threshold {
  value: number;
  label: string;
  level: 'warning' | 'critical';
}

interface Row {
  ts: number;
  band: [number, number] | null;
  avg: number | null;
  throttled: number | null;
  mask: number | null;
}

/** Every bucket of the range, missing ones as nulls: the line breaks on a gap instead of drawing zeros. */
function rows(series: HistorySeries, from: number, to: number, bucketMs: number, throttle?: HistorySeries, yMax?: number): Row[] {
  const byTs = new Map(series.points.map((p) => [p.ts, p]));
  const marks = new Map((throttle?.points ?? []).map((p) => [p.ts, p.max]));
  const out: Row[] = [];
  const n = Math.min(5000, Math.ceil((to - from) / bucketMs));
  for (let i = 0; i < n; i++) {
    const ts = from + i * bucketMs;
    const p = byTs.get(ts);
    const mask = marks.get(ts) ?? null;
    out.push({ ts, band: p ? [p.min, p.max] : null, avg: p ? p.avg : null, mask, throttled: mask ? (yMax ?? 100) : null });
  }
  return out;
}

const timeLabel = (span: number) => (ts: number) =>
  span > 2 * 86_400_000
    ? new Date(ts).toLocaleDateString(undefined, { month: 'short', day: 'numeric', hour: '2-digit' })
    : new Date(ts).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

/** One series as an area chart: the min–max band, the average line, thresholds and throttle marks. */
export const HistoryChart = memo(function HistoryChart({
  series, from, to, bucketMs, color = 'var(--accent)', thresholds = [], throttle, yMax, height = 180, testId, title,
}: {
  /** Shown instead of the series label (e.g. without the GPU name inside a GPU's panel). */
  title?: string;
  series: HistorySeries;
  from: number;
  to: number;
  bucketMs: number;
  color?: string;
  thresholds?: Threshold[];
  throttle?: HistorySeries;
  yMax?: number;
  height?: number;
  testId?: string;
}) {
  const data = useMemo(() => rows(series, from, to, bucketMs, throttle, yMax), [series, from, to, bucketMs, throttle, yMax]);
  const fmtTime = timeLabel(to - from);
  return (
    <figure className="history-chart" data-testid={testId} data-points={series.points.length} aria-label={series.label}>
      <figcaption>
        {title ?? series.label} <span className="muted">({series.unit || 'ratio'})</span>
      </figcaption>
      <ResponsiveContainer width="100%" height={height}>
        <ComposedChart data={data} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="ts" type="number" domain={[from, to]} scale="time" tickFormatter={fmtTime} stroke="var(--muted)" fontSize={11} minTickGap={40} />
          <YAxis domain={[0, yMax ?? 'auto']} stroke="var(--muted)" fontSize={11} width={64} tickFormatter={(v: number) => formatValue(v, series.unit)} />
          <Tooltip
            isAnimationActive={false}
            cursor={{ stroke: 'var(--muted)' }}
            contentStyle={{ background: 'var(--panel-2)', border: '1px solid var(--border)' }}
            labelFormatter={(ts) => new Date(Number(ts)).toLocaleString()}
            formatter={(value, name, item) => {
              const row = (item as { payload?: Row }).payload;
              if (name === 'throttled') return [row?.mask ? throttleNames(row.mask).join(', ') : 'none', 'throttle'];
              if (Array.isArray(value)) return [`${formatValue(value[0] as number, series.unit)} – ${formatValue(value[1] as number, series.unit)}`, 'min – max'];
              return [formatValue(value as number, series.unit), 'average'];
            }}
          />
          {throttle && <Area dataKey="throttled" type="step" stroke="none" fill="var(--critical)" fillOpacity={0.12} isAnimationActive={false} connectNulls={false} />}
          <Area dataKey="band" type="monotone" stroke="none" fill={color} fillOpacity={0.2} isAnimationActive={false} connectNulls={false} />
          <Line dataKey="avg" type="monotone" stroke={color} dot={false} strokeWidth={1.5} isAnimationActive={false} connectNulls={false} />
          {thresholds.map((t) => (
            <ReferenceLine key={t.label} y={t.value} stroke={t.level === 'critical' ? 'var(--critical)' : 'var(--warning)'} strokeDasharray="4 4" label={{ value: t.label, fill: 'var(--muted)', fontSize: 10, position: 'insideTopRight' }} />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
});
