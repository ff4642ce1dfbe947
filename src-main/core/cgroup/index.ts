// One reader of a container's cgroup (v1 or v2): memory, CPU, pids, freezer state, block I/O, and
// the network counters of its init process. Used by the container stats of local engines (the
// sampler's tick) and by whoever must see what the kernel itself says a container holds (tier moves).
import { AppError } from '@shared/errors';
import type { CgroupMemory } from './figures';
import type { FreezerState } from './parse';
import { openContainerCgroup, type ContainerRef, type ReaderOptions } from './reader';

export { openContainerCgroup, type ContainerCgroup, type ContainerRef, type ReaderOptions } from './reader';
export type { CgroupMemory, CgroupReading } from './figures';
export type { FreezerState } from './parse';
export { locateContainerCgroup, type CgroupDirs, type LocatedCgroup } from './locate';
export { createContainerStats, runsOnThisKernel, type ContainerStatsSource } from './container-stats';
export { reclaimAll, swapLimit, writeCgroupFile, type ReclaimOptions, type ReclaimReport, type ReclaimStep, type SwapLimit, type WriteCgroupFile } from './reclaim';

/** A container id, or its id with its init pid (`State.Pid`, the surest way to its cgroup). */
type Ref = string | ContainerRef;
const refOf = (r: Ref): ContainerRef => (typeof r === 'string' ? { id: r } : r);

function once<T>(ref: Ref, opts: ReaderOptions | undefined, read: (r: ReturnType<typeof openContainerCgroup>) => T): T {
  const reader = openContainerCgroup(refOf(ref), opts);
  try {
    return read(reader);
  } finally {
    reader.close();
  }
}

/**
 * The memory container `ref` holds now, from its cgroup (bytes): `used` as docker stats shows it,
 * `usage` with page cache, `peak` (kernel's high-water mark of usage), `limit`, `swap`. Opens and
 * closes the files; keep a reader open (openContainerCgroup) to read repeatedly.
 * Throws AppError INVALID_INPUT (not a full 64-hex id), NOT_FOUND (no cgroup of it here: stopped,
 * or on another machine), UNSUPPORTED (the host's memory controller keeps no figures for it).
 */
export function readContainerMemory(ref: Ref, opts?: ReaderOptions): CgroupMemory {
  const m = once(ref, opts, (r) => r.memory());
  if (!m) throw new AppError('UNSUPPORTED', `the memory controller keeps no figures for container ${refOf(ref).id.slice(0, 12)} on this host`);
  return m;
}

/**
 * Whether container `ref`'s processes are frozen (`docker pause`): thawed, freezing or frozen, from
 * v1 freezer.state or v2 cgroup.freeze / cgroup.events. Throws as readContainerMemory (UNSUPPORTED:
 * the host has no freezer for it).
 */
export function readFreezerState(ref: Ref, opts?: ReaderOptions): FreezerState {
  const s = once(ref, opts, (r) => r.freezer());
  if (!s) throw new AppError('UNSUPPORTED', `the host has no cgroup freezer for container ${refOf(ref).id.slice(0, 12)}`);
  return s;
}
