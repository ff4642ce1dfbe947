// Which GPUs a container holds, read as Docker and the NVIDIA Container Toolkit assign them; the
// --gpus values come through the shared parser (the cases of src-shared/fixtures/cases included).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGpus } from '@shared/gpus';
import type { GpuFact } from './facts';
import { claimFromDeviceRequests, claimFromVisibleDevices, containerGpuClaim, resolveClaim } from './gpu-claims';

const CASES = path.resolve(__dirname, '../../../src-shared/fixtures/cases');
const gpus = (n: number): GpuFact[] => Array.from({ length: n }, (_, i) => ({ index: i, uuid: `GPU-0000000${i}-aaaa-bbbb-cccc-000000000000`, memoryTotalMiB: 81559, memoryFreeMiB: 81000, fault: null, processes: [] }));
const fromFlag = (value: string) => claimFromDeviceRequests([parseGpus(value)!]);

describe('a --gpus value → the GPUs it lands on', () => {
  it.each([
    ['1', [0], []],
    ['2', [0, 1], []],
    ['all', [0, 1, 2, 3], []],
    ['"device=1,2"', [1, 2], []],
    ['device=GPU-00000003-aaaa-bbbb-cccc-000000000000', [3], []],
    ['"device=0:0,0:1"', [0], []],
    ['device=7', [], ['7']],
    ['6', [0, 1, 2, 3], ['4', '5']],
  ])('%s → GPUs %j, missing %j (Docker gives a count of N the GPUs 0…N−1)', (value, indexes, missing) => {
    expect(resolveClaim(fromFlag(value)!, gpus(4))).toMatchObject({ indexes, missing });
  });

  it('reads the documented spellings from the cases: quoted device list, MIG instances', () => {
    const quoted = readFileSync(path.join(CASES, 'gpus-quoted-device-list.txt'), 'utf8').trim();
    const mig = readFileSync(path.join(CASES, 'gpus-mig-instances.txt'), 'utf8').trim();
    expect(resolveClaim(fromFlag(quoted)!, gpus(4))).toEqual({ indexes: [1, 2], missing: [], wanted: 2 });
    expect(resolveClaim(fromFlag(mig)!, gpus(4))).toEqual({ indexes: [0], missing: [], wanted: 2 });
  });

  it('leaves out MIG UUIDs (their GPU is not in nvidia-smi GPU rows) and "none"', () => {
    expect(resolveClaim({ count: 0, deviceIds: ['MIG-4f6a2c11-1111-5222-8333-444455556666'] }, gpus(2))).toEqual({ indexes: [], missing: [], wanted: 1 });
    expect(parseGpus('none')).toBeNull();
  });
});

describe('what a container holds', () => {
  it('DeviceRequests first; NVIDIA_VISIBLE_DEVICES only under the nvidia runtime (NGC images set it for runc too)', () => {
    const env = ['PATH=/usr/bin', 'NVIDIA_VISIBLE_DEVICES=all'];
    expect(containerGpuClaim({ deviceRequests: [], env, runtime: 'runc' })).toBeNull();
    expect(containerGpuClaim({ deviceRequests: [], env, runtime: null, defaultRuntime: 'runc' })).toBeNull();
    expect(containerGpuClaim({ deviceRequests: [], env, runtime: 'nvidia' })).toEqual({ count: -1, deviceIds: null });
    expect(containerGpuClaim({ deviceRequests: [], env, runtime: '', defaultRuntime: 'nvidia' })).toEqual({ count: -1, deviceIds: null });
    expect(containerGpuClaim({ deviceRequests: [parseGpus('"device=1,2"')!], env, runtime: 'nvidia' })).toEqual({ count: 0, deviceIds: ['1', '2'] });
  });

  it('reads NVIDIA_VISIBLE_DEVICES as the Container Toolkit does: all, none, void, empty, a list', () => {
    expect(claimFromVisibleDevices('all')).toEqual({ count: -1, deviceIds: null });
    expect(claimFromVisibleDevices('0,GPU-5117a000-0000-4000-8000-000000000000')).toEqual({ count: 0, deviceIds: ['0', 'GPU-5117a000-0000-4000-8000-000000000000'] });
    for (const v of ['none', 'void', '', undefined]) expect(claimFromVisibleDevices(v)).toBeNull();
    // The last definition wins, as in a process environment.
    expect(containerGpuClaim({ deviceRequests: null, env: ['NVIDIA_VISIBLE_DEVICES=all', 'NVIDIA_VISIBLE_DEVICES=1'], runtime: 'nvidia' })).toEqual({ count: 0, deviceIds: ['1'] });
  });

  it('ignores device requests of another driver', () => {
    expect(claimFromDeviceRequests([{ Driver: 'cdi', Count: 0, DeviceIDs: ['vendor.com/class=x'], Capabilities: [], Options: {} }])).toBeNull();
    expect(claimFromDeviceRequests([{ Driver: 'nvidia', Count: 2, DeviceIDs: null, Capabilities: [['gpu']], Options: {} }])).toEqual({ count: 2, deviceIds: null });
  });
});
