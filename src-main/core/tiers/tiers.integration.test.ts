// Model tiers on the real engine, with fake model servers made from the test image (each fills N MiB
// of its /dev/shm, charged to its memory cgroup, then answers HTTP): hot → warm → hot with memory
// kept, → cold and back with readiness, swap refused with the reason, capacity refusals, ensure()
// evicting the least used model, a failed move put back, and a scaling event and a journal row for
// every move. Every call goes through the real router; memory is read from the cgroups by
// core/cgroup, independently of the tier manager.
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TierJob } from '@shared/contract';
import { realDocker, refusal, TEST_IMAGE, tmpDataDir, waitFor } from '../../test-support';
import { call, removeTestContainers, RUN, startApp, testLabels } from '../../test-support/docker-app';
import { fakeModelSpec } from '../../test-support/fake-model';
import type { App } from '../app';
import { readContainerMemory, readFreezerState } from '../cgroup';

const docker = await realDocker();
const MIB = 2 ** 20;

describe.skipIf(!docker)('model tiers on the real engine', () => {
  const d = docker as Docker;
  let app: App;
  const jobEvents: TierJob[] = [];
  // Unique per run: model containers are named after their models.
  const m1 = `t${RUN}-m1`;
  const m2 = `t${RUN}-m2`;
  const m3 = `t${RUN}-m3`;
  const spec = (name: string, mib = 32, more: Parameters<typeof fakeModelSpec>[1] extends infer O ? Partial<O> : never = {}) =>
    fakeModelSpec(name, { image: TEST_IMAGE, mib, labels: testLabels, ...more });
  const model = async (name: string) => (await call(app, 'models.list', {})).find((m) => m.name === name)!;
  const health = async (port: number) => (await fetch(`http://127.0.0.1:${port}/health`)).text();

  beforeAll(async () => {
    app = await startApp(tmpDataDir(), d);
    app.bus.on('jobs.updated', (j) => jobEvents.push(j));
    // Two 32 MiB models (≈ 40 MiB each) fit, three do not.
    await call(app, 'tiers.setLimits', { patch: { ramBudgetBytes: 100 * MIB, safetyMarginBytes: 4 * MIB, idleDemoteSeconds: null } });
    for (const name of [m1, m2, m3]) await call(app, 'models.add', { model: spec(name) });
  });
  afterAll(async () => {
    await app?.dispose();
    await removeTestContainers(d);
  });

  it('moves a model cold → hot → warm → hot, keeping its memory frozen while warm, each move a job through its states', async () => {
    const up = await call(app, 'tiers.move', { model: m1, to: 'hot', wait: true });
    expect(up).toMatchObject({ state: 'done', from: 'cold', to: 'hot', trigger: 'user', error: null });
    expect(jobEvents.filter((j) => j.id === up.id).map((j) => j.state)).toEqual(['queued', 'running', 'verifying', 'done']);
    const hot = await model(m1);
    expect(hot.tier).toBe('hot');
    expect(await health(hot.hostPort!)).toBe('ok');
    // Measured: the container's peak holds the 32 MiB it loaded.
    expect(hot.measuredBytes).toBeGreaterThanOrEqual(32 * MIB);
    expect(hot.footprintBytes).toBe(hot.measuredBytes);

    const loaded = readContainerMemory(hot.containerId!).usage;
    const warm = await call(app, 'tiers.move', { model: m1, to: 'warm', wait: true });
    expect(warm).toMatchObject({ state: 'done', to: 'warm' });
    expect(warm.verification).toMatch(/FROZEN/);
    // Read independently of the tier manager: frozen, the memory still charged.
    expect(readFreezerState(hot.containerId!)).toBe('frozen');
    expect(readContainerMemory(hot.containerId!).usage).toBeGreaterThanOrEqual(loaded * 0.9);
    expect(warm.memoryAfterBytes!).toBeGreaterThanOrEqual(warm.memoryBeforeBytes! * 0.9);

    const back = await call(app, 'tiers.move', { model: m1, to: 'hot', wait: true });
    expect(back).toMatchObject({ state: 'done', from: 'warm', to: 'hot' });
    expect(readFreezerState(hot.containerId!)).toBe('thawed');
    // Resumed, not reloaded: the same container with the same memory.
    expect((await model(m1)).containerId).toBe(hot.containerId);
    expect(back.memoryAfterBytes!).toBeGreaterThanOrEqual(back.memoryBeforeBytes! * 0.9);
    expect(back.prediction).not.toBeNull();
  });

  it('thaws warm → hot through the gate (admission decides, the unpause is journaled) and verifies it from the freezer: a thaw that did not hold fails the move', async () => {
    const m = await model(m1);
    const id = m.containerId!;
    await call(app, 'tiers.move', { model: m1, to: 'warm', wait: true });
    const unpauses = async () => (await call(app, 'events.list', { type: 'container.unpause', limit: 1000 })).filter((e) => e.containerId === id);
    const decisions = async () => (await call(app, 'admission.decisions', { container: id, limit: 100 })).filter((x) => x.request.action === 'unpause');
    const [rowsBefore, decisionsBefore] = [(await unpauses()).length, (await decisions()).length];

    // A thaw that does not hold: the real gate unpauses, then the container is frozen again before the move reads its freezer.
    const gate = app.lifecycle.operate;
    app.lifecycle.operate = async (...args) => {
      const d = await gate(...args);
      await docker!.getContainer(d.id).pause();
      return d;
    };
    try {
      const failed = await call(app, 'tiers.move', { model: m1, to: 'hot', wait: true });
      expect(failed.state).toBe('rolled_back');
      expect(failed.error).toMatch(/verification failed: the freezer is FROZEN, not THAWED/);
    } finally {
      app.lifecycle.operate = gate;
    }
    expect((await model(m1)).tier).toBe('warm');
    expect(readFreezerState(id)).toBe('frozen');

    const back = await call(app, 'tiers.move', { model: m1, to: 'hot', wait: true });
    expect(back).toMatchObject({ state: 'done', from: 'warm', to: 'hot' });
    expect(back.verification).toMatch(/^freezer THAWED, .* kept$/);
    // Ready without a probe of its own: the server resumed where it was paused.
    expect(await health(m.hostPort!)).toBe('ok');
    // Both thaws went through the gate: decided by admission, journaled with the tier manager as the actor.
    const rows = await unpauses();
    expect(rows.length - rowsBefore).toBe(2);
    expect(rows.every((r) => r.actor === 'tier-manager')).toBe(true);
    expect((await decisions()).length - decisionsBefore).toBe(2);
  });

  it('moves a model to cold (its memory freed) and back to hot through ensure, answering again', async () => {
    const before = await model(m1);
    const down = await call(app, 'tiers.move', { model: m1, to: 'cold', wait: true });
    expect(down).toMatchObject({ state: 'done', to: 'cold', memoryAfterBytes: 0 });
    expect(down.memoryBeforeBytes).toBeGreaterThanOrEqual(32 * MIB);
    expect((await d.getContainer(before.containerId!).inspect()).State.Status).toBe('exited');
    expect(() => readContainerMemory(before.containerId!)).toThrow(/gone|no cgroup/);

    const r = await call(app, 'tiers.ensure', { model: m1 });
    expect(r.tier).toBe('hot');
    expect(r.job).toMatchObject({ state: 'done', from: 'cold', to: 'hot', trigger: 'ensure' });
    const after = await model(m1);
    expect(await health(after.hostPort!)).toBe('ok');
    // ensure of a hot model returns at once, with no job.
    expect((await call(app, 'tiers.ensure', { model: m1 })).job).toBeNull();
  });

  it('refuses the swap tier on this host with the reason, never faking it', async () => {
    const status = await call(app, 'tiers.status', {});
    // Decided from the host: this one has no swap (machine notes); another host may.
    if (status.swap.supported) return;
    const e = await refusal(call(app, 'tiers.move', { model: m1, to: 'swap' }));
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.message).toContain(status.swap.reason);
    expect(status.swap.reason).toMatch(/swap/);
    expect((await model(m1)).tier).toBe('hot');
  });

  it('refuses a manual move that does not fit the budget, and one that never can, with the numbers', async () => {
    await call(app, 'tiers.move', { model: m2, to: 'hot', wait: true });
    const full = await refusal(call(app, 'tiers.move', { model: m3, to: 'hot' }));
    expect(full.code).toBe('CONFLICT');
    expect(full.message).toMatch(/does not fit the RAM tier now/);
    expect((await model(m3)).tier).toBe('cold');

    const big = `t${RUN}-big`;
    await call(app, 'models.add', { model: spec(big, 32, { declaredMib: 512 }) });
    const never = await refusal(call(app, 'tiers.ensure', { model: big }));
    expect(never.code).toBe('CONFLICT');
    expect(never.message).toMatch(/can never fit/);
    expect((never.details as { canNeverFit: boolean }).canNeverFit).toBe(true);
    // Failed fast: nothing was started for it.
    expect((await model(big)).containerId).toBeNull();
    await call(app, 'models.remove', { name: big });
  });

  it('ensure() evicts the least used model to make room, and both moves are recorded', async () => {
    // m1 has been used (ensured twice above); m2 never was.
    const r = await call(app, 'tiers.ensure', { model: m3 });
    expect(r.job).toMatchObject({ state: 'done', to: 'hot' });
    const [a, b, c] = [await model(m1), await model(m2), await model(m3)];
    expect([a.tier, b.tier, c.tier]).toEqual(['hot', 'cold', 'hot']);
    const eviction = (await call(app, 'tiers.jobs', { model: m2 }))[0]!;
    expect(eviction).toMatchObject({ from: 'hot', to: 'cold', state: 'done', trigger: 'ensure', parentId: r.job!.id });
    const status = await call(app, 'tiers.status', {});
    expect(status.ramUsedBytes).toBeLessThanOrEqual(status.limits.ramBudgetBytes - status.limits.safetyMarginBytes);
  });

  it('puts a model back where it was when its move fails (a server that dies while loading)', async () => {
    const bad = `t${RUN}-bad`;
    // 64 MiB into a 48 MiB /dev/shm: the load fails and the server exits before it answers.
    const s = spec(bad, 64);
    await call(app, 'models.add', { model: { ...s, launch: { ...s.launch!, shmSize: '48m' }, declaredBytes: 8 * MIB } });
    // Declared small, so that it fits beside the two hot models.
    const j = await call(app, 'tiers.move', { model: bad, to: 'hot', wait: true });
    expect(j.state).toBe('rolled_back');
    expect(j.error).toMatch(/exited with code/);
    const m = await model(bad);
    expect(m.tier).toBe('cold');
    expect((await d.getContainer(m.containerId!).inspect()).State.Running).toBe(false);
    await call(app, 'models.remove', { name: bad });
  });

  it('moves that grow usage pass admission: a refusal fails the move and leaves the model where it was', async () => {
    const cold = (await call(app, 'models.list', {})).find((m) => m.tier === 'cold' && m.name.startsWith(`t${RUN}`))!;
    await call(app, 'admission.setPolicy', { patch: { thresholds: { memoryMinFreeBytes: 2 ** 50 } } });
    try {
      const e = await refusal(call(app, 'tiers.ensure', { model: cold.name }));
      expect(e.code).toBe('ADMISSION_REJECTED');
      const job = (await call(app, 'tiers.jobs', { model: cold.name, limit: 1 }))[0]!;
      expect(job).toMatchObject({ state: 'failed', to: 'hot' });
      expect((await model(cold.name)).tier).toBe('cold');
    } finally {
      await call(app, 'admission.setPolicy', { patch: { thresholds: { memoryMinFreeBytes: 4 * 2 ** 30 } } });
    }
  });

  it('concurrent ensures of one model share one move, and memory is booked once', async () => {
    const before = await call(app, 'tiers.status', {});
    const cold = before.models.find((m) => m.tier === 'cold' && [m1, m2, m3].includes(m.name))!;
    const all = await Promise.all([1, 2, 3].map(() => call(app, 'tiers.ensure', { model: cold.name })));
    const ids = new Set(all.map((r) => r.job?.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toBeDefined();
    const moves = (await call(app, 'tiers.jobs', { model: cold.name, limit: 10 })).filter((j) => j.createdAt >= before.ts && j.to === 'hot');
    expect(moves).toHaveLength(1);
    // One eviction made room: the two others are not both still hot.
    const after = await call(app, 'tiers.status', {});
    expect(after.models.filter((m) => [m1, m2, m3].includes(m.name) && m.tier === 'hot')).toHaveLength(2);
    expect(after.ramUsedBytes).toBeLessThanOrEqual(after.limits.ramBudgetBytes - after.limits.safetyMarginBytes);
  });

  it('demotes idle models after the configured time, never a pinned one', async () => {
    await call(app, 'tiers.setLimits', { patch: { idleDemoteSeconds: 60 } });
    const hot = (await call(app, 'models.list', {})).filter((m) => m.tier === 'hot' && [m1, m2, m3].includes(m.name));
    expect(hot).toHaveLength(2);
    await call(app, 'models.update', { name: hot[0]!.name, patch: { pinned: true } });
    try {
      // As if 61 s had passed without a request (the time is handed in, not waited for).
      const jobs = app.tiers.demoteIdle(Date.now() + 61_000);
      expect(jobs.map((j) => [j.model, j.from, j.to, j.trigger])).toEqual([[hot[1]!.name, 'hot', 'warm', 'idle']]);
      await waitFor(async () => (await call(app, 'tiers.job', { id: jobs[0]!.id })).state === 'done', 20_000, 'the idle demotion');
      expect((await model(hot[1]!.name)).tier).toBe('warm');
      expect((await model(hot[0]!.name)).tier).toBe('hot');
      const ev = (await call(app, 'tiers.scalingEvents', { model: hot[1]!.name, limit: 1 }))[0]!;
      expect(ev).toMatchObject({ type: 'auto_scale_triggered', trigger: 'idle', fromTier: 'hot', toTier: 'warm', success: true });
      // Nothing is demoted before its time.
      expect(app.tiers.demoteIdle(Date.now())).toEqual([]);
    } finally {
      await call(app, 'models.update', { name: hot[0]!.name, patch: { pinned: false } });
      await call(app, 'tiers.setLimits', { patch: { idleDemoteSeconds: null } });
    }
  });

  it('follows a model container changed outside MLEnv (docker pause, docker stop) from the engine\'s events', async () => {
    const hot = (await call(app, 'models.list', {})).find((m) => m.tier === 'hot' && [m1, m2, m3].includes(m.name))!;
    await d.getContainer(hot.containerId!).pause();
    await waitFor(async () => (await model(hot.name)).tier === 'warm', 10_000, `${hot.name} seen warm`);
    await d.getContainer(hot.containerId!).unpause();
    await d.getContainer(hot.containerId!).stop({ t: 2 });
    await waitFor(async () => (await model(hot.name)).tier === 'cold', 10_000, `${hot.name} seen cold`);
    expect((await model(hot.name)).hostPort).toBeNull();
  });

  it('hot-loads a model added while running: a background job to warm (loaded, then frozen)', async () => {
    const hl = `t${RUN}-hl`;
    const r = await call(app, 'models.add', { model: spec(hl), tier: 'warm' });
    expect(r.model.tier).toBe('cold');
    expect(r.job).toMatchObject({ from: 'cold', to: 'warm', trigger: 'hot-load' });
    const done = await waitFor(async () => {
      const j = await call(app, 'tiers.job', { id: r.job!.id });
      return j.state === 'done' || j.state === 'failed' || j.state === 'rolled_back' ? j : null;
    }, 30_000, 'the hot-load');
    expect(done.state, done.error ?? '').toBe('done');
    const m = await model(hl);
    expect(m.tier).toBe('warm');
    expect(readFreezerState(m.containerId!)).toBe('frozen');
    expect(readContainerMemory(m.containerId!).usage).toBeGreaterThanOrEqual(32 * MIB);
    await call(app, 'models.remove', { name: hl, force: true });
    expect((await call(app, 'models.list', {})).some((x) => x.name === hl)).toBe(false);
  });

  it('refuses limits the host cannot give', async () => {
    const e = await refusal(call(app, 'tiers.setLimits', { patch: { ramBudgetBytes: '64t' } }));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/admission keeps free/);
    const l = await call(app, 'tiers.limits', {});
    expect(l.ramBudgetBytes).toBe(100 * MIB);
  });

  it('wrote a scaling event and a journal row for every finished move', async () => {
    const finished = (await call(app, 'tiers.jobs', { limit: 1000 })).filter((j) => ['done', 'failed', 'rolled_back'].includes(j.state));
    const scaling = await call(app, 'tiers.scalingEvents', { limit: 1000 });
    expect(scaling.map((s) => s.jobId).sort()).toEqual(finished.map((j) => j.id).sort());
    for (const j of finished) {
      const s = scaling.find((x) => x.jobId === j.id)!;
      expect(s).toMatchObject({ model: j.model, fromTier: j.from, toTier: j.to, success: j.state === 'done', trigger: j.trigger });
    }
    // Manual moves are manual_scale; ensure's are scale_up / scale_down.
    expect(scaling.filter((s) => s.trigger === 'user').every((s) => s.type === 'manual_scale')).toBe(true);
    expect(scaling.some((s) => s.trigger === 'ensure' && s.type === 'scale_down' && s.model === m2)).toBe(true);
    const journal = await call(app, 'events.list', { type: 'tier.move', limit: 1000 });
    expect(journal.length).toBe(finished.length);
  });
});
