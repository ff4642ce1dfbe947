// The tier manager's view of its containers' cgroups, through the one cgroup reader (core/cgroup):
// one reader a container, its descriptors kept open between moves, closed when the cgroup is gone.
// Pushing a container's memory to swap goes through the same cgroup (cgroup v2 memory.reclaim).
import { AppError, isAppError } from '@shared/errors';
import { formatBytes } from '@shared/units';
import { openContainerCgroup, reclaimAll, swapLimit, type ContainerCgroup, type ReaderOptions, type ReclaimReport, type WriteCgroupFile } from '../cgroup';
import { V1_SWAP_REASON } from './swap';
import type { CgroupMemory, CgroupView } from './verify';

export interface CgroupViewOptions extends ReaderOptions {
  /** Where writes to cgroup files go (core/cgroup writeCgroupFile by default; the tests watch them). */
  writeFile?: WriteCgroupFile;
}

/** A CgroupView over core/cgroup; `close()` closes every kept reader. */
export function createCgroupView(opts: CgroupViewOptions = {}): CgroupView & { close(): void } {
  const { writeFile, ...readerOpts } = opts;
  const readers = new Map<string, ContainerCgroup>();
  const gone = (e: unknown) => isAppError(e) && e.code === 'NOT_FOUND';
  const drop = (id: string) => {
    readers.get(id)?.close();
    readers.delete(id);
  };
  const readerOf = (containerId: string): ContainerCgroup => {
    let r = readers.get(containerId);
    if (!r) {
      r = openContainerCgroup({ id: containerId }, readerOpts);
      readers.set(containerId, r);
    }
    return r;
  };
  /** The reader's memory figures; UNSUPPORTED when the memory controller keeps none. */
  const memoryOf = (r: ContainerCgroup, containerId: string) => {
    const m = r.memory();
    // Without memory figures no move could be verified: say so rather than guess.
    if (!m) throw new AppError('UNSUPPORTED', `the memory controller keeps no figures for container ${containerId.slice(0, 12)}: tier moves cannot be verified on this host`);
    return m;
  };
  /** The container's cgroup v2 directory; UNSUPPORTED on v1. */
  const v2Dir = (r: ContainerCgroup): string => {
    const c = r.cgroup;
    if (c.version !== 2) throw new AppError('UNSUPPORTED', V1_SWAP_REASON);
    return c.dir;
  };
  return {
    async read(containerId: string): Promise<CgroupMemory | null> {
      try {
        const r = readerOf(containerId);
        const m = memoryOf(r, containerId);
        const f = r.freezer();
        return {
          usageBytes: m.usage,
          ...(m.peak !== null ? { peakBytes: m.peak } : {}),
          ...(f ? { freezer: f } : {}),
          ...(m.swap !== null ? { swapBytes: m.swap } : {}),
        };
      } catch (e) {
        if (!gone(e)) throw e;
        drop(containerId); // stopped: its cgroup is made anew at the next start
        return null;
      }
    },
    async swapRefusal(containerId: string): Promise<string | null> {
      const r = readerOf(containerId);
      if (r.cgroup.version !== 2) return V1_SWAP_REASON;
      const dir = v2Dir(r);
      const limit = swapLimit(dir);
      if (!limit) return `container ${containerId.slice(0, 12)}'s cgroup has no memory.swap.max: the kernel keeps no swap accounting for cgroups, so a move to swap could not be verified`;
      if (limit.roomBytes === 0) {
        return limit.maxBytes === 0
          ? `memory.swap.max is 0 for container ${containerId.slice(0, 12)} (in ${limit.limitedBy}): it may not use swap (docker run --memory-swap equal to --memory does this)`
          : `container ${containerId.slice(0, 12)} has no swap left under the memory.swap.max of ${formatBytes(limit.maxBytes as number)} in ${limit.limitedBy}`;
      }
      return null;
    },
    async pushToSwap(containerId: string): Promise<ReclaimReport> {
      const r = readerOf(containerId);
      return reclaimAll(v2Dir(r), () => memoryOf(r, containerId).usage, writeFile ? { write: writeFile } : {});
    },
    close() {
      for (const id of [...readers.keys()]) drop(id);
    },
  };
}
