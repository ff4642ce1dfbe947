// The tier budgets and what the host allows. The RAM budget (hot + warm) may not exceed physical
// memory minus the admission floor (the free memory admission keeps for the host: 4 GiB), so that a
// full RAM tier never makes admission refuse everything else.
import type { TierLimits } from '@shared/contract';
import { AppError } from '@shared/errors';
import { formatBytes } from '@shared/units';

const GIB = 2 ** 30;
/** Free memory admission keeps for the host (its "free memory ≥ 4 GiB" check). */
export const ADMISSION_FLOOR_BYTES = 4 * GIB;
export const DEFAULT_SAFETY_MARGIN_BYTES = 1 * GIB;
export const DEFAULT_IDLE_DEMOTE_SECONDS = 600;

/** What the host can give, in bytes. */
export interface HostMemory {
  /** Physical memory (os.totalmem()). */
  totalBytes: number;
  /** Swap space (SwapTotal of /proc/meminfo); 0 without swap. */
  swapTotalBytes: number;
}

/** The largest RAM budget the host allows: physical memory minus the admission floor (never below 0). */
export const maxRamBudget = (host: HostMemory): number => Math.max(0, host.totalBytes - ADMISSION_FLOOR_BYTES);

/** Limits before anyone set them: all the host allows for RAM, all its swap, a 1 GiB margin, demotion after 10 idle minutes. */
export function defaultLimits(host: HostMemory): TierLimits {
  return {
    ramBudgetBytes: maxRamBudget(host),
    swapBudgetBytes: host.swapTotalBytes,
    safetyMarginBytes: DEFAULT_SAFETY_MARGIN_BYTES,
    idleDemoteSeconds: DEFAULT_IDLE_DEMOTE_SECONDS,
    maxRamBudgetBytes: maxRamBudget(host),
  };
}

export interface LimitsPatch {
  ramBudgetBytes?: number;
  swapBudgetBytes?: number;
  safetyMarginBytes?: number;
  idleDemoteSeconds?: number | null;
}

/**
 * `current` with `patch` applied, checked against `host`. Throws AppError INVALID_INPUT with one
 * sentence when the RAM budget exceeds physical memory minus the admission floor, the swap budget
 * exceeds the host's swap, or the safety margin leaves nothing of the RAM budget.
 */
export function applyLimits(current: TierLimits, patch: LimitsPatch, host: HostMemory): TierLimits {
  const max = maxRamBudget(host);
  const next: TierLimits = {
    ramBudgetBytes: patch.ramBudgetBytes ?? current.ramBudgetBytes,
    swapBudgetBytes: patch.swapBudgetBytes ?? current.swapBudgetBytes,
    safetyMarginBytes: patch.safetyMarginBytes ?? current.safetyMarginBytes,
    idleDemoteSeconds: patch.idleDemoteSeconds === undefined ? current.idleDemoteSeconds : patch.idleDemoteSeconds,
    maxRamBudgetBytes: max,
  };
  if (next.ramBudgetBytes > max) {
    throw new AppError(
      'INVALID_INPUT',
      `a RAM budget of ${formatBytes(next.ramBudgetBytes)} is more than this host can give: ${formatBytes(host.totalBytes)} of memory minus the ${formatBytes(ADMISSION_FLOOR_BYTES)} admission keeps free is ${formatBytes(max)}`,
    );
  }
  if (next.swapBudgetBytes > host.swapTotalBytes) {
    throw new AppError(
      'INVALID_INPUT',
      host.swapTotalBytes === 0
        ? `a swap budget of ${formatBytes(next.swapBudgetBytes)} cannot be met: this host has no swap space`
        : `a swap budget of ${formatBytes(next.swapBudgetBytes)} is more than the host's ${formatBytes(host.swapTotalBytes)} of swap`,
    );
  }
  if (next.safetyMarginBytes >= next.ramBudgetBytes && next.ramBudgetBytes > 0) {
    throw new AppError('INVALID_INPUT', `a safety margin of ${formatBytes(next.safetyMarginBytes)} leaves nothing of the ${formatBytes(next.ramBudgetBytes)} RAM budget for models`);
  }
  return next;
}
