import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GpuSample, GpuSourceStatus } from '@shared/contract';
import { tmpDataDir, waitFor } from '../../../test-support';
import { containerIdFromCgroup } from './cgroup';
import { decodeThrottle, GPU_FIELDS, parseComputeApps, parseGpuCsv } from './nvidia-csv';
import { createNvidiaSmiSampler, type NvidiaSmiSampler } from './nvidia-smi';

const FIXTURES = path.resolve(__dirname, '../fixtures');
const BIN = path.join(FIXTURES, 'bin');
const timeline = (name: string) => path.join(FIXTURES, 'nvidia-smi', 'timelines', name);
const fixture = (name: string) => readFileSync(path.join(FIXTURES, 'nvidia-smi', name), 'utf8').replace(/^#.*\n/gm, '');
/** The fixture folder first on PATH, as users and CI have the real tool. */
const env = (extra: Record<string, string> = {}) => ({ ...process.env, PATH: `${BIN}:${process.env.PATH}`, ...extra });
describe('nvidia-smi CSV parsing (recorded output)', () => {
  it('reads two H100s with every field, [N/A] fan as null', () => {
    const gpus = parseGpuCsv(fixture('h100x2.csv'));
    expect(gpus).toHaveLength(2);
    expect(gpus[0]).toMatchObject({
      index: 0, uuid: 'GPU-3a1f9e02-4c11-4b8a-9e2d-7f6b1c0a55e1', name: 'NVIDIA H100 80GB HBM3', busId: '00000000:1B:00.0',
      driverVersion: '550.90.07', utilizationGpu: 97, utilizationMemory: 41, memoryTotalMiB: 81559, memoryUsedMiB: 61234,
      memoryFreeMiB: 19816, temperatureC: 67, powerDrawW: 612.34, powerLimitW: 700, smClockMHz: 1980, memClockMHz: 2619,
      fanPercent: null, eccUncorrectedVolatile: 0, pcieLinkGen: 5, throttleReasons: [],
    });
    expect(gpus[1]!.throttleReasons).toEqual(['GpuIdle']);
  });

  it('reads an A100 (power cap) and an RTX 4090 (fan, no ECC)', () => {
    const [a100] = parseGpuCsv(fixture('a100.csv'));
    expect(a100!.throttleReasons).toEqual(['SwPowerCap']);
    expect(a100!.fanPercent).toBeNull();
    const [rtx] = parseGpuCsv(fixture('rtx4090.csv'));
    expect(rtx).toMatchObject({ name: 'NVIDIA GeForce RTX 4090', fanPercent: 35, eccUncorrectedVolatile: null, pcieLinkGen: 4 });
  });

  it('turns [Not Supported] and [N/A] into null, never 0', () => {
    const [p100] = parseGpuCsv(fixture('p100-418.csv'));
    expect(p100!.fanPercent).toBeNull();
    expect(p100!.utilizationGpu).toBe(0); // a real zero stays zero
    const [gb10] = parseGpuCsv(fixture('gb10-580.csv'));
    expect(gb10).toMatchObject({ memoryTotalMiB: null, memoryUsedMiB: null, memoryFreeMiB: null, powerLimitW: null, powerDrawW: 5.04, memClockMHz: null, pcieLinkGen: null });
  });

  it('reads the header-with-units format (canonicalised aliases, units stripped)', () => {
    const [g] = parseGpuCsv(fixture('header-units.csv'));
    expect(g).toMatchObject({ index: 0, utilizationGpu: 35, memoryTotalMiB: 24564, memoryUsedMiB: 8000, powerDrawW: 120.5, powerLimitW: 450, smClockMHz: 2520, temperatureC: 62, fanPercent: 35 });
    expect(g!.throttleReasons).toEqual(['SwPowerCap', 'SwThermalSlowdown']);
  });

  it('decodes throttle bits, unknown bits included', () => {
    expect(decodeThrottle('0x0000000000000048')).toEqual(['HwSlowdown', 'HwThermalSlowdown']);
    expect(decodeThrottle('0x0000000000001001')).toEqual(['GpuIdle', 'Unknown(0x1000)']);
    expect(decodeThrottle('[N/A]')).toBeNull();
  });

  it('reads compute apps and maps cgroup paths to container ids', () => {
    const apps = parseComputeApps(fixture('compute-apps.csv'));
    expect(apps).toHaveLength(4);
    expect(apps[3]).toEqual({ pid: 61002, name: null, usedMiB: null, gpuUuid: 'GPU-3a1f9e02-4c11-4b8a-9e2d-7f6b1c0a55e1' });
    const id = 'a'.repeat(64);
    expect(containerIdFromCgroup(`12:memory:/docker/${id}\n1:name=systemd:/docker/${id}`)).toBe(id);
    expect(containerIdFromCgroup(`0::/system.slice/docker-${id}.scope`)).toBe(id);
    expect(containerIdFromCgroup('0::/user.slice/user-1000.slice/session-2.scope')).toBeNull();
  });
});

describe('the streaming nvidia-smi process (fixture executable on PATH)', () => {
  let smi: NvidiaSmiSampler | undefined;
  afterEach(() => smi?.stop());
  const DATA = tmpDataDir();

  it('streams every GPU with one long-running process and attaches processes', async () => {
    // GPU 0's SM clock is the round number: rounds are counted, not waited for.
    smi = createNvidiaSmiSampler({ intervalMs: 100, appsEveryMs: 200, env: env({ MLENV_FAKE_GPU_TIMELINE: timeline('h100x2-numbered.txt') }) });
    await smi.start();
    await waitFor(() => smi!.latest().length === 2 && (smi!.latest()[0]!.processes?.length ?? 0) > 0, 8000, 'two GPUs with processes');
    expect(smi.status()).toEqual({ tool: 'nvidia-smi', state: 'running' });
    expect(smi.fields()).toEqual(GPU_FIELDS.map((f) => f.names[0]));
    const pid = smi.pid;
    const round = smi.latest()[0]!.smClockMHz!;
    await waitFor(() => (smi!.latest()[0]?.smClockMHz ?? 0) >= round + 3, 8000, 'three more rounds');
    expect(smi.pid).toBe(pid); // not a process per tick
    expect(smi.restarts).toBe(0);
    expect(smi.latest()[0]!.processes!.map((p) => p.pid)).toEqual([4339, 51822, 61002]);
  });

  it('probes away the fields an old driver rejects instead of failing', async () => {
    smi = createNvidiaSmiSampler({ intervalMs: 100, env: env({ MLENV_FAKE_GPU: 'p100-418' }) });
    await smi.start();
    await waitFor(() => smi!.latest().length === 1, 8000, 'one GPU');
    expect(smi.fields()).toContain('clocks_throttle_reasons.active');
    expect(smi.fields()).toContain('pcie.link.gen.current');
    expect(smi.latest()[0]).toMatchObject({ name: 'Tesla P100-PCIE-16GB', throttleReasons: ['GpuIdle'], pcieLinkGen: 3, fanPercent: null });
  });

  it('drops a field no name of which the driver accepts', async () => {
    smi = createNvidiaSmiSampler({ intervalMs: 100, env: env({ MLENV_FAKE_GPU: 'rtx4090', MLENV_FAKE_GPU_REJECT: 'ecc.errors.uncorrected.volatile.total' }) });
    await smi.start();
    await waitFor(() => smi!.latest().length === 1, 8000, 'one GPU');
    expect(smi.fields()).not.toContain('ecc.errors.uncorrected.volatile.total');
    expect(smi.latest()[0]!.eccUncorrectedVolatile).toBeNull();
    expect(smi.latest()[0]!.temperatureC).toBe(62);
  });

  it('restarts with backoff when nvidia-smi dies, and shows the outage as a gap, not zeros', async () => {
    // The first launch prints three rounds, then the device-handle line on stderr, and exits 15; the
    // second streams for good. Each change of state is recorded as the sampler tells it, with what the
    // sampler showed at that moment: nothing depends on a poll landing inside a short window.
    const seen: (GpuSourceStatus & { gpus: GpuSample[]; pid: number | undefined })[] = [];
    const counter = path.join(DATA, 'restart-launches');
    const s = createNvidiaSmiSampler({
      intervalMs: 100,
      minBackoffMs: 300,
      env: env({ MLENV_FAKE_GPU_TIMELINE: timeline('die-after-3-then-stream.txt'), MLENV_FAKE_GPU_COUNTER: counter }),
      onStatus: (st) => seen.push({ ...st, gpus: s.latest(), pid: s.pid }),
    });
    smi = s;
    await s.start();
    await waitFor(() => seen.length >= 3 && s.latest().length === 2, 8000, 'nvidia-smi running again with two GPUs');
    expect(seen.map((x) => x.state)).toEqual(['running', 'restarting', 'running']);
    const [first, outage, again] = seen;
    expect(outage!.error).toBe('Unable to determine the device handle for GPU 00000000:1B:00.0: Unknown Error');
    expect(outage!.gpus).toEqual([]); // a gap
    // At the relaunch's first row only what it has printed is shown: GPU 1's figures from the dead run are gone.
    expect(again!.gpus.map((g) => g.index)).toEqual([0]);
    expect(first!.pid).toBeGreaterThan(0);
    expect(again!.pid).toBeGreaterThan(0);
    expect(again!.pid).not.toBe(first!.pid);
    expect(s.pid).toBe(again!.pid);
    expect(s.restarts).toBe(1);
    expect(s.backoffMs).toBe(300);
    expect(readFileSync(counter, 'utf8')).toBe('2');
    expect(s.status()).toEqual({ tool: 'nvidia-smi', state: 'running' });
    expect(s.latest()[0]!.utilizationGpu).toBe(97);
  });

  it('without nvidia-smi reports "no NVIDIA GPU" and keeps working', async () => {
    smi = createNvidiaSmiSampler({ command: '/nonexistent/nvidia-smi', intervalMs: 100, env: env() });
    await smi.start();
    expect(smi.status()).toMatchObject({ state: 'absent', error: expect.stringMatching(/not found/) });
    expect(smi.latest()).toEqual([]);
  });

  it('reports a driver that cannot be reached as absent, in its own words', async () => {
    smi = createNvidiaSmiSampler({ intervalMs: 100, env: env({ MLENV_FAKE_GPU: 'none' }) });
    await smi.start();
    expect(smi.status()).toMatchObject({ state: 'absent', error: expect.stringMatching(/couldn't communicate with the NVIDIA driver/) });
  });
});

describe('per-process VRAM mapped to a real container through /proc/<pid>/cgroup', async () => {
  const { realDocker, TEST_IMAGE, TEST_LABEL } = await import('../../../test-support');
  const { writeFileSync } = await import('node:fs');
  const docker = await realDocker();
  it.skipIf(!docker)('attributes a process inside a managed container to that container', async () => {
    const c = await docker!.createContainer({
      Image: TEST_IMAGE,
      Cmd: ['sleep', '600'],
      Labels: { [TEST_LABEL]: 'nvidia-smi', 'io.mlenv.managed': 'true' },
      HostConfig: { Init: true },
    });
    try {
      await c.start();
      const pid = (await c.inspect()).State.Pid;
      const apps = path.join(tmpDataDir(), 'apps.csv');
      writeFileSync(apps, `${pid}, python, 1234, GPU-3a1f9e02-4c11-4b8a-9e2d-7f6b1c0a55e1\n${process.pid}, node, 10, GPU-3a1f9e02-4c11-4b8a-9e2d-7f6b1c0a55e1\n`);
      const s = createNvidiaSmiSampler({ intervalMs: 100, appsEveryMs: 100, env: env({ MLENV_FAKE_GPU_APPS: apps }) });
      try {
        await s.start();
        await waitFor(() => (s.latest()[0]?.processes?.length ?? 0) === 2, 8000, 'two processes on GPU 0');
        expect(s.latest()[0]!.processes).toEqual([
          { pid, name: 'python', usedMiB: 1234, containerId: c.id },
          // this test's own process: a host process (or, if CI itself runs in a container, that one)
          { pid: process.pid, name: 'node', usedMiB: 10, containerId: containerIdFromCgroup(readFileSync('/proc/self/cgroup', 'utf8')) },
        ]);
      } finally {
        s.stop();
      }
    } finally {
      await c.remove({ force: true });
    }
  });
});
