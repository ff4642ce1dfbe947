// What the first screen sums up from one snapshot: GPU use per container, and the host's network.
import type { ContainerSummary, GpuSample, HostSample } from '@shared/contract';

/** One container's share of the GPUs, from nvidia-smi's process list. */
export interface ContainerGpuUse {
  /** Indexes of the GPUs running one of its processes. */
  gpus: number[];
  /** MiB of GPU memory its processes use, summed over what nvidia-smi reported (null: reported for none). */
  usedMiB: number | null;
}

/**
 * GPU use by container id: each GPU's processes that the sampler matched to a container
 * (`containerId`). A GPU whose process list is unknown (null) adds nothing: unknown is not "none".
 */
export function gpuUseByContainer(gpus: readonly GpuSample[] | undefined): ReadonlyMap<string, ContainerGpuUse> {
  const out = new Map<string, ContainerGpuUse>();
  for (const g of gpus ?? []) {
    for (const p of g.processes ?? []) {
      if (!p.containerId) continue;
      const use = out.get(p.containerId) ?? { gpus: [], usedMiB: null };
      if (!use.gpus.includes(g.index)) use.gpus.push(g.index);
      if (p.usedMiB !== null) use.usedMiB = (use.usedMiB ?? 0) + p.usedMiB;
      out.set(p.containerId, use);
    }
  }
  return out;
}

/** The host's network rates summed over its interfaces (loopback and veth are already left out by the sampler); null before the sampler reports any. */
export function networkTotals(network: HostSample['network']): { rxBytesPerSec: number; txBytesPerSec: number } | null {
  if (!network) return null;
  return network.reduce((t, n) => ({ rxBytesPerSec: t.rxBytesPerSec + n.rxBytesPerSec, txBytesPerSec: t.txBytesPerSec + n.txBytesPerSec }), { rxBytesPerSec: 0, txBytesPerSec: 0 });
}

/** The containers MLEnv launched that run now (paused ones too: they hold their memory and GPUs), in the list's order. */
export function runningManaged(list: readonly ContainerSummary[] | undefined): ContainerSummary[] {
  return (list ?? []).filter((c) => c.managed && (c.state === 'running' || c.state === 'paused' || c.state === 'restarting'));
}
