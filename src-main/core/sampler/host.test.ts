import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDataDir } from '../../test-support';
import { busyPercent, cpuSample, createHostSampler, parseCpuList, parseLoadavg, parseMeminfo, parseProcStat } from './host';
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
    expect([...a.cpus.keys()]).toEqual([0, 1]);
    expect(busyPercent(a.all!, b.all!)).toBe(75); // 150 busy of 200 elapsed
    expect(busyPercent(a.cpus.get(0)!, b.cpus.get(0)!)).toBe(100);
    expect(busyPercent(a.cpus.get(1)!, b.cpus.get(1)!)).toBe(50);
    expect(busyPercent(a.all!, a.all!)).toBe(0);
  });

  // facebookincubator/below #8190: cpu2 taken offline between two readings of a 4-CPU machine.
  const [before, after] = readFileSync(path.resolve(__dirname, 'fixtures/proc-stat-cpu2-taken-offline.txt'), 'utf8')
    .split(/^###.*$/m)
    .filter((t) => t.trim())
    .map(parseProcStat);

  it('keys CPUs by the N of cpuN, not by position: the line after cpu1 is cpu3 once cpu2 is offline', () => {
    expect([...after!.cpus.keys()]).toEqual([0, 1, 3]);
    const busy = (n: number) => busyPercent(before!.cpus.get(n)!, after!.cpus.get(n)!);
    expect(busy(0)).toBeCloseTo(0.0917, 3); // 7 busy of 7629 jiffies
    expect(busy(1)).toBeCloseTo(0.0393, 3); // 3 of 7630
    expect(busy(3)).toBeCloseTo(0.0131, 3); // 1 of 7631
    expect(after!.cpus.has(2)).toBe(false);
  });

  it('an offline CPU is null and the machine still has 4 CPUs', () => {
    // Rounded to 0.1 % as the sampler reports: 0.0917 → 0.1, 0.0393 → 0, 0.0131 → 0.
    expect(cpuSample(before, after!, { count: 4, highest: 3 })).toEqual({ percent: 0, perCore: [0.1, 0, null, 0], cores: 4 });
    // Without the sysfs list the count is the highest CPU number seen + 1, still 4.
    expect(cpuSample(before, after!).cores).toBe(4);
  });

  it('takes the machine % over the per-CPU lines: the aggregate line keeps counting an offline CPU\'s idle', () => {
    // In the case above the aggregate idle jumps by 2.66 million jiffies in a 7630-jiffy interval.
    expect(after!.all!.idle - before!.all!.idle).toBeGreaterThan(2_000_000);
    const a = parseProcStat('cpu  100 0 0 100 0 0 0 0\ncpu0 100 0 0 100 0 0 0 0\ncpu1 0 0 0 100 0 0 0 0');
    const b = parseProcStat('cpu  150 0 0 1000150 0 0 0 0\ncpu0 150 0 0 150 0 0 0 0');
    expect(cpuSample(a, b)).toEqual({ percent: 50, perCore: [50, null], cores: 2 });
  });

  it('reads the present/possible CPU list', () => {
    expect(parseCpuList('0-3\n')).toEqual({ count: 4, highest: 3 });
    expect(parseCpuList('0,2-5')).toEqual({ count: 5, highest: 5 });
    expect(parseCpuList('0')).toEqual({ count: 1, highest: 0 });
    expect(parseCpuList('')).toBeUndefined();
    expect(parseCpuList('3-1')).toBeUndefined();
  });

  it('parses meminfo (used = total − available) and loadavg', () => {
    expect(parseMeminfo(MEMINFO)).toEqual({ total: 16000000 * 1024, available: 4000000 * 1024, swapTotal: 2000000 * 1024, swapFree: 1500000 * 1024 });
    expect(parseLoadavg('0.52 0.58 0.59 1/467 12345\n')).toEqual([0.52, 0.58, 0.59]);
  });

  it('samples a /proc tree: CPU % over the time since the previous sample, the CPU count from sysfs', async () => {
    const proc = tmpDataDir();
    const sys = tmpDataDir();
    mkdirSync(proc, { recursive: true });
    mkdirSync(path.join(sys, 'devices/system/cpu'), { recursive: true });
    writeFileSync(path.join(sys, 'devices/system/cpu/present'), '0-3\n'); // cpu2 and cpu3 offline throughout
    writeFileSync(path.join(proc, 'meminfo'), MEMINFO);
    writeFileSync(path.join(proc, 'loadavg'), '1.00 0.50 0.25 1/1 1\n');
    writeFileSync(path.join(proc, 'stat'), STAT_A);
    const sampler = createHostSampler(proc, sys);
    const first = await sampler.sample();
    expect(first.cpu).toEqual({ percent: 0, perCore: [0, 0, null, null], cores: 4 }); // no previous sample yet
    writeFileSync(path.join(proc, 'stat'), STAT_B);
    const second = await sampler.sample();
    expect(second.cpu).toEqual({ percent: 75, perCore: [100, 50, null, null], cores: 4 });
    expect(second.memory.percent).toBe(75);
    expect(second.swap).toEqual({ total: 2000000 * 1024, used: 500000 * 1024 });
    expect(second.load).toEqual([1, 0.5, 0.25]);
    await sampler.close();
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
