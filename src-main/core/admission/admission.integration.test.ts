// Admission control through the real router, the real lifecycle gate, the real engine and a real
// SQLite ledger. Where a test needs a machine of a given size (headroom for exactly five 2 GiB
// launches, a machine that is full), the host's figures are given to admission instead of sampled
// (AppConfig.admission.hostFacts); the rest of the facts — the running list, the ledger, quotas — are
// the real ones. The last block decides on this machine's own sampled figures.
import type Docker from 'dockerode';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ADMISSION_POLICY, type AdmissionDecision, type AdmissionRejectedDetails, type MetricsSnapshot, type RequestInput } from '@shared/contract';
import type { Envelope } from '@shared/errors';
import { realDocker, refusal, TEST_IMAGE, TEST_LABEL, tmpDataDir, waitFor } from '../../test-support';
import { recordedDecision } from '../../test-support/admission';
import { call, removeTestContainers, RUN, testLabels } from '../../test-support/docker-app';
import { createApp, type App } from '../app';
import type { HostFacts } from './facts';

const docker = await realDocker();
const GiB = 1024 ** 3;
const BIN = path.resolve(__dirname, '../sampler/fixtures/bin');

/** A machine of `totalGiB` with `usedGiB` in use, calm CPU and load, plenty of disk, the GPUs given. */
function machine(totalGiB: number, usedGiB: number, o: Partial<HostFacts> = {}): HostFacts {
  return {
    ts: Date.now(),
    unknownWhy: null,
    memory: { totalBytes: totalGiB * GiB, usedBytes: usedGiB * GiB },
    cpuPercent: 5,
    cpuWindowSeconds: 10,
    cores: 64,
    load1: 0.5,
    disk: { mount: '/var/lib/docker', freeBytes: 1000 * GiB, totalBytes: 2000 * GiB },
    diskWhy: null,
    gpus: [],
    gpuWhy: null,
    usage: new Map(),
    ...o,
  };
}

const sleeper = (name: string, more: Partial<RequestInput<'containers.launch'>> = {}): RequestInput<'containers.launch'> => ({
  image: TEST_IMAGE,
  name,
  command: ['sleep', '300'],
  init: true,
  labels: testLabels,
  ...more,
});
const rejected = (r: Envelope<unknown>): AdmissionDecision => {
  if (r.ok || r.error.code !== 'ADMISSION_REJECTED') throw new Error(`expected ADMISSION_REJECTED, got ${JSON.stringify(r).slice(0, 300)}`);
  return (r.error.details as AdmissionRejectedDetails).decision;
};

describe.skipIf(!docker)('admission on the real engine, with the host’s figures given', () => {
  const d = docker as Docker;
  let app: App;
  let host = machine(1000, 1);

  beforeAll(async () => {
    app = createApp({ dataDir: tmpDataDir(), version: 'test', docker: d, sampleIntervalMs: 60_000, admission: { hostFacts: () => host } });
    await app.start();
    await waitFor(() => app.engine.get().state === 'connected', 10_000, 'engine connected');
  });
  afterAll(async () => {
    await removeTestContainers(d);
    await app?.dispose();
  });

  it('20 simultaneous launches against a quota of 3 containers admit exactly 3', async () => {
    host = machine(1000, 1);
    const project = `q3-${RUN}`.slice(0, 60);
    await call(app, 'admission.setQuota', { project, containers: 3 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => app.router.dispatch('containers.launch', sleeper(`mlenv-t-adm-q${i}-${RUN}`, { project, memory: '16m' }))));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    const refusals = results.filter((r) => !r.ok).map(rejected);
    expect(refusals).toHaveLength(17);
    for (const decision of refusals) {
      expect(decision.checks[0]).toMatchObject({ id: 'quota_containers', status: 'fail', sentence: `Project \`${project}\` would have 4 containers (quota 3): 3 running or being launched + this one` });
    }
    const running = await d.listContainers({ filters: { label: [`io.mlenv.project=${project}`, `${TEST_LABEL}=${RUN}`] } });
    expect(running).toHaveLength(3);
    // Every decision recorded, each with its outcome; the three admitted hold their containers.
    const recorded = await call(app, 'admission.decisions', { project, limit: 100 });
    expect(recorded.map((x) => x.outcome).sort()).toEqual([...Array(3).fill('admitted'), ...Array(17).fill('rejected')]);
    expect(recorded.filter((x) => x.outcome === 'admitted').map((x) => x.reservation)).toEqual(['committed', 'committed', 'committed']);
    expect(new Set(recorded.filter((x) => x.admitted).map((x) => x.request.container?.id))).toEqual(new Set(running.map((c) => c.Id)));
    // The quota with what the project holds now.
    expect((await call(app, 'admission.quotas', {})).find((q) => q.project === project)).toMatchObject({ containers: 3, usage: { containers: 3 }, over: [] });
  }, 180_000);

  it('20 simultaneous 2 GiB launches against 10 GiB of headroom admit exactly 5', async () => {
    // 100 GiB, 75 GiB in use: 85 % is 85 GiB, so 10 GiB can still be reserved.
    host = machine(100, 75);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => app.router.dispatch('containers.launch', sleeper(`mlenv-t-adm-m${i}-${RUN}`, { memory: '2g' }))));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    const refusals = results.filter((r) => !r.ok).map(rejected);
    expect(refusals).toHaveLength(15);
    expect(refusals[0]!.checks[0]).toMatchObject({ id: 'memory_percent', status: 'fail', sentence: 'Memory would reach 87 % (limit 85 %): 75 GiB in use + 10 GiB reserved by launches under way + 2 GiB requested of 100 GiB' });
    for (const r of results) if (r.ok) expect((r.value as { memory: number }).memory).toBe(2 * GiB);
  }, 180_000);

  it('a reservation whose process died, or whose TTL passed, expires instead of holding its memory', async () => {
    host = machine(100, 75);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // a process that has exited
    const repo = app.repositories.admission;
    const now = Date.now();
    const orphan = (ownerPid: number, expiresAt: number) =>
      repo.reserve({ decisionId: repo.insertDecision(recordedDecision(now, { project: 'orphans', memoryBytes: 10 * GiB, memoryCountedBytes: 10 * GiB }), 'local', 'ghost'), engine: 'local', project: 'orphans', containerId: null, name: 'ghost', memoryBytes: 10 * GiB, memoryCounted: 10 * GiB, cpus: null, gpus: null, newContainer: true, ownerPid, createdAt: now - 60_000, expiresAt });
    const byDeadOwner = orphan(dead, now + 3_600_000);
    const pastTtl = orphan(process.pid, now - 1);
    const c = await call(app, 'containers.launch', sleeper(`mlenv-t-adm-orphans-${RUN}`, { memory: '2g' }));
    expect(c.state).toBe('running');
    const states = (await call(app, 'admission.decisions', { project: 'orphans', limit: 10 })).map((x) => x.reservation);
    expect(states).toEqual(['expired', 'expired']);
    expect(repo.activeReservations('local', 0).map((r) => r.id)).not.toContain(byDeadOwner);
    expect(repo.activeReservations('local', 0).map((r) => r.id)).not.toContain(pastTtl);
  }, 60_000);

  it('refuses the start of a stopped container once the machine is full, and admits it when there is room again', async () => {
    host = machine(100, 10);
    const name = `mlenv-t-adm-stopped-${RUN}`;
    await call(app, 'containers.launch', sleeper(name, { memory: '4g' }));
    await call(app, 'containers.stop', { id: name, timeoutSeconds: 0 });
    host = machine(100, 84);
    const err = await refusal(call(app, 'containers.start', { id: name }));
    expect(err.code).toBe('ADMISSION_REJECTED');
    // What to stop: running managed containers on this engine (this file's, and whatever else runs there), or lower it.
    expect(err.message).toMatch(/^Refused: Memory would reach 88 % \(limit 85 %\): 84 GiB in use \+ 4 GiB requested of 100 GiB; stop `.+` \(.+\) or lower the memory to 1 GiB$/);
    const decision = (err.details as AdmissionRejectedDetails).decision;
    expect(decision.request).toMatchObject({ action: 'start', container: { name }, memoryBytes: 4 * GiB });
    expect((await d.getContainer(name).inspect()).State.Running).toBe(false);
    // The refusal is journaled with who asked, as every gate failure is.
    expect(await call(app, 'events.list', { container: name, type: 'container.start' })).toEqual([expect.objectContaining({ outcome: 'error', actor: 'user', error: err.message })]);
    host = machine(100, 10);
    expect((await call(app, 'containers.start', { id: name })).state).toBe('running');
  }, 60_000);

  it('dry_run reports and reserves nothing; changing the mode is journaled with who changed it', async () => {
    host = machine(100, 86);
    await call(app, 'admission.setPolicy', { patch: { mode: 'dry_run' } });
    try {
      const c = await call(app, 'containers.launch', sleeper(`mlenv-t-adm-dry-${RUN}`, { memory: '8m' }));
      expect(c.state).toBe('running');
      const [last] = await call(app, 'admission.decisions', { container: c.name, limit: 1 });
      expect(last).toMatchObject({ admitted: true, outcome: 'violation', mode: 'dry_run', wouldReject: true, reservation: 'none' });
      expect(last!.summary).toMatch(/^Dry run, would be refused: Memory would reach 86 % \(limit 85 %\)/);
    } finally {
      await call(app, 'admission.setPolicy', { patch: { mode: 'enforce' } });
    }
    const modes = await call(app, 'events.list', { type: 'admission.mode' });
    expect(modes.map((e) => [e.actor, (e.details as { changes: string[] }).changes])).toEqual([
      ['user', ['mode dry_run → enforce']],
      ['user', ['mode enforce → dry_run']],
    ]);
  }, 60_000);

  it('a preview (admission.check) decides the same way and records nothing', async () => {
    host = machine(24, 14);
    const before = (await call(app, 'admission.decisions', { limit: 1000 })).length;
    const preview = await call(app, 'admission.check', { memory: '8g', cpus: '4', project: 'web' });
    expect(preview.id).toBeUndefined();
    expect(preview).toMatchObject({ admitted: false, outcome: 'rejected', request: { action: 'check', memoryBytes: 8 * GiB, cpus: 4, project: 'web' } });
    expect(preview.checks[0]!.sentence).toBe('Memory would reach 91.7 % (limit 85 %): 14 GiB in use + 8 GiB requested of 24 GiB');
    expect((await call(app, 'admission.decisions', { limit: 1000 })).length).toBe(before);
    // Bad input gets one sentence from the contract.
    expect(await app.router.dispatch('admission.check', { cpus: '0' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('it must be more than zero') } });
    expect(await app.router.dispatch('admission.setPolicy', { patch: { thresholds: { memoryMaxPercent: 120 } } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('thresholds.memoryMaxPercent') } });
  });

  it('a quota lowered below what runs is accepted and reported by the audit, which stops nothing', async () => {
    host = machine(1000, 1);
    const project = `low-${RUN}`.slice(0, 60);
    const names = [0, 1].map((i) => `mlenv-t-adm-low${i}-${RUN}`);
    for (const n of names) await call(app, 'containers.launch', sleeper(n, { project, memory: '8m' }));
    const q = await call(app, 'admission.setQuota', { project, containers: 1 });
    expect(q).toMatchObject({ containers: 1, usage: { containers: 2 }, over: ['containers'] });
    const audit = await call(app, 'admission.audit', { refresh: true });
    const finding = audit.findings.find((f) => f.project === project && f.kind === 'quota');
    expect(finding?.sentence).toBe(`Project \`${project}\` is over its quota: 2 containers (quota 1) (nothing is stopped)`);
    expect(finding?.containers.map((c) => c.name).sort()).toEqual([...names].sort());
    expect(await call(app, 'events.list', { type: 'admission.audit' })).toEqual([expect.objectContaining({ outcome: 'error', error: finding!.sentence })]);
    for (const n of names) expect((await d.getContainer(n).inspect()).State.Running).toBe(true);
    await call(app, 'admission.removeQuota', { project });
  }, 60_000);
});

describe.skipIf(!docker)('a GPU held by a launch under way is not offered again (nvidia-smi fixture: two H100s)', () => {
  const d = docker as Docker;
  let app: App;
  let hang: net.Server;
  const sockets: net.Socket[] = [];

  beforeAll(async () => {
    app = createApp({ dataDir: tmpDataDir(), version: 'test', docker: d, sampleIntervalMs: 250, persistMetrics: false, toolEnv: { ...process.env, PATH: `${BIN}:${process.env.PATH}`, MLENV_FAKE_GPU: 'h100x2' } });
    app.repositories.admission.savePolicy(JSON.stringify({ ...DEFAULT_ADMISSION_POLICY, thresholds: { ...DEFAULT_ADMISSION_POLICY.thresholds, cpuMaxPercent: 100, loadMaxPerCore: 1000 } }), Date.now(), 'user');
    await app.start();
    await waitFor(() => app.engine.get().state === 'connected', 10_000, 'engine connected');
    await waitFor(() => (app.sampler.latest()?.gpus?.length ?? 0) === 2, 15_000, 'the two fixture GPUs');
    // A registry that accepts connections and never answers: a pull from it keeps its launch (and reservation) under way.
    hang = net.createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    hang?.close();
    await removeTestContainers(d);
    await app?.dispose();
  });

  it('holds GPU 0 for the launch pulling; --gpus 1 is refused with what to do; free again once that launch fails', async () => {
    const port = (hang.address() as net.AddressInfo).port;
    const name = `mlenv-t-adm-gpu-${RUN}`;
    const pulling = app.router.dispatch('containers.launch', sleeper(name, { image: `127.0.0.1:${port}/mlenv-test/hang:${RUN}`, gpus: 'device=0', memory: '8m' }));
    await waitFor(() => sockets.length > 0, 15_000, 'the pull to reach the silent registry');
    const preview = await call(app, 'admission.check', { gpus: '1', memory: '8m' });
    expect(preview.admitted).toBe(false);
    expect(preview.checks[0]).toMatchObject({ id: 'gpu_free', status: 'fail', sentence: `GPU 0 is held by \`${name}\` (--gpus 1 always gets GPU 0: Docker hands out GPUs from 0)`, remedy: `stop \`${name}\` or ask for "device=1" (free)` });
    expect((await call(app, 'admission.check', { gpus: 'device=1', memory: '8m' })).checks.find((c) => c.id === 'gpu_free')).toMatchObject({ status: 'pass' });
    expect((await call(app, 'admission.check', { gpus: '4' })).checks[0]).toMatchObject({ id: 'gpu_exists', canNeverFit: true, sentence: '4 GPUs asked for; this machine has 2 GPUs (0, 1)' });
    // The silent registry hangs up: the pull fails, the launch fails, its reservation is released.
    for (const s of sockets) s.destroy();
    hang.close();
    const r = await pulling;
    expect(r.ok).toBe(false);
    const [decision] = await call(app, 'admission.decisions', { container: name, limit: 1 });
    expect(decision).toMatchObject({ outcome: 'admitted', reservation: 'released' });
    expect((await call(app, 'admission.check', { gpus: '1', memory: '8m' })).checks.find((c) => c.id === 'gpu_free')).toMatchObject({ status: 'pass', sentence: 'No other container holds GPU 0' });
  }, 120_000);
});

describe.skipIf(!docker)('admission on this machine’s own sampled figures', () => {
  const d = docker as Docker;
  let app: App;

  beforeAll(async () => {
    app = createApp({ dataDir: tmpDataDir(), version: 'test', docker: d, sampleIntervalMs: 1000, persistMetrics: false });
    // Enforce, unknown figures refuse; CPU and load opened: how busy this shared machine is is not under test here.
    app.repositories.admission.savePolicy(JSON.stringify({ ...DEFAULT_ADMISSION_POLICY, thresholds: { ...DEFAULT_ADMISSION_POLICY.thresholds, cpuMaxPercent: 100, loadMaxPerCore: 1000 } }), Date.now(), 'user');
    await app.start();
    await waitFor(() => app.engine.get().state === 'connected', 10_000, 'engine connected');
    await waitFor(() => app.sampler.latest(), 10_000, 'a snapshot');
  });
  afterAll(async () => {
    await removeTestContainers(d);
    await app?.dispose();
  });

  /** A memory request that would take this machine past 85 % by 2 GiB, from its latest snapshot. */
  const tooMuch = (s: MetricsSnapshot) => Math.ceil((0.85 * s.host.memory.total - s.host.memory.used + 2 * GiB) / GiB);

  it('refuses in enforce mode a test-image launch whose memory would cross the threshold, and admits it in audit mode with the violation recorded', async () => {
    const gib = tooMuch(app.sampler.latest()!);
    const name = `mlenv-t-adm-real-${RUN}`;
    const r = await app.router.dispatch('containers.launch', sleeper(name, { memory: `${gib}g` }));
    const decision = rejected(r);
    // Which memory check ranks first depends on this machine's live figures (memory_free can never fit when little is in use): the ranking is decide()'s unit tests' subject.
    const memoryCheck = (checks: typeof decision.checks) => checks.find((c) => c.id === 'memory_percent');
    expect(memoryCheck(decision.checks)).toMatchObject({ id: 'memory_percent', status: 'fail' });
    expect(memoryCheck(decision.checks)!.sentence).toMatch(new RegExp(`^Memory would reach [\\d.]+ % \\(limit 85 %\\): [\\d.]+ [GM]iB in use \\+ ${gib} GiB requested of [\\d.]+ GiB$`));
    expect(memoryCheck(decision.checks)!.remedy).toMatch(/lower the memory to [\d.]+ [GM]iB/);
    expect(await d.listContainers({ all: true, filters: { name: [`^/${name}$`] } })).toHaveLength(0);

    await call(app, 'admission.setPolicy', { patch: { mode: 'audit' } });
    const c = await call(app, 'containers.launch', sleeper(name, { memory: `${gib}g` }));
    expect(c).toMatchObject({ state: 'running', memory: gib * GiB });
    const [admitted] = await call(app, 'admission.decisions', { container: name, limit: 1 });
    expect(admitted).toMatchObject({ admitted: true, outcome: 'violation', mode: 'audit', wouldReject: true, reservation: 'committed' });
    expect(memoryCheck(admitted!.checks)).toMatchObject({ id: 'memory_percent', status: 'fail', mode: 'audit' });
    const violations = await call(app, 'events.list', { type: 'admission.violation' });
    expect(violations).toEqual([expect.objectContaining({ container: name, actor: 'user', outcome: 'error', error: admitted!.summary })]);
    expect((await call(app, 'admission.decisions', { outcome: 'rejected', limit: 10 })).map((x) => x.request.memoryBytes)).toEqual([gib * GiB]);
  }, 60_000);
});
