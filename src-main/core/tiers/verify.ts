// After a move, the container's own cgroup figures must show that memory really moved: warm keeps
// its memory with the freezer FROZEN, hot runs THAWED (from cold its probe answers too; from warm the
// thaw itself is the proof: the server resumes where it was paused, ready), swap is FROZEN with its
// memory pushed out (memory.current fell, memory.swap.current rose), cold has freed it (its cgroup
// is gone or empty). Pure judgements over what the cgroup reader saw.
import type { Tier } from '@shared/contract';
import { formatBytes } from '@shared/units';
import type { ReclaimReport } from '../cgroup';

/** A container's memory and freezer as its cgroup files tell them. */
export interface CgroupMemory {
  /** Bytes charged to the cgroup now (v1 memory.usage_in_bytes, v2 memory.current). */
  usageBytes: number;
  /** Peak charged since the cgroup was made (v1 memory.max_usage_in_bytes, v2 memory.peak); undefined where the kernel keeps none. */
  peakBytes?: number;
  /** Undefined where the freezer cannot be read. */
  freezer?: 'thawed' | 'freezing' | 'frozen';
  /** Bytes of it in swap (v2 memory.swap.current, v1 memory.stat swap); undefined where the kernel does not count it. */
  swapBytes?: number;
}

/**
 * What the tier manager reads of a container's cgroup: null when the container has none (it is not
 * running or paused: a stopped container's cgroup is removed).
 */
export interface CgroupView {
  read(containerId: string): Promise<CgroupMemory | null>;
  /**
   * Why container `containerId`'s memory cannot be pushed to swap, in words (cgroup v1, no swap
   * accounting, no swap left to it under memory.swap.max); null when it can. Throws AppError
   * NOT_FOUND when it has no cgroup (it is not running or paused).
   */
  swapRefusal(containerId: string): Promise<string | null>;
  /**
   * Pushes all that container `containerId` has charged out through cgroup v2 memory.reclaim (in steps
   * while the kernel answers EAGAIN with progress). Throws AppError UNSUPPORTED / NOT_FOUND / INTERNAL
   * (core/cgroup reclaimAll).
   */
  pushToSwap(containerId: string): Promise<ReclaimReport>;
}

/** Memory counts as kept when at least this share of it is still charged (a frozen cgroup only loses what the kernel reclaims of its cache). */
export const KEPT_SHARE = 0.9;
/** A model counts as in swap when at least this share of what it had charged has left RAM: less, and it is a paused model that kept most of its memory (warm). */
export const PUSHED_OUT_SHARE = 0.5;

export type Verdict = { ok: true; text: string } | { ok: false; text: string };

/**
 * Whether `after` (read after the move, `before` before it) shows the container at `to`:
 * - hot: a cgroup, thawed (and, when coming from warm, its memory kept);
 * - warm: a cgroup, frozen, its memory kept (≥ KEPT_SHARE of before);
 * - cold: no cgroup, or nothing charged to it.
 * Swap is judged by verifySwap. The sentence says what was seen.
 */
export function verifyTier(to: Exclude<Tier, 'swap'>, before: CgroupMemory | null, after: CgroupMemory | null, from?: Tier): Verdict {
  if (to === 'cold') {
    if (!after || after.usageBytes === 0) return { ok: true, text: `cgroup gone: ${before ? formatBytes(before.usageBytes) : 'its memory'} freed` };
    return { ok: false, text: `the container still has ${formatBytes(after.usageBytes)} charged to its cgroup after the stop` };
  }
  if (!after) return { ok: false, text: `the container has no cgroup: it is not running` };
  const freezer = after.freezer === undefined ? 'unknown' : after.freezer.toUpperCase();
  const keptOk = !before || after.usageBytes >= before.usageBytes * KEPT_SHARE;
  const kept = before ? `${formatBytes(after.usageBytes)} of ${formatBytes(before.usageBytes)} kept` : `${formatBytes(after.usageBytes)} charged`;
  if (to === 'warm') {
    if (after.freezer !== 'frozen') return { ok: false, text: `the freezer is ${freezer}, not FROZEN` };
    if (!keptOk) return { ok: false, text: `the paused container kept only ${kept}` };
    return { ok: true, text: `freezer FROZEN, ${kept}` };
  }
  if (after.freezer !== undefined && after.freezer !== 'thawed') return { ok: false, text: `the freezer is ${freezer}, not THAWED` };
  if (from === 'warm' && !keptOk) return { ok: false, text: `the resumed container kept only ${kept}` };
  return { ok: true, text: `freezer ${freezer}, ${kept}` };
}

/**
 * Whether `after` (read after the reclaim, `before` just before it, the container already paused)
 * shows the container in swap: a cgroup, FROZEN, memory.current down by at least PUSHED_OUT_SHARE of
 * `before`, and memory.swap.current up. Clean file pages the kernel dropped lower memory.current
 * without reaching swap, so both figures are needed. The sentence says what was seen.
 */
export function verifySwap(before: CgroupMemory | null, after: CgroupMemory | null): Verdict {
  if (!before || !after) return { ok: false, text: 'the container has no cgroup: it is not running' };
  const freezer = after.freezer === undefined ? 'unknown' : after.freezer.toUpperCase();
  if (after.freezer !== 'frozen') return { ok: false, text: `the freezer is ${freezer}, not FROZEN` };
  if (before.swapBytes === undefined || after.swapBytes === undefined) return { ok: false, text: 'the kernel does not count this cgroup\'s swap (no memory.swap.current): a move to swap cannot be verified' };
  const out = before.usageBytes - after.usageBytes;
  const swapped = after.swapBytes - before.swapBytes;
  const seen = `memory.current ${formatBytes(before.usageBytes)} → ${formatBytes(after.usageBytes)}, memory.swap.current ${formatBytes(before.swapBytes)} → ${formatBytes(after.swapBytes)}`;
  if (out < before.usageBytes * PUSHED_OUT_SHARE) return { ok: false, text: `only ${formatBytes(Math.max(0, out))} of ${formatBytes(before.usageBytes)} left RAM (${seen})` };
  if (swapped <= 0) return { ok: false, text: `nothing reached swap: the kernel dropped cache and swapped none of it (${seen})` };
  return { ok: true, text: `freezer FROZEN, ${formatBytes(out)} of ${formatBytes(before.usageBytes)} pushed out (${seen})` };
}
