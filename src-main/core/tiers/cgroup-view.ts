// The tier manager's view of its containers' cgroups, through the one cgroup reader (core/cgroup):
// one reader a container, its descriptors kept open between moves, closed when the cgroup is gone.
import { AppError, isAppError } from '@shared/errors';
import { openContainerCgroup, type ContainerCgroup, type ReaderOptions } from '../cgroup';
import type { CgroupMemory, CgroupView } from './verify';

/** A CgroupView over core/cgroup; `close()` closes every kept reader. */
export function createCgroupView(opts: ReaderOptions = {}): CgroupView & { close(): void } {
  const readers = new Map<string, ContainerCgroup>();
  const gone = (e: unknown) => isAppError(e) && e.code === 'NOT_FOUND';
  const drop = (id: string) => {
    readers.get(id)?.close();
    readers.delete(id);
  };
  return {
    async read(containerId: string): Promise<CgroupMemory | null> {
      let r = readers.get(containerId);
      try {
        if (!r) {
          r = openContainerCgroup({ id: containerId }, opts);
          readers.set(containerId, r);
        }
        const m = r.memory();
        const f = r.freezer();
        // Without memory figures no move could be verified: say so rather than guess.
        if (!m) throw new AppError('UNSUPPORTED', `the memory controller keeps no figures for container ${containerId.slice(0, 12)}: tier moves cannot be verified on this host`);
        return { usageBytes: m.usage, ...(m.peak !== null ? { peakBytes: m.peak } : {}), ...(f ? { freezer: f } : {}) };
      } catch (e) {
        if (!gone(e)) throw e;
        drop(containerId); // stopped: its cgroup is made anew at the next start
        return null;
      }
    },
    close() {
      for (const id of [...readers.keys()]) drop(id);
    },
  };
}
