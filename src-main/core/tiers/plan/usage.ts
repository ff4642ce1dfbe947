// Usage with exponential time decay: each request adds 1 to a score that halves every half-life.
// The score is stored as of the last request (ModelState.usageScore at lastUsedAt) and decayed to
// `now` when read, so no timer has to touch idle models. Pure: `now` is always passed in (epoch ms).

/** Default half-life of the usage score: 30 minutes. */
export const DEFAULT_HALF_LIFE_MS = 30 * 60_000;

/** What usage tracking needs of a model. */
export interface Usage {
  /** Decayed request count as of lastUsedAt. */
  usageScore: number;
  /** Epoch ms of the last request (0 = never). */
  lastUsedAt: number;
}

/**
 * The score decayed from `since` to `now`: score × 2^(−(now − since) / halfLifeMs).
 * A clock that went backwards (now < since) decays nothing rather than growing the score.
 * @param halfLifeMs > 0, in milliseconds; a non-positive half-life is treated as 1 ms (decay at once).
 */
export function decayedScore(score: number, since: number, now: number, halfLifeMs: number): number {
  if (!(score > 0)) return 0;
  const dt = now - since;
  if (!(dt > 0)) return score;
  return score * Math.pow(2, -dt / Math.max(1, halfLifeMs));
}

/** The model's score decayed to `now`. */
export function usageNow(u: Usage, now: number, halfLifeMs: number): number {
  return decayedScore(u.usageScore, u.lastUsedAt, now, halfLifeMs);
}

/**
 * Records one request at `now` (weight 1 by default): the stored score is decayed to `now` and the
 * weight added. Returns the new { usageScore, lastUsedAt }; the input is not changed.
 * A request stamped before lastUsedAt (out of order) is added without moving lastUsedAt back.
 */
export function recordUse(u: Usage, now: number, halfLifeMs: number, weight = 1): Usage {
  if (now < u.lastUsedAt) {
    return { usageScore: u.usageScore + weight * Math.pow(2, -(u.lastUsedAt - now) / Math.max(1, halfLifeMs)), lastUsedAt: u.lastUsedAt };
  }
  return { usageScore: decayedScore(u.usageScore, u.lastUsedAt, now, halfLifeMs) + weight, lastUsedAt: now };
}

/**
 * Probability (0–1) that the model is asked for within the next `horizonMs`, from its decayed score.
 * Under a steady request rate r, the decayed score converges to r × τ with τ = halfLife ÷ ln 2 (the
 * decay's mean lifetime), so r ≈ score ÷ τ and, for Poisson arrivals, P(≥ 1 in H) = 1 − e^(−r·H).
 */
export function useProbability(scoreNow: number, horizonMs: number, halfLifeMs: number): number {
  if (!(scoreNow > 0) || !(horizonMs > 0)) return 0;
  const tau = Math.max(1, halfLifeMs) / Math.LN2;
  return 1 - Math.exp((-scoreNow * horizonMs) / tau);
}
