import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDataDir } from '../../test-support';
import { busyPercent, createHostSampler, parseLoadavg, parseMeminfo, parseProcStat } from './host';
import { Ring } from './ring';

const STAT_A = `cpu  100 0 100 800 0 0 0 0 0 0
cpu0 50 0 50 400 0 0 0 0 0 0
cpu1 50 0 50 400 0 0 0 0 0 0
intr 1 2 3`;
const STAT_B = `cpu  200 0 150 850 0 0 0 0 0 0
cpu0 150 0 50 400 0 0 0 0 0 0
cpu1 50 0 100 450 0 0 0 0 0 0`;
const MEMINFO = `MemTotal:       16000000 kB
MemFree:         1000000 kB
MemAvailable:    4000000 kB
SwapTotal:       2000000 kB
SwapFree:        1500000 kB`;

describe('host sampler', () => {
  it('parses /proc/stat per core and computes busy % from deltas', () => {
    const a = parseProcStat(STAT_A);
    const b = parseProcStat(STAT_B);
    expect(a).toHaveLength(3);
    expect(busyPercent(a[0]!, b[0]!)).toBe(75); // 150 busy of 200 elapsed
    expect(busyPercent(a[1]!, b[1]!)).toBe(100);
    expect(busyPercent(a[2]!, b[2]!)).toBe(50);
    expect(busyPercent(a[0]!, a[0]!)).toBe(0);
  });

  it('parses meminfo (used = total − available) and loadavg', () => {
    expect(parseMeminfo(MEMINFO)).toEqual({ total: 16000000 * 1024, available: 4000000 * 1024, swapTotal: 2000000 * 1024, swapFree: 1500000 * 1024 });
    expect(parseLoadavg('0.52 0.58 0.59 1/467 12345\n')).toEqual([0.52, 0.58, 0.59]);
  });

  it('samples a /proc tree: CPU % over the time since the previous sample', async () => {
    const proc = tmpDataDir();
    mkdirSync(proc, { recursive: true });
    writeFileSync(path.join(proc, 'meminfo'), MEMINFO);
    writeFileSync(path.join(proc, 'loadavg'), '1.00 0.50 0.25 1/1 1\n');
    writeFileSync(path.join(proc, 'stat'), STAT_A);
    const sampler = createHostSampler(proc);
    const first = await sampler.sample();
    expect(first.cpu.percent).toBe(0); // no previous sample yet
    writeFileSync(path.join(proc, 'stat'), STAT_B);
    const second = await sampler.sample();
    expect(second.cpu).toEqual({ percent: 75, perCore: [100, 50], cores: 2 });
    expect(second.memory.percent).toBe(75);
    expect(second.swap).toEqual({ total: 2000000 * 1024, used: 500000 * 1024 });
    expect(second.load).toEqual([1, 0.5, 0.25]);
  });

  it('reads this machine for real', async () => {
    const sampler = createHostSampler();
    await sampler.sample();
    await new Promise((r) => setTimeout(r, 200));
    const s = await sampler.sample();
    expect(s.cpu.cores).toBeGreaterThan(0);
    expect(s.memory.total).toBeGreaterThan(s.memory.used);
    expect(s.cpu.percent).toBeGreaterThanOrEqual(0);
  });
});

describe('ring', () => {
  it('keeps the newest items in order and resizes keeping the newest', () => {
    const r = new Ring<number>(3);
    expect(r.latest()).toBeUndefined();
    for (const n of [1, 2, 3, 4, 5]) r.push(n);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect(r.latest()).toBe(5);
    r.resize(2);
    expect(r.toArray()).toEqual([4, 5]);
    r.resize(4);
    r.push(6);
    expect(r.toArray()).toEqual([4, 5, 6]);
  });
});
