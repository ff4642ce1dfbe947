// decide() over synthetic facts, table by table: every check passing, failing and unknown, with its
// sentence and what to stop or lower; every mode; the ledger's reservations; the ranking.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ADMISSION_POLICY, type AdmissionCheckId, type AdmissionPolicySettings } from '@shared/contract';
import { decide } from './decide';
import { pullDiskBytes } from './host-checks';
import type { DecideInput, Demand, GpuFact, HostFacts, LedgerEntry, RunningContainer } from './facts';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const NOW = 1_700_000_000_000;

const host = (o: Partial<HostFacts> = {}): HostFacts => ({
  ts: NOW - 500,
  unknownWhy: null,
  memory: { totalBytes: 24 * GiB, usedBytes: 4 * GiB },
  cpuPercent: 20,
  cpuWindowSeconds: 10,
  cores: 8,
  load1: 1,
  disk: { mount: '/var/lib/docker', freeBytes: 100 * GiB, totalBytes: 500 * GiB },
  diskWhy: null,
  gpus: [],
  gpuWhy: null,
  usage: new Map(),
  ...o,
});
const demand = (o: Partial<Demand> = {}): Demand => ({
  action: 'launch',
  engine: 'local',
  project: 'default',
  image: 'nvcr.io/nvidia/pytorch:24.05-py3',
  container: null,
  memoryBytes: 2 * GiB,
  hostMemoryBytes: 2 * GiB,
  memoryCounted: 2 * GiB,
  cpus: null,
  gpus: null,
  pullBytes: null,
  newContainer: true,
  ...o,
});
/** A launch asking for `bytes` of memory. */
const asking = (bytes: number, o: Partial<Demand> = {}) => demand({ memoryBytes: bytes, hostMemoryBytes: bytes, memoryCounted: bytes, ...o });
const running = (o: Partial<RunningContainer> & { name: string }): RunningContainer => ({ id: `${o.name}-id`, project: 'default', state: 'running', memoryLimit: null, cpus: null, gpus: null, ...o });
const held = (o: Partial<LedgerEntry> = {}): LedgerEntry => ({
  id: 1,
  decisionId: 1,
  project: 'default',
  containerId: null,
  name: 'nb-2',
  memoryBytes: 0,
  memoryCounted: 0,
  cpus: null,
  gpus: null,
  newContainer: true,
  state: 'held',
  createdAt: NOW - 1000,
  settledAt: null,
  ...o,
});
const policy = (o: Partial<Omit<AdmissionPolicySettings, 'thresholds'>> & { thresholds?: Partial<AdmissionPolicySettings['thresholds']> } = {}): AdmissionPolicySettings => ({
  ...DEFAULT_ADMISSION_POLICY,
  ...o,
  thresholds: { ...DEFAULT_ADMISSION_POLICY.thresholds, ...o.thresholds },
});
const input = (o: Partial<DecideInput> = {}): DecideInput => ({
  demand: demand(),
  host: host(),
  running: { asOf: NOW - 200, containers: [], unknownWhy: null },
  ledger: [],
  quota: null,
  policy: policy(),
  actor: 'user',
  now: NOW,
  ...o,
});
const withRunning = (...containers: RunningContainer[]) => ({ running: { asOf: NOW - 200, containers, unknownWhy: null } });
const check = (i: DecideInput, id: AdmissionCheckId) => decide(i).checks.find((c) => c.id === id)!;

/** Two H100s as the h100x2 fixture reports them (GPU 0 busy with 19.8 GiB free, GPU 1 idle). */
const H100X2: GpuFact[] = [
  { index: 0, uuid: 'GPU-3a1f9e02-4c11-4b8a-9e2d-7f6b1c0a55e1', memoryTotalMiB: 81559, memoryFreeMiB: 19816, fault: null, processes: [] },
  { index: 1, uuid: 'GPU-5117a000-0000-4000-8000-000000000000', memoryTotalMiB: 81559, memoryFreeMiB: 81071, fault: null, processes: [] },
];

interface Case {
  name: string;
  input: DecideInput;
  id: AdmissionCheckId;
  status: 'pass' | 'fail' | 'unknown';
  sentence: string | RegExp;
  remedy?: string | RegExp;
  canNeverFit?: true;
}

function runCases(cases: Case[]) {
  it.each(cases)('$name', (c) => {
    const got = check(c.input, c.id);
    expect(got.status).toBe(c.status);
    if (typeof c.sentence === 'string') expect(got.sentence).toBe(c.sentence);
    else expect(got.sentence).toMatch(c.sentence);
    if (c.remedy === undefined) expect(got.remedy).toBeUndefined();
    else if (typeof c.remedy === 'string') expect(got.remedy).toBe(c.remedy);
    else expect(got.remedy).toMatch(c.remedy);
    expect(got.canNeverFit ?? false).toBe(c.canNeverFit ?? false);
  });
}

describe('memory checks', () => {
  const train3 = running({ name: 'train-3', memoryLimit: 8 * GiB });
  const usage6 = new Map([['train-3-id', { memoryBytes: 6 * GiB, cpuPercent: 10 }]]);
  runCases([
    {
      name: 'fits: in use + requested of total, under 85 %',
      input: input(),
      id: 'memory_percent',
      status: 'pass',
      sentence: 'Memory after launch 25 % (limit 85 %): 4 GiB in use + 2 GiB requested of 24 GiB',
    },
    {
      name: 'would cross 85 %: names what to stop and what to lower the memory to',
      input: input({ demand: asking(8 * GiB), host: host({ memory: { totalBytes: 24 * GiB, usedBytes: 14 * GiB }, usage: usage6 }), ...withRunning(train3) }),
      id: 'memory_percent',
      status: 'fail',
      sentence: 'Memory would reach 91.7 % (limit 85 %): 14 GiB in use + 8 GiB requested of 24 GiB',
      remedy: 'stop `train-3` (6 GiB) or lower the memory to 6.4 GiB',
    },
    {
      name: 'more memory than the machine has: can never fit, lower it',
      input: input({ demand: asking(48 * GiB) }),
      id: 'memory_percent',
      status: 'fail',
      sentence: 'Memory would reach 216.7 % (limit 85 %): 4 GiB in use + 48 GiB requested of 24 GiB',
      remedy: 'lower the memory to 16.4 GiB',
      canNeverFit: true,
    },
    {
      name: 'a launch without a memory limit counts the default, and says so',
      input: input({ demand: demand({ memoryBytes: null, hostMemoryBytes: 2 * GiB, memoryCounted: 2 * GiB }) }),
      id: 'memory_percent',
      status: 'pass',
      sentence: 'Memory after launch 25 % (limit 85 %): 4 GiB in use + 2 GiB counted (no memory limit set: the default for a launch without one) of 24 GiB',
    },
    {
      name: 'launches under way count with what they reserved',
      input: input({ demand: asking(8 * GiB), ledger: [held({ memoryBytes: 6 * GiB, memoryCounted: 6 * GiB })] }),
      id: 'memory_percent',
      status: 'pass',
      sentence: 'Memory after launch 75 % (limit 85 %): 4 GiB in use + 6 GiB reserved by launches under way + 8 GiB requested of 24 GiB',
    },
    {
      name: 'a reservation committed before the snapshot is in its figures already',
      input: input({ demand: asking(8 * GiB), ledger: [held({ memoryBytes: 6 * GiB, state: 'committed', settledAt: NOW - 900 })] }),
      id: 'memory_percent',
      status: 'pass',
      sentence: 'Memory after launch 50 % (limit 85 %): 4 GiB in use + 8 GiB requested of 24 GiB',
    },
    {
      name: 'a reservation committed after the snapshot still counts (the sampler has not seen it)',
      input: input({ demand: asking(8 * GiB), ledger: [held({ memoryBytes: 6 * GiB, state: 'committed', settledAt: NOW - 100 })] }),
      id: 'memory_percent',
      status: 'pass',
      sentence: 'Memory after launch 75 % (limit 85 %): 4 GiB in use + 6 GiB reserved by launches under way + 8 GiB requested of 24 GiB',
    },
    {
      name: 'only reservations left to free: wait for them',
      input: input({ demand: asking(8 * GiB), ledger: [held({ memoryBytes: 10 * GiB })], host: host({ memory: { totalBytes: 24 * GiB, usedBytes: 4 * GiB } }) }),
      id: 'memory_percent',
      status: 'fail',
      sentence: 'Memory would reach 91.7 % (limit 85 %): 4 GiB in use + 10 GiB reserved by launches under way + 8 GiB requested of 24 GiB',
      remedy: 'lower the memory to 6.4 GiB',
    },
    {
      name: 'unpausing adds no memory: passes even above the limit',
      input: input({ demand: demand({ action: 'unpause', container: { id: 'nb-id', name: 'nb' }, hostMemoryBytes: 0, newContainer: false }), host: host({ memory: { totalBytes: 24 * GiB, usedBytes: 22 * GiB } }) }),
      id: 'memory_percent',
      status: 'pass',
      sentence: 'Memory stays at 91.7 % (limit 85 %): unpausing `nb` adds none',
    },
    {
      name: 'free memory after the launch below 4 GiB',
      input: input({ demand: asking(4.5 * GiB), host: host({ memory: { totalBytes: 24 * GiB, usedBytes: 16 * GiB } }), policy: policy({ thresholds: { memoryMaxPercent: 95 } }) }),
      id: 'memory_free',
      status: 'fail',
      sentence: 'Only 3.5 GiB of memory would stay free (at least 4 GiB must): 16 GiB in use + 4.5 GiB requested of 24 GiB',
      remedy: 'lower the memory to 4 GiB',
    },
    {
      name: 'free memory after the launch: enough',
      input: input(),
      id: 'memory_free',
      status: 'pass',
      sentence: '18 GiB of memory would stay free (at least 4 GiB must): 4 GiB in use + 2 GiB requested of 24 GiB',
    },
    {
      name: 'overcommitted: says by how much',
      input: input({ demand: asking(30 * GiB), policy: policy({ thresholds: { memoryMaxPercent: 100 } }) }),
      id: 'memory_free',
      status: 'fail',
      sentence: 'Memory would be overcommitted by 10 GiB (at least 4 GiB must stay free): 4 GiB in use + 30 GiB requested of 24 GiB',
      remedy: 'lower the memory to 16 GiB',
      canNeverFit: true,
    },
    {
      name: 'no snapshot: unknown, with the reason',
      input: input({ host: host({ memory: null, unknownWhy: 'the sampler has not taken a snapshot yet' }) }),
      id: 'memory_percent',
      status: 'unknown',
      sentence: 'Memory unknown: the sampler has not taken a snapshot yet',
    },
  ]);
});

describe('CPU and load checks', () => {
  const hog = running({ name: 'hog', cpus: 4 });
  runCases([
    { name: 'CPU averaged over the window, under 90 %', input: input(), id: 'cpu_percent', status: 'pass', sentence: 'CPU 20 % busy, averaged over the last 10 s (limit 90 %)' },
    {
      name: 'CPU over 90 %: wait, or stop the busiest container',
      input: input({ host: host({ cpuPercent: 95, usage: new Map([['hog-id', { memoryBytes: GiB, cpuPercent: 48 }]]) }), ...withRunning(hog) }),
      id: 'cpu_percent',
      status: 'fail',
      sentence: 'CPU is 95 % busy, averaged over the last 10 s (limit 90 %)',
      remedy: 'wait until it falls, or stop `hog` (48 % of the CPUs)',
    },
    { name: 'one sample only: said so', input: input({ host: host({ cpuPercent: 30, cpuWindowSeconds: 0 }) }), id: 'cpu_percent', status: 'pass', sentence: 'CPU 30 % busy, in the last sample (limit 90 %)' },
    { name: 'CPU unknown', input: input({ host: host({ cpuPercent: null, unknownWhy: 'the newest snapshot is 45 s old' }) }), id: 'cpu_percent', status: 'unknown', sentence: 'CPU unknown: the newest snapshot is 45 s old' },
    { name: 'no CPU limit asked', input: input(), id: 'cpu_count', status: 'pass', sentence: 'No CPU limit asked (the container may use every CPU)' },
    { name: 'CPUs within the machine', input: input({ demand: demand({ cpus: 4 }) }), id: 'cpu_count', status: 'pass', sentence: '4 CPUs asked for; this machine has 8' },
    {
      name: 'more CPUs than the machine has: can never fit',
      input: input({ demand: demand({ cpus: 16 }) }),
      id: 'cpu_count',
      status: 'fail',
      sentence: '16 CPUs asked for; this machine has 8',
      remedy: 'lower the CPUs to 8 or fewer',
      canNeverFit: true,
    },
    { name: 'load within 2 × cores', input: input({ host: host({ load1: 15.5 }) }), id: 'load', status: 'pass', sentence: 'Load average 15.5 (limit 16: 2 × 8 cores)' },
    { name: 'load over 2 × cores', input: input({ host: host({ load1: 17.33, cores: 2 }) }), id: 'load', status: 'fail', sentence: 'Load average 17.33 (limit 4: 2 × 2 cores)', remedy: 'wait until it falls' },
    {
      name: 'restarting a running container adds no load: a pegged machine does not keep it from restarting',
      input: input({ host: host({ cpuPercent: 99, load1: 30 }), demand: demand({ action: 'restart', container: { id: 'hung-id', name: 'hung' }, hostMemoryBytes: 0, newContainer: false }) }),
      id: 'cpu_percent',
      status: 'pass',
      sentence: 'CPU 99 % busy, averaged over the last 10 s (limit 90 %); restarting `hung` adds none',
    },
    {
      name: 'unpausing resumes a container: the CPU check applies',
      input: input({ host: host({ cpuPercent: 99 }), demand: demand({ action: 'unpause', container: { id: 'nb-id', name: 'nb' }, hostMemoryBytes: 0, newContainer: false }) }),
      id: 'cpu_percent',
      status: 'fail',
      sentence: 'CPU is 99 % busy, averaged over the last 10 s (limit 90 %)',
      remedy: 'wait until it falls',
    },
  ]);
});

describe('GPU checks', () => {
  const gpuHost = host({ gpus: H100X2 });
  const train3 = running({ name: 'train-3', gpus: { count: 1, deviceIds: null } });
  runCases([
    { name: 'no GPU asked', input: input({ host: gpuHost }), id: 'gpu_exists', status: 'pass', sentence: 'No GPU asked for' },
    { name: 'a count within the machine', input: input({ host: gpuHost, demand: demand({ gpus: { count: 2, deviceIds: null } }) }), id: 'gpu_exists', status: 'pass', sentence: 'GPUs 0, 1: this machine has 2 GPUs (0, 1)' },
    {
      name: '4 GPUs on a 2-GPU host: can never fit',
      input: input({ host: gpuHost, demand: demand({ gpus: { count: 4, deviceIds: null } }) }),
      id: 'gpu_exists',
      status: 'fail',
      sentence: '4 GPUs asked for; this machine has 2 GPUs (0, 1)',
      remedy: 'ask for at most 2 GPUs',
      canNeverFit: true,
    },
    {
      name: 'a device id that names no GPU',
      input: input({ host: gpuHost, demand: demand({ gpus: { count: 0, deviceIds: ['7'] } }) }),
      id: 'gpu_exists',
      status: 'fail',
      sentence: 'GPU 7 is not a GPU of this machine; this machine has 2 GPUs (0, 1)',
      remedy: 'choose among GPUs 0, 1',
      canNeverFit: true,
    },
    {
      name: 'GPUs on a machine without one (nvidia-smi absent)',
      input: input({ host: host({ gpus: [], gpuWhy: 'nvidia-smi: nvidia-smi not found' }), demand: demand({ gpus: { count: 1, deviceIds: null } }) }),
      id: 'gpu_exists',
      status: 'fail',
      sentence: '1 GPU asked for; this machine has no NVIDIA GPU (nvidia-smi: nvidia-smi not found)',
      remedy: 'launch without GPUs',
      canNeverFit: true,
    },
    {
      name: 'a GPU held by a running managed container is not offered again (--gpus 1 always lands on GPU 0)',
      input: input({ host: gpuHost, demand: demand({ gpus: { count: 1, deviceIds: null } }), ...withRunning(train3) }),
      id: 'gpu_free',
      status: 'fail',
      sentence: 'GPU 0 is held by `train-3` (--gpus 1 always gets GPU 0: Docker hands out GPUs from 0)',
      remedy: 'stop `train-3` or ask for "device=1" (free)',
    },
    { name: 'the other GPU by id is free', input: input({ host: gpuHost, demand: demand({ gpus: { count: 0, deviceIds: ['1'] } }), ...withRunning(train3) }), id: 'gpu_free', status: 'pass', sentence: 'No other container holds GPU 1' },
    {
      name: 'by UUID, held by a launch under way',
      input: input({ host: gpuHost, demand: demand({ gpus: { count: 0, deviceIds: ['GPU-5117a000-0000-4000-8000-000000000000'] } }), ledger: [held({ gpus: { count: 0, deviceIds: ['1'] } })] }),
      id: 'gpu_free',
      status: 'fail',
      sentence: 'GPU 1 is held by `nb-2`',
      remedy: 'stop `nb-2` or ask for "device=0" (free)',
    },
    {
      name: 'a MIG instance (0:1) is on GPU 0',
      input: input({ host: gpuHost, demand: demand({ gpus: { count: 0, deviceIds: ['0:0', '0:1'] } }), ...withRunning(train3) }),
      id: 'gpu_free',
      status: 'fail',
      sentence: 'GPU 0 is held by `train-3`',
      remedy: 'stop `train-3`',
    },
    {
      name: 'the container being started does not hold against itself',
      input: input({ host: gpuHost, demand: demand({ action: 'start', container: { id: 'train-3-id', name: 'train-3' }, gpus: { count: 1, deviceIds: null } }), ...withRunning(train3) }),
      id: 'gpu_free',
      status: 'pass',
      sentence: 'No other container holds GPU 0',
    },
    {
      name: 'free GPU memory above the margin',
      input: input({ host: gpuHost, demand: demand({ gpus: { count: 0, deviceIds: ['0'] } }) }),
      id: 'gpu_memory',
      status: 'pass',
      sentence: '19.4 GiB free on the fullest GPU asked for (at least 1 GiB must be)',
    },
    {
      name: 'GPU memory below the margin: names the container using it, and a roomier GPU',
      input: input({
        host: host({ gpus: [{ ...H100X2[0]!, memoryFreeMiB: 512, processes: [{ containerId: 'serve-id', usedMiB: 30211 }] }, H100X2[1]!] }),
        demand: demand({ gpus: { count: 0, deviceIds: ['0'] } }),
        ...withRunning(running({ name: 'serve', memoryLimit: GiB })),
      }),
      id: 'gpu_memory',
      status: 'fail',
      sentence: 'GPU 0 has only 512 MiB free (at least 1 GiB must be)',
      remedy: 'stop `serve` (29.5 GiB on GPU 0) or choose GPU 1 (79.2 GiB free)',
    },
    {
      name: 'a faulted GPU',
      input: input({ host: host({ gpus: [{ ...H100X2[0]!, memoryFreeMiB: null, fault: '[GPU requires reset]' }, H100X2[1]!] }), demand: demand({ gpus: { count: 1, deviceIds: null } }) }),
      id: 'gpu_memory',
      status: 'fail',
      sentence: 'GPU 0 reports a fault: [GPU requires reset]',
      remedy: 'choose another GPU, or reset this one (nvidia-smi -r) once nothing uses it',
    },
    {
      name: 'nvidia-smi gone: unknown, never admitted silently',
      input: input({ host: host({ gpus: null, gpuWhy: 'nvidia-smi stopped answering; it is being restarted' }), demand: demand({ gpus: { count: 1, deviceIds: null } }) }),
      id: 'gpu_free',
      status: 'unknown',
      sentence: 'GPUs unknown: nvidia-smi stopped answering; it is being restarted',
    },
  ]);
});

describe('disk check', () => {
  const free = "100 GiB free on /var/lib/docker (Docker's data root); ";
  runCases([
    { name: 'nothing known of the pull (the launch form): the margin alone', input: input(), id: 'disk_free', status: 'pass', sentence: `${free}image size unknown: only the margin is checked (at least 5 GiB must stay free)` },
    { name: 'the image is on the engine: nothing to pull', input: input({ demand: demand({ imagePresent: true }) }), id: 'disk_free', status: 'pass', sentence: `${free}the image is on the engine: nothing to pull (at least 5 GiB must stay free)` },
    {
      name: 'the image is missing and its size unknown: the margin alone, said so',
      input: input({ demand: demand({ imagePresent: false }) }),
      id: 'disk_free',
      status: 'pass',
      sentence: `${free}the image is not on the engine and its size is unknown: only the margin is checked (at least 5 GiB must stay free)`,
    },
    {
      name: 'a pull that fits: the download and its extraction (2× the download)',
      input: input({ demand: demand({ imagePresent: false, pullBytes: 9.5 * GiB }) }),
      id: 'disk_free',
      status: 'pass',
      sentence: `${free}the pull needs about 28.5 GiB (a 9.5 GiB download, compressed, + about 19 GiB extracted) and would leave 71.5 GiB (at least 5 GiB must stay free)`,
    },
    {
      name: 'a pull that leaves less than the margin: free some space',
      input: input({ demand: demand({ pullBytes: 32 * GiB }) }),
      id: 'disk_free',
      status: 'fail',
      sentence: `${free}the pull needs about 96 GiB (a 32 GiB download, compressed, + about 64 GiB extracted) and would leave 4 GiB (at least 5 GiB must stay free)`,
      remedy: 'free 1 GiB on /var/lib/docker (docker image prune removes unused images)',
    },
    {
      name: 'a pull larger than the disk: can never fit',
      input: input({ demand: demand({ imagePresent: false, pullBytes: 200 * GiB }) }),
      id: 'disk_free',
      status: 'fail',
      sentence: `${free}the pull needs about 600 GiB (a 200 GiB download, compressed, + about 400 GiB extracted) and would leave 0 B (at least 5 GiB must stay free)`,
      remedy: "the disk holding /var/lib/docker is 500 GiB in all: move Docker's data root to a larger one",
      canNeverFit: true,
    },
    { name: 'a size given for an image that is present counts nothing', input: input({ demand: demand({ imagePresent: true, pullBytes: 200 * GiB }) }), id: 'disk_free', status: 'pass', sentence: `${free}the image is on the engine: nothing to pull (at least 5 GiB must stay free)` },
    { name: 'starting a container pulls nothing', input: input({ demand: demand({ action: 'start', container: { id: 'a', name: 'a' } }) }), id: 'disk_free', status: 'pass', sentence: 'Nothing to pull' },
    { name: "Docker's data root not known", input: input({ host: host({ disk: null, diskWhy: "Docker's data root is not known yet" }) }), id: 'disk_free', status: 'unknown', sentence: "Free space on Docker's data root unknown: Docker's data root is not known yet" },
  ]);

  it('a pull that can never fit: its figures, ranked first, and the refusal says so', () => {
    const compressed = 200 * GiB;
    const d = decide(input({ demand: asking(30 * GiB, { imagePresent: false, pullBytes: compressed }) }));
    const disk = d.checks.find((c) => c.id === 'disk_free')!;
    expect(pullDiskBytes(compressed)).toBe(600 * GiB);
    expect(disk).toMatchObject({ status: 'fail', canNeverFit: true, observed: 100 * GiB, limit: 5 * GiB, after: 100 * GiB - 600 * GiB, unit: 'bytes' });
    // Both never fit (30 GiB of memory on a 24 GiB machine, 600 GiB on a 500 GiB disk): in check order, memory first; both before what would fit later.
    expect(d.checks.filter((c) => c.canNeverFit).map((c) => c.id)).toEqual(['memory_percent', 'memory_free', 'disk_free']);
    expect(d.request.pullBytes).toBe(compressed);
    const alone = decide(input({ demand: demand({ imagePresent: false, pullBytes: compressed }) }));
    expect(alone.checks[0]!.id).toBe('disk_free');
    expect(alone.summary).toBe(
      `Refused: ${free}the pull needs about 600 GiB (a 200 GiB download, compressed, + about 400 GiB extracted) and would leave 0 B (at least 5 GiB must stay free); the disk holding /var/lib/docker is 500 GiB in all: move Docker's data root to a larger one`,
    );
  });
});

describe('project quota checks', () => {
  const ml = (name: string, o: Partial<RunningContainer> = {}) => running({ name, project: 'ml', ...o });
  const quota = (o: Partial<{ containers: number; memoryBytes: number; cpus: number; gpus: number }>) => ({ project: 'ml', containers: null, memoryBytes: null, cpus: null, gpus: null, updatedAt: NOW, updatedBy: 'user' as const, ...o });
  runCases([
    { name: 'no quota', input: input({ demand: demand({ project: 'ml' }) }), id: 'quota_containers', status: 'pass', sentence: 'No container quota for project `ml`' },
    {
      name: 'containers at the quota',
      input: input({ demand: demand({ project: 'ml' }), quota: quota({ containers: 2 }), ...withRunning(ml('a'), ml('b'), running({ name: 'other' })) }),
      id: 'quota_containers',
      status: 'fail',
      sentence: 'Project `ml` would have 3 containers (quota 2): 2 running or being launched + this one',
      remedy: 'stop `a` or raise the quota (mlenv quota set ml --containers 3)',
    },
    {
      name: 'a launch under way counts toward the project',
      input: input({ demand: demand({ project: 'ml' }), quota: quota({ containers: 2 }), ...withRunning(ml('a')), ledger: [held({ project: 'ml' })] }),
      id: 'quota_containers',
      status: 'fail',
      sentence: 'Project `ml` would have 3 containers (quota 2): 2 running or being launched + this one',
      remedy: 'stop `a` or raise the quota (mlenv quota set ml --containers 3)',
    },
    {
      name: 'a quota of no containers: can never fit',
      input: input({ demand: demand({ project: 'ml' }), quota: quota({ containers: 0 }) }),
      id: 'quota_containers',
      status: 'fail',
      sentence: 'Project `ml` would have 1 container (quota 0): 0 running or being launched + this one',
      remedy: 'raise the quota (mlenv quota set ml --containers 1)',
      canNeverFit: true,
    },
    {
      name: 'memory over the quota (a container without a limit counts the default)',
      input: input({ demand: asking(4 * GiB, { project: 'ml' }), quota: quota({ memoryBytes: 10 * GiB }), ...withRunning(ml('a', { memoryLimit: 6 * GiB }), ml('b')) }),
      id: 'quota_memory',
      status: 'fail',
      sentence: 'Project `ml` would hold 12 GiB of memory (quota 10 GiB): 8 GiB in its containers + 4 GiB asked for',
      remedy: 'stop `b` (2 GiB), lower the memory to 2 GiB or raise the quota (mlenv quota set ml --memory 12g)',
    },
    {
      name: 'no CPU limit counts every CPU against a CPU quota',
      input: input({ demand: demand({ project: 'ml' }), quota: quota({ cpus: 4 }) }),
      id: 'quota_cpus',
      status: 'fail',
      sentence: 'Project `ml` would hold 8 CPUs (quota 4 CPUs): 0 CPUs in its containers + 8 CPUs (no CPU limit set: counted as every CPU)',
      remedy: 'set a CPU limit of 4 or raise the quota (mlenv quota set ml --cpus 8)',
      canNeverFit: true,
    },
    { name: 'CPUs within the quota', input: input({ demand: demand({ project: 'ml', cpus: 2 }), quota: quota({ cpus: 4 }), ...withRunning(ml('a', { cpus: 2 })) }), id: 'quota_cpus', status: 'pass', sentence: 'Project `ml` would hold 4 CPUs (quota 4 CPUs): 2 CPUs in its containers + 2 CPUs asked for' },
    {
      name: 'two GPUs against a quota of one: can never fit',
      input: input({ host: host({ gpus: H100X2 }), demand: demand({ project: 'ml', gpus: { count: 2, deviceIds: null } }), quota: quota({ gpus: 1 }) }),
      id: 'quota_gpus',
      status: 'fail',
      sentence: 'Project `ml` would hold 2 GPUs (quota 1): 0 in its containers + 2 asked for',
      remedy: 'raise the quota (mlenv quota set ml --gpus 2)',
      canNeverFit: true,
    },
    {
      name: 'every GPU asked for while the GPUs are unknown',
      input: input({ host: host({ gpus: null, gpuWhy: 'nvidia-smi has not reported any GPU yet' }), demand: demand({ project: 'ml', gpus: { count: -1, deviceIds: null } }), quota: quota({ gpus: 1 }) }),
      id: 'quota_gpus',
      status: 'unknown',
      sentence: 'GPUs held by project `ml` unknown: nvidia-smi has not reported any GPU yet',
    },
  ]);
});

describe('modes, unknown figures and the outcome', () => {
  const cpuHot = host({ cpuPercent: 95 });
  it.each([
    { name: 'enforce refuses', p: policy(), admitted: false, outcome: 'rejected', summary: /^Refused: CPU is 95 % busy/ },
    { name: 'dry_run admits, reporting what enforce would do', p: policy({ mode: 'dry_run' }), admitted: true, outcome: 'violation', summary: /^Dry run, would be refused: CPU is 95 % busy/ },
    { name: 'audit admits and records the violation', p: policy({ mode: 'audit' }), admitted: true, outcome: 'violation', summary: /^Admitted in audit mode despite: CPU is 95 % busy/ },
    { name: 'a check in audit under an enforcing policy admits', p: policy({ checks: { cpu_percent: 'audit' } }), admitted: true, outcome: 'violation', summary: /^Admitted in enforce mode despite: CPU/ },
    { name: 'a check in enforce under an auditing policy refuses', p: policy({ mode: 'audit', checks: { cpu_percent: 'enforce' } }), admitted: false, outcome: 'rejected', summary: /^Refused: CPU/ },
  ])('$name', ({ p, admitted, outcome, summary }) => {
    const d = decide(input({ host: cpuHot, policy: p }));
    expect(d).toMatchObject({ admitted, outcome, wouldReject: true, mode: p.mode });
    expect(d.summary).toMatch(summary);
    expect(d.checks.find((c) => c.id === 'cpu_percent')!.mode).toBe(p.checks.cpu_percent ?? p.mode);
  });

  it('admits when every check passes, in any mode', () => {
    for (const mode of ['enforce', 'dry_run', 'audit'] as const) {
      const d = decide(input({ policy: policy({ mode }) }));
      expect(d).toMatchObject({ admitted: true, outcome: 'admitted', wouldReject: false });
      expect(d.summary).toBe(mode === 'dry_run' ? 'Dry run: every check passed' : 'Admitted: every check passed');
    }
  });

  it('unknown figures refuse under the enforce default, and pass with a warning when the policy says so', () => {
    const cold = host({ memory: null, cpuPercent: null, cores: null, load1: null, disk: null, gpus: null, unknownWhy: 'the sampler has not taken a snapshot yet', diskWhy: 'the sampler has not taken a snapshot yet', gpuWhy: 'the sampler has not taken a snapshot yet' });
    const refused = decide(input({ host: cold }));
    expect(refused).toMatchObject({ admitted: false, outcome: 'rejected' });
    expect(refused.summary).toBe('Refused: Memory unknown: the sampler has not taken a snapshot yet (and 4 more)');
    const warned = decide(input({ host: cold, policy: policy({ unknown: 'warn' }) }));
    expect(warned).toMatchObject({ admitted: true, outcome: 'admitted', wouldReject: false });
    expect(warned.summary).toBe('Admitted: every check passed (5 unknown, passed with a warning)');
  });
});

describe('ranking and the decision as a whole', () => {
  it('puts what can never fit first, then what would fit once something stops, then unknown, then passed', () => {
    const d = decide(
      input({
        demand: asking(8 * GiB, { cpus: 16, gpus: { count: 1, deviceIds: null } }),
        host: host({ memory: { totalBytes: 24 * GiB, usedBytes: 14 * GiB }, gpus: null, gpuWhy: 'nvidia-smi has not reported any GPU yet' }),
      }),
    );
    expect(d.checks.map((c) => [c.id, c.status, c.canNeverFit ?? false])).toEqual([
      ['cpu_count', 'fail', true],
      ['memory_percent', 'fail', false],
      ['memory_free', 'fail', false],
      ['gpu_exists', 'unknown', false],
      ['gpu_free', 'unknown', false],
      ['gpu_memory', 'unknown', false],
      ['cpu_percent', 'pass', false],
      ['load', 'pass', false],
      ['disk_free', 'pass', false],
      ['quota_containers', 'pass', false],
      ['quota_memory', 'pass', false],
      ['quota_cpus', 'pass', false],
      ['quota_gpus', 'pass', false],
    ]);
    expect(d.summary).toBe('Refused: 16 CPUs asked for; this machine has 8; lower the CPUs to 8 or fewer (and 5 more)');
    expect(d.checks.every((c) => c.label.length > 0)).toBe(true);
  });

  it('summarises the request and the facts, and is pure: the same facts give the same decision', () => {
    const i = input({ demand: asking(8 * GiB, { gpus: { count: 0, deviceIds: ['1'] } }), host: host({ gpus: H100X2 }), ...withRunning(running({ name: 'train-3', gpus: { count: 1, deviceIds: null } })), ledger: [held({ memoryBytes: GiB })] });
    const d = decide(i);
    expect(decide(i)).toEqual(d);
    expect(d.at).toBe(NOW);
    expect(d.request).toEqual({ action: 'launch', engine: 'local', project: 'default', image: 'nvcr.io/nvidia/pytorch:24.05-py3', container: null, memoryBytes: 8 * GiB, memoryCountedBytes: 8 * GiB, cpus: null, gpus: { count: 0, deviceIds: ['1'] }, pullBytes: null });
    expect(d.facts).toMatchObject({
      snapshotTs: NOW - 500,
      memory: { totalBytes: 24 * GiB, usedBytes: 4 * GiB, reservedBytes: GiB },
      reservations: 1,
      gpus: [
        { index: 0, heldBy: ['train-3'] },
        { index: 1, heldBy: [] },
      ],
      projectUsage: { containers: 2, memoryBytes: 2 * GiB, cpus: 16, gpus: 1 },
    });
  });
});

it('words sizes below a GiB in MiB', () => {
  const c = check(input({ demand: asking(300 * MiB) }), 'memory_percent');
  expect(c.sentence).toBe('Memory after launch 17.9 % (limit 85 %): 4 GiB in use + 300 MiB requested of 24 GiB');
});
