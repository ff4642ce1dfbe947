// Whether this host can keep a model in the swap tier: paused, with its pages pushed out to swap.
// That needs swap space and the one way MLEnv pushes a cgroup's pages out: cgroup v2's
// memory.reclaim (Linux 5.19+), in the cgroup Docker puts its containers under, writable by this
// process, with swap accounting (memory.swap.max, memory.swap.current: the move is verified from
// them) and a memory.swap.max that is not 0. Never faked: a host that cannot is UNSUPPORTED, with the
// reason. Each move checks its own container again (cgroup-view swapRefusal): this is the host's view.
//
// cgroup v1 stays UNSUPPORTED, by choice. Its only way to push a live cgroup's pages out is to lower
// memory.limit_in_bytes below what the container uses and raise it again afterwards
// (memory.force_empty is meant for a cgroup about to be removed; memory.reclaim is v2's alone). That
// rewrites the limit Docker set, which `docker update` may rewrite meanwhile without MLEnv seeing it;
// if MLEnv stops between lowering and restoring it (a crash, a kill), the container keeps a limit
// below its working set and is OOM-killed as soon as it is thawed; and where swap cannot take the
// pages the kernel refuses the new limit (EBUSY) only after reclaiming what it could. memory.reclaim
// leaves every limit as it was: nothing to restore, nothing to race.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { SwapSupport } from '@shared/contract';
import { formatBytes } from '@shared/units';
import { swapLimit } from '../cgroup';
import { cgroupVersion } from '../cgroup/locate';
import { parseCgroupMounts } from '../cgroup/parse';

/** The reason on a cgroup v1 (or hybrid) host with swap: the file comment says why. */
export const V1_SWAP_REASON = 'cgroup v1: MLEnv pushes memory to swap only through cgroup v2 memory.reclaim';

/** What the decision rests on. */
export interface SwapFacts {
  /** The cgroup version the containers run under (null: none found). */
  cgroupVersion: 1 | 2 | null;
  /** SwapTotal of /proc/meminfo, bytes. */
  swapTotalBytes: number;
  /** cgroup v2: the cgroup Docker puts its containers under, as a path of the hierarchy ("/docker", "/system.slice"; "/" when neither exists). */
  containersCgroup?: string;
  /** cgroup v2: that cgroup offers memory.reclaim (Linux 5.19+). */
  reclaimFile: boolean;
  /** cgroup v2: this process may write it (by its owner and mode: the cgroups of a rootful Docker belong to root). */
  reclaimWritable?: boolean;
  /**
   * cgroup v2: the smallest memory.swap.max along that cgroup's path, bytes ('max': no limit); null
   * when there is none (the kernel keeps no swap accounting for cgroups).
   */
  swapMax?: number | 'max' | null;
}

/** The swap tier's support on a host with these facts, with the reason in words. */
export function swapSupport(f: SwapFacts): SwapSupport {
  const no = (reason: string): SwapSupport => ({ supported: false, method: null, reason });
  const cg = f.cgroupVersion === null ? 'no cgroup hierarchy was found' : `cgroup v${f.cgroupVersion}`;
  if (f.swapTotalBytes <= 0) return no(`this host has ${cg} and no swap space (SwapTotal in /proc/meminfo is 0): a paused model's pages have nowhere to go`);
  if (f.cgroupVersion === null) return no(`no cgroup hierarchy was found: MLEnv pushes memory to swap only through cgroup v2 memory.reclaim`);
  if (f.cgroupVersion === 1) return no(V1_SWAP_REASON);
  const where = f.containersCgroup ?? 'the containers’ cgroup';
  if (!f.reclaimFile) return no('this kernel has cgroup v2 without memory.reclaim (Linux 5.19 or later has it)');
  if (f.swapMax === null || f.swapMax === undefined) {
    return no(`${where} has no memory.swap.max: the kernel keeps no swap accounting for cgroups, so a move to swap could not be verified`);
  }
  if (f.swapMax === 0) return no(`memory.swap.max of ${where} is 0: its containers may not use swap`);
  if (f.reclaimWritable === false) {
    return no(`MLEnv may not write ${where === '/' ? '' : where}/memory.reclaim (the cgroups of a rootful Docker belong to root): run it as root to use the swap tier`);
  }
  const cap = f.swapMax === 'max' ? '' : ` (up to ${formatBytes(f.swapMax)} under memory.swap.max of ${where})`;
  return { supported: true, method: 'memory.reclaim', reason: `cgroup v2 memory.reclaim pushes a paused model's pages to the host's ${formatBytes(f.swapTotalBytes)} of swap${cap}` };
}

/** SwapTotal from the text of /proc/meminfo (proc(5): "SwapTotal:   123 kB"), bytes; 0 when absent. */
export function parseSwapTotal(meminfo: string): number {
  const m = /^SwapTotal:\s+(\d+)\s*kB$/m.exec(meminfo);
  return m ? Number(m[1]) * 1024 : 0;
}

/** SwapTotal of this host (`root`: prefix of /proc, a fake tree in tests), bytes; 0 when /proc/meminfo cannot be read: no swap tier then. */
export function hostSwapTotal(root = ''): number {
  try {
    return parseSwapTotal(readFileSync(`${root}/proc/meminfo`, 'utf8'));
  } catch {
    return 0;
  }
}

/** Who this process is, for the write check. */
export interface Identity {
  uid: number;
  gids: number[];
}

/** Whether `who` may write a file of this owner and mode (the permission bits; root may write any). */
export function mayWrite(st: { uid: number; gid: number; mode: number }, who: Identity): boolean {
  if (who.uid === 0) return true;
  if (st.uid === who.uid) return (st.mode & 0o200) !== 0;
  if (who.gids.includes(st.gid)) return (st.mode & 0o020) !== 0;
  return (st.mode & 0o002) !== 0;
}

const thisProcess = (): Identity | null =>
  typeof process.getuid === 'function' ? { uid: process.getuid(), gids: typeof process.getgroups === 'function' ? process.getgroups() : [] } : null;

export interface HostSwapOptions {
  /** Prefix of every absolute path (/proc, the cgroup mount): a fake tree in tests; '' by default. */
  root?: string;
  /** Who writes memory.reclaim (this process by default). */
  identity?: Identity;
}

/**
 * This host's facts. The cgroup version as the cgroup reader decides it (core/cgroup locate:
 * /proc/self/mountinfo; a hybrid host keeps memory on v1). On v2, the cgroup Docker puts its
 * containers under: /docker (the cgroupfs driver makes it) when it exists, else /system.slice (the
 * systemd driver's), else the root — whose children must then show swap accounting. Of that cgroup:
 * memory.reclaim, whether this process may write it, memory.swap.max.
 */
export function hostSwapFacts(opts: HostSwapOptions = {}): SwapFacts {
  const root = opts.root ?? '';
  const swapTotalBytes = hostSwapTotal(root);
  let mountinfo = '';
  try {
    mountinfo = readFileSync(`${root}/proc/self/mountinfo`, 'latin1');
  } catch {
    // not Linux, or no /proc: no cgroup hierarchy
  }
  const mounts = parseCgroupMounts(mountinfo);
  const version = cgroupVersion(mounts);
  const v2 = mounts.find((m) => m.version === 2);
  if (version !== 2 || !v2) return { cgroupVersion: version, swapTotalBytes, reclaimFile: false };
  const mount = `${root}${v2.mountPoint.replace(/\/$/, '')}`;
  const isDir = (p: string) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  const containersCgroup = ['/docker', '/system.slice'].find((p) => isDir(mount + p)) ?? '/';
  const dir = containersCgroup === '/' ? mount : mount + containersCgroup;
  let reclaimFile = false;
  let reclaimWritable = false;
  try {
    const st = statSync(`${dir}/memory.reclaim`);
    reclaimFile = true;
    const who = opts.identity ?? thisProcess();
    reclaimWritable = who ? mayWrite(st, who) : false;
  } catch {
    // no memory.reclaim: a kernel before 5.19
  }
  let swapMax: SwapFacts['swapMax'];
  if (containersCgroup !== '/') swapMax = swapLimit(dir)?.maxBytes ?? null;
  else {
    // The root cgroup has no memory.swap.* files and sets no limit: any child having them shows the accounting.
    let children: string[] = [];
    try {
      children = readdirSync(mount, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
      children = [];
    }
    swapMax = children.some((c) => swapLimit(`${mount}/${c}`) !== null) ? 'max' : null;
  }
  return { cgroupVersion: 2, swapTotalBytes, containersCgroup, reclaimFile, reclaimWritable, swapMax };
}
