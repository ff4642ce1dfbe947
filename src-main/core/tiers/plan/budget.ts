// Memory accounting shared by the planners: what the RAM tier (hot + warm) and the swap tier hold.
import type { Limits, ModelState } from './types';
import { formatBytes } from './words';

/** Bytes held in the RAM tier: the footprints of hot and warm models. */
export function ramUsedBytes(models: readonly ModelState[]): number {
  let sum = 0;
  for (const m of models) if (m.tier === 'hot' || m.tier === 'warm') sum += m.footprintBytes;
  return sum;
}

/** Bytes held in the swap tier: the footprints of models in swap. */
export function swapUsedBytes(models: readonly ModelState[]): number {
  let sum = 0;
  for (const m of models) if (m.tier === 'swap') sum += m.footprintBytes;
  return sum;
}

/**
 * Why `model` can never be hot under `limits` — its footprint plus the safety margin exceeds the RAM
 * budget even with every other model evicted — as one sentence, or null when it can fit.
 */
export function neverFitsReason(model: Pick<ModelState, 'name' | 'footprintBytes' | 'measured'>, limits: Limits): string | null {
  if (model.footprintBytes + limits.safetyMarginBytes <= limits.ramBudgetBytes) return null;
  return (
    `${model.name} can never fit: its ${model.measured ? 'measured' : 'declared'} footprint of ${formatBytes(model.footprintBytes)} ` +
    `plus the ${formatBytes(limits.safetyMarginBytes)} safety margin exceeds the RAM budget of ${formatBytes(limits.ramBudgetBytes)}, ` +
    `even with every other model evicted.`
  );
}
