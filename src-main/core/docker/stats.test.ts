// Streaming-stats samples that lack fields (other OSes, other engines) are kept with those measures
// unknown; Windows samples are read as the docker CLI reads them (calculateCPUPercentWindows,
// privateworkingset, storage_stats). Linux arithmetic: streams.test.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeStats, rfc3339DiffNs } from './stats';

/** Windows Server 2022 container, one sample (the source's excerpt ends after precpu_stats). */
const WINDOWS = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'windows-container-stats.json'), 'utf8')) as {
  read: string;
  preread: string;
  cpu_stats: { cpu_usage: { total_usage: number } };
  [k: string]: unknown;
};
const unlimited = { id: 'w1', name: 'win', project: null, cpuLimit: null, memoryLimit: null };
/** The same container's next sample: `cpu` more CPU time (100 ns units), `bytes` more read, one second later. */
const nextWindows = (cpu: number, extra: Record<string, unknown> = {}) => ({
  ...WINDOWS,
  read: '2022-07-26T06:18:47.0429667-07:00',
  preread: WINDOWS.read,
  precpu_stats: WINDOWS.cpu_stats,
  cpu_stats: { ...WINDOWS.cpu_stats, cpu_usage: { ...WINDOWS.cpu_stats.cpu_usage, total_usage: WINDOWS.cpu_stats.cpu_usage.total_usage + cpu } },
  ...extra,
});

describe('computeStats: a Windows container', () => {
  it('keeps the reported sample: CPU 0 % (total_usage unchanged since precpu), measures it lacks unknown', () => {
    const r = computeStats(unlimited, WINDOWS, undefined);
    expect(r).not.toBeNull();
    expect(r!.stats).toEqual({
      ts: Date.parse('2022-07-26T06:18:46.0429667-07:00'),
      id: 'w1',
      name: 'win',
      project: null,
      cpuPercent: 0,
      memoryUsed: null, // the excerpt has no memory_stats
      memoryLimit: null,
      memoryPercent: null,
      netRxBytesPerSec: null, // no networks in the excerpt
      netTxBytesPerSec: null,
      blockReadBytesPerSec: null, // storage_stats are totals: a rate needs the next sample
      blockWriteBytesPerSec: null,
      pids: null, // pids_stats is empty on Windows
    });
  });

  it('CPU % as calculateCPUPercentWindows: Δtotal_usage / (⌊(read − preread) / 100 ns⌋ × num_procs) × 100, to the nanosecond', () => {
    const sample = { ...WINDOWS, cpu_stats: { cpu_usage: { total_usage: WINDOWS.cpu_stats.cpu_usage.total_usage + 4_000_000 } } };
    // read − preread = 46.0429667 − 45.036105 s = 1 006 861 700 ns = 10 068 617 intervals of 100 ns, × 8 processors.
    const expected = (4_000_000 / (10_068_617 * 8)) * 100;
    expect(computeStats(unlimited, sample, undefined)!.stats.cpuPercent).toBeCloseTo(expected, 9);
    // Of a 2-CPU limit instead of all 8 processors: the same busy time, four times the share.
    expect(computeStats({ ...unlimited, cpuLimit: 2 }, sample, undefined)!.stats.cpuPercent).toBeCloseTo((4_000_000 / 10_068_617 / 2) * 100, 9);
  });

  it('memory is the private working set; block I/O rates come from storage_stats between samples', () => {
    const first = computeStats({ ...unlimited, memoryLimit: 2 ** 30 }, WINDOWS, undefined)!;
    const next = nextWindows(8_000_000, {
      memory_stats: { commitbytes: 300 * 2 ** 20, commitpeakbytes: 310 * 2 ** 20, privateworkingset: 256 * 2 ** 20 },
      storage_stats: { read_count_normalized: 5200, read_size_bytes: 39343104 + 2 ** 20, write_count_normalized: 3969, write_size_bytes: 27013120 },
    });
    const r = computeStats({ ...unlimited, memoryLimit: 2 ** 30 }, next, first.prev)!;
    expect(r.stats.cpuPercent).toBeCloseTo((8_000_000 / (10_000_000 * 8)) * 100, 9); // 10 %
    expect(r.stats.memoryUsed).toBe(256 * 2 ** 20);
    expect(r.stats.memoryPercent).toBeCloseTo(25);
    expect(r.stats.blockReadBytesPerSec).toBeCloseTo(2 ** 20);
    expect(r.stats.blockWriteBytesPerSec).toBe(0);
  });

  it('without a preread (first sample of a stream) CPU comes from our own previous sample', () => {
    const zero = { ...WINDOWS, preread: '0001-01-01T00:00:00Z', precpu_stats: { cpu_usage: { total_usage: 0 } } };
    const first = computeStats(unlimited, zero, undefined)!;
    expect(first.stats.cpuPercent).toBeNull(); // nothing to compare with yet
    const second = computeStats(unlimited, { ...nextWindows(4_000_000), preread: '0001-01-01T00:00:00Z', precpu_stats: {} }, first.prev)!;
    expect(second.stats.cpuPercent).toBeCloseTo((4_000_000 / (1000 * 1e4 * 8)) * 100, 9); // 5 % over 1000 ms
  });
});

describe('computeStats: a sample missing a field keeps the rest', () => {
  const target = { id: 'c1', name: 'n', project: null, cpuLimit: null, memoryLimit: 1000 };
  const linux = (t: number, extra: Record<string, unknown> = {}) => ({
    read: new Date(t).toISOString(),
    cpu_stats: { cpu_usage: { total_usage: t * 1e3 }, system_cpu_usage: t * 4e3, online_cpus: 4 },
    memory_stats: { usage: 600, stats: { inactive_file: 100 } },
    networks: { eth0: { rx_bytes: t, tx_bytes: 0 } },
    blkio_stats: { io_service_bytes_recursive: [{ op: 'read', value: t }, { op: 'write', value: 0 }] },
    pids_stats: { current: 3 },
    num_procs: 0,
    storage_stats: {},
    ...extra,
  });

  it('no system_cpu_usage: CPU unknown, memory, network, block I/O and pids kept', () => {
    const noSystem = (t: number) => linux(t, { cpu_stats: { cpu_usage: { total_usage: t * 1e3 }, online_cpus: 4 } });
    const first = computeStats(target, noSystem(1000), undefined)!;
    const r = computeStats(target, noSystem(2000), first.prev)!;
    expect(r.stats).toMatchObject({ cpuPercent: null, memoryUsed: 500, memoryPercent: 50, netRxBytesPerSec: 1000, blockReadBytesPerSec: 1000, pids: 3 });
  });

  it("a complete Linux pair still gives CPU (all four cores' share) as before", () => {
    const first = computeStats(target, linux(1000), undefined)!;
    expect(computeStats(target, linux(2000), first.prev)!.stats.cpuPercent).toBeCloseTo(25); // 1e6 / 4e6 × 4 cores × 100 / 4
  });

  it('no memory usage: memory and its % unknown', () => {
    const r = computeStats(target, linux(1000, { memory_stats: {} }), undefined)!;
    expect(r.stats).toMatchObject({ memoryUsed: null, memoryPercent: null, pids: 3 });
  });

  it('no networks: network rates unknown, not 0; no blkio_stats: block rates unknown; a null blkio list is no I/O (0)', () => {
    const bare = (t: number) => linux(t, { networks: undefined, blkio_stats: undefined });
    const a = computeStats(target, bare(1000), undefined)!;
    expect(computeStats(target, bare(2000), a.prev)!.stats).toMatchObject({ netRxBytesPerSec: null, netTxBytesPerSec: null, blockReadBytesPerSec: null, blockWriteBytesPerSec: null });
    const idle = (t: number) => linux(t, { blkio_stats: { io_service_bytes_recursive: null } });
    const b = computeStats(target, idle(1000), undefined)!;
    expect(computeStats(target, idle(2000), b.prev)!.stats).toMatchObject({ blockReadBytesPerSec: 0, blockWriteBytesPerSec: 0 });
  });

  it('counts block I/O by the op\'s first letter as the docker CLI (Read/read, Write/write; not Sync, Total)', () => {
    const io = (t: number) => linux(t, { blkio_stats: { io_service_bytes_recursive: [{ op: 'Read', value: t }, { op: 'Write', value: 2 * t }, { op: 'Total', value: 3 * t }, { op: 'Sync', value: t }] } });
    const a = computeStats(target, io(1000), undefined)!;
    expect(computeStats(target, io(2000), a.prev)!.stats).toMatchObject({ blockReadBytesPerSec: 1000, blockWriteBytesPerSec: 2000 });
  });

  it('fields of the wrong type are unknown, never a throw', () => {
    const odd = linux(1000, { networks: { eth0: 'x' }, memory_stats: { usage: '600' }, pids_stats: null, cpu_stats: 7, blkio_stats: { io_service_bytes_recursive: [null, { op: 5 }] } });
    expect(computeStats(target, odd as never, undefined)!.stats).toMatchObject({ memoryUsed: null, pids: null, cpuPercent: null, netRxBytesPerSec: null });
    expect(computeStats(target, null as never, undefined)).toBeNull();
  });
});

describe('rfc3339DiffNs', () => {
  it('keeps Go\'s nanoseconds and offsets; Go\'s zero time and non-times are null', () => {
    expect(rfc3339DiffNs('2022-07-26T06:18:46.0429667-07:00', '2022-07-26T06:18:45.036105-07:00')).toBe(1_006_861_700);
    expect(rfc3339DiffNs('2022-07-26T13:18:46.000000001Z', '2022-07-26T06:18:46-07:00')).toBe(1);
    expect(rfc3339DiffNs('2022-07-26T06:18:46Z', '0001-01-01T00:00:00Z')).toBeNull();
    expect(rfc3339DiffNs('yesterday', '2022-07-26T06:18:46Z')).toBeNull();
    expect(rfc3339DiffNs(undefined, '2022-07-26T06:18:46Z')).toBeNull();
  });
});
