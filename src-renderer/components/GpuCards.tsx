import type { GpuSample, GpuSourceStatus, JetsonSample } from '@shared/contract';
import { formatJetsonCores, formatTotalPower } from '@shared/jetson';
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

/** The processes fact: the count, or "unknown: <why>" when nvidia-smi could not list them ("—" before the first answer). */
const processesText = (g: GpuSample) => (g.processes === null ? (g.processesError ? `unknown: ${g.processesError}` : '—') : String(g.processes.length));

/** A GPU nvidia-smi reports broken: its words instead of figures (which are unknown, not zero). */
function FaultedGpuCard({ g }: { g: GpuSample }) {
  const fault = g.fault!;
  return (
    <section className="card gpu-card gpu-card-faulted" data-testid="gpu-card" aria-label={g.index >= 0 ? `GPU ${g.index}` : g.name}>
      <h3>
        {g.index >= 0 ? `GPU ${g.index} · ${g.name}` : g.name}
      </h3>
      <div className="gpu-fault" role="alert" data-testid="gpu-fault">
        <strong>{fault.kind === 'lost' ? 'GPU lost' : 'GPU fault'}</strong>
        <span>{fault.message}</span>
      </div>
      <dl className="gpu-facts">
        {g.busId && (
          <>
            <dt>Bus</dt>
            <dd>{g.busId}</dd>
          </>
        )}
        <dt>Processes</dt>
        <dd data-testid="gpu-processes">{processesText(g)}</dd>
      </dl>
    </section>
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
        if (g.fault) return <FaultedGpuCard key={g.uuid || `${g.index}-${g.busId}`} g={g} />;
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
              <dd data-testid="gpu-processes">{processesText(g)}</dd>
            </dl>
            {throttled.length > 0 && <div className="throttle" data-testid="gpu-throttle">Throttled: {throttled.join(', ')}</div>}
          </section>
        );
      })}
      {jetson && (
        <section className="card gpu-card" data-testid="jetson-card" aria-label="Jetson">
          <h3>Jetson GPU (GR3D)</h3>
          <div className="stat-value" data-testid="jetson-gpu" title={jetson.gpuPercent === null ? 'tegrastats prints no GR3D load on this board' : undefined}>
            {formatPercent(jetson.gpuPercent, 0)}
          </div>
          {jetson.gpuPercent !== null && <Bar value={jetson.gpuPercent} />}
          <dl className="gpu-facts">
            <dt>RAM</dt>
            <dd>{mib(jetson.ramUsedMiB)} of {mib(jetson.ramTotalMiB)}</dd>
            <dt>CPU cores</dt>
            <dd data-testid="jetson-cores">{formatJetsonCores(jetson.cpu).join(' · ') || '—'}</dd>
            <dt>Board power</dt>
            <dd data-testid="jetson-power">{formatTotalPower(jetson)}</dd>
            <dt>Hottest</dt>
            <dd>{num(Object.values(jetson.temperaturesC).length ? Math.max(...Object.values(jetson.temperaturesC)) : null, '°C', 1)}</dd>
          </dl>
        </section>
      )}
    </div>
    </>
  );
}
