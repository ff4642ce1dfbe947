import type { GpuSample } from '@shared/contract';
import { formatBytes, formatPercent } from '@shared/units';
import { HEALTH_CLASS } from '../docker/format';
import { useContainers } from '../docker/useContainers';
import { gpuUseByContainer, runningManaged, type ContainerGpuUse } from './summary';

/** The container's GPUs in words: which and how much memory; nothing on a host without GPUs; unknown while nvidia-smi cannot list processes. */
function gpuText(use: ContainerGpuUse | undefined, gpus: GpuSample[] | undefined): string | null {
  if (use) return `GPU ${use.gpus.join(',')}${use.usedMiB !== null ? ` ${formatBytes(use.usedMiB * 2 ** 20)}` : ''}`;
  if (!gpus?.length) return null;
  return gpus.some((g) => g.processes === null) ? 'GPU —' : 'no GPU use';
}

/** What runs now: one chip per running MLEnv container (CPU, memory, GPU, health), each a link to its page. */
export function RunningStrip({ gpus }: { gpus: GpuSample[] | undefined }) {
  const { list, health, stats } = useContainers();
  const running = runningManaged(list);
  const gpuUse = gpuUseByContainer(gpus);
  return (
    <section className="card" aria-label="Running containers" data-testid="running-strip">
      <h3>Running</h3>
      {list && running.length === 0 && <p className="muted">No MLEnv container is running: start one from the catalog.</p>}
      <div className="strip">
        {running.map((c) => {
          const s = stats.get(c.id);
          const h = health[c.id];
          const gpu = gpuText(gpuUse.get(c.id), gpus);
          return (
            <a key={c.id} className="chip" href={`#/containers/${c.id}`} data-testid={`running-${c.name}`}>
              <strong>{c.name}</strong>
              {h && (
                <span className={`badge ${HEALTH_CLASS[h.state]}`} title={h.reasons.join('\n')}>
                  <span className="dot" />
                  {h.state}
                </span>
              )}
              <span className="muted">
                CPU {s ? formatPercent(s.cpuPercent) : '—'} · mem {s ? formatBytes(s.memoryUsed) : '—'}
                {gpu && ` · ${gpu}`}
              </span>
            </a>
          );
        })}
      </div>
    </section>
  );
}
