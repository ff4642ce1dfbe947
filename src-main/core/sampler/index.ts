import type { ContainerStats, GpuFault, GpuSample, GpuSourceStatus, MetricsSnapshot } from '@shared/contract';
import type { Bus } from '../bus';
import { every, type Loop } from '../every';
import { fireAndForget, reportFailure, type Journal } from '../fire-and-forget';
import type { SettingsSlice } from '../store/settings';
import { createNvidiaSmiSampler } from './gpu/nvidia-smi';
import { createHostSampler } from './host';
import { createTegrastatsSampler } from './jetson/tegrastats';
import { Ring } from './ring';
import { toolPathProblem, type ToolName } from './tool-path';

/** Where nvidia-smi and tegrastats are: a path, or null to find them on PATH. */
export interface ToolPaths {
  nvidiaSmi: string | null;
  tegrastats: string | null;
}

/** What the sampler takes from the settings: the sampling interval (ms), the live window (s), the tools. */
export interface SamplerSettings {
  intervalMs: number;
  liveWindowSeconds: number;
  tools?: ToolPaths;
}

export interface SamplerOptions {
  bus: Bus;
  /** Followed while started: a change of interval, window or tools applies at once (configure). */
  settings?: SettingsSlice<SamplerSettings>;
  intervalMs: number;
  liveWindowSeconds: number;
  host?: ReturnType<typeof createHostSampler>;
  /** GPU tools; absent means no GPU sampling (e.g. unit tests of the host alone). */
  tools?: ToolPaths;
  /**
   * The Docker service's stats per running managed container: `sample(ts)` when given is called once
   * per tick (it reads local containers' cgroups then), else the latest streamed ones are taken.
   */
  containers?: { latest(): ContainerStats[]; sample?(ts: number): ContainerStats[] };
  /** For tests: environment of the tool processes. */
  toolEnv?: NodeJS.ProcessEnv;
  /** For tests: the first wait before relaunching a tool that died (default 1 s, doubling). */
  toolMinBackoffMs?: number;
  /** Told when nvidia-smi changes state: running, restarting (it died; once per outage) or absent. */
  onGpuStatus?: (status: GpuSourceStatus) => void;
  /** Told once when a GPU turns faulted or lost (nvidia-smi's words) and once when that clears (null). */
  onGpuFault?: (gpu: GpuSample, fault: GpuFault | null) => void;
  /** Where failures of background work (a tick, a tool's start) are journaled; logged without one. */
  journal?: Journal;
}

/**
 * The check run before every spawn of a configured tool (toolPathProblem); none for a tool looked up
 * on PATH (the default, null), whose choice is the user's environment.
 */
const verifier = (configured: string | null | undefined, tool: ToolName) => (configured ? () => toolPathProblem(configured, tool) : undefined);

/** Takes one snapshot every interval: ring buffer for live charts, `metrics.snapshot` on the bus. */
export function createSampler(opts: SamplerOptions) {
  const host = opts.host ?? createHostSampler();
  let intervalMs = opts.intervalMs;
  const ring = new Ring<MetricsSnapshot>(Math.ceil((opts.liveWindowSeconds * 1000) / intervalMs));
  let loop: Loop | undefined;
  let offSettings: (() => void) | undefined;
  let running = false;
  let ticking = false;
  let tools = opts.tools;
  const makeGpu = () =>
    tools
      ? createNvidiaSmiSampler({
          command: tools.nvidiaSmi ?? undefined,
          intervalMs,
          env: opts.toolEnv,
          onStatus: opts.onGpuStatus,
          onFault: opts.onGpuFault,
          minBackoffMs: opts.toolMinBackoffMs,
          verify: verifier(tools.nvidiaSmi, 'nvidia-smi'),
        })
      : undefined;
  const makeJetson = () =>
    tools
      ? createTegrastatsSampler({ command: tools.tegrastats ?? undefined, intervalMs, env: opts.toolEnv, verify: verifier(tools.tegrastats, 'tegrastats') })
      : undefined;
  let gpu = makeGpu();
  let jetson = makeJetson();
  const restartTools = () => {
    gpu?.stop();
    jetson?.stop();
    gpu = makeGpu();
    jetson = makeJetson();
    if (running) {
      fireAndForget(gpu?.start(), 'nvidia-smi start', opts.journal);
      jetson?.start();
    }
  };

  async function tick(): Promise<MetricsSnapshot | undefined> {
    if (ticking) return undefined; // a slow tick never overlaps the next one
    ticking = true;
    try {
      const ts = Date.now();
      const snapshot: MetricsSnapshot = {
        ts,
        host: await host.sample(),
        gpus: gpu?.latest() ?? [],
        gpuSource: gpu?.status() ?? { tool: 'none', state: 'absent' },
        jetson: jetson?.latest() ?? null,
        containers: (opts.containers?.sample ? opts.containers.sample(ts) : opts.containers?.latest()) ?? [],
      };
      ring.push(snapshot);
      opts.bus.emit('metrics.snapshot', snapshot);
      return snapshot;
    } finally {
      ticking = false;
    }
  }

  /** The same failure at every tick is told once, not once a second. */
  let lastTickError: string | undefined;
  function tickFailed(e: unknown) {
    const message = e instanceof Error ? e.message : String(e);
    if (message === lastTickError) return;
    lastTickError = message;
    reportFailure(e, 'metrics sample', opts.journal);
  }

  /** Samples on round timestamps (aligned to the interval) so they do not drift. */
  function startLoop() {
    void loop?.dispose();
    loop = every(intervalMs, tick, {
      what: 'metrics sample',
      journal: opts.journal,
      align: true,
      onError: tickFailed,
      onSuccess: () => (lastTickError = undefined),
    });
  }

  /** Applies new settings: the ring resized, the loop's interval changed, the tools restarted when their interval or paths changed. */
  function configure(next: SamplerSettings) {
    ring.resize(Math.ceil((next.liveWindowSeconds * 1000) / next.intervalMs));
    const toolsChanged =
      next.tools !== undefined && (next.tools.nvidiaSmi !== tools?.nvidiaSmi || next.tools.tegrastats !== tools?.tegrastats);
    if (next.tools) tools = next.tools;
    if (next.intervalMs !== intervalMs) {
      intervalMs = next.intervalMs;
      loop?.setInterval(intervalMs);
      restartTools(); // the tools stream at the sampling interval
    } else if (toolsChanged) restartTools();
  }

  return {
    async start() {
      if (opts.settings) configure(opts.settings.get()); // a change while stopped applies now (tools not yet running)
      running = true;
      offSettings?.();
      offSettings = opts.settings?.subscribe(configure);
      fireAndForget(gpu?.start(), 'nvidia-smi start', opts.journal); // probes in the background; the first snapshots may have no GPU yet
      jetson?.start();
      await host.sample(); // primes the CPU counters so the first snapshot has a real CPU %
      if (running) startLoop();
    },
    stop() {
      running = false;
      offSettings?.();
      offSettings = undefined;
      void loop?.dispose(); // a tick in flight ends on its own; nothing starts after this
      loop = undefined;
      gpu?.stop();
      jetson?.stop();
      fireAndForget(host.close?.(), 'closing the host sampler'); // the journal may be closing with the app
    },
    tick,
    recent(seconds?: number): MetricsSnapshot[] {
      const all = ring.toArray();
      if (!seconds) return all;
      const from = Date.now() - seconds * 1000;
      return all.filter((s) => s.ts >= from);
    },
    latest: () => ring.latest(),
    gpuStatus: () => gpu?.status() ?? { tool: 'none' as const, state: 'absent' as const },
  };
}
export type Sampler = ReturnType<typeof createSampler>;
