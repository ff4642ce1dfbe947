// GPU faults as timelines through the samplers, with the fixture nvidia-smi as a real child process
// (fixtures/nvidia-smi/timelines/*.txt say what each round prints) and a real SQLite journal: each case
// asserts what the user sees — the GPU sample, the overall status and the journal rows.
import { renameSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type EngineStatus, type GpuSample, type GpuSourceStatus, type MetricsSnapshot } from '@shared/contract';
import { formatGpu } from '../../../cli/stats';
import { tmpDataDir, waitFor } from '../../../test-support';
import { createBus } from '../../bus';
import { journalGpuFault, journalGpuStatus } from '../../gpu-journal';
import { overallStatus } from '../../status';
import { openDatabase, type Db } from '../../store/db';
import { createEventLog } from '../../store/events';
import { createSampler, type Sampler } from '../index';
import { FIGURES } from './nvidia-csv';
import { createNvidiaSmiSampler, type NvidiaSmiSampler } from './nvidia-smi';

const FIXTURES = path.resolve(__dirname, '../fixtures');
const BIN = path.join(FIXTURES, 'bin');
const timeline = (name: string) => path.join(FIXTURES, 'nvidia-smi', 'timelines', name);
const caseLine = (name: string) => readFileSync(path.join(FIXTURES, 'nvidia-smi', name), 'utf8').trim();
const env = (extra: Record<string, string>) => ({ ...process.env, PATH: `${BIN}:${process.env.PATH}`, ...extra });
const ENGINE: EngineStatus = { state: 'connected', host: '/var/run/docker.sock', version: '27.0.0', since: 0 };
const ALL_NULL = Object.fromEntries(FIGURES.map((k) => [k, null]));
const figuresOf = (g: GpuSample) => Object.fromEntries(FIGURES.map((k) => [k, g[k]]));
const DATA = tmpDataDir();

/** createSampler as the app builds it (journaling included), on its own SQLite file. */
function harness(name: string, toolEnv: NodeJS.ProcessEnv) {
  const db = openDatabase(path.join(DATA, name));
  const events = createEventLog(db, { coalesceMs: 0 }); // every record its own row: "once" is counted, not folded
  const statuses: GpuSourceStatus[] = [];
  const sampler = createSampler({
    bus: createBus(),
    intervalMs: 100,
    liveWindowSeconds: 60,
    tools: { nvidiaSmi: null, tegrastats: '/nonexistent/tegrastats' },
    toolEnv,
    toolMinBackoffMs: 100,
    onGpuStatus: (s) => {
      statuses.push(s);
      journalGpuStatus(events)(s);
    },
    onGpuFault: journalGpuFault(events),
  });
  /** The journal's GPU rows, oldest first. */
  const gpuEvents = () => events.recent(1000).filter((e) => e.type.startsWith('gpu.')).reverse();
  const status = (s: MetricsSnapshot | undefined = sampler.latest()) => overallStatus(s, ENGINE, DEFAULT_SETTINGS.thresholds);
  return { db, sampler, statuses, gpuEvents, status };
}

describe('GPU faults through createSampler (fixture nvidia-smi timelines, real SQLite journal)', () => {
  let sampler: Sampler | undefined;
  let db: Db | undefined;
  afterEach(() => {
    sampler?.stop();
    db?.close();
  });
  const gpusOf = (s?: MetricsSnapshot) => s?.gpus ?? [];

  it('a GPU requiring reset next to a healthy peer: the fault in nvidia-smi words, critical, journaled once', async () => {
    const h = harness('requires-reset', env({ MLENV_FAKE_GPU: 'h100x2', MLENV_FAKE_GPU_TIMELINE: timeline('requires-reset.txt') }));
    ({ sampler, db } = h);
    await sampler.start();
    const snap = await waitFor(() => sampler!.recent().find((s) => gpusOf(s)[0]?.fault), 10_000, 'GPU 0 faulted');
    const [gpu0, gpu1] = gpusOf(snap);
    expect(gpu0).toMatchObject({ index: 0, uuid: 'GPU-3a1f9e02-4c11-4b8a-9e2d-7f6b1c0a55e1', name: 'NVIDIA H100 80GB HBM3', busId: '00000000:1B:00.0' });
    expect(gpu0!.fault).toEqual({ kind: 'fault', message: 'GPU requires reset' });
    expect(figuresOf(gpu0!)).toEqual(ALL_NULL); // its "0 MiB" is not an empty, idle GPU
    expect(gpu1).toMatchObject({ index: 1, fault: null, temperatureC: 74, utilizationGpu: 100, memoryUsedMiB: 80620 });

    const status = h.status(snap);
    expect(status.level).toBe('critical');
    expect(status.reasons).toContain('GPU 0 (NVIDIA H100 80GB HBM3) fault: GPU requires reset');
    expect(status.vramPercent).toBe(Math.round((1000 * 80620) / 81559) / 10); // the faulted GPU counts for nothing, not for 0

    // Journaled once when it starts, not at each of the rounds that repeat it.
    await waitFor(() => sampler!.recent().filter((s) => gpusOf(s)[0]?.fault).length >= 10, 10_000, 'ten snapshots with the fault');
    const rows = h.gpuEvents().filter((e) => e.type !== 'gpu.running');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      type: 'gpu.fault', outcome: 'error', error: 'GPU requires reset',
      details: { index: 0, uuid: 'GPU-3a1f9e02-4c11-4b8a-9e2d-7f6b1c0a55e1', name: 'NVIDIA H100 80GB HBM3', busId: '00000000:1B:00.0' },
    });
  });

  it('a device-handle error mid-stream: GPU 1 lost from the first round without it, GPUs 0, 2, 3 keep updating', async () => {
    const line = caseLine('nvidia-smi-device-handle-error-mid-stream.txt');
    const h = harness('mid-stream', env({ MLENV_FAKE_GPU: 'rtx-pro-6000x4', MLENV_FAKE_GPU_TIMELINE: timeline('device-handle-mid-stream.txt') }));
    ({ sampler, db } = h);
    await sampler.start();
    // GPU 0's SM clock is the round number; round 3 is the first without GPU 1.
    const first = await waitFor(() => sampler!.recent().find((s) => (gpusOf(s)[0]?.smClockMHz ?? 0) >= 3), 10_000, 'round 3');
    const lost = gpusOf(first)[1]!;
    expect(gpusOf(first).map((g) => g.index)).toEqual([0, 1, 2, 3]); // not a silent disappearance
    expect(lost).toMatchObject({ index: 1, uuid: 'GPU-6a1c0f3e-2b4d-4e8f-9a10-b2c3d4e5f602', name: 'NVIDIA RTX PRO 6000 Blackwell Workstation Edition', busId: '00000000:34:00.0' });
    expect(lost.fault).toEqual({ kind: 'lost', message: line });
    expect(figuresOf(lost)).toEqual(ALL_NULL); // never its frozen last figures
    // Once all four were seen, every snapshot has all four.
    const all = sampler.recent();
    expect(all.slice(all.findIndex((s) => gpusOf(s).length === 4)).every((s) => gpusOf(s).length === 4)).toBe(true);

    const later = await waitFor(() => sampler!.recent().find((s) => (gpusOf(s)[0]?.smClockMHz ?? 0) >= 8), 10_000, 'round 8');
    const [g0, g1, g2, g3] = gpusOf(later);
    expect([g0!.fault, g2!.fault, g3!.fault]).toEqual([null, null, null]);
    expect([g2!.temperatureC, g3!.temperatureC]).toEqual([69, 70]);
    expect(g1!.fault).toEqual({ kind: 'lost', message: line });
    expect(sampler.recent().filter((s) => (gpusOf(s)[0]?.smClockMHz ?? 0) >= 3).every((s) => gpusOf(s)[1]!.fault?.kind === 'lost')).toBe(true);

    const status = h.status(later);
    expect(status.level).toBe('critical');
    expect(status.reasons).toContain(`GPU 1 (NVIDIA RTX PRO 6000 Blackwell Workstation Edition) lost: ${line}`);
    expect(h.gpuEvents().map((e) => [e.type, e.error])).toEqual([
      ['gpu.running', null],
      ['gpu.lost', line],
    ]);
    expect(h.gpuEvents()[1]!.details).toEqual({ index: 1, uuid: 'GPU-6a1c0f3e-2b4d-4e8f-9a10-b2c3d4e5f602', name: 'NVIDIA RTX PRO 6000 Blackwell Workstation Edition', busId: '00000000:34:00.0' });
  });

  it('exit 15 at every restart: the stdout line is the reason, one outage journaled, then the recovery', async () => {
    const line = caseLine('nvidia-smi-device-handle-error-exit-15.txt');
    const counter = path.join(DATA, 'exit-15-launches');
    const h = harness('exit-15', env({ MLENV_FAKE_GPU: 'a30x4', MLENV_FAKE_GPU_TIMELINE: timeline('exit-15-every-restart.txt'), MLENV_FAKE_GPU_COUNTER: counter }));
    ({ sampler, db } = h);
    await sampler.start();
    const outage = await waitFor(() => sampler!.recent().find((s) => s.gpuSource?.state === 'restarting'), 10_000, 'the outage');
    expect(outage.gpuSource).toEqual({ tool: 'nvidia-smi', state: 'restarting', error: line });
    expect(outage.gpus).toEqual([]); // a gap, not the last figures
    expect(h.status(outage).reasons).toContain(`GPU figures interrupted: ${line}; restarting it`);

    await waitFor(() => sampler!.latest()?.gpuSource?.state === 'running' && gpusOf(sampler!.latest()).length === 4 && Number(readFileSync(counter, 'utf8')) === 6, 20_000, 'nvidia-smi back at the 6th launch');
    // Launches 1 (after two rounds) to 5 failed: one outage, told once, never "exited with code 15".
    expect(h.statuses.map((s) => s.state)).toEqual(['running', 'restarting', 'running']);
    expect(h.statuses[1]!.error).toBe(line);
    expect(sampler.recent().filter((s) => s.gpuSource?.state === 'restarting').every((s) => s.gpuSource!.error === line)).toBe(true);
    expect(h.gpuEvents().map((e) => [e.type, e.error])).toEqual([
      ['gpu.running', null],
      ['gpu.restarting', line],
      ['gpu.running', null],
    ]);
    expect(gpusOf(sampler.latest()).map((g) => g.fault)).toEqual([null, null, null, null]);
  });
});

describe('nvidia-smi sampler: backoff and the process list (fixture timelines)', () => {
  let smi: NvidiaSmiSampler | undefined;
  afterEach(() => smi?.stop());

  it('backs off between failed restarts (the wait doubles) and tells the outage once', async () => {
    const states: GpuSourceStatus[] = [];
    const counter = path.join(DATA, 'backoff-launches');
    smi = createNvidiaSmiSampler({
      intervalMs: 100,
      minBackoffMs: 100,
      env: env({ MLENV_FAKE_GPU: 'a30x4', MLENV_FAKE_GPU_TIMELINE: timeline('exit-15-forever.txt'), MLENV_FAKE_GPU_COUNTER: counter }),
      onStatus: (s) => states.push(s),
    });
    await smi.start();
    const seen = new Map<number, number>();
    await waitFor(() => {
      seen.set(smi!.restarts, smi!.backoffMs); // read together: the wait scheduled at that failure
      return smi!.restarts >= 4;
    }, 20_000, 'four failed launches');
    expect(seen.size).toBeGreaterThan(1);
    for (const [restarts, wait] of seen) if (restarts >= 1) expect(wait).toBe(100 * 2 ** (restarts - 1));
    expect(states.map((s) => s.state)).toEqual(['running', 'restarting']);
    expect(states[1]!.error).toBe(caseLine('nvidia-smi-device-handle-error-exit-15.txt'));
  });

  it('a failing --query-compute-apps makes the process list unknown with its words; the last list is never shown as current', async () => {
    const apps = path.join(DATA, 'apps.csv');
    const write = (text: string) => {
      writeFileSync(`${apps}.tmp`, text);
      renameSync(`${apps}.tmp`, apps); // whole, never half-written, when the fixture reads it
    };
    write('4339, python3, 480, GPU-3a1f9e02-4c11-4b8a-9e2d-7f6b1c0a55e1\n');
    smi = createNvidiaSmiSampler({ intervalMs: 100, appsEveryMs: 100, env: env({ MLENV_FAKE_GPU: 'h100x2', MLENV_FAKE_GPU_APPS: apps }) });
    await smi.start();
    await waitFor(() => smi!.latest().length === 2 && smi!.latest()[0]!.processes?.length === 1, 10_000, 'two GPUs and the process list');
    expect(smi.latest()[1]).toMatchObject({ processes: [], processesError: null });

    write('@exit 6\nNo devices were found\n');
    await waitFor(() => smi!.latest().length === 2 && smi!.latest().every((g) => g.processes === null), 10_000, 'the list unknown');
    for (const g of smi.latest()) expect(g).toMatchObject({ processes: null, processesError: 'No devices were found', fault: null });
    expect(smi.latest()[0]!.utilizationGpu).toBe(97); // the -lms stream still prints rows
    expect(formatGpu(smi.latest()[0]!).split('\n').at(-1)).toBe('  processes unknown: No devices were found');

    write('@exit 255\nFailed to initialize NVML: Unknown Error\n');
    await waitFor(() => smi!.latest()[0]?.processesError === 'Failed to initialize NVML: Unknown Error', 10_000, 'the NVML failure');
    expect(smi.latest()[0]!.processes).toBeNull();

    write('51822, tritonserver, 30211, GPU-3a1f9e02-4c11-4b8a-9e2d-7f6b1c0a55e1\n');
    await waitFor(() => smi!.latest()[0]?.processes?.[0]?.pid === 51822, 10_000, 'the list again');
    expect(smi.latest()[0]).toMatchObject({ processesError: null, processes: [{ pid: 51822, name: 'tritonserver', usedMiB: 30211 }] });
  });
});
