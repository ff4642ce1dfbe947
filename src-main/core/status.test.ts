import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type ContainerHealth, type EngineStatus, type GpuSample, type MetricsSnapshot } from '@shared/contract';
import { overallStatus } from './status';
import { trayContainerItems, trayTooltip } from './tray-text';

const ENGINE: EngineStatus = { state: 'connected', host: '/var/run/docker.sock', version: '20.10.24', since: 0 };
const T = DEFAULT_SETTINGS.thresholds;
const gpu = (over: Partial<GpuSample>): GpuSample => ({
  index: 0, uuid: 'GPU-1', name: 'NVIDIA H100', busId: null, driverVersion: null, utilizationGpu: 50, utilizationMemory: 10,
  memoryTotalMiB: 1000, memoryUsedMiB: 250, memoryFreeMiB: 750, temperatureC: 60, powerDrawW: 100, powerLimitW: 700,
  smClockMHz: 1000, memClockMHz: 1000, fanPercent: null, eccUncorrectedVolatile: 0, pcieLinkGen: 5, throttleReasons: [], fault: null, processes: [], processesError: null, ...over,
});
const snap = (over: Partial<MetricsSnapshot> = {}): MetricsSnapshot => ({
  ts: 1, host: { cpu: { percent: 10, perCore: [10], cores: 1 }, memory: { total: 100, used: 10, available: 90, percent: 10 }, swap: { total: 0, used: 0 }, load: [0, 0, 0] }, ...over,
});
const health = (state: ContainerHealth['state'], reason: string): ContainerHealth => ({ id: 'c1', name: 'trainer', engine: 'local', project: null, state, reasons: [reason], since: 0, checkedAt: 0, probe: null });

describe('overall status: the worst current state wins', () => {
  it('is ok when all is well, with GPU and container headline figures', () => {
    const s = overallStatus(snap({ gpus: [gpu({}), gpu({ index: 1, utilizationGpu: null, memoryUsedMiB: 750 })], containers: [] }), ENGINE, T);
    expect(s).toMatchObject({ level: 'ok', reasons: [], gpuUtilPercent: 50, vramPercent: 50, containersRunning: 0 });
  });

  it('judges GPU temperature, uncorrected ECC errors and hardware slowdown', () => {
    const s = overallStatus(snap({ gpus: [gpu({ temperatureC: 85, throttleReasons: ['HwThermalSlowdown'] }), gpu({ index: 1, eccUncorrectedVolatile: 3 })] }), ENGINE, T);
    expect(s.level).toBe('critical');
    expect(s.reasons[0]).toBe('GPU 1 (NVIDIA H100) has 3 uncorrected ECC errors');
    expect(s.reasons).toContain('GPU 0 (NVIDIA H100) temperature at 85 °C (warning at 83 °C)');
    expect(s.reasons).toContain('GPU 0 (NVIDIA H100) throttled by the hardware: HwThermalSlowdown');
  });

  it('a null GPU temperature is no reason; a restarting nvidia-smi warns', () => {
    const s = overallStatus(snap({ gpus: [gpu({ temperatureC: null })], gpuSource: { tool: 'nvidia-smi', state: 'restarting', error: 'nvidia-smi exited with code 15' } }), ENGINE, T);
    expect(s.level).toBe('warning');
    expect(s.reasons).toEqual(['GPU figures interrupted: nvidia-smi exited with code 15; restarting it']);
  });

  it('a faulted or lost GPU is critical in nvidia-smi words; its null figures count for nothing', () => {
    const nulls = { utilizationGpu: null, utilizationMemory: null, memoryTotalMiB: null, memoryUsedMiB: null, memoryFreeMiB: null, temperatureC: null, eccUncorrectedVolatile: null, throttleReasons: null };
    const s = overallStatus(snap({ gpus: [
      gpu({ ...nulls, fault: { kind: 'fault', message: 'GPU requires reset' } }),
      gpu({ index: 1, uuid: 'GPU-2', utilizationGpu: 100, memoryUsedMiB: 500 }),
      gpu({ ...nulls, index: 2, uuid: 'GPU-3', fault: { kind: 'lost', message: 'Unable to determine the device handle for GPU2: 0000:34:00.0: Unknown Error' } }),
      gpu({ ...nulls, index: -1, uuid: '', name: 'GPU 00000000:17:00.0', busId: '00000000:17:00.0', fault: { kind: 'lost', message: 'Unable to determine the device handle for GPU0000:17:00.0: Unknown Error' } }),
    ] }), ENGINE, T);
    expect(s.level).toBe('critical');
    expect(s.reasons).toEqual([
      'GPU 0 (NVIDIA H100) fault: GPU requires reset',
      'GPU 2 (NVIDIA H100) lost: Unable to determine the device handle for GPU2: 0000:34:00.0: Unknown Error',
      'GPU 00000000:17:00.0 lost: Unable to determine the device handle for GPU0000:17:00.0: Unknown Error',
    ]);
    expect(s).toMatchObject({ gpuUtilPercent: 100, vramPercent: 50 });
  });

  it('any critical container makes it critical; an unreachable engine beats everything', () => {
    expect(overallStatus(snap(), ENGINE, T, [health('warning', 'slow probe'), health('critical', 'probe failed 3 times')]).level).toBe('critical');
    const s = overallStatus(snap(), { ...ENGINE, state: 'unreachable', error: 'ECONNREFUSED' }, T, [health('critical', 'x')]);
    expect(s.level).toBe('unreachable');
    expect(s.reasons[0]).toMatch(/^Docker engine unreachable/);
  });

  it('the tray tooltip carries CPU, memory, GPU, VRAM and the running count', () => {
    const s = overallStatus(snap({ gpus: [gpu({})], containers: [{ ts: 1, id: 'c', name: 'n', project: null, cpuPercent: 1, memoryUsed: 1, memoryLimit: null, memoryPercent: null, netRxBytesPerSec: null, netTxBytesPerSec: null, blockReadBytesPerSec: null, blockWriteBytesPerSec: null, pids: 1 }] }), ENGINE, T);
    expect(trayTooltip(s, ENGINE)).toBe('MLEnv Desktop: ok\nCPU 10.0 % · Memory 10.0 %\nGPU 50.0 % · VRAM 25.0 %\n1 container running\nDocker 20.10.24 connected');
  });

  it('the tray menu lists running managed containers by name, at most 20', () => {
    const c = (name: string, i: number) => ({ id: `id${i}`, name, cpuPercent: i, memoryUsed: 0 });
    expect(trayContainerItems([c('zeta', 1), c('alpha', 2)])).toEqual([
      { id: 'id2', name: 'alpha', label: 'alpha  (CPU 2 %)' },
      { id: 'id1', name: 'zeta', label: 'zeta  (CPU 1 %)' },
    ]);
    expect(trayContainerItems(Array.from({ length: 30 }, (_, i) => c(`n${String(i).padStart(2, '0')}`, i)))).toHaveLength(20);
  });
});
