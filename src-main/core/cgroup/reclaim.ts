// Pushing a cgroup v2 cgroup's memory out to swap, and how much swap it may take. Source:
// Documentation/admin-guide/cgroup-v2.rst —
// - memory.reclaim: "A write-only nested-keyed file which exists for all cgroups … a simple interface
//   to trigger memory reclaim in the target cgroup", e.g. `echo "1G" > memory.reclaim`; "the kernel can
//   over or under reclaim from the target cgroup. If less bytes are reclaimed than the specified
//   amount, -EAGAIN is returned." (Linux 5.19+; the value is parsed by memparse, so plain decimal
//   digits are bytes.)
// - memory.swap.max: "A read-write single value file which exists on non-root cgroups … Swap usage
//   hard limit", "max" when none; memory.swap.current: the swap used by the cgroup and its
//   descendants. Both exist only where the kernel keeps swap accounting for cgroups.
// Every write goes through one seam (WriteCgroupFile), so the tests see the exact bytes written.
import { promises as fsp, constants, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '@shared/errors';
import { formatBytes } from '@shared/units';
import { parseSingleValue } from './parse';

/**
 * Writes `text` to the cgroup file `file` in one write(2) (a cgroup file takes one value per write)
 * and resolves once the kernel has answered; rejects with the system error (EAGAIN: memory.reclaim
 * reclaimed less than asked; ENOENT: no such file; EACCES / EPERM: this process may not write it).
 * Asynchronous: a reclaim may take seconds, and must not hold the main process's event loop.
 */
export type WriteCgroupFile = (file: string, text: string) => Promise<void>;

/** The real one: opens O_WRONLY (no O_CREAT, no O_TRUNC: kernfs files are never made or truncated) and writes once. */
export const writeCgroupFile: WriteCgroupFile = async (file, text) => {
  const fh = await fsp.open(file, constants.O_WRONLY);
  try {
    await fh.write(text);
  } finally {
    await fh.close();
  }
};

const errno = (e: unknown) => (e as NodeJS.ErrnoException)?.code;

/** What cgroup `dir` and its ancestors let it put in swap. */
export interface SwapLimit {
  /** The smallest memory.swap.max along the path (bytes), or 'max' when nothing limits it. */
  maxBytes: number | 'max';
  /** What it may still put in swap: the smallest memory.swap.max − memory.swap.current along the path (bytes, ≥ 0), or 'max'. */
  roomBytes: number | 'max';
  /** The directory whose limit leaves the least room; null when none limits it. */
  limitedBy: string | null;
}

const readText = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
};

/**
 * The swap cgroup v2 `dir` may take: walks from `dir` up through its ancestors while they have a
 * memory.swap.max (the root cgroup has none) and keeps the smallest limit and the least room left.
 * Null when `dir` has no memory.swap.max: the kernel keeps no swap accounting for cgroups (or `dir`
 * is the root), so a move to swap could not be verified either.
 */
export function swapLimit(dir: string): SwapLimit | null {
  let out: SwapLimit | null = null;
  for (let d = dir; ; ) {
    const maxText = readText(`${d}/memory.swap.max`);
    const max = maxText === undefined ? undefined : parseSingleValue(maxText);
    if (max === undefined) break;
    out ??= { maxBytes: 'max', roomBytes: 'max', limitedBy: null };
    if (max !== 'max') {
      const cur = parseSingleValue(readText(`${d}/memory.swap.current`) ?? '');
      const room = Math.max(0, max - (typeof cur === 'number' ? cur : 0));
      if (out.maxBytes === 'max' || max < out.maxBytes) out.maxBytes = max;
      if (out.roomBytes === 'max' || room < out.roomBytes) {
        out.roomBytes = room;
        out.limitedBy = d;
      }
    }
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  return out;
}

/** One write to memory.reclaim and what it did. */
export interface ReclaimStep {
  /** The bytes asked for (the decimal number written). */
  askedBytes: number;
  /** The kernel answered EAGAIN: it reclaimed less than asked. */
  partial: boolean;
  /** memory.current after the write, bytes. */
  usageAfterBytes: number;
}

export interface ReclaimReport {
  /** memory.current before the first write, bytes. */
  usageBeforeBytes: number;
  /** memory.current after the last write, bytes. */
  usageAfterBytes: number;
  steps: ReclaimStep[];
}

export interface ReclaimOptions {
  write?: WriteCgroupFile;
  /** Writes at most (default 8). */
  maxSteps?: number;
  /** A partial reclaim that freed less than this is the kernel's last word (bytes, default 1 MiB). */
  minProgressBytes?: number;
}

const MIB = 2 ** 20;

/**
 * Asks the kernel to push out all that cgroup v2 `dir` has charged: writes memory.current's bytes
 * (read through `usage`, bytes) to `dir`/memory.reclaim. When the kernel answers EAGAIN (it reclaimed
 * less), what is still charged is asked for again, as long as the last write freed at least
 * `minProgressBytes` and up to `maxSteps` writes: a kernel that can push out no more (swap full, pages
 * locked, memory.swap.max reached) ends it. Anonymous and tmpfs pages go to swap; clean file pages are
 * dropped (read back from their files). Whether it worked is judged by the caller from the figures.
 * Throws AppError UNSUPPORTED (no memory.reclaim: a kernel before 5.19; this process may not write
 * it), NOT_FOUND (the cgroup is gone), INTERNAL (another refusal, with the kernel's error).
 */
export async function reclaimAll(dir: string, usage: () => number, opts: ReclaimOptions = {}): Promise<ReclaimReport> {
  const write = opts.write ?? writeCgroupFile;
  const maxSteps = opts.maxSteps ?? 8;
  const minProgress = opts.minProgressBytes ?? MIB;
  const file = `${dir}/memory.reclaim`;
  if (!existsSync(file)) {
    if (!existsSync(`${dir}/memory.current`)) throw new AppError('NOT_FOUND', `the cgroup ${dir} is gone`);
    throw new AppError('UNSUPPORTED', `this kernel has no memory.reclaim in ${dir} (Linux 5.19 or later has it)`);
  }
  const before = usage();
  let current = before;
  const steps: ReclaimStep[] = [];
  while (steps.length < maxSteps && current > 0) {
    const asked = current;
    let partial = false;
    try {
      await write(file, String(asked));
    } catch (e) {
      const code = errno(e);
      if (code === 'EAGAIN') partial = true;
      else if (code === 'ENOENT' || code === 'ENODEV') throw new AppError('NOT_FOUND', `the cgroup ${dir} is gone`);
      else if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
        throw new AppError('UNSUPPORTED', `this process may not write ${file} (${code}): pushing a container's memory to swap needs the rights of its cgroup's owner (root for a rootful Docker)`);
      } else throw new AppError('INTERNAL', `the kernel refused to reclaim ${formatBytes(asked)} through ${file}: ${(e as Error)?.message ?? String(e)}`);
    }
    const now = usage();
    steps.push({ askedBytes: asked, partial, usageAfterBytes: now });
    const freed = current - now;
    current = now;
    if (!partial || freed < minProgress) break;
  }
  return { usageBeforeBytes: before, usageAfterBytes: current, steps };
}
