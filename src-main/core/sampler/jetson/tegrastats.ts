// Jetson boards through `tegrastats --interval <ms>` (JetPack 4, 5 and 6 line formats).
import type { JetsonSample } from '@shared/contract';
import { createStreamProcess, type ToolState } from '../stream-process';

/** The board's total input rail differs by module: the first of these present wins. */
export const TOTAL_RAILS = ['VDD_IN', 'POM_5V_IN', 'SYS5V', 'VIN_SYS_5V0'];

const toMiB = (n: number, unit: string) => (unit === 'G' ? n * 1024 : unit === 'K' || unit === 'k' ? n / 1024 : n);

/** One tegrastats line → a sample, or undefined when the line is not one (no RAM figure). */
export function parseTegrastats(line: string): JetsonSample | undefined {
  const ram = /RAM (\d+)\/(\d+)(\w)B/.exec(line);
  if (!ram) return undefined;
  const swap = /SWAP (\d+)\/(\d+)(\w)B/.exec(line);
  const cpuList = /CPU \[(.*?)\]/.exec(line)?.[1] ?? '';
  const cpu = cpuList
    .split(',')
    .filter(Boolean)
    .map((c) => {
      const m = /(\d+)%(?:@(\d+))?/.exec(c);
      return m ? { percent: Number(m[1]), mhz: m[2] ? Number(m[2]) : null } : { percent: null, mhz: null }; // "off"
    });
  const freq = (name: string) => {
    const m = new RegExp(`${name} (\\d+)%(?:@\\[?(\\d+))?`).exec(line);
    return m ? { percent: Number(m[1]), mhz: m[2] ? Number(m[2]) : null } : null;
  };
  const temperaturesC: Record<string, number> = {};
  for (const m of line.matchAll(/\b(\w+)@(-?[0-9.]+)C\b/g)) {
    const t = Number(m[2]);
    if (t > -40) temperaturesC[m[1]!] = t; // -256 marks a sensor that is off
  }
  const rails: JetsonSample['rails'] = {};
  for (const m of line.matchAll(/(\w+)\s+(\d+)(?:mW)?\/(\d+)(?:mW)?(?=\s|$)/g)) rails[m[1]!] = { mW: Number(m[2]), avgmW: Number(m[3]) };
  const total = TOTAL_RAILS.find((r) => rails[r]);
  const gr3d = freq('GR3D_FREQ');
  return {
    ramUsedMiB: toMiB(Number(ram[1]), ram[3]!),
    ramTotalMiB: toMiB(Number(ram[2]), ram[3]!),
    swapUsedMiB: swap ? toMiB(Number(swap[1]), swap[3]!) : null,
    swapTotalMiB: swap ? toMiB(Number(swap[2]), swap[3]!) : null,
    cpu,
    emcPercent: freq('EMC_FREQ')?.percent ?? null,
    gpuPercent: gr3d?.percent ?? null,
    gpuMHz: gr3d?.mhz ?? null,
    temperaturesC,
    rails,
    totalPowerMw: total ? rails[total]!.mW : null,
  };
}

export function createTegrastatsSampler(opts: { command?: string; intervalMs: number; env?: NodeJS.ProcessEnv; minBackoffMs?: number }) {
  let latest: { sample: JetsonSample; at: number } | undefined;
  let state: ToolState = 'absent';
  let error: string | undefined;
  const proc = createStreamProcess({
    command: opts.command ?? 'tegrastats',
    args: ['--interval', String(opts.intervalMs)],
    env: opts.env,
    minBackoffMs: opts.minBackoffMs,
    onLine(line) {
      const sample = parseTegrastats(line);
      if (sample) latest = { sample, at: Date.now() };
    },
    onState(s, e) {
      state = s;
      error = e;
      if (s !== 'running') latest = undefined;
    },
  });
  return {
    start: () => proc.start(),
    stop: () => proc.stop(),
    latest(): JetsonSample | null {
      return latest && latest.at >= Date.now() - Math.max(5000, opts.intervalMs * 5) ? latest.sample : null;
    },
    state: () => ({ state, error }),
  };
}
export type TegrastatsSampler = ReturnType<typeof createTegrastatsSampler>;
