import type { MetricsSnapshot } from '@shared/contract';
import type { Bus } from '../bus';
import { Ring } from './ring';
import { createHostSampler } from './host';

export interface SamplerOptions {
  bus: Bus;
  intervalMs: number;
  liveWindowSeconds: number;
  host?: ReturnType<typeof createHostSampler>;
}

/** Takes one snapshot every interval: ring buffer for live charts, `metrics.snapshot` on the bus. */
export function createSampler(opts: SamplerOptions) {
  const host = opts.host ?? createHostSampler();
  let intervalMs = opts.intervalMs;
  const ring = new Ring<MetricsSnapshot>(Math.ceil((opts.liveWindowSeconds * 1000) / intervalMs));
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let ticking = false;

  async function tick(): Promise<MetricsSnapshot | undefined> {
    if (ticking) return undefined; // a slow tick never overlaps the next one
    ticking = true;
    try {
      const snapshot: MetricsSnapshot = { ts: Date.now(), host: await host.sample() };
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
      await host.sample(); // primes the CPU counters so the first snapshot has a real CPU %
      schedule();
    },
    stop() {
      running = false;
      clearTimeout(timer);
    },
    tick,
    recent(seconds?: number): MetricsSnapshot[] {
      const all = ring.toArray();
      if (!seconds) return all;
      const from = Date.now() - seconds * 1000;
      return all.filter((s) => s.ts >= from);
    },
    latest: () => ring.latest(),
    configure(next: { intervalMs: number; liveWindowSeconds: number }) {
      ring.resize(Math.ceil((next.liveWindowSeconds * 1000) / next.intervalMs));
      if (next.intervalMs !== intervalMs) {
        intervalMs = next.intervalMs;
        clearTimeout(timer);
        schedule();
      }
    },
  };
}
export type Sampler = ReturnType<typeof createSampler>;
