import type { ContainerStats, GpuSourceStatus, MetricsSnapshot } from '@shared/contract';
import type { Bus } from '../bus';
import { createNvidiaSmiSampler } from './gpu/nvidia-smi';
import { createHostSampler } from './host';
import { createTegrastatsSampler } from './jetson/tegrastats';
import { Ring } from './ring';

/** Where nvidia-smi and tegrastats are: a path, or null to find them on PATH. */
export interface ToolPaths {
  nvidiaSmi: string | null;
  tegrastats: string | null;
}

export interface SamplerOptions {
  bus: Bus;
  intervalMs: number;
  liveWindowSeconds: number;
  host?: ReturnType<typeof createHostSampler>;
  /** GPU tools; absent means no GPU sampling (e.g. unit tests of the host alone). */
  tools?: ToolPaths;
  /** The Docker service's latest stats per running managed container. */
  containers?: { latest(): ContainerStats[] };
  /** For tests: environment of the tool processes. */
  toolEnv?: NodeJS.ProcessEnv;
  /** Told when nvidia-smi changes state: running, restarting (it died) or absent. */
  onGpuStatus?: (status: GpuSourceStatus) => void;
}

/** Takes one snapshot every interval: ring buffer for live charts, `metrics.snapshot` on the bus. */
export function createSampler(opts: SamplerOptions) {
  const host = opts.host ?? createHostSampler();
  let intervalMs = opts.intervalMs;
  const ring = new Ring<MetricsSnapshot>(Math.ceil((opts.liveWindowSeconds * 1000) / intervalMs));
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let ticking = false;
  let tools = opts.tools;
  const makeGpu = () =>
    tools ? createNvidiaSmiSampler({ command: tools.nvidiaSmi ?? undefined, intervalMs, env: opts.toolEnv, onStatus: opts.onGpuStatus }) : undefined;
  const makeJetson = () =>
    tools ? createTegrastatsSampler({ command: tools.tegrastats ?? undefined, intervalMs, env: opts.toolEnv }) : undefined;
  let gpu = makeGpu();
  let jetson = makeJetson();
  const restartTools = () => {
    gpu?.stop();
    jetson?.stop();
    gpu = makeGpu();
    jetson = makeJetson();
    if (running) {
      void gpu?.start();
      jetson?.start();
    }
  };

  async function tick(): Promise<MetricsSnapshot | undefined> {
    if (ticking) return undefined; // a slow tick never overlaps the next one
    ticking = true;
    try {
      const snapshot: MetricsSnapshot = {
        ts: Date.now(),
        host: await host.sample(),
        gpus: gpu?.latest() ?? [],
        gpuSource: gpu?.status() ?? { tool: 'none', state: 'absent' },
        jetson: jetson?.latest() ?? null,
        containers: opts.containers?.latest() ?? [],
      };
      ring.push(snapshot);
      opts.bus.emit('metrics.snapshot', snapshot);
      return snapshot;
    } finally {
      ticking = false;
    }
  }

  function schedule() {
    if (!running) return;
    // Aligned to the interval so samples land on round timestamps and do not drift.
    const delay = intervalMs - (Date.now() % intervalMs);
    timer = setTimeout(() => {
      void tick().catch(() => undefined).finally(schedule);
    }, delay);
    timer.unref?.();
  }

  return {
    async start() {
      running = true;
      void gpu?.start(); // probes in the background; the first snapshots may have no GPU yet
      jetson?.start();
      await host.sample(); // primes the CPU counters so the first snapshot has a real CPU %
      schedule();
    },
    stop() {
      running = false;
      clearTimeout(timer);
      gpu?.stop();
      jetson?.stop();
      void host.close?.();
    },
    tick,
    recent(seconds?: number): MetricsSnapshot[] {
      const all = ring.toArray();
      if (!seconds) return all;
      const from = Date.now() - seconds * 1000;
      return all.filter((s) => s.ts >= from);
    },
    latest: () => ring.latest(),
    configure(next: { intervalMs: number; liveWindowSeconds: number; tools?: ToolPaths }) {
      ring.resize(Math.ceil((next.liveWindowSeconds * 1000) / next.intervalMs));
      const toolsChanged =
        next.tools !== undefined && (next.tools.nvidiaSmi !== tools?.nvidiaSmi || next.tools.tegrastats !== tools?.tegrastats);
      if (next.tools) tools = next.tools;
      if (next.intervalMs !== intervalMs) {
        intervalMs = next.intervalMs;
        clearTimeout(timer);
        schedule();
        restartTools(); // the tools stream at the sampling interval
      } else if (toolsChanged) restartTools();
    },
    gpuStatus: () => gpu?.status() ?? { tool: 'none' as const, state: 'absent' as const },
  };
}
export type Sampler = ReturnType<typeof createSampler>;
