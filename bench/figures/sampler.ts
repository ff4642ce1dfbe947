import si from 'systeminformation';
import { createApp } from '../../src-main/core/app';
import { createBus } from '../../src-main/core/bus';
import { createSampler } from '../../src-main/core/sampler';
import { VERSION } from '../../src-main/version';
import { compare, round, type BenchContext, type Figures } from '../report';

/** CPU this process spends per second of wall time, as % of one core, while `work` runs. */
async function cpuPercentWhile(seconds: number, start: () => () => void): Promise<number> {
  const stop = start();
  await new Promise((r) => setTimeout(r, 1500)); // warm-up: first reads, JIT
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const c = process.cpuUsage(c0);
  const wallMs = performance.now() - t0;
  stop();
  return (100 * (c.user + c.system)) / 1000 / wallMs;
}

export async function samplerFigures(ctx: BenchContext): Promise<Figures> {
  const seconds = ctx.quick ? 5 : 30;
  const ours = await cpuPercentWhile(seconds, () => {
    const sampler = createSampler({ bus: createBus(), intervalMs: 1000, liveWindowSeconds: 600 });
    void sampler.start();
    return () => sampler.stop();
  });
  // Baseline: the same figures through systeminformation at the same rate.
  const baseline = await cpuPercentWhile(seconds, () => {
    const t = setInterval(() => void Promise.all([si.currentLoad(), si.mem()]), 1000);
    return () => clearInterval(t);
  });

  const app = createApp({ dataDir: ctx.tmpDir(), version: VERSION });
  await app.start();
  await new Promise((r) => setTimeout(r, 3000));
  const rss = process.memoryUsage().rss / 1024 / 1024;
  await app.dispose();

  return {
    'sampler.cpu_percent_of_core': {
      ...compare(ours, baseline, '% of one core', { text: '<= 0.5', met: (_r, v) => v <= 0.5 }),
      note: `1 Hz over ${seconds} s; baseline: systeminformation currentLoad + mem at 1 Hz`,
    },
    'core.rss_mb': { value: round(rss, 1), unit: 'MiB', note: 'resident set of a process running the core (sampler, engine monitor, store) for 3 s' },
  };
}
