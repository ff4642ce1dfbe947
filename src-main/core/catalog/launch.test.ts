// What the launcher takes from the sampler about this machine's GPUs: a count once nvidia-smi has
// answered, none when there is no NVIDIA GPU, and "not known" while it has not answered or restarts.
import { describe, expect, it } from 'vitest';
import type { GpuSourceStatus, MetricsSnapshot } from '@shared/contract';
import { gpusAnswered, localGpuCount } from './launch';

const snap = (gpuSource: GpuSourceStatus, gpus = 0): MetricsSnapshot => ({
  ts: 1,
  host: { cpu: { percent: 1, perCore: [1], cores: 1 }, memory: { total: 1, used: 0, available: 1, percent: 0 }, swap: { total: 0, used: 0 }, load: [0, 0, 0] },
  gpus: Array.from({ length: gpus }, (_, index) => ({ index }) as NonNullable<MetricsSnapshot['gpus']>[number]),
  gpuSource,
});

describe('localGpuCount', () => {
  it('counts the GPUs nvidia-smi lists', () => {
    expect(localGpuCount(snap({ tool: 'nvidia-smi', state: 'running' }, 2))).toBe(2);
  });
  it('is 0 where there is no NVIDIA tool or driver', () => {
    expect(localGpuCount(snap({ tool: 'none', state: 'absent' }))).toBe(0);
    expect(localGpuCount(snap({ tool: 'nvidia-smi', state: 'absent', error: 'NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver' }))).toBe(0);
  });
  it('is not known before the first snapshot, before nvidia-smi answers, and while it restarts (a gap, not "no GPU")', () => {
    expect(localGpuCount(undefined)).toBeNull();
    expect(gpusAnswered(snap({ tool: 'nvidia-smi', state: 'running', error: 'not started' }))).toBe(false);
    expect(localGpuCount(snap({ tool: 'nvidia-smi', state: 'running', error: 'not started' }))).toBeNull();
    expect(localGpuCount(snap({ tool: 'nvidia-smi', state: 'restarting', error: 'exited with code 15' }))).toBeNull();
  });
});
