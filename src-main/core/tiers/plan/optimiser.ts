// Usage-based optimiser: decayed usage → the placement we want → the moves to get there, with
// hysteresis so alternating use does not thrash: a model stays in a tier for a minimum residency
// time, no moves are planned during a cool-down after the last move, and a model already in the
// RAM tier keeps its place unless a challenger's usage beats its own by a factor (1 + hysteresis).
// Pinned models and models serving requests never move. Pure: `now` (epoch ms) is passed in.
import type { Limits, ModelState, Move, Plan, Tier } from './types';
import { DEFAULT_HALF_LIFE_MS, decayedScore } from './usage';
import { formatBytes, formatMs } from './words';

export interface OptimiseOptions {
  /** Epoch ms. */
  now: number;
  /** Half-life of usage scores, ms (default DEFAULT_HALF_LIFE_MS). */
  halfLifeMs?: number;
  /** Decayed usage at or above which a model in the RAM tier is kept hot rather than paused (default 0.8 ≈ one request in the last ten minutes at a 30-minute half-life). */
  hotScore?: number;
  /** Decayed usage at or above which a model out of the RAM tier is brought back into it (default 0.5 ≈ one request in the last half-life). */
  promoteScore?: number;
  /** Decayed usage below which a model leaves the RAM tier even when there is room (default 0.05 ≈ unused for four half-lives). */
  keepScore?: number;
  /** A model is not moved until it has been this long in its tier, ms (default 5 minutes). */
  minResidencyMs?: number;
  /** No moves within this long after the last move of any model, ms (default 1 minute). */
  cooldownMs?: number;
  /** Epoch ms of the last move of any model (for the cool-down). */
  lastMoveAt?: number;
  /** An incumbent's usage counts (1 + hysteresis) times when it competes for its place (default 0.5). */
  hysteresis?: number;
}

export const DEFAULT_OPTIMISE = {
  hotScore: 0.8,
  promoteScore: 0.5,
  keepScore: 0.05,
  minResidencyMs: 5 * 60_000,
  cooldownMs: 60_000,
  hysteresis: 0.5,
} as const;

/** The optimiser's answer: the moves (demotions first) and the placement it aims for. */
export interface OptimisePlan extends Plan {
  /** Wanted tier per model name. */
  wanted: Record<string, Tier>;
}

const RANK: Record<Tier, number> = { hot: 0, warm: 1, swap: 2, cold: 3 };
const inRam = (t: Tier) => t === 'hot' || t === 'warm';
/** The RAM tier a model at `from` takes when `want` is warm or hot: one in swap wakes hot (paused, its pages would stay out; they come back only as it runs). */
const intoRam = (from: Tier, want: 'hot' | 'warm'): Tier => (from === 'swap' ? 'hot' : want);

interface Entry {
  m: ModelState;
  score: number;
  /** Usage with the incumbent's bonus, for ordering. */
  eff: number;
  want: Tier;
  frozen: string | null;
  /** Why it leaves the RAM tier, when it does. */
  idle: boolean;
}

/**
 * Plans the moves toward the placement usage asks for.
 *
 * Placement: models that may not move (pinned, serving, inside their minimum residency) keep their
 * tier and their memory first; then models with a preferredTier that fits; then the rest in
 * descending order of decayed usage (×(1 + hysteresis) for those already in the RAM tier) fill the
 * RAM budget (hot + warm footprints + the safety margin ≤ ramBudgetBytes): hot when their usage is
 * at least hotScore (a hot model stays hot down to hotScore ÷ (1 + hysteresis)), else warm; a model
 * out of the RAM tier only comes in with usage ≥ promoteScore (from swap always hot: paused, its
 * pages would stay out), and one in it leaves below keepScore.
 * What does not fit goes to swap when supported and the swap budget has room (a model already in
 * swap stays there while it fits), else cold.
 *
 * Returns ok with no moves during the cool-down. Moves in the order to run them: demotions to cold,
 * to swap, to warm (largest first within each), then promotions (hot before warm).
 */
export function planOptimise(models: readonly ModelState[], limits: Limits, options: OptimiseOptions): OptimisePlan {
  const now = options.now;
  const halfLifeMs = options.halfLifeMs ?? DEFAULT_HALF_LIFE_MS;
  const hotScore = options.hotScore ?? DEFAULT_OPTIMISE.hotScore;
  const promoteScore = options.promoteScore ?? DEFAULT_OPTIMISE.promoteScore;
  const keepScore = options.keepScore ?? DEFAULT_OPTIMISE.keepScore;
  const minResidencyMs = options.minResidencyMs ?? DEFAULT_OPTIMISE.minResidencyMs;
  const cooldownMs = options.cooldownMs ?? DEFAULT_OPTIMISE.cooldownMs;
  const h = Math.max(0, options.hysteresis ?? DEFAULT_OPTIMISE.hysteresis);

  const wanted: Record<string, Tier> = {};
  if (options.lastMoveAt !== undefined && now - options.lastMoveAt < cooldownMs) {
    for (const m of models) wanted[m.name] = m.tier;
    return { ok: true, moves: [], wanted, reason: `In the cool-down: the last move was ${formatMs(now - options.lastMoveAt)} ago, under ${formatMs(cooldownMs)}.` };
  }

  const ramCap = limits.ramBudgetBytes - limits.safetyMarginBytes;
  const swapCap = limits.swapSupported ? limits.swapBudgetBytes : 0;
  let ram = 0;
  let swap = 0;
  const entries: Entry[] = [];
  const free: Entry[] = [];
  const preferred: Entry[] = [];
  for (const m of models) {
    const score = decayedScore(m.usageScore, m.lastUsedAt, now, halfLifeMs);
    const frozen = m.pinned ? 'pinned' : m.serving > 0 ? 'serving' : now - m.enteredTierAt < minResidencyMs ? 'residency' : null;
    const e: Entry = { m, score, eff: inRam(m.tier) ? score * (1 + h) : score, want: m.tier, frozen, idle: false };
    entries.push(e);
    if (frozen) {
      if (inRam(m.tier)) ram += m.footprintBytes;
      else if (m.tier === 'swap') swap += m.footprintBytes;
    } else if (m.preferredTier !== undefined) preferred.push(e);
    else if (m.tier !== 'cold' || score >= promoteScore) free.push(e);
    // else: a cold model not asked for lately stays cold whatever the order; it need not be sorted.
  }
  const byUsage = (a: Entry, b: Entry) => b.eff - a.eff || RANK[a.m.tier] - RANK[b.m.tier] || (a.m.name < b.m.name ? -1 : a.m.name > b.m.name ? 1 : 0);

  preferred.sort(byUsage);
  for (const e of preferred) {
    const p = e.m.preferredTier!;
    const fp = e.m.footprintBytes;
    if ((p === 'hot' || p === 'warm') && ram + fp <= ramCap) {
      ram += fp;
      e.want = intoRam(e.m.tier, p);
    } else if (p === 'swap' && swap + fp <= swapCap) {
      swap += fp;
      e.want = 'swap';
    } else if (p === 'cold') e.want = 'cold';
    else free.push(e);
  }

  free.sort(byUsage);
  for (const e of free) {
    const fp = e.m.footprintBytes;
    const wasRam = inRam(e.m.tier);
    const wantsRam = wasRam ? e.score >= keepScore : e.score >= promoteScore;
    e.idle = !wantsRam;
    if (wantsRam && ram + fp <= ramCap) {
      ram += fp;
      const hotNow = e.m.tier === 'hot' ? e.score * (1 + h) >= hotScore : e.score >= hotScore;
      e.want = intoRam(e.m.tier, hotNow ? 'hot' : 'warm');
    } else if ((wasRam || e.m.tier === 'swap') && fp <= swapCap - swap) {
      swap += fp;
      e.want = 'swap';
    } else e.want = e.m.tier === 'swap' || wasRam ? 'cold' : e.m.tier;
  }

  const demotions: Move[] = [];
  const promotions: Move[] = [];
  for (const e of entries) {
    wanted[e.m.name] = e.want;
    if (e.want === e.m.tier) continue;
    const move: Move = { model: e.m.name, from: e.m.tier, to: e.want, bytes: e.m.footprintBytes, reason: reasonFor(e, halfLifeMs) };
    (RANK[e.want] > RANK[e.m.tier] ? demotions : promotions).push(move);
  }
  // Into cold first (needs no room), then into swap, then pauses; largest first within each.
  demotions.sort((a, b) => RANK[b.to] - RANK[a.to] || b.bytes - a.bytes);
  promotions.sort((a, b) => RANK[a.to] - RANK[b.to] || b.bytes - a.bytes);
  const moves = [...demotions, ...promotions];
  return {
    ok: true,
    moves,
    wanted,
    reason: moves.length ? `${moves.length} move${moves.length === 1 ? '' : 's'} toward the usage-based placement; RAM tier ${formatBytes(ram)} of ${formatBytes(ramCap)} usable.` : 'The placement already matches usage.',
  };
}

function reasonFor(e: Entry, halfLifeMs: number): string {
  const usage = `decayed usage ${e.score.toFixed(2)} (half-life ${formatMs(halfLifeMs)})`;
  if (RANK[e.want] < RANK[e.m.tier]) return `${e.m.name} is promoted to ${e.want}: ${usage}.`;
  if (e.m.tier === 'hot' && e.want === 'warm') return `${e.m.name} is paused: idle, ${usage}.`;
  if (e.idle) return `${e.m.name} is demoted to ${e.want}: idle, ${usage}.`;
  return `${e.m.name} is demoted to ${e.want}: more-used models fill the RAM tier; ${usage}.`;
}
