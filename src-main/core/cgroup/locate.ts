// Where a container's cgroup files are. The most robust source is the container's init process
// (`State.Pid` from inspect): /proc/<pid>/cgroup names its cgroup in each hierarchy, and mountinfo
// says where each hierarchy is mounted — whatever the engine's cgroup driver (cgroupfs or systemd),
// cgroup parent, rootless or not. Without a pid, the layouts Docker uses are tried in turn:
//   cgroupfs driver:  <hierarchy>/docker/<id>                     (v1: /sys/fs/cgroup/memory/docker/<id>)
//   systemd driver:   <hierarchy>/system.slice/docker-<id>.scope  (v2: /sys/fs/cgroup/system.slice/docker-<id>.scope)
//   --cgroup-parent:  <parent>/<id> (cgroupfs) or the parent slice's path + docker-<id>.scope (systemd)
// A path is accepted only when it names the container's id, so a pid that is not the container's
// (another pid namespace, a reused pid) never yields another cgroup's figures.
import { existsSync, readFileSync } from 'node:fs';
import { AppError } from '@shared/errors';
import { parseCgroupMounts, parseProcCgroup, type CgroupMount } from './parse';

/** The v1 controllers whose files the reader uses. */
export const V1_CONTROLLERS = ['memory', 'cpuacct', 'pids', 'freezer', 'blkio'] as const;
export type V1Controller = (typeof V1_CONTROLLERS)[number];

/**
 * A container's cgroup directories. v1 (and hybrid hosts, where the controllers are on v1 and the
 * unified hierarchy carries none): one directory per controller, null for a controller not mounted.
 * v2: the one directory of the unified hierarchy.
 */
export type CgroupDirs = { version: 1; dirs: Record<V1Controller, string | null> } | { version: 2; dir: string };

export interface LocatedCgroup {
  cgroup: CgroupDirs;
  /** How the directories were found: from the init process's /proc/<pid>/cgroup, or by trying Docker's layouts. */
  via: 'pid' | 'layout';
  /** /proc/<pid>/net/dev of the container's init process (its network namespace); null unless found by that pid. */
  netDev: string | null;
}

export interface LocateOptions {
  /** Prefix of every absolute path read (/proc, the mount points): a fake tree in tests; '' (the real ones) by default. */
  root?: string;
  /** The container's `HostConfig.CgroupParent`, for trying the layouts without a pid. */
  cgroupParent?: string | null;
}

const FULL_ID = /^[0-9a-f]{64}$/;

/**
 * The path on disk of cgroup `cgPath` (as /proc/<pid>/cgroup names it) in `mount`; null when the
 * mount does not show that cgroup (its root is elsewhere, e.g. "/../.." seen from another cgroup namespace).
 */
export function pathInMount(mount: CgroupMount, cgPath: string): string | null {
  const root = mount.root === '/' ? '' : mount.root.replace(/\/$/, '');
  if (root.includes('..')) return null;
  if (root && cgPath !== root && !cgPath.startsWith(`${root}/`)) return null;
  const rest = cgPath.slice(root.length);
  return rest === '/' || rest === '' ? mount.mountPoint : `${mount.mountPoint.replace(/\/$/, '')}${rest}`;
}

/** Whether the host keeps memory (so every controller Docker reads) on v1 hierarchies: v1 and hybrid hosts. */
export function cgroupVersion(mounts: CgroupMount[]): 1 | 2 | null {
  if (mounts.some((m) => m.version === 1 && m.controllers.includes('memory'))) return 1;
  return mounts.some((m) => m.version === 2) ? 2 : null;
}

/**
 * systemd's path of a slice unit: "a-b-c.slice" lives at a.slice/a-b.slice/a-b-c.slice
 * (systemd.slice(5): a dash in the name is a level of the tree); "-.slice" is the root.
 */
export function slicePath(slice: string): string {
  const name = slice.replace(/\.slice$/, '');
  if (name === '-' || name === '') return '';
  const parts = name.split('-');
  return parts.map((_, i) => `${parts.slice(0, i + 1).join('-')}.slice`).join('/');
}

/** Paths (relative to a hierarchy's root, leading "/") where Docker puts container `id`'s cgroup, most common first. */
export function layoutCandidates(id: string, cgroupParent?: string | null): string[] {
  const out = [`/docker/${id}`, `/system.slice/docker-${id}.scope`];
  const parent = cgroupParent?.trim();
  if (parent) {
    if (parent.endsWith('.slice') && !parent.includes('/')) out.unshift(`/${slicePath(parent)}/docker-${id}.scope`.replace(/^\/\//, '/'));
    else out.unshift(`/${parent.replace(/^\/+|\/+$/g, '')}/${id}`);
  }
  return out;
}

const readText = (p: string) => {
  try {
    return readFileSync(p, 'latin1');
  } catch {
    return undefined;
  }
};

function locateByPid(id: string, pid: number, mounts: CgroupMount[], version: 1 | 2, root: string): CgroupDirs | null {
  const text = readText(`${root}/proc/${pid}/cgroup`);
  if (!text) return null;
  const lines = parseProcCgroup(text);
  /** The path on disk when it names the container and exists. */
  const named = (p: string | null) => (p && p.includes(id) && existsSync(root + p) ? root + p : null);
  if (version === 2) {
    const line = lines.find((l) => l.hierarchy === 0 && l.controllers.length === 0);
    const mount = mounts.find((m) => m.version === 2);
    const dir = line && mount ? named(pathInMount(mount, line.path)) : null;
    return dir ? { version: 2, dir } : null;
  }
  const dirs = {} as Record<V1Controller, string | null>;
  for (const c of V1_CONTROLLERS) {
    const line = lines.find((l) => l.controllers.includes(c));
    const mount = mounts.find((m) => m.version === 1 && m.controllers.includes(c));
    const p = line && mount ? pathInMount(mount, line.path) : null;
    dirs[c] = named(p);
  }
  return dirs.memory ? { version: 1, dirs } : null;
}

function locateByLayout(id: string, mounts: CgroupMount[], version: 1 | 2, root: string, cgroupParent?: string | null): CgroupDirs | null {
  for (const candidate of layoutCandidates(id, cgroupParent)) {
    if (version === 2) {
      const mount = mounts.find((m) => m.version === 2);
      const p = mount ? pathInMount(mount, candidate) : null;
      if (p && existsSync(root + p)) return { version: 2, dir: root + p };
      continue;
    }
    const dirs = {} as Record<V1Controller, string | null>;
    for (const c of V1_CONTROLLERS) {
      const mount = mounts.find((m) => m.version === 1 && m.controllers.includes(c));
      const p = mount ? pathInMount(mount, candidate) : null;
      dirs[c] = p && existsSync(root + p) ? root + p : null;
    }
    if (dirs.memory) return { version: 1, dirs };
  }
  return null;
}

/**
 * The cgroup mounts, parsed once per root: mountinfo grows with every running container's overlay
 * and shm mounts, while the cgroup mounts themselves change only when the host is set up anew (a
 * locate that finds nothing reads them again).
 */
const mountsCache = new Map<string, CgroupMount[]>();
function cgroupMounts(root: string, fresh: boolean): CgroupMount[] {
  const known = fresh ? undefined : mountsCache.get(root);
  if (known) return known;
  const mounts = parseCgroupMounts(readText(`${root}/proc/self/mountinfo`) ?? '');
  mountsCache.set(root, mounts);
  return mounts;
}

/**
 * Finds the cgroup of container `id` (the full 64-hex id). With `pid` (its `State.Pid`, > 0) from
 * /proc/<pid>/cgroup and mountinfo, else (or when that fails) by Docker's layouts (file comment).
 * Throws AppError INVALID_INPUT for an id that is not a full id, NOT_FOUND when no cgroup of it
 * exists here (stopped, on another machine, or this process sees another cgroup namespace).
 */
export function locateContainerCgroup(id: string, pid?: number | null, opts: LocateOptions = {}): LocatedCgroup {
  if (!FULL_ID.test(id)) throw new AppError('INVALID_INPUT', `"${id.slice(0, 80)}" is not a full container id (64 hex digits)`);
  const root = opts.root ?? '';
  const hasPid = typeof pid === 'number' && Number.isInteger(pid) && pid > 0;
  let version: 1 | 2 | null = null;
  for (const fresh of [false, true]) {
    const mounts = cgroupMounts(root, fresh);
    version = cgroupVersion(mounts);
    if (!version) continue;
    const byPid = hasPid ? locateByPid(id, pid, mounts, version, root) : null;
    const cgroup = byPid ?? locateByLayout(id, mounts, version, root, opts.cgroupParent);
    if (cgroup) return { cgroup, via: byPid ? 'pid' : 'layout', netDev: byPid && existsSync(`${root}/proc/${pid}/net/dev`) ? `${root}/proc/${pid}/net/dev` : null };
  }
  if (!version) throw new AppError('NOT_FOUND', `no cgroup filesystem is mounted here, so container ${id.slice(0, 12)} cannot be read from its cgroup`);
  throw new AppError('NOT_FOUND', `no cgroup of container ${id.slice(0, 12)} here (cgroup v${version}): it is not running on this machine, or runs in a cgroup this process cannot see`);
}
