// Which source serves which container: cgroups for a local engine's containers whose cgroup is
// readable, Docker's streams for the rest (the streams here are a recorder; the real ones against the
// real engine, and a cgroup that goes away at a tick, are in cgroup.integration.test.ts and core/health).
import { mkdirSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ContainerStats } from '@shared/contract';
import type { Engine } from '../docker/engine-registry';
import type { StatsStreams, StatsTarget } from '../docker/stats';
import { createContainerStats } from './container-stats';
import { fakeTree } from './fake-tree';

const V2_ID = '3d1f6a5b8c2e4f7091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708';
const ABSENT_ID = 'b'.repeat(64);
const local = { id: 'local', socketPath: '/var/run/docker.sock' } as Engine;
const remote = { id: 'r1', socketPath: null } as Engine;
const target = (id: string, pid: number | null = 4242): StatsTarget => ({ id, name: id.slice(0, 4), project: null, cpuLimit: null, memoryLimit: null, pid });

/** Records what the streams were asked to follow; `latest` gives one streamed sample per followed id. */
function recordingStreams() {
  const followed = new Map<string, string>();
  const streams = {
    open: async (engine: Engine, t: StatsTarget) => {
      followed.set(t.id, engine.id);
      return undefined;
    },
    close: (id: string) => void followed.delete(id),
    sync(engine: Engine, targets: StatsTarget[]) {
      for (const [id, e] of [...followed]) if (e === engine.id && !targets.some((t) => t.id === id)) followed.delete(id);
      for (const t of targets) followed.set(t.id, engine.id);
    },
    openIds: () => [...followed.keys()],
    latest: (): ContainerStats[] => [...followed.keys()].map((id) => ({ id, ts: 1 }) as ContainerStats),
    get: (id: string) => (followed.has(id) ? ({ id, ts: 1 } as ContainerStats) : undefined),
    stopAll: () => followed.clear(),
  };
  return { streams: streams as unknown as StatsStreams, followed };
}

describe('container stats sources', () => {
  it('a local engine: cgroups where readable, a stream for the container whose cgroup is not here', () => {
    const tree = fakeTree('v2-docker-systemd');
    const { streams, followed } = recordingStreams();
    let t = 1000;
    const stats = createContainerStats({ streams, root: tree.root, clock: () => t, onlineCpus: 4 });
    stats.sync(local, [target(V2_ID), target(ABSENT_ID, null)]);
    expect(stats.cgroupIds()).toEqual([V2_ID]);
    expect([...followed.keys()]).toEqual([ABSENT_ID]);

    // Read once when followed, so the first tick already has CPU % (no CPU used since: 0) and rates.
    t = 1500;
    const first = stats.sample(1_700_000_000_000);
    expect(first.map((s) => s.id).sort()).toEqual([V2_ID, ABSENT_ID].sort());
    expect(first.find((s) => s.id === V2_ID)).toMatchObject({ ts: 1_700_000_000_000, memoryUsed: 2481471488, memoryLimit: 7864320000, pids: 2, cpuPercent: 0, netRxBytesPerSec: 0 });
    expect(stats.get(V2_ID)?.ts).toBe(1_700_000_000_000);

    // One second later with 1 s more CPU: 1 core of 4 busy = 25 % (no CPU limit). A resync with the same pid keeps the previous reading and takes the fresher inspect data.
    tree.write(`sys/fs/cgroup/system.slice/docker-${V2_ID}.scope/cpu.stat`, 'usage_usec 1040004\n');
    stats.sync(local, [{ ...target(V2_ID), name: 'renamed' }, target(ABSENT_ID, null)]);
    t = 2500;
    expect(stats.sample(1_700_000_001_000).find((s) => s.id === V2_ID)).toMatchObject({ name: 'renamed', cpuPercent: expect.closeTo(25, 9) });

    // Restarted (a new init pid): followed afresh, its CPU counted from the new reading on.
    tree.write('proc/5000/cgroup', `0::/system.slice/docker-${V2_ID}.scope\n`);
    stats.sync(local, [target(V2_ID, 5000)]);
    tree.write(`sys/fs/cgroup/system.slice/docker-${V2_ID}.scope/cpu.stat`, 'usage_usec 1540004\n');
    t = 3500;
    expect(stats.sample(1_700_000_002_000).find((s) => s.id === V2_ID)?.cpuPercent).toBeCloseTo(12.5, 9); // 0.5 s of CPU over 1 s, of 4 CPUs
    expect(followed.size).toBe(0); // the other one left the list: its stream closed

    stats.close(V2_ID);
    expect(stats.openIds()).toEqual([]);
    expect(stats.latest()).toEqual([]);
  });

  it('a remote engine: every container through a stream, whatever this host has', () => {
    const tree = fakeTree('v2-docker-systemd');
    const { streams, followed } = recordingStreams();
    const stats = createContainerStats({ streams, root: tree.root });
    stats.sync(remote, [target(V2_ID)]);
    expect(stats.cgroupIds()).toEqual([]);
    expect([...followed.entries()]).toEqual([[V2_ID, 'r1']]);
    void stats.open(local, target(V2_ID)); // the same container seen on the local engine is read from its cgroup
    expect(stats.cgroupIds()).toEqual([V2_ID]);
    stats.stopAll();
    expect(stats.openIds()).toEqual([]);
  });

  it('a cgroup whose files cannot be read goes to the streams', () => {
    const tree = fakeTree('v2-docker-systemd');
    const scope = `${tree.root}/sys/fs/cgroup/system.slice/docker-${V2_ID}.scope`;
    rmSync(`${scope}/cgroup.events`);
    mkdirSync(`${scope}/cgroup.events`); // reading a directory fails (EISDIR), as an unreadable file would
    const { streams, followed } = recordingStreams();
    const stats = createContainerStats({ streams, root: tree.root });
    stats.sync(local, [target(V2_ID)]);
    expect(stats.cgroupIds()).toEqual([]);
    expect([...followed.keys()]).toEqual([V2_ID]);
  });

});
