// The host's figures for decide(), read from the sampler's recent snapshots (pure: the snapshots,
// the time and Docker's data root in, HostFacts out). A figure the snapshots cannot give is null with
// the reason, never a guess: no snapshot yet, one too old, an engine on another machine (this
// machine's figures say nothing about it), nvidia-smi not answering.
import type { GpuSourceStatus, MetricsSnapshot } from '@shared/contract';
import type { GpuFact, HostFacts } from './facts';

export interface HostFactsOptions {
  now: number;
  /** A snapshot older than this (ms) is stale: its figures are unknown. */
  staleAfterMs: number;
  /** CPU % is averaged over the snapshots of this many seconds before the newest. */
  cpuWindowSeconds: number;
  /** DockerRootDir from the engine's /info; null when not known yet. */
  dockerRoot: string | null;
  /** Set for an engine on another machine (tcp, ssh): every host figure is then unknown, for this reason. */
  remote: string | null;
  /** A running managed container's CPU limit in CPUs (null: none), to turn its CPU % into a share of the host. */
  cpusOf(containerId: string): number | null;
}

const NO_USAGE: HostFacts['usage'] = new Map();

const unknownHost = (why: string, ts: number | null): HostFacts => ({
  ts,
  unknownWhy: why,
  memory: null,
  cpuPercent: null,
  cpuWindowSeconds: 0,
  cores: null,
  load1: null,
  disk: null,
  diskWhy: why,
  gpus: null,
  gpuWhy: why,
  usage: NO_USAGE,
});

/** The filesystem holding `dir`: the mount with the longest path that contains it. */
export function mountOf<T extends { mount: string }>(disks: readonly T[], dir: string): T | undefined {
  const within = (m: string) => dir === m || m === '/' || dir.startsWith(m.endsWith('/') ? m : `${m}/`);
  return disks.filter((d) => within(d.mount)).sort((a, b) => b.mount.length - a.mount.length)[0];
}

/**
 * The GPUs as admission sees them: null (unknown) while nvidia-smi has not started in this process
 * ("not started"), is restarting (it died), runs without rows yet, or when the figures come from
 * tegrastats (a Jetson's GPU is shared, not handed out); [] where nvidia-smi is absent (no driver or
 * no tool: no GPU to hand out).
 */
export function gpuFacts(snapshot: MetricsSnapshot): { gpus: GpuFact[] | null; why: string | null } {
  const source: GpuSourceStatus = snapshot.gpuSource ?? { tool: 'none', state: 'absent' };
  if (source.tool === 'tegrastats') return { gpus: null, why: "a Jetson's integrated GPU is not handed out per container (GPU checks need nvidia-smi)" };
  if (source.state === 'restarting') return { gpus: null, why: `nvidia-smi stopped answering${source.error ? ` (${source.error})` : ''}; it is being restarted` };
  if (source.state === 'absent') {
    if (source.error === 'not started') return { gpus: null, why: 'nvidia-smi has not been started yet' };
    return { gpus: [], why: source.error ? `nvidia-smi: ${source.error}` : null };
  }
  const rows = snapshot.gpus ?? [];
  if (!rows.length) return { gpus: null, why: 'nvidia-smi has not reported any GPU yet' };
  return {
    gpus: rows
      .filter((g) => g.index >= 0)
      .map((g) => ({
        index: g.index,
        uuid: g.uuid,
        memoryTotalMiB: g.memoryTotalMiB,
        memoryFreeMiB: g.memoryFreeMiB,
        fault: g.fault ? g.fault.message : null,
        processes: g.processes?.map((p) => ({ containerId: p.containerId, usedMiB: p.usedMiB })) ?? null,
      })),
    why: null,
  };
}

/** HostFacts from `recent` (oldest first, as the sampler's ring gives them). */
export function hostFactsFrom(recent: readonly MetricsSnapshot[], o: HostFactsOptions): HostFacts {
  const latest = recent.at(-1);
  if (o.remote) return unknownHost(o.remote, latest?.ts ?? null);
  if (!latest) return unknownHost('the sampler has not taken a snapshot yet', null);
  const age = o.now - latest.ts;
  if (age > o.staleAfterMs) return unknownHost(`the newest snapshot is ${Math.round(age / 1000)} s old`, latest.ts);

  const h = latest.host;
  const from = latest.ts - o.cpuWindowSeconds * 1000;
  const window = recent.filter((s) => s.ts >= from);
  const cpuPercent = window.reduce((n, s) => n + s.host.cpu.percent, 0) / window.length;
  const cores = h.cpu.cores || null;

  let disk: HostFacts['disk'] = null;
  let diskWhy: string | null = null;
  if (!o.dockerRoot) diskWhy = "Docker's data root is not known yet";
  else if (!h.disks?.length) diskWhy = 'the sampler has not measured the disks yet';
  else {
    const d = mountOf(h.disks, o.dockerRoot);
    if (d) disk = { mount: d.mount, freeBytes: d.free, totalBytes: d.total };
    else diskWhy = `no measured filesystem holds ${o.dockerRoot}`;
  }

  const usage = new Map<string, { memoryBytes: number | null; cpuPercent: number | null }>();
  for (const c of latest.containers ?? []) {
    const limit = o.cpusOf(c.id);
    const share = c.cpuPercent === null || !cores ? null : (c.cpuPercent * (limit ?? cores)) / cores;
    usage.set(c.id, { memoryBytes: c.memoryUsed, cpuPercent: share });
  }

  const g = gpuFacts(latest);
  return {
    ts: latest.ts,
    unknownWhy: null,
    memory: { totalBytes: h.memory.total, usedBytes: h.memory.used },
    cpuPercent: Math.round(cpuPercent * 10) / 10,
    cpuWindowSeconds: Math.round((latest.ts - window[0]!.ts) / 1000),
    cores,
    load1: h.load[0],
    disk,
    diskWhy,
    gpus: g.gpus,
    gpuWhy: g.why,
    usage,
  };
}
