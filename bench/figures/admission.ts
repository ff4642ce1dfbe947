// Admission figures. decide() alone on a busy machine's facts (50 running containers, 8 GPUs, 20
// projects with quotas, launches under way), one call timed at a time; and a launch on the real engine
// through the gate with admission against the same gate without it, interleaved in the same run, with
// the time spent in admission itself (facts made ready, decide + ledger transaction, bind, commit).
import Docker from 'dockerode';
import { DEFAULT_ADMISSION_POLICY, launchSchema, type AdmissionPolicySettings, type ProjectQuota } from '@shared/contract';
import { decide } from '../../src-main/core/admission/decide';
import type { DecideInput, Demand, GpuFact, HostFacts, LedgerEntry, RunningContainer } from '../../src-main/core/admission/facts';
import { containerHandle } from '../../src-main/core/docker/container-handle';
import type { AdmissionGate } from '../../src-main/core/lifecycle/admission';
import { createLifecycle } from '../../src-main/core/lifecycle/service';
import { createApp } from '../../src-main/core/app';
import { VERSION } from '../../src-main/version';
import { compare, median, percentile, round, type BenchContext, type Figures } from '../report';
import { ensureTestImage } from '../test-image';

const IMAGE = process.env.MLENV_TEST_IMAGE ?? 'mlenv-test/busybox:latest';
const LABEL = 'io.mlenv.bench';
const GiB = 1024 ** 3;
const NOW = 1_700_000_000_000;

/** A busy 8-GPU server: 50 running containers over 20 projects (every 5th on a GPU), 4 launches under way. */
export function busyMachine(): Omit<DecideInput, 'demand'> {
  const gpus: GpuFact[] = Array.from({ length: 8 }, (_, i) => ({
    index: i,
    uuid: `GPU-${String(i).padStart(8, '0')}-4c11-4b8a-9e2d-7f6b1c0a55e1`,
    memoryTotalMiB: 81559,
    memoryFreeMiB: i < 6 ? 20_000 : 81_000,
    fault: null,
    processes: [{ containerId: `c${i * 5}`, usedMiB: 60_000 }],
  }));
  const running: RunningContainer[] = Array.from({ length: 50 }, (_, i) => ({
    id: `c${i}`,
    name: `job-${i}`,
    project: `p${i % 20}`,
    state: 'running',
    memoryLimit: i % 3 === 0 ? null : 4 * GiB,
    cpus: i % 2 ? 2 : null,
    gpus: i % 5 === 0 ? { count: 0, deviceIds: [String(i / 5)] } : null,
  }));
  const usage = new Map(running.map((c, i) => [c.id, { memoryBytes: (1 + (i % 4)) * GiB, cpuPercent: i % 7 }]));
  const host: HostFacts = {
    ts: NOW - 400,
    unknownWhy: null,
    memory: { totalBytes: 512 * GiB, usedBytes: 300 * GiB },
    cpuPercent: 62,
    cpuWindowSeconds: 10,
    cores: 64,
    load1: 40,
    disk: { mount: '/var/lib/docker', freeBytes: 800 * GiB, totalBytes: 4000 * GiB },
    diskWhy: null,
    gpus,
    gpuWhy: null,
    usage,
  };
  const ledger: LedgerEntry[] = Array.from({ length: 4 }, (_, i) => ({
    id: i + 1,
    decisionId: i + 1,
    project: `p${i}`,
    containerId: null,
    name: `pending-${i}`,
    memoryBytes: 8 * GiB,
    memoryCounted: 8 * GiB,
    cpus: 4,
    gpus: i === 0 ? { count: 0, deviceIds: ['7'] } : null,
    newContainer: true,
    state: 'held',
    createdAt: NOW - 2000,
    settledAt: null,
  }));
  const policy: AdmissionPolicySettings = DEFAULT_ADMISSION_POLICY;
  return { host, running: { asOf: NOW - 300, containers: running, unknownWhy: null }, ledger, quota: null, policy, actor: 'user', now: NOW };
}

/** Requests of every kind: a small one that fits, one held GPU, more memory than there is, a quota break. */
export function requestMix(): { demand: Demand; quota: ProjectQuota | null }[] {
  const base: Demand = { action: 'launch', engine: 'local', project: 'p3', image: 'nvcr.io/nvidia/pytorch:24.05-py3', container: null, memoryBytes: 16 * GiB, hostMemoryBytes: 16 * GiB, memoryCounted: 16 * GiB, cpus: 4, gpus: null, pullBytes: 9 * GiB, newContainer: true };
  const quota = (project: string): ProjectQuota => ({ project, containers: 3, memoryBytes: 24 * GiB, cpus: 16, gpus: 1, updatedAt: NOW, updatedBy: 'user' });
  return [
    { demand: base, quota: quota('p3') },
    { demand: { ...base, gpus: { count: 1, deviceIds: null } }, quota: quota('p3') },
    { demand: { ...base, memoryBytes: 600 * GiB, hostMemoryBytes: 600 * GiB, memoryCounted: 600 * GiB }, quota: null },
    { demand: { ...base, project: 'p0', gpus: { count: 2, deviceIds: null } }, quota: quota('p0') },
  ];
}

async function decideFigures(ctx: BenchContext): Promise<Figures> {
  const machine = busyMachine();
  const mix = requestMix();
  const n = ctx.quick ? 5_000 : 50_000;
  let sink = 0;
  for (let i = 0; i < 2_000; i++) sink += decide({ ...machine, ...mix[i % mix.length]! }).checks.length; // warm up the JIT
  const us: number[] = [];
  for (let i = 0; i < n; i++) {
    const input = { ...machine, ...mix[i % mix.length]! };
    const t0 = process.hrtime.bigint();
    sink += decide(input).checks.length;
    us.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  const note = `${n} calls, one timed at a time, over a mix of 4 requests (fits, held GPU, never fits, quota break); 50 running containers, 8 GPUs, 20 projects, 4 launches under way (checksum ${sink % 997})`;
  const p50 = percentile(us, 50);
  const p99 = percentile(us, 99);
  return {
    'admission.decide_us_p50': { value: round(p50, 1), unit: 'µs', goal: '<= 50', met: p50 <= 50, note },
    'admission.decide_us_p99': { value: round(p99, 1), unit: 'µs', goal: '<= 1000', met: p99 <= 1000, note },
  };
}

async function cleanup(docker: Docker, tag: string) {
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL}=${tag}`] } });
  for (const c of list) await containerHandle({ docker }, c.Id).remove({ force: true }).catch(() => undefined);
}

async function launchFigures(ctx: BenchContext): Promise<Figures> {
  const docker = new Docker();
  await ensureTestImage(docker, IMAGE);
  const tag = `adm-${process.pid}`;
  const app = createApp({ dataDir: ctx.tmpDir(), version: VERSION, docker, persistMetrics: false });
  // Every check decided on this machine's sampled figures; CPU and load opened, since how busy the bench machine is would refuse, not slow, a launch.
  app.repositories.admission.savePolicy(JSON.stringify({ ...DEFAULT_ADMISSION_POLICY, thresholds: { ...DEFAULT_ADMISSION_POLICY.thresholds, cpuMaxPercent: 100, loadMaxPerCore: 1000 } }), Date.now(), 'user');
  await app.start();
  const engine = app.docker.engines.get();
  // The time admission takes inside each launch: the gate's calls into it, timed.
  let inAdmission = 0;
  const timed = <A extends unknown[], R>(fn: (...a: A) => R) => (...a: A): R => {
    const t0 = performance.now();
    try {
      return fn(...a);
    } finally {
      inAdmission += performance.now() - t0;
    }
  };
  const admissionGate: AdmissionGate = {
    admitAndReserve: timed((r) => {
      const held = app.admission.gate.admitAndReserve(r);
      return { bind: timed(held.bind), commit: timed(held.commit), release: timed(held.release) };
    }),
  };
  const withAdmission = createLifecycle({ bus: app.bus, images: app.docker.images, containers: app.docker.containers, admission: admissionGate });
  const without = createLifecycle({ bus: app.bus, images: app.docker.images, containers: app.docker.containers });
  const spec = () => launchSchema.parse({ image: IMAGE, command: ['sleep', '300'], init: true, memory: '64m', labels: { [LABEL]: tag } });
  const rounds = ctx.quick ? 4 : 15;
  const ours: number[] = [];
  const bare: number[] = [];
  const spent: number[] = [];
  try {
    for (let i = 0; i < rounds + 1; i++) {
      inAdmission = 0;
      let t0 = performance.now();
      const ready = performance.now();
      await app.admission.ready(engine);
      inAdmission += performance.now() - ready;
      await withAdmission.launch(engine, spec(), 'user');
      const a = performance.now() - t0;
      const s = inAdmission;
      t0 = performance.now();
      await without.launch(engine, spec(), 'user');
      const b = performance.now() - t0;
      if (i > 0) {
        ours.push(a);
        bare.push(b);
        spent.push(s);
      }
      await cleanup(docker, tag);
    }
  } finally {
    await cleanup(docker, tag);
    await app.dispose();
  }
  const overhead = median(spent);
  return {
    'admission.launch_overhead_ms': {
      value: round(overhead),
      unit: 'ms',
      goal: '<= 2',
      met: overhead <= 2,
      note: `median over ${rounds} real launches of the time spent in admission (facts made ready, decide + BEGIN IMMEDIATE ledger transaction, bind, commit); the whole launches: with ${round(median(ours), 1)} ms, without ${round(median(bare), 1)} ms (interleaved; their difference is within the engine's own variation)`,
    },
    'admission.launch_ms': { ...compare(median(ours), median(bare), 'ms'), note: `median of ${rounds} interleaved launches of the test image through the gate, with admission against without (baseline)` },
  };
}

export async function admissionFigures(ctx: BenchContext): Promise<Figures> {
  return { ...(await decideFigures(ctx)), ...(await launchFigures(ctx)) };
}
