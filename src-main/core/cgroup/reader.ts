// One reader of a container's cgroup: its memory, CPU, pids, freezer state and block I/O (cgroup v1 or
// v2), and the network counters of its init process's namespace, through file descriptors kept open
// between reads (one pread each). When the container restarts its cgroup is made anew: the kept
// descriptors then fail (ENODEV) or the files are gone, and the reader finds the cgroup again once.
import { AppError } from '@shared/errors';
import { blockTotals, cpuUsageNs, freezerState, memoryFigures, type CgroupMemory, type CgroupReading } from './figures';
import { locateContainerCgroup, type CgroupDirs, type LocatedCgroup } from './locate';
import { parseNetDev, parseSingleValue, type FreezerState } from './parse';
import { createSysFile, type SysFile } from './sys-file';

/** The container a reader follows. */
export interface ContainerRef {
  /** The full 64-hex container id. */
  id: string;
  /** Its init process (`State.Pid` from inspect): the surest way to its cgroup, and the way to its network counters. */
  pid?: number | null;
  /** `HostConfig.CgroupParent`, for finding the cgroup without a pid. */
  cgroupParent?: string | null;
  /**
   * False when the container shares the host's network namespace (`HostConfig.NetworkMode` "host"):
   * /proc/<pid>/net/dev would then count the whole machine, so there are no network figures (Docker
   * reports none either).
   */
  ownNetwork?: boolean;
}

export interface ReaderOptions {
  /** Prefix of every absolute path (a fake tree in tests); '' by default. */
  root?: string;
  /** Monotonic milliseconds (performance.now by default). */
  clock?: () => number;
}

interface Files {
  version: 1 | 2;
  /** The file that exists as long as the cgroup does: its absence or failure means the cgroup is gone. */
  core: SysFile;
  usage: SysFile | null;
  peak: SysFile | null;
  limit: SysFile | null;
  stat: SysFile | null;
  swap: SysFile | null;
  cpu: SysFile | null;
  pids: SysFile | null;
  freezer: SysFile | null;
  events: SysFile | null;
  block: SysFile[];
  net: SysFile | null;
}

function filesFor(located: LocatedCgroup, ref: ContainerRef): Files {
  const net = ref.ownNetwork === false || !located.netDev ? null : createSysFile(located.netDev);
  const c: CgroupDirs = located.cgroup;
  if (c.version === 2) {
    const f = (name: string) => createSysFile(`${c.dir}/${name}`);
    const events = f('cgroup.events');
    return {
      version: 2,
      core: events,
      usage: f('memory.current'),
      peak: f('memory.peak'),
      limit: f('memory.max'),
      stat: f('memory.stat'),
      swap: f('memory.swap.current'),
      cpu: f('cpu.stat'),
      pids: f('pids.current'),
      freezer: f('cgroup.freeze'),
      events,
      block: [f('io.stat')],
      net,
    };
  }
  const { memory, cpuacct, pids, freezer, blkio } = c.dirs;
  const f = (dir: string | null, name: string) => (dir ? createSysFile(`${dir}/${name}`) : null);
  const usage = f(memory, 'memory.usage_in_bytes')!; // v1 is located by its memory directory
  return {
    version: 1,
    core: usage,
    usage,
    peak: f(memory, 'memory.max_usage_in_bytes'),
    limit: f(memory, 'memory.limit_in_bytes'),
    stat: f(memory, 'memory.stat'),
    swap: null, // v1 swap is a memory.stat key
    cpu: f(cpuacct, 'cpuacct.usage'),
    pids: f(pids, 'pids.current'),
    freezer: f(freezer, 'freezer.state'),
    events: null,
    // runc's order (opencontainers/cgroups fs/blkio.go): BFQ, CFQ, then the throttle layer's files.
    block: ['blkio.bfq.io_service_bytes_recursive', 'blkio.io_service_bytes_recursive', 'blkio.throttle.io_service_bytes_recursive', 'blkio.throttle.io_service_bytes']
      .map((name) => f(blkio, name))
      .filter((x): x is SysFile => x !== null),
    net,
  };
}

const allFiles = (f: Files) => [f.core, f.usage, f.peak, f.limit, f.stat, f.swap, f.cpu, f.pids, f.freezer, f.events, ...f.block, f.net].filter((x): x is SysFile => x !== null);

class CgroupGone extends Error {}

/** pids.current: a single value ("max" is pids.max's word, never pids.current's). */
const pidsOf = (t: string | undefined): number | null => {
  const v = t === undefined ? undefined : parseSingleValue(t);
  return typeof v === 'number' ? v : null;
};

/**
 * Opens a reader of container `ref.id`'s cgroup (nothing is read until asked). Throws as
 * locateContainerCgroup: INVALID_INPUT for an id that is not a full id, NOT_FOUND when it has no
 * cgroup here. Each read throws NOT_FOUND once the cgroup is gone and cannot be found again
 * (the container stopped). Close it when done: it holds up to a dozen descriptors.
 */
export function openContainerCgroup(ref: ContainerRef, opts: ReaderOptions = {}) {
  const root = opts.root ?? '';
  const clock = opts.clock ?? (() => performance.now());
  let located = locateContainerCgroup(ref.id, ref.pid, { root, cgroupParent: ref.cgroupParent });
  let files = filesFor(located, ref);
  let peakUsedSeen: number | null = null;
  let closed = false;

  const closeFiles = () => {
    for (const f of allFiles(files)) f.close();
  };
  /** Reads a file; a kept descriptor whose cgroup was removed (ENODEV) or a vanished file reads as undefined. */
  const text = (f: SysFile | null): string | undefined => {
    if (!f) return undefined;
    try {
      return f.read();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENODEV' || code === 'ENOENT') return undefined;
      throw e;
    }
  };
  /** Runs a read; when the cgroup turns out gone, finds it again (a restart) and runs it once more. */
  function guarded<T>(read: (f: Files) => T): T {
    if (closed) throw new AppError('INVALID_INPUT', `the cgroup reader of container ${ref.id.slice(0, 12)} is closed`);
    try {
      return read(files);
    } catch (e) {
      if (!(e instanceof CgroupGone)) throw e;
    }
    closeFiles();
    located = locateContainerCgroup(ref.id, ref.pid, { root, cgroupParent: ref.cgroupParent });
    files = filesFor(located, ref);
    try {
      return read(files);
    } catch (e) {
      if (e instanceof CgroupGone) throw new AppError('NOT_FOUND', `the cgroup of container ${ref.id.slice(0, 12)} is gone (it stopped)`);
      throw e;
    }
  }
  const core = (f: Files): void => {
    if (text(f.core) === undefined) throw new CgroupGone();
  };
  const memoryOf = (f: Files, withPeak: boolean): CgroupMemory | null => {
    const m = memoryFigures(f.version, { usage: text(f.usage), peak: withPeak ? text(f.peak) : undefined, limit: text(f.limit), stat: text(f.stat), swap: text(f.swap) });
    if (m) peakUsedSeen = Math.max(peakUsedSeen ?? 0, m.used);
    return m;
  };
  const freezerOf = (f: Files): FreezerState | null => freezerState(f.version, text(f.freezer), f.version === 2 ? text(f.events) : undefined);

  return {
    id: ref.id,
    /** 1 or 2, and the directories read (for diagnostics and tests). */
    get cgroup(): CgroupDirs {
      return located.cgroup;
    },
    /** How the cgroup was found: from the init pid, or by Docker's layouts. */
    get via(): LocatedCgroup['via'] {
      return located.via;
    },
    /** What the container's stats need, at once (the sampler's tick): memory but its peak, CPU, pids, block I/O, network. */
    read(): CgroupReading {
      return guarded((f) => {
        core(f);
        const cpu = text(f.cpu);
        const pids = text(f.pids);
        const net = text(f.net);
        const memory = memoryOf(f, false);
        return {
          at: clock(),
          memory: memory && { used: memory.used, usage: memory.usage, inactiveFile: memory.inactiveFile, limit: memory.limit, swap: memory.swap, shmem: memory.shmem },
          cpuNs: cpuUsageNs(f.version, cpu),
          pids: pidsOf(pids),
          block: blockTotals(f.version, f.block.map(text)),
          net: net === undefined ? null : parseNetDev(net),
        };
      });
    },
    /** Memory figures now; null when the memory controller keeps none for it. */
    memory(): CgroupMemory | null {
      return guarded((f) => {
        core(f);
        return memoryOf(f, true);
      });
    },
    /** Freezer state now; null when the host has no freezer for it. */
    freezer(): FreezerState | null {
      return guarded((f) => {
        core(f);
        return freezerOf(f);
      });
    },
    /** The highest `used` (docker stats' memory usage) of the readings through this reader; null before the first. */
    peakUsedSeen: (): number | null => peakUsedSeen,
    /** Closes the descriptors; later reads throw. */
    close() {
      closed = true;
      closeFiles();
    },
  };
}
export type ContainerCgroup = ReturnType<typeof openContainerCgroup>;
