import { useMemo } from 'react';
import { formatBytes, formatPercent } from '@shared/units';
import { CatalogSearchBox } from '../catalog/CatalogSearchBox';
import { GpuCards } from '../components/GpuCards';
import { Sparkline } from '../components/Sparkline';
import { StatCard } from '../components/StatCard';
import { DisksCard } from '../dashboard/DisksCard';
import { NetworkCard } from '../dashboard/NetworkCard';
import { RunningStrip } from '../dashboard/RunningStrip';
import { useLive } from '../store/live';

export function Dashboard() {
  const snapshots = useLive((s) => s.snapshots);
  const latest = snapshots.at(-1);
  const series = useMemo(
    () => ({
      cpu: snapshots.map((s) => ({ ts: s.ts, v: s.host.cpu.percent })),
      mem: snapshots.map((s) => ({ ts: s.ts, v: s.host.memory.percent })),
      swap: snapshots.map((s) => ({ ts: s.ts, v: s.host.swap.used })),
      load: snapshots.map((s) => ({ ts: s.ts, v: s.host.load[0] })),
    }),
    [snapshots],
  );

  if (!latest) return <p className="empty" data-testid="dashboard-waiting">Waiting for the first sample…</p>;
  const h = latest.host;
  return (
    <div className="dashboard" data-testid="dashboard" data-sample-ts={latest.ts}>
      <CatalogSearchBox />
      <RunningStrip gpus={latest.gpus} />
      <div className="grid">
        <StatCard title="CPU" testId="cpu-percent" value={formatPercent(h.cpu.percent)} sub={`${h.cpu.cores} cores`}>
          <Sparkline data={series.cpu} max={100} />
        </StatCard>
        <StatCard title="Memory" testId="memory-percent" value={formatPercent(h.memory.percent)} sub={`${formatBytes(h.memory.used)} of ${formatBytes(h.memory.total)}`}>
          <Sparkline data={series.mem} max={100} color="var(--accent-2)" />
        </StatCard>
        <StatCard title="Swap" testId="swap-used" value={h.swap.total ? formatBytes(h.swap.used) : 'none'} sub={h.swap.total ? `of ${formatBytes(h.swap.total)}` : 'no swap configured'}>
          {h.swap.total > 0 && <Sparkline data={series.swap} max={h.swap.total} color="var(--accent-3)" />}
        </StatCard>
        <StatCard title="Load average" testId="load-average" value={h.load[0].toFixed(2)} sub={`5 min ${h.load[1].toFixed(2)} · 15 min ${h.load[2].toFixed(2)}`}>
          <Sparkline data={series.load} color="var(--accent-4)" />
        </StatCard>
      </div>
      <GpuCards gpus={latest.gpus ?? []} source={latest.gpuSource} jetson={latest.jetson} />
      <div className="grid grid-wide">
        <DisksCard disks={h.disks} io={h.diskIo} />
        <NetworkCard network={h.network} />
      </div>
      <section className="card">
        <h3>CPU cores</h3>
        <div className="cores" data-testid="cpu-cores">
          {h.cpu.perCore.map((p, n) =>
            p === null ? (
              <div key={n} className="core core-off" title={`cpu${n}: off`} data-testid="cpu-core-off">
                off
              </div>
            ) : (
              <div key={n} className="core" title={`cpu${n}: ${formatPercent(p)}`}>
                <div className="core-bar" style={{ height: `${Math.max(2, p)}%` }} />
              </div>
            ),
          )}
        </div>
      </section>
      <p className="muted">Last sample {new Date(latest.ts).toLocaleTimeString()}</p>
    </div>
  );
}
