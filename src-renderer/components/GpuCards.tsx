import type { GpuSample, GpuSourceStatus, JetsonSample } from '@shared/contract';
import { formatBytes, formatPercent } from '@shared/units';

const mib = (v: number | null) => (v === null ? '—' : formatBytes(v * 2 ** 20));
const num = (v: number | null, unit: string, digits = 0) => (v === null ? '—' : `${v.toFixed(digits)} ${unit}`);

function Bar({ value }: { value: number | null }) {
  return (
    <div className="gpu-bar" aria-hidden="true">
      <div className="gpu-bar-fill" style={{ width: `${Math.max(0, Math.min(100, value ?? 0))}%` }} />
    </div>
  );
}

/** Live per-GPU cards next to the host figures on the dashboard. */
export function GpuCards({ gpus, source, jetson }: { gpus: GpuSample[]; source?: GpuSourceStatus; jetson?: JetsonSample | null }) {
  const none = !gpus.length && (
    <p className="muted" data-testid="gpu-none">
      {source?.state === 'restarting' ? `GPU figures interrupted (${source.error ?? 'nvidia-smi stopped'}); restarting…` : `No NVIDIA GPU${source?.error ? `: ${source.error}` : ''}`}
    </p>
  );
  if (!gpus.length && !jetson) return none;
  return (
    <>
    {none}
    <div className="grid gpu-grid">
      {gpus.map((g) => {
        const vram = g.memoryUsedMiB !== null && g.memoryTotalMiB ? (100 * g.memoryUsedMiB) / g.memoryTotalMiB : null;
        const throttled = (g.throttleReasons ?? []).filter((r) => r !== 'GpuIdle');
        return (
          <section key={g.uuid} className="card gpu-card" data-testid="gpu-card" aria-label={`GPU ${g.index}`}>
            <h3>
              GPU {g.index} · {g.name}
            </h3>
            <div className="stat-value" data-testid="gpu-util">{formatPercent(g.utilizationGpu, 0)}</div>
            <Bar value={g.utilizationGpu} />
            <dl className="gpu-facts">
              <dt>VRAM</dt>
              <dd data-testid="gpu-vram">{mib(g.memoryUsedMiB)} of {mib(g.memoryTotalMiB)}{vram !== null ? ` (${vram.toFixed(0)} %)` : ''}</dd>
              <dt>Temperature</dt>
              <dd>{num(g.temperatureC, '°C')}</dd>
              <dt>Power</dt>
              <dd>{num(g.powerDrawW, 'W', 1)} of {num(g.powerLimitW, 'W', 0)}</dd>
              <dt>Clocks</dt>
              <dd>SM {num(g.smClockMHz, 'MHz')} · mem {num(g.memClockMHz, 'MHz')}</dd>
              <dt>Fan</dt>
              <dd>{num(g.fanPercent, '%')}</dd>
              <dt>Processes</dt>
              <dd>{g.processes.length}</dd>
            </dl>
            {throttled.length > 0 && <div className="throttle" data-testid="gpu-throttle">Throttled: {throttled.join(', ')}</div>}
          </section>
        );
      })}
      {jetson && (
        <section className="card gpu-card" data-testid="jetson-card" aria-label="Jetson">
          <h3>Jetson GPU (GR3D)</h3>
          <div className="stat-value">{formatPercent(jetson.gpuPercent, 0)}</div>
          <Bar value={jetson.gpuPercent} />
          <dl className="gpu-facts">
            <dt>RAM</dt>
            <dd>{mib(jetson.ramUsedMiB)} of {mib(jetson.ramTotalMiB)}</dd>
            <dt>Board power</dt>
            <dd>{num(jetson.totalPowerMw, 'mW')}</dd>
            <dt>Hottest</dt>
            <dd>{num(Object.values(jetson.temperaturesC).length ? Math.max(...Object.values(jetson.temperaturesC)) : null, '°C', 1)}</dd>
          </dl>
        </section>
      )}
    </div>
    </>
  );
}
