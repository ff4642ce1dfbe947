import { Area, AreaChart, ResponsiveContainer, YAxis } from 'recharts';

/** A small live chart: no dots, no animation (long series stay cheap to paint). */
export function Sparkline({ data, max, color = 'var(--accent)' }: { data: { ts: number; v: number }[]; max?: number; color?: string }) {
  return (
    <div className="sparkline" aria-hidden="true">
      <ResponsiveContainer width="100%" height={56}>
        <AreaChart data={data} margin={{ top: 4, right: 0, bottom: 0, left: 0 }}>
          <YAxis hide domain={[0, max ?? 'auto']} />
          <Area type="monotone" dataKey="v" stroke={color} fill={color} fillOpacity={0.15} dot={false} isAnimationActive={false} strokeWidth={1.5} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
