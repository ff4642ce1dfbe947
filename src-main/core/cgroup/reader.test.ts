// The kept-open reader on fake trees of real file contents (fixtures/README.md): v2 with the systemd
// and cgroupfs drivers (this machine is v1, so v2 is read here from fixtures), and the captured v1
// hybrid host. The real engine: cgroup.integration.test.ts.
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { fakeTree } from './fake-tree';
import { openContainerCgroup, readContainerMemory, readFreezerState } from './index';

const V1_ID = '6c1cdd47df8c9d2538fdd836d27790816e934af8fabfaea0b2d178d7dd702070';
const V2_SYSTEMD_ID = '3d1f6a5b8c2e4f7091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708';
const V2_CGROUPFS_ID = 'aa86ac98959eeedeae0ecb6e0c9ddd8ae8b97a9d0fdccccf7ea7a474f4e0bb1f';
const clock = () => 1234.5;

describe('cgroup v2, systemd driver (kernel without memory.peak)', () => {
  const tree = fakeTree('v2-docker-systemd');
  const scope = `sys/fs/cgroup/system.slice/docker-${V2_SYSTEMD_ID}.scope`;

  it('reads every figure: memory as docker stats, CPU ns from usage_usec, pids, freezer, io.stat, net/dev', () => {
    const r = openContainerCgroup({ id: V2_SYSTEMD_ID, pid: 4242 }, { root: tree.root, clock });
    try {
      expect(r.cgroup).toEqual({ version: 2, dir: `${tree.root}/${scope}` });
      expect(r.freezer()).toBe('thawed');
      expect(r.read()).toEqual({
        at: 1234.5,
        // memory.current 2481475584 less inactive_file 4096; memory.max a number; no memory.peak, no memory.swap.current
        memory: { used: 2481471488, usage: 2481475584, inactiveFile: 4096, limit: 7864320000, swap: null, shmem: 0 },
        cpuNs: 40004000,
        pids: 2,
        block: { read: 598016, write: 227002702848000 },
        net: { rx: 586, tx: 0 },
      });
    } finally {
      r.close();
    }
  });

  it('re-reads the same descriptors: a file rewritten in place shows its new contents', () => {
    const r = openContainerCgroup({ id: V2_SYSTEMD_ID, pid: 4242 }, { root: tree.root, clock });
    try {
      expect(r.memory()?.usage).toBe(2481475584);
      tree.write(`${scope}/memory.current`, '2500000000\n');
      tree.write(`${scope}/cpu.stat`, 'usage_usec 50004\nuser_usec 12016\nsystem_usec 37988\nnice_usec 0\n');
      expect(r.read()).toMatchObject({ memory: { used: 2500000000 - 4096 }, cpuNs: 50004000 });
      expect(r.peakUsedSeen()).toBe(2500000000 - 4096);
      tree.write(`${scope}/cgroup.freeze`, '1\n');
      expect(r.freezer()).toBe('freezing'); // asked, cgroup.events not frozen yet
    } finally {
      r.close();
    }
  });

  it('a container on the host network has no network figures of its own', () => {
    const r = openContainerCgroup({ id: V2_SYSTEMD_ID, pid: 4242, ownNetwork: false }, { root: tree.root, clock });
    expect(r.read().net).toBeNull();
    r.close();
  });
});

describe('cgroup v2, cgroupfs driver, paused', () => {
  const tree = fakeTree('v2-docker-cgroupfs');

  it('frozen from cgroup.events; memory.max "max" is no limit; memory.peak and memory.swap.current read', () => {
    expect(readFreezerState({ id: V2_CGROUPFS_ID, pid: 5151 }, { root: tree.root })).toBe('frozen');
    expect(readContainerMemory(V2_CGROUPFS_ID, { root: tree.root })).toEqual({ used: 2481471488, usage: 2481475584, inactiveFile: 4096, peak: 2600468480, limit: null, swap: 0, shmem: 0 });
  });

  it('without the pids and io controllers enabled: those figures are unknown, the rest still read', () => {
    const t = fakeTree('v2-docker-cgroupfs');
    const r = openContainerCgroup({ id: V2_CGROUPFS_ID }, { root: t.root, clock });
    rmSync(`${t.root}/sys/fs/cgroup/docker/${V2_CGROUPFS_ID}/pids.current`);
    rmSync(`${t.root}/sys/fs/cgroup/docker/${V2_CGROUPFS_ID}/io.stat`);
    expect(r.read()).toMatchObject({ pids: null, block: null, net: null, cpuNs: 85983000 });
    expect(r.freezer()).toBe('frozen');
    r.close();
  });
});

describe('cgroup v1 (the captured hybrid host)', () => {
  const tree = fakeTree('v1-docker-cgroupfs');

  it('reads the v1 files, not the unified hierarchy\'s: 64 MiB of /dev/shm in memory used', () => {
    const r = openContainerCgroup({ id: V1_ID, pid: 23681 }, { root: tree.root, clock });
    try {
      expect(r.read()).toEqual({
        at: 1234.5,
        memory: { used: 67776512, usage: 67776512, inactiveFile: 0, limit: 268435456, swap: 0, shmem: 64 * 2 ** 20 },
        cpuNs: 73838204, // cpuacct.usage, not the unified cpu.stat's 85983 µs
        pids: 2,
        block: { read: 0, write: 0 }, // only "Total 0" lines: no I/O yet
        net: { rx: 586, tx: 0 },
      });
      expect(r.memory()).toMatchObject({ used: 67776512, peak: 69160960 }); // memory() reads the peak too
      expect(r.freezer()).toBe('thawed');
    } finally {
      r.close();
    }
  });

  it('FROZEN while paused', () => {
    const t = fakeTree('v1-docker-cgroupfs');
    t.write(`sys/fs/cgroup/freezer/docker/${V1_ID}/freezer.state`, 'FROZEN\n');
    expect(readFreezerState(V1_ID, { root: t.root })).toBe('frozen');
  });
});

describe('errors', () => {
  const tree = fakeTree('v1-docker-cgroupfs');
  const code = (fn: () => unknown) => {
    try {
      fn();
      return 'no error';
    } catch (e) {
      return e instanceof AppError ? e.code : String(e);
    }
  };

  it('a closed reader refuses reads; no cgroup is NOT_FOUND; no freezer mounted is UNSUPPORTED', () => {
    const r = openContainerCgroup({ id: V1_ID }, { root: tree.root });
    r.close();
    expect(code(() => r.read())).toBe('INVALID_INPUT');
    expect(code(() => readContainerMemory('e'.repeat(64), { root: tree.root }))).toBe('NOT_FOUND');
    const t = fakeTree('v1-docker-cgroupfs');
    t.write('proc/self/mountinfo', '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n');
    expect(code(() => readFreezerState(V1_ID, { root: t.root }))).toBe('UNSUPPORTED');
    expect(readContainerMemory(V1_ID, { root: t.root }).used).toBe(67776512);
  });
});
