// The host's figures for admission from the sampler's snapshots: CPU averaged over the window (one
// spike does not refuse), staleness and remote engines as unknown, Docker's data root on its
// filesystem, GPUs from recorded nvidia-smi output (the sampler's own fixtures and parser).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ADMISSION_POLICY, type GpuSample, type MetricsSnapshot } from '@shared/contract';
import { GPU_FIELDS, parseComputeApps, parseGpuCsv } from '../sampler/gpu/nvidia-csv';
import { decide } from './decide';
import { gpuFacts, hostFactsFrom, mountOf, type HostFactsOptions } from './host-facts';

const GiB = 1024 ** 3;
const T = 1_700_000_000_000;
const FIXTURES = path.resolve(__dirname, '../sampler/fixtures/nvidia-smi');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8').replace(/^#.*\n/gm, '');

function snapshot(ts: number, cpu: number, o: Partial<MetricsSnapshot> = {}): MetricsSnapshot {
  return {
    ts,
    host: {
      cpu: { percent: cpu, perCore: [], cores: 8 },
      memory: { total: 24 * GiB, used: 6 * GiB, available: 18 * GiB, percent: 25 },
      swap: { total: 0, used: 0 },
      load: [1.5, 1, 1],
      disks: [
        { mount: '/', device: '/dev/vda1', fsType: 'ext4', total: 100 * GiB, used: 40 * GiB, free: 60 * GiB, percent: 40 },
        { mount: '/var/lib/docker', device: '/dev/vdb', fsType: 'xfs', total: 500 * GiB, used: 100 * GiB, free: 400 * GiB, percent: 20 },
      ],
    },
    gpus: [],
    gpuSource: { tool: 'nvidia-smi', state: 'absent', error: 'nvidia-smi not found' },
    containers: [],
    ...o,
  };
}
const opts = (o: Partial<HostFactsOptions> = {}): HostFactsOptions => ({ now: T, staleAfterMs: 6000, cpuWindowSeconds: 10, dockerRoot: '/var/lib/docker', remote: null, cpusOf: () => null, ...o });

describe('host facts from snapshots', () => {
  it('averages CPU over the window: one spike does not refuse', () => {
    const ring = [snapshot(T - 20_000, 99), ...Array.from({ length: 10 }, (_, i) => snapshot(T - 9000 + i * 1000, i === 9 ? 100 : 40))];
    const h = hostFactsFrom(ring, opts());
    expect(h).toMatchObject({ cpuPercent: 46, cpuWindowSeconds: 9, memory: { totalBytes: 24 * GiB, usedBytes: 6 * GiB }, cores: 8, load1: 1.5, unknownWhy: null });
    expect(decide({ demand: { action: 'check', engine: 'local', project: 'p', image: null, container: null, memoryBytes: null, hostMemoryBytes: 0, memoryCounted: 0, cpus: null, gpus: null, pullBytes: null, newContainer: false }, host: h, running: { asOf: T, containers: [], unknownWhy: null }, ledger: [], quota: null, policy: DEFAULT_ADMISSION_POLICY, actor: 'user', now: T }).checks.find((c) => c.id === 'cpu_percent')).toMatchObject({ status: 'pass', observed: 46 });
  });

  it('finds the filesystem of Docker’s data root (the longest mount that holds it)', () => {
    expect(hostFactsFrom([snapshot(T - 100, 10)], opts()).disk).toEqual({ mount: '/var/lib/docker', freeBytes: 400 * GiB, totalBytes: 500 * GiB });
    expect(hostFactsFrom([snapshot(T - 100, 10)], opts({ dockerRoot: '/srv/docker' })).disk).toMatchObject({ mount: '/' });
    expect(mountOf([{ mount: '/var/lib/docker' }, { mount: '/' }], '/var/lib/docker2')).toEqual({ mount: '/' });
    expect(hostFactsFrom([snapshot(T - 100, 10)], opts({ dockerRoot: null })).diskWhy).toBe("Docker's data root is not known yet");
  });

  it('says why figures are unknown: no snapshot, a stale one, an engine on another machine', () => {
    expect(hostFactsFrom([], opts())).toMatchObject({ memory: null, cpuPercent: null, gpus: null, unknownWhy: 'the sampler has not taken a snapshot yet' });
    expect(hostFactsFrom([snapshot(T - 45_000, 10)], opts())).toMatchObject({ memory: null, unknownWhy: 'the newest snapshot is 45 s old' });
    expect(hostFactsFrom([snapshot(T - 100, 10)], opts({ remote: 'engine gpu-box is on another machine, whose figures MLEnv does not sample' }))).toMatchObject({ memory: null, unknownWhy: expect.stringContaining('another machine') });
  });

  it('turns a container’s CPU % of its own limit into a share of the host', () => {
    const s = snapshot(T - 100, 50, { containers: [{ ts: T, id: 'c1', name: 'hog', project: null, cpuPercent: 100, memoryUsed: 3 * GiB, memoryLimit: null, memoryPercent: null, netRxBytesPerSec: null, netTxBytesPerSec: null, blockReadBytesPerSec: null, blockWriteBytesPerSec: null, pids: null }] });
    expect(hostFactsFrom([s], opts({ cpusOf: () => 2 })).usage.get('c1')).toEqual({ memoryBytes: 3 * GiB, cpuPercent: 25 });
  });
});

describe('GPUs as admission sees them (recorded nvidia-smi output)', () => {
  const rows = (name: string, apps?: string): GpuSample[] => {
    const gpus = parseGpuCsv(fixture(name), GPU_FIELDS);
    const byUuid = new Map<string, GpuSample['processes']>();
    for (const a of apps ? parseComputeApps(fixture(apps)) : []) byUuid.set(a.gpuUuid, [...(byUuid.get(a.gpuUuid) ?? []), { pid: a.pid, name: a.name, usedMiB: a.usedMiB, containerId: a.pid === 51822 ? 'triton-id' : null }]);
    return gpus.map((g) => ({ ...g, processes: byUuid.get(g.uuid) ?? [] }));
  };
  const running = (s: GpuSample[]) => snapshot(T - 100, 10, { gpus: s, gpuSource: { tool: 'nvidia-smi', state: 'running' } });

  it('reads two H100s with their free memory and the containers on them', () => {
    const g = gpuFacts(running(rows('h100x2.csv', 'compute-apps.csv')));
    expect(g.why).toBeNull();
    expect(g.gpus!.map((x) => [x.index, x.memoryFreeMiB, x.fault])).toEqual([
      [0, 19816, null],
      [1, 81071, null],
    ]);
    expect(g.gpus![0]!.processes).toContainEqual({ containerId: 'triton-id', usedMiB: 30211 });
  });

  it('a GPU held by a running managed container is not offered again; the idle one is', () => {
    const host = hostFactsFrom([running(rows('h100x2.csv', 'compute-apps.csv'))], opts());
    const base = { engine: 'local', project: 'p', image: null, container: null, memoryBytes: GiB, hostMemoryBytes: GiB, memoryCounted: GiB, cpus: null, pullBytes: null, newContainer: true };
    const triton = { id: 'triton-id', name: 'triton', project: 'p', state: 'running' as const, memoryLimit: null, cpus: null, gpus: { count: 0, deviceIds: ['GPU-3a1f9e02-4c11-4b8a-9e2d-7f6b1c0a55e1'] } };
    const judge = (gpus: { count: number; deviceIds: string[] | null }) =>
      decide({ demand: { ...base, action: 'launch', gpus }, host, running: { asOf: T, containers: [triton], unknownWhy: null }, ledger: [], quota: null, policy: DEFAULT_ADMISSION_POLICY, actor: 'user', now: T });
    const first = judge({ count: 1, deviceIds: null });
    expect(first.admitted).toBe(false);
    expect(first.checks[0]).toMatchObject({ id: 'gpu_free', status: 'fail', sentence: 'GPU 0 is held by `triton` (--gpus 1 always gets GPU 0: Docker hands out GPUs from 0)', remedy: 'stop `triton` or ask for "device=1" (free)' });
    expect(judge({ count: 0, deviceIds: ['1'] }).admitted).toBe(true);
  });

  it('a GPU nvidia-smi reports broken is refused with nvidia-smi’s words', () => {
    const text = readFileSync(path.join(FIXTURES, 'nvidia-smi-gpu-requires-reset.txt'), 'utf8');
    const gpus = parseGpuCsv(text.replace(/^#.*\n/gm, ''), GPU_FIELDS);
    const broken = gpus.find((g) => g.fault);
    expect(broken).toBeDefined();
    const g = gpuFacts(running(gpus));
    expect(g.gpus!.find((x) => x.index === broken!.index)!.fault).toBe(broken!.fault!.message);
  });

  it('unknown while nvidia-smi restarts, has not started, or has not answered; none where it is absent; a Jetson is not judged', () => {
    expect(gpuFacts(snapshot(T, 1, { gpuSource: { tool: 'nvidia-smi', state: 'restarting', error: 'exit 15' } }))).toEqual({ gpus: null, why: 'nvidia-smi stopped answering (exit 15); it is being restarted' });
    expect(gpuFacts(snapshot(T, 1, { gpuSource: { tool: 'nvidia-smi', state: 'absent', error: 'not started' } })).gpus).toBeNull();
    expect(gpuFacts(snapshot(T, 1, { gpuSource: { tool: 'nvidia-smi', state: 'running' }, gpus: [] })).why).toBe('nvidia-smi has not reported any GPU yet');
    expect(gpuFacts(snapshot(T, 1))).toEqual({ gpus: [], why: 'nvidia-smi: nvidia-smi not found' });
    expect(gpuFacts(snapshot(T, 1, { gpuSource: { tool: 'tegrastats', state: 'running' } })).gpus).toBeNull();
  });
});
