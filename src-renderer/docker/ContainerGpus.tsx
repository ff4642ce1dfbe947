import { gpusValue } from '@shared/docker-run-line';
import type { DeviceRequest } from '@shared/gpus';
import { useLive } from '../store/live';

/** A container's GPU settings (its device requests as --gpus writes them, and its runtime), and why it has none when the host has none. */
export function ContainerGpus({ gpus, runtime }: { gpus: DeviceRequest[]; runtime: string | null }) {
  // The sampler's view of this host: no GPU rows and no tool running means no NVIDIA GPU to give.
  const hostHasGpu = useLive((s) => {
    const last = s.snapshots.at(-1);
    return last ? (last.gpus?.length ?? 0) > 0 || !!last.jetson || last.gpuSource?.state === 'running' : undefined;
  });
  const requested = gpus.map(gpusValue).join(' · ');
  return (
    <dd data-testid="detail-gpus">
      {requested || 'none'}
      {runtime && ` · runtime ${runtime}`}
      {!requested && hostHasGpu === false && (
        <span className="muted" data-testid="detail-no-gpu">
          {' '}
          — no GPU: this host has no NVIDIA GPU
        </span>
      )}
    </dd>
  );
}
