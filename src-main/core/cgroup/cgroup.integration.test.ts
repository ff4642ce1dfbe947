// The cgroup reader against running containers on the real engine (cgroup v1 on the development
// machine; whatever the host has elsewhere): memory held in /dev/shm shows in `used`, pause freezes,
// CPU time and CPU % agree with the kernel's own counter read around them, a restart is followed to
// the new cgroup, a stop ends the reader; and the app samples its local containers from cgroups.
import type Docker from 'dockerode';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { realDocker, TEST_IMAGE, tmpDataDir, waitFor } from '../../test-support';
import { removeTestContainers, RUN, startApp, testLabels } from '../../test-support/docker-app';
import type { App } from '../app';
import { engineTransport, type Engine } from '../docker/engine-registry';
import { statsTargets } from '../docker/stats-targets';
import { createContainerStats, openContainerCgroup, readContainerMemory, readFreezerState } from './index';

const docker = await realDocker();
const MiB = 2 ** 20;

/** Starts a labelled busybox container with an init (so stop is quick) and returns its id and init pid. */
async function run(d: Docker, name: string, cmd: string[], host: Partial<Docker.HostConfig> = {}) {
  const c = await d.createContainer({ Image: TEST_IMAGE, Cmd: cmd, name: `mlenv-t-cg-${name}-${RUN}`, Labels: { ...testLabels, 'io.mlenv.managed': 'true' }, HostConfig: { Init: true, ...host } });
  await c.start();
  const info = await c.inspect();
  return { id: c.id, pid: info.State.Pid, container: c };
}

/** Runs `cmd` inside the container to its end. */
async function exec(d: Docker, id: string, cmd: string[]) {
  const e = await d.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await e.start({});
  await new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.resume();
  });
  return (await e.inspect()).ExitCode;
}

/**
 * The container's CPU time, ns, read straight from the kernel's file at the layout Docker's
 * cgroupfs driver uses (v1 cpuacct.usage, or v2 cpu.stat usage_usec): independent of the reader.
 */
function kernelCpuNs(id: string): number | undefined {
  const v1 = `/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`;
  if (existsSync(v1)) return Number(readFileSync(v1, 'utf8'));
  for (const dir of [`/sys/fs/cgroup/docker/${id}`, `/sys/fs/cgroup/system.slice/docker-${id}.scope`]) {
    if (existsSync(`${dir}/cpu.stat`)) return Number(/usage_usec (\d+)/.exec(readFileSync(`${dir}/cpu.stat`, 'utf8'))![1]) * 1000;
  }
  return undefined;
}

describe.skipIf(!docker)('cgroup reader on the real engine', () => {
  const d = docker as Docker;
  afterAll(() => removeTestContainers(d));

  it('N MiB written to /dev/shm raise `used` by N MiB (and the peak with it); pause freezes and keeps the memory', async () => {
    const N = 48;
    const { id, pid } = await run(d, 'shm', ['sleep', '300'], { ShmSize: 128 * MiB, Memory: 256 * MiB });
    const reader = openContainerCgroup({ id, pid });
    try {
      const before = reader.memory()!;
      expect(before.limit).toBe(256 * MiB);
      expect(await exec(d, id, ['dd', 'if=/dev/zero', 'of=/dev/shm/weights', 'bs=1M', `count=${N}`])).toBe(0);
      const after = reader.memory()!;
      // Exactly N MiB of tmpfs pages stay charged to the container (the dd process's own left with it);
      // `used` rises by about that: the kernel frees and charges a few pages of its own meanwhile.
      expect(after.shmem! - before.shmem!).toBe(N * MiB);
      expect(after.used - before.used).toBeGreaterThan((N - 4) * MiB);
      expect(after.used - before.used).toBeLessThan((N + 8) * MiB);
      expect(after.peak!).toBeGreaterThanOrEqual(after.usage);
      expect(readContainerMemory(id).used).toBeGreaterThanOrEqual(N * MiB); // one-shot, by id alone

      expect(readFreezerState({ id, pid })).toBe('thawed');
      await d.getContainer(id).pause();
      expect(reader.freezer()).toBe('frozen');
      const paused = reader.memory()!;
      expect(paused.used).toBeGreaterThanOrEqual(after.used - MiB); // frozen, the memory stays
      await d.getContainer(id).unpause();
      expect(reader.freezer()).toBe('thawed');
      expect(reader.peakUsedSeen()).toBeGreaterThanOrEqual(after.used);
    } finally {
      reader.close();
    }
  });

  it('CPU time is the kernel\'s counter, CPU % of the limit lies within what that counter allows around the two readings; a cgroup gone at a tick is dropped', async () => {
    const limit = 0.5;
    const { id, pid } = await run(d, 'burn', ['sh', '-c', 'while true; do :; done'], { NanoCpus: limit * 1e9 });
    const engine = { id: 'local', name: 'Local', kind: 'local', docker: d, ...engineTransport(d) } as unknown as Engine;
    const target = (await statsTargets(engine)).find((t) => t.id === id)!;
    expect(target).toMatchObject({ pid, cpuLimit: limit });
    const stats = createContainerStats({ onlineCpus: 2 });
    try {
      stats.sync(engine, [target]);
      expect(stats.cgroupIds()).toEqual([id]);
      const bracket = () => ({ c: kernelCpuNs(id)!, t: performance.now() });
      const b0 = bracket();
      stats.sample(Date.now());
      const b1 = bracket();
      await new Promise((r) => setTimeout(r, 1000));
      const b2 = bracket();
      const s = stats.sample(Date.now()).find((x) => x.id === id)!;
      const b3 = bracket();
      // Each reading's counter and time lie between the brackets around it; so do the cores it was busy.
      const low = ((b2.c - b1.c) / ((b3.t - b0.t) * 1e6)) * (100 / limit);
      const high = ((b3.c - b0.c) / ((b2.t - b1.t) * 1e6)) * (100 / limit);
      expect(b3.c).toBeGreaterThan(b0.c); // the loop ran
      expect(s.cpuPercent).toBeGreaterThanOrEqual(low);
      expect(s.cpuPercent).toBeLessThanOrEqual(high);
      expect(s).toMatchObject({ pids: expect.any(Number), netRxBytesPerSec: expect.any(Number), blockReadBytesPerSec: expect.any(Number) });

      const direct = openContainerCgroup({ id, pid });
      const k0 = kernelCpuNs(id)!;
      const ns = direct.read().cpuNs!;
      expect(ns).toBeGreaterThanOrEqual(k0);
      expect(ns).toBeLessThanOrEqual(kernelCpuNs(id)!);
      direct.close();

      // Stopped behind its back (no event told it): the next tick finds the cgroup gone and drops it.
      await d.getContainer(id).stop({ t: 0 });
      expect(stats.sample(Date.now()).some((x) => x.id === id)).toBe(false);
      expect(stats.cgroupIds()).toEqual([]);
    } finally {
      stats.stopAll();
    }
  });

  it('a restart makes the cgroup anew: the kept reader follows it (counters start again); a stop ends it with NOT_FOUND', async () => {
    // Burns CPU on its first start only (a restart keeps the container's files): after the restart the
    // new counter stays far below the old one however long the restart takes on a busy machine.
    const { id, pid, container } = await run(d, 'restart', ['sh', '-c', '[ -e /tmp/ran ] || { touch /tmp/ran; i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; }; sleep 300']);
    const reader = openContainerCgroup({ id, pid });
    try {
      await waitFor(() => kernelCpuNs(id)! > 50e6, 20_000, 'the count to use 50 ms of CPU');
      const before = reader.read().cpuNs!;
      await container.restart({ t: 0 });
      const after = reader.read(); // the old descriptors fail (ENODEV); it finds the new cgroup
      expect(after.cpuNs!).toBeLessThan(before);
      expect(after.memory!.usage).toBeGreaterThan(0);
      await container.stop({ t: 0 });
      let code = '';
      try {
        reader.read();
      } catch (e) {
        code = e instanceof AppError ? e.code : String(e);
      }
      expect(code).toBe('NOT_FOUND');
    } finally {
      reader.close();
    }
  });

  it('network counters: its own namespace on the bridge, none on the host network or with no network', async () => {
    const bridge = await run(d, 'net-bridge', ['sleep', '300']);
    const host = await run(d, 'net-host', ['sleep', '300'], { NetworkMode: 'host' });
    const none = await run(d, 'net-none', ['sleep', '300'], { NetworkMode: 'none' });
    const read = (c: { id: string; pid: number }, ownNetwork = true) => {
      const r = openContainerCgroup({ id: c.id, pid: c.pid, ownNetwork });
      try {
        return r.read().net;
      } finally {
        r.close();
      }
    };
    expect(read(bridge)).toEqual({ rx: expect.any(Number), tx: expect.any(Number) });
    expect(read(host, false)).toBeNull();
    expect(read(none)).toBeNull(); // only lo
  });
});

describe.skipIf(!docker)('the app samples its local containers from their cgroups', () => {
  const d = docker as Docker;
  let app: App;
  beforeAll(async () => {
    app = await startApp(tmpDataDir(), d);
  });
  afterAll(async () => {
    await removeTestContainers(d);
    await app?.dispose();
  });

  it('a managed container is read from its cgroup at each tick, with every figure the charts show; stopped, it leaves', async () => {
    // Started on the engine directly (the app follows managed containers by their events), so that
    // this test does not depend on admission's view of a busy test machine.
    const c = await run(d, 'app', ['sleep', '300'], { Memory: 64 * MiB });
    await waitFor(() => app.docker.stats.cgroupIds().includes(c.id), 15_000, 'its cgroup followed');
    const sample = await waitFor(async () => {
      const snap = await app.sampler.tick();
      const s = snap?.containers?.find((x) => x.id === c.id);
      return s && s.cpuPercent !== null && s;
    }, 15_000, 'a second tick with its figures');
    expect(sample).toMatchObject({ name: `mlenv-t-cg-app-${RUN}`, project: null, memoryLimit: 64 * MiB, restartCount: 0, oomKilled: false });
    for (const k of ['memoryUsed', 'memoryPercent', 'pids', 'netRxBytesPerSec', 'netTxBytesPerSec', 'blockReadBytesPerSec', 'blockWriteBytesPerSec'] as const) {
      expect(sample[k], k).toEqual(expect.any(Number));
    }
    expect(app.docker.stats.openIds()).toContain(c.id);
    await c.container.stop({ t: 0 });
    await waitFor(() => !app.docker.stats.openIds().includes(c.id), 15_000, 'its reader closed');
    expect((await app.sampler.tick())?.containers?.some((x) => x.id === c.id)).toBe(false);
  });
});
