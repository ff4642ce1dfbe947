import { describe, expect, it } from 'vitest';
import type { ContainerSummary, GpuSample } from '@shared/contract';
import { gpuUseByContainer, networkTotals, runningManaged } from './summary';

const gpu = (index: number, processes: GpuSample['processes']): GpuSample => ({
  index,
  uuid: `GPU-${index}`,
  name: 'NVIDIA H100',
  busId: null,
  driverVersion: null,
  utilizationGpu: 10,
  utilizationMemory: 5,
  memoryTotalMiB: 81559,
  memoryUsedMiB: 1000,
  memoryFreeMiB: 80559,
  temperatureC: 40,
  powerDrawW: 100,
  powerLimitW: 700,
  smClockMHz: null,
  memClockMHz: null,
  fanPercent: null,
  eccUncorrectedVolatile: null,
  pcieLinkGen: null,
  throttleReasons: [],
  fault: null,
  processes,
  processesError: null,
});

describe('gpuUseByContainer', () => {
  it('sums each container’s processes over the GPUs they run on, and skips processes of no container', () => {
    const use = gpuUseByContainer([
      gpu(0, [
        { pid: 1, name: 'python', usedMiB: 2048, containerId: 'a' },
        { pid: 2, name: 'python', usedMiB: 512, containerId: 'a' },
        { pid: 3, name: 'Xorg', usedMiB: 100, containerId: null },
      ]),
      gpu(1, [
        { pid: 4, name: 'python', usedMiB: 1024, containerId: 'a' },
        { pid: 5, name: 'tritonserver', usedMiB: null, containerId: 'b' },
      ]),
    ]);
    expect(Object.fromEntries(use)).toEqual({ a: { gpus: [0, 1], usedMiB: 3584 }, b: { gpus: [1], usedMiB: null } });
  });

  it('knows nothing from a GPU whose process list is unknown, and nothing without GPUs', () => {
    expect(gpuUseByContainer([gpu(0, null)]).size).toBe(0);
    expect(gpuUseByContainer(undefined).size).toBe(0);
  });
});

describe('networkTotals', () => {
  it('adds the interfaces up; no report is null, an empty one zero', () => {
    expect(networkTotals([{ iface: 'eth0', rxBytesPerSec: 1000, txBytesPerSec: 10 }, { iface: 'wlan0', rxBytesPerSec: 24, txBytesPerSec: 5 }])).toEqual({ rxBytesPerSec: 1024, txBytesPerSec: 15 });
    expect(networkTotals(undefined)).toBeNull();
    expect(networkTotals([])).toEqual({ rxBytesPerSec: 0, txBytesPerSec: 0 });
  });
});

describe('runningManaged', () => {
  const c = (id: string, state: ContainerSummary['state'], managed = true): ContainerSummary => ({
    id, name: id, image: 'busybox', state, status: '', created: 0, managed, project: null, engine: 'local', ports: [], labels: {},
  });
  it('keeps MLEnv’s containers that hold resources now, in order', () => {
    const list = [c('a', 'running'), c('b', 'exited'), c('c', 'running', false), c('d', 'paused'), c('e', 'created'), c('f', 'restarting')];
    expect(runningManaged(list).map((x) => x.id)).toEqual(['a', 'd', 'f']);
    expect(runningManaged(undefined)).toEqual([]);
  });
});
