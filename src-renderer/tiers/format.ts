// The Tiers page's words and figures: predicted times with their band, footprints, and where a model may move.
import type { Model, Prediction, SwapSupport, Tier } from '@shared/contract';
import { TIERS } from '@shared/contract';
import { formatBytes } from '@shared/units';

/** A duration in ms, as people read it: "40 ms", "2.5 s", "3 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** A prediction with its band: "≈ 2.5 s (1.9–3.4 s)"; with no measured move behind it, says it is an estimate. */
export function formatPrediction(p: Prediction): string {
  const band = p.highMs > p.lowMs ? ` (${formatDuration(p.lowMs)}–${formatDuration(p.highMs)})` : '';
  return `≈ ${formatDuration(p.ms)}${band}${p.samples === 0 ? ', estimated before any measured move' : ''}`;
}

/** How long until the model answers: "ready now" when hot, else the predicted wake time. */
export const wakeText = (m: Model): string => (m.tier === 'hot' ? 'ready now' : `wakes in ${formatPrediction(m.predictedWake)}`);

/** The footprint placement counts: measured (the container's peak memory), or declared until measured. */
export const footprintText = (m: Model): string =>
  m.measuredBytes !== null ? `${formatBytes(m.measuredBytes)} measured` : `${formatBytes(m.declaredBytes)} declared`;

export interface MoveTarget {
  tier: Tier;
  /** Why it cannot go there now; undefined when it can. */
  blocked?: string;
}

/**
 * Where `m` may be moved from the menu: every other tier, with the reason a tier is closed — swap on a
 * host that cannot swap (the core's own reason), any tier while a move of this model is under way.
 */
export function moveTargets(m: Model, swap: SwapSupport): MoveTarget[] {
  return TIERS.filter((t) => t !== m.tier).map((tier) => {
    if (m.movingJobId) return { tier, blocked: 'a move of this model is under way' };
    if (tier === 'swap' && !swap.supported) return { tier, blocked: `unsupported here: ${swap.reason}` };
    return { tier };
  });
}

export const TIER_TEXT: Record<Tier, { title: string; what: string }> = {
  hot: { title: 'Hot', what: 'running and ready' },
  warm: { title: 'Warm', what: 'paused, memory kept: resumes in milliseconds' },
  swap: { title: 'Swap', what: 'paused, pages pushed out to swap' },
  cold: { title: 'Cold', what: 'stopped: starts from its image' },
};
