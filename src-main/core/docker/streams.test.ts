// The pure parts of the streams: log frame decoding, stats arithmetic, pull folding (Jupyter links: jupyter.test.ts).
import { describe, expect, it } from 'vitest';
import type { LogLine } from '@shared/contract';
import { createPullTracker, registryOf, withTag } from './images';
import { createLogDecoder } from './logs';
import { computeStats } from './stats';

const frame = (stream: 1 | 2, text: string) => {
  const body = Buffer.from(text);
  const h = Buffer.alloc(8);
  h[0] = stream;
  h.writeUInt32BE(body.length, 4);
  return Buffer.concat([h, body]);
};

describe('log decoder', () => {
  it('splits multiplexed frames into lines across chunk boundaries, keeping the stream and timestamp', () => {
    const out: LogLine[] = [];
    const d = createLogDecoder(false, true, (l) => out.push(...l));
    const all = Buffer.concat([frame(1, '2026-01-02T03:04:05.123456789Z hello\n2026-01-02T03:04:06Z wor'), frame(1, 'ld\n'), frame(2, '2026-01-02T03:04:07Z oops\n')]);
    for (let i = 0; i < all.length; i += 5) d.push(all.subarray(i, i + 5));
    d.end();
    expect(out).toEqual([
      { ts: Date.parse('2026-01-02T03:04:05.123Z'), stream: 'stdout', text: 'hello' },
      { ts: Date.parse('2026-01-02T03:04:06Z'), stream: 'stdout', text: 'world' },
      { ts: Date.parse('2026-01-02T03:04:07Z'), stream: 'stderr', text: 'oops' },
    ]);
  });
  it('reads a TTY stream as plain stdout and flushes the last unterminated line', () => {
    const out: LogLine[] = [];
    const d = createLogDecoder(true, false, (l) => out.push(...l));
    d.push(Buffer.from('a\r\nb'));
    d.end();
    expect(out).toEqual([
      { ts: null, stream: 'stdout', text: 'a' },
      { ts: null, stream: 'stdout', text: 'b' },
    ]);
  });
});

describe('computeStats', () => {
  const target = { id: 'c1', name: 'n', project: 'p', cpuLimit: 0.5, memoryLimit: 1000 };
  const raw = (t: number, cpu: number, system: number, extra: Record<string, unknown> = {}) => ({
    read: new Date(t).toISOString(),
    cpu_stats: { cpu_usage: { total_usage: cpu }, system_cpu_usage: system, online_cpus: 2 },
    memory_stats: { usage: 600, limit: 2000, stats: { total_inactive_file: 100 } },
    networks: { eth0: { rx_bytes: 1000 + t / 10, tx_bytes: 500 } },
    blkio_stats: { io_service_bytes_recursive: [{ op: 'Read', value: t }, { op: 'Write', value: 0 }] },
    pids_stats: { current: 3 },
    ...extra,
  });
  it('computes CPU as % of the container limit from our own previous sample, and rates per second', () => {
    const first = computeStats(target, raw(1000, 0, 0), undefined)!;
    expect(first.stats).toMatchObject({ cpuPercent: null, netRxBytesPerSec: null, memoryUsed: 500, memoryLimit: 1000, memoryPercent: 50, pids: 3 });
    // Half of one core of a 2-core host over the interval: 0.25 of system time × 2 cores = 0.5 CPU = 100 % of a 0.5 limit.
    const second = computeStats(target, raw(2000, 250, 1000), first.prev)!;
    expect(second.stats.cpuPercent).toBeCloseTo(100);
    expect(second.stats.netRxBytesPerSec).toBeCloseTo(100);
    expect(second.stats.blockReadBytesPerSec).toBeCloseTo(1000);
    const unlimited = computeStats({ ...target, cpuLimit: null, memoryLimit: null }, raw(2000, 250, 1000), first.prev)!;
    expect(unlimited.stats.cpuPercent).toBeCloseTo(25); // of both host cores
    expect(unlimited.stats.memoryPercent).toBeNull();
  });
  it('ignores the empty sample of a stopped container', () => {
    expect(computeStats(target, { read: '0001-01-01T00:00:00Z' }, undefined)).toBeNull();
  });
});

describe('pull tracking', () => {
  it('folds Docker pull messages into per-layer and total bytes', () => {
    const t = createPullTracker('reg:5000/a:v1', 'local');
    t.apply({ status: 'Pulling from a', id: 'v1' });
    t.apply({ status: 'Pulling fs layer', id: 'l1' });
    t.apply({ status: 'Already exists', id: 'l0' });
    t.apply({ status: 'Downloading', id: 'l1', progressDetail: { current: 10, total: 100 } });
    t.apply({ status: 'Downloading', id: 'l2', progressDetail: { current: 5, total: 50 } });
    expect(t.snapshot(false)).toMatchObject({ current: 15, total: 150, done: false });
    t.apply({ status: 'Download complete', id: 'l1' });
    t.apply({ status: 'Pull complete', id: 'l2' });
    const s = t.snapshot(true);
    expect(s).toMatchObject({ current: 150, total: 150, done: true });
    expect(s.layers.map((l) => [l.id, l.status])).toEqual([
      ['l1', 'Download complete'],
      ['l0', 'Already exists'],
      ['l2', 'Pull complete'],
    ]);
  });
  it('knows registries and default tags as the docker CLI does', () => {
    expect(registryOf('nvcr.io/nvidia/pytorch:1')).toBe('nvcr.io');
    expect(registryOf('127.0.0.1:5000/x')).toBe('127.0.0.1:5000');
    expect(registryOf('library/busybox')).toBe('docker.io');
    expect(registryOf('busybox')).toBe('docker.io');
    expect(withTag('busybox')).toBe('busybox:latest');
    expect(withTag('127.0.0.1:5000/x')).toBe('127.0.0.1:5000/x:latest');
    expect(withTag('nvcr.io/nvidia/pytorch:25.12-py3')).toBe('nvcr.io/nvidia/pytorch:25.12-py3');
  });
});
