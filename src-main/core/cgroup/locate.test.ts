// Finding a container's cgroup on fake /proc + /sys trees: from its init pid, or by Docker's layouts
// (cgroupfs and systemd drivers, cgroup parents) on v1, hybrid and v2 hosts.
import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { fakeTree } from './fake-tree';
import { layoutCandidates, locateContainerCgroup, pathInMount, slicePath } from './locate';

const V1_ID = '6c1cdd47df8c9d2538fdd836d27790816e934af8fabfaea0b2d178d7dd702070';
const V2_SYSTEMD_ID = '3d1f6a5b8c2e4f7091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708';
const V2_CGROUPFS_ID = 'aa86ac98959eeedeae0ecb6e0c9ddd8ae8b97a9d0fdccccf7ea7a474f4e0bb1f';
const OTHER_ID = 'f'.repeat(64);

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? e.code : String(e);
  }
  return 'no error';
};

describe('on the captured hybrid v1 host', () => {
  const tree = fakeTree('v1-docker-cgroupfs');
  const dir = (c: string) => `${tree.root}/sys/fs/cgroup/${c}/docker/${V1_ID}`;

  it('from the init pid: one directory per controller, on v1 although a unified hierarchy is mounted, and the pid\'s net/dev', () => {
    const l = locateContainerCgroup(V1_ID, 23681, { root: tree.root });
    expect(l).toEqual({
      cgroup: { version: 1, dirs: { memory: dir('memory'), cpuacct: dir('cpuacct'), pids: dir('pids'), freezer: dir('freezer'), blkio: dir('blkio') } },
      via: 'pid',
      netDev: `${tree.root}/proc/23681/net/dev`,
    });
  });

  it('without a pid, by the cgroupfs layout (docker/<id>), and without network counters', () => {
    expect(locateContainerCgroup(V1_ID, null, { root: tree.root })).toMatchObject({ cgroup: { version: 1, dirs: { memory: dir('memory') } }, via: 'layout', netDev: null });
  });

  it('a pid whose cgroup is another container\'s is not taken (another pid namespace, a reused pid)', () => {
    tree.write('proc/999/cgroup', `4:memory:/docker/${OTHER_ID}\n0::/docker/${OTHER_ID}\n`);
    tree.write('proc/999/net/dev', 'x');
    expect(locateContainerCgroup(V1_ID, 999, { root: tree.root })).toMatchObject({ via: 'layout', netDev: null });
    expect(codeOf(() => locateContainerCgroup(OTHER_ID, 999, { root: tree.root }))).toBe('NOT_FOUND'); // named, but no such directory
  });

  it('a controller that is not mounted is null; the rest are read', () => {
    const t = fakeTree('v1-docker-cgroupfs');
    t.write('proc/self/mountinfo', '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n');
    expect(locateContainerCgroup(V1_ID, 23681, { root: t.root }).cgroup).toEqual({
      version: 1,
      dirs: { memory: `${t.root}/sys/fs/cgroup/memory/docker/${V1_ID}`, cpuacct: null, pids: null, freezer: null, blkio: null },
    });
  });

  it('an id that is not a full id is refused; a container with no cgroup here is NOT_FOUND', () => {
    expect(codeOf(() => locateContainerCgroup(V1_ID.slice(0, 12), 23681, { root: tree.root }))).toBe('INVALID_INPUT');
    expect(codeOf(() => locateContainerCgroup(OTHER_ID, null, { root: tree.root }))).toBe('NOT_FOUND');
    expect(codeOf(() => locateContainerCgroup(V1_ID, 23681, { root: fakeTree().root }))).toBe('NOT_FOUND'); // no cgroup mounts at all
  });
});

describe('on cgroup v2 hosts', () => {
  it('systemd driver: from the pid, and without one by system.slice/docker-<id>.scope', () => {
    const tree = fakeTree('v2-docker-systemd');
    const dir = `${tree.root}/sys/fs/cgroup/system.slice/docker-${V2_SYSTEMD_ID}.scope`;
    expect(locateContainerCgroup(V2_SYSTEMD_ID, 4242, { root: tree.root })).toEqual({ cgroup: { version: 2, dir }, via: 'pid', netDev: `${tree.root}/proc/4242/net/dev` });
    expect(locateContainerCgroup(V2_SYSTEMD_ID, undefined, { root: tree.root })).toEqual({ cgroup: { version: 2, dir }, via: 'layout', netDev: null });
  });

  it('cgroupfs driver (coder/coder#15156\'s 0::/docker/<id>)', () => {
    const tree = fakeTree('v2-docker-cgroupfs');
    expect(locateContainerCgroup(V2_CGROUPFS_ID, 5151, { root: tree.root }).cgroup).toEqual({ version: 2, dir: `${tree.root}/sys/fs/cgroup/docker/${V2_CGROUPFS_ID}` });
  });

  it('a cgroup parent: cgroupfs <parent>/<id>, systemd slice expanded level by level', () => {
    const tree = fakeTree();
    tree.write('proc/self/mountinfo', '30 23 0:27 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n');
    tree.write(`sys/fs/cgroup/ml/jobs/${V2_CGROUPFS_ID}/cgroup.events`, 'populated 1\nfrozen 0\n');
    expect(locateContainerCgroup(V2_CGROUPFS_ID, null, { root: tree.root, cgroupParent: '/ml/jobs/' }).cgroup).toEqual({ version: 2, dir: `${tree.root}/sys/fs/cgroup/ml/jobs/${V2_CGROUPFS_ID}` });
    tree.write(`sys/fs/cgroup/ml.slice/ml-gpu.slice/docker-${V2_SYSTEMD_ID}.scope/cgroup.events`, 'populated 1\nfrozen 0\n');
    expect(locateContainerCgroup(V2_SYSTEMD_ID, null, { root: tree.root, cgroupParent: 'ml-gpu.slice' }).cgroup).toEqual({
      version: 2,
      dir: `${tree.root}/sys/fs/cgroup/ml.slice/ml-gpu.slice/docker-${V2_SYSTEMD_ID}.scope`,
    });
  });

  it('a mount whose root is outside our cgroup namespace (systemd/systemd#17902: "/../../..") shows nothing we can name', () => {
    const tree = fakeTree('v2-docker-cgroupfs');
    tree.write('proc/self/mountinfo', '30 23 0:27 /../../../../.. /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,seclabel,nsdelegate\n');
    expect(codeOf(() => locateContainerCgroup(V2_CGROUPFS_ID, 5151, { root: tree.root }))).toBe('NOT_FOUND');
  });
});

describe('CentOS 7 style: cpu and cpuacct comounted at /sys/fs/cgroup/cpu,cpuacct (netdata/netdata#563)', () => {
  it('cpuacct is found on the comounted hierarchy, by pid and by layout', () => {
    const tree = fakeTree();
    tree.write(
      'proc/self/mountinfo',
      [
        '30 25 0:25 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,cpuacct,cpu',
        '31 25 0:26 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,memory',
        '',
      ].join('\n'),
    );
    tree.write('proc/77/cgroup', `3:cpuacct,cpu:/system.slice/docker-${OTHER_ID}.scope\n8:memory:/system.slice/docker-${OTHER_ID}.scope\n`);
    for (const c of ['cpu,cpuacct', 'memory']) tree.write(`sys/fs/cgroup/${c}/system.slice/docker-${OTHER_ID}.scope/tasks`, '1\n');
    const expected = { version: 1, dirs: { memory: `${tree.root}/sys/fs/cgroup/memory/system.slice/docker-${OTHER_ID}.scope`, cpuacct: `${tree.root}/sys/fs/cgroup/cpu,cpuacct/system.slice/docker-${OTHER_ID}.scope`, pids: null, freezer: null, blkio: null } };
    expect(locateContainerCgroup(OTHER_ID, 77, { root: tree.root }).cgroup).toEqual(expected);
    expect(locateContainerCgroup(OTHER_ID, null, { root: tree.root }).cgroup).toEqual(expected);
  });
});

describe('path grammar', () => {
  it('a cgroup path inside a mount: under its root, or not shown by it', () => {
    const m = { version: 1 as const, root: '/', mountPoint: '/sys/fs/cgroup/memory', controllers: ['memory'] };
    expect(pathInMount(m, '/docker/x')).toBe('/sys/fs/cgroup/memory/docker/x');
    expect(pathInMount(m, '/')).toBe('/sys/fs/cgroup/memory');
    const sub = { ...m, root: '/lxc/c1' };
    expect(pathInMount(sub, '/lxc/c1/docker/x')).toBe('/sys/fs/cgroup/memory/docker/x');
    expect(pathInMount(sub, '/lxc/c10/docker/x')).toBeNull();
    expect(pathInMount({ ...m, root: '/../..' }, '/docker/x')).toBeNull();
  });
  it('systemd slices (systemd.slice(5)): each dash a level; the root slice is empty', () => {
    expect(slicePath('system.slice')).toBe('system.slice');
    expect(slicePath('a-b-c.slice')).toBe('a.slice/a-b.slice/a-b-c.slice');
    expect(slicePath('-.slice')).toBe('');
  });
  it('Docker\'s layouts, a cgroup parent\'s first', () => {
    expect(layoutCandidates('id')).toEqual(['/docker/id', '/system.slice/docker-id.scope']);
    expect(layoutCandidates('id', 'my-app.slice')[0]).toBe('/my.slice/my-app.slice/docker-id.scope');
    expect(layoutCandidates('id', '-.slice')[0]).toBe('/docker-id.scope');
    expect(layoutCandidates('id', '/parent')[0]).toBe('/parent/id');
  });
});
