// From file texts to figures as Docker computes them: the docker CLI's calculateMemUsageUnixNoCache
// and calculateCPUPercentUnix (cli/command/container/stats_helpers.go), runc's v2 readings
// (opencontainers/cgroups fs2: memory.current/max/peak, cpu.stat usage_usec × 1000, io.stat).
import { describe, expect, it } from 'vitest';
import { blockTotals, cpuUsageNs, freezerState, memoryFigures, memoryUsedAsDocker, statsFromReading, type CgroupReading } from './figures';

const stat = (o: Record<string, number>) => (key: string) => o[key];

describe('memory used, as the docker CLI', () => {
  it('v1: usage less total_inactive_file when below usage', () => {
    expect(memoryUsedAsDocker(1000, stat({ total_inactive_file: 300, inactive_file: 100 }))).toEqual({ used: 700, inactiveFile: 300 });
  });
  it('v1 with total_inactive_file not below usage falls through to inactive_file (the CLI\'s v2 branch)', () => {
    expect(memoryUsedAsDocker(1000, stat({ total_inactive_file: 1000, inactive_file: 100 }))).toEqual({ used: 900, inactiveFile: 100 });
  });
  it('v2: usage less inactive_file; nothing to subtract when it is missing or not below usage', () => {
    expect(memoryUsedAsDocker(2481475584, stat({ inactive_file: 4096 }))).toEqual({ used: 2481471488, inactiveFile: 4096 });
    expect(memoryUsedAsDocker(1000, stat({}))).toEqual({ used: 1000, inactiveFile: 0 });
    expect(memoryUsedAsDocker(1000, stat({ inactive_file: 1000 }))).toEqual({ used: 1000, inactiveFile: 0 });
  });
});

describe('memory figures from the files', () => {
  it('v1: the "unlimited" limit (PAGE_COUNTER_MAX pages, 4 KiB and 64 KiB pages) is no limit; swap from total_swap', () => {
    const base = { usage: '1000\n', peak: '1500\n', stat: 'shmem 0\ntotal_inactive_file 200\ntotal_swap 4096\nswap 0\ntotal_shmem 300\n' };
    expect(memoryFigures(1, { ...base, limit: '9223372036854771712\n' })).toEqual({ used: 800, usage: 1000, inactiveFile: 200, peak: 1500, limit: null, swap: 4096, shmem: 300 });
    expect(memoryFigures(1, { ...base, limit: '9223372036854710272\n' })?.limit).toBeNull();
    expect(memoryFigures(1, { ...base, limit: '268435456\n' })?.limit).toBe(268435456);
  });
  it('v1 without swap accounting (no swap keys): swap unknown; v1 without total_ keys (use_hierarchy 0) takes the local ones', () => {
    expect(memoryFigures(1, { usage: '10\n', stat: 'total_inactive_file 0\n' })).toMatchObject({ swap: null, shmem: null });
    expect(memoryFigures(1, { usage: '10\n', stat: 'inactive_file 2\nshmem 4\nswap 0\n' })).toMatchObject({ used: 8, shmem: 4, swap: 0 });
  });
  it('v2: memory.max "max" is no limit; no memory.peak (kernel < 5.19) is an unknown peak; swap from memory.swap.current', () => {
    expect(memoryFigures(2, { usage: '2481475584\n', limit: 'max\n', stat: 'shmem 0\ninactive_file 4096\n', swap: '8192\n' })).toEqual({
      used: 2481471488,
      usage: 2481475584,
      inactiveFile: 4096,
      peak: null,
      limit: null,
      swap: 8192,
      shmem: 0,
    });
    expect(memoryFigures(2, { usage: '5\n', limit: '7864320000\n', peak: '9\n' })).toMatchObject({ limit: 7864320000, peak: 9, swap: null });
  });
  it('no usage file (no memory controller) or a usage that is not a number: no memory figures', () => {
    expect(memoryFigures(2, { limit: 'max\n' })).toBeNull();
    expect(memoryFigures(1, { usage: 'x\n' })).toBeNull();
  });
});

describe('CPU, freezer and block I/O from the files', () => {
  it('v1 cpuacct.usage is ns; v2 cpu.stat usage_usec × 1000; absent is unknown', () => {
    expect(cpuUsageNs(1, '73838204\n')).toBe(73838204);
    expect(cpuUsageNs(2, 'usage_usec 40004\nuser_usec 12016\nsystem_usec 27988\n')).toBe(40004000);
    expect(cpuUsageNs(2, 'user_usec 1\n')).toBeNull();
    expect(cpuUsageNs(1, undefined)).toBeNull();
  });
  it('freezer: v1 from freezer.state, v2 from cgroup.freeze and cgroup.events; none is unknown', () => {
    expect(freezerState(1, 'FROZEN\n')).toBe('frozen');
    expect(freezerState(2, '1\n', 'populated 1\nfrozen 1\n')).toBe('frozen');
    expect(freezerState(1, undefined)).toBeNull();
  });
  it("v1 blkio: the first file listing a device, in runc's order; none listing one is 0; no file at all is unknown", () => {
    const bfqEmpty = 'Total 0\n';
    const throttle = '8:0 Read 100\n8:0 Write 50\n8:0 Total 150\nTotal 150\n';
    expect(blockTotals(1, [bfqEmpty, undefined, throttle, 'Total 0\n'])).toEqual({ read: 100, write: 50 });
    expect(blockTotals(1, ['8:0 Read 7\n8:0 Write 3\nTotal 10\n', throttle])).toEqual({ read: 7, write: 3 });
    expect(blockTotals(1, [bfqEmpty, bfqEmpty])).toEqual({ read: 0, write: 0 });
    expect(blockTotals(1, [undefined])).toBeNull();
    expect(blockTotals(2, ['8:0 rbytes=1 wbytes=2 rios=1 wios=1 dbytes=0 dios=0\n'])).toEqual({ read: 1, write: 2 });
    expect(blockTotals(2, [undefined])).toBeNull();
  });
});

describe('ContainerStats from two readings', () => {
  const subject = { id: 'c1', name: 'n', project: 'p', cpuLimit: 0.5, memoryLimit: 1000, restartCount: 2, oomKilled: false };
  const reading = (at: number, cpuNs: number, extra: Partial<CgroupReading> = {}): CgroupReading => ({
    at,
    memory: { used: 500, usage: 600, inactiveFile: 100, limit: null, swap: 0, shmem: 0 },
    cpuNs,
    pids: 3,
    block: { read: at * 10, write: 0 },
    net: { rx: 1000 + at, tx: 500 },
    ...extra,
  });

  it('the first reading: figures without rates or CPU; memory against the inspect limit when the cgroup has none', () => {
    expect(statsFromReading(subject, reading(1000, 0), undefined, 1_700_000_000_000, 4)).toEqual({
      ts: 1_700_000_000_000,
      id: 'c1',
      name: 'n',
      project: 'p',
      cpuPercent: null,
      memoryUsed: 500,
      memoryLimit: 1000,
      memoryPercent: 50,
      netRxBytesPerSec: null,
      netTxBytesPerSec: null,
      blockReadBytesPerSec: null,
      blockWriteBytesPerSec: null,
      pids: 3,
      restartCount: 2,
      oomKilled: false,
    });
  });

  it('CPU % of the limit from cores busy over the monotonic interval (calculateCPUPercentUnix relative to the limit); rates per second', () => {
    // 250 ms of CPU over 500 ms = 0.5 cores busy = 100 % of a 0.5 CPU limit; 25 % of 2 online CPUs without one.
    const first = reading(1000, 1e9);
    const second = reading(1500, 1e9 + 250e6);
    const s = statsFromReading(subject, second, first, 0, 2);
    expect(s.cpuPercent).toBeCloseTo(100, 9);
    expect(s.netRxBytesPerSec).toBeCloseTo(1000, 9); // 500 bytes over 0.5 s
    expect(s.netTxBytesPerSec).toBe(0);
    expect(s.blockReadBytesPerSec).toBeCloseTo(10_000, 9);
    expect(statsFromReading({ ...subject, cpuLimit: null }, second, first, 0, 2).cpuPercent).toBeCloseTo(25, 9);
  });

  it('the cgroup\'s own limit wins over inspect\'s (a `docker update` shows at once)', () => {
    const r = reading(1000, 0, { memory: { used: 500, usage: 600, inactiveFile: 100, limit: 2000, swap: 0, shmem: 0 } });
    expect(statsFromReading(subject, r, undefined, 0, 2)).toMatchObject({ memoryLimit: 2000, memoryPercent: 25 });
    expect(statsFromReading({ ...subject, memoryLimit: null }, reading(1000, 0), undefined, 0, 2)).toMatchObject({ memoryLimit: null, memoryPercent: null });
  });

  it('counters that went back (the cgroup was made anew) and readings at the same instant give no CPU or rates', () => {
    const first = reading(1000, 5e9);
    expect(statsFromReading(subject, reading(2000, 1e6, { net: { rx: 10, tx: 0 }, block: { read: 0, write: 0 } }), first, 0, 2)).toMatchObject({
      cpuPercent: null,
      netRxBytesPerSec: null,
      blockReadBytesPerSec: null,
      blockWriteBytesPerSec: 0,
    });
    expect(statsFromReading(subject, reading(1000, 6e9), first, 0, 2).cpuPercent).toBeNull();
  });

  it('measures the cgroup lacks are null, never 0: no memory controller, no pids controller, no network namespace of its own', () => {
    const bare = reading(2000, 2e9, { memory: null, pids: null, net: null, block: null });
    expect(statsFromReading(subject, bare, reading(1000, 1e9, { net: null, block: null }), 0, 2)).toMatchObject({
      memoryUsed: null,
      memoryPercent: null,
      pids: null,
      netRxBytesPerSec: null,
      netTxBytesPerSec: null,
      blockReadBytesPerSec: null,
      blockWriteBytesPerSec: null,
      cpuPercent: 200, // 1 core busy of a 0.5 limit
    });
  });
});
