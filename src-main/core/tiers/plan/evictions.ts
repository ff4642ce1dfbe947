// The eviction planner behind ensure(model): which moves make a model hot within the RAM budget.
// Pure and single-pass (no retry loop): either a plan that fits, or a failure with one sentence.
import { neverFitsReason } from './budget';
import type { Limits, ModelState, Move, Plan, PredictFn, Tier } from './types';
import { DEFAULT_HALF_LIFE_MS, decayedScore, useProbability } from './usage';
import { formatBytes, formatMs, joinWords } from './words';

export interface EnsureOptions {
  /** Epoch ms; usage scores are decayed to it. Without it the stored scores are compared as they are. */
  now?: number;
  /** Half-life of usage scores, ms (default DEFAULT_HALF_LIFE_MS). */
  halfLifeMs?: number;
  /** What "used soon" means for the reload cost, ms (default 10 minutes). */
  horizonMs?: number;
  /** RAM bytes already promised to moves in flight that the models' tiers do not show yet (so concurrent ensures never double-book). */
  reservedBytes?: number;
}

export const DEFAULT_HORIZON_MS = 10 * 60_000;

/** How a candidate victim was weighed (exported for explanations and tests). */
export interface VictimCost {
  model: ModelState;
  /** Where it would go: swap when supported and room is left, else cold. */
  to: Tier;
  /** Probability (0–1) it is asked for within the horizon. */
  useProbability: number;
  /** Predicted wake time from `to` back to hot, ms. */
  reloadMs: number;
  /** Expected cost of reloading it, ms: useProbability × reloadMs. */
  expectedCostMs: number;
}

/**
 * The moves that make `target` hot.
 *
 * - Already hot: ok with no moves. Warm: one unpause (its memory is already in the RAM tier).
 * - Swap or cold: if the RAM tier (hot + warm footprints + reservedBytes + the target's footprint +
 *   the safety margin) would exceed ramBudgetBytes, victims are demoted out of the RAM tier first
 *   (→ swap where limits.swapSupported and the swap budget has room, else → cold). Victims are
 *   taken warm before hot, and within each in ascending order of expected reload cost per byte freed
 *   (P(use within horizonMs) × predicted wake time ÷ footprint; least recently used on ties);
 *   victims that turn out unneeded are then dropped, costliest first. Pinned models and models
 *   serving a request are never moved.
 * - Fails fast (ok false, no moves) with a sentence when the target is unknown; with canNeverFit
 *   when its footprint plus the margin exceeds the RAM budget, or when pinned models hold the
 *   memory that would be needed (blockedBy names them); without canNeverFit when models serving
 *   requests (or moves in flight) hold it, so a retry later may succeed.
 *
 * Moves come in the order to run them: evictions, then the target's move to hot. Sizes in bytes.
 */
export function planEnsure(target: string, models: readonly ModelState[], limits: Limits, predictor: PredictFn, options: EnsureOptions = {}): Plan {
  // One pass: the target and what the RAM and swap tiers hold.
  let t: ModelState | undefined;
  let ramUsed = 0;
  let swapUsed = 0;
  for (const m of models) {
    if (t === undefined && m.name === target) t = m;
    if (m.tier === 'hot' || m.tier === 'warm') ramUsed += m.footprintBytes;
    else if (m.tier === 'swap') swapUsed += m.footprintBytes;
  }
  if (!t) return { ok: false, moves: [], reason: `No model named "${target}" is in the library.` };
  const tm = t;
  if (tm.tier === 'hot') return { ok: true, moves: [], reason: `${tm.name} is already hot.` };
  const never = neverFitsReason(tm, limits);
  if (never) return { ok: false, moves: [], reason: never, canNeverFit: true };
  const wake = (reason: string): Move => ({ model: tm.name, from: tm.tier, to: 'hot', bytes: tm.footprintBytes, reason });
  if (tm.tier === 'warm') return { ok: true, moves: [wake(`${tm.name} is resumed: its memory is already in the RAM tier.`)] };

  const reserved = Math.max(0, options.reservedBytes ?? 0);
  const needed = ramUsed + reserved + tm.footprintBytes + limits.safetyMarginBytes - limits.ramBudgetBytes;
  if (needed <= 0) return { ok: true, moves: [wake(`${tm.name} fits in the RAM budget without evictions.`)] };

  // Candidates: everything else in the RAM tier that may move, weighed as it goes.
  // The swap tier's room: the target's own swap bytes are not counted as free, since victims move before it leaves.
  const swapRoom = limits.swapSupported ? limits.swapBudgetBytes - swapUsed : 0;
  const halfLifeMs = options.halfLifeMs ?? DEFAULT_HALF_LIFE_MS;
  const horizonMs = options.horizonMs ?? DEFAULT_HORIZON_MS;
  const heap: Candidate[] = [];
  const pinned: ModelState[] = [];
  const serving: ModelState[] = [];
  let freeable = 0;
  for (const m of models) {
    if (m === tm || (m.tier !== 'hot' && m.tier !== 'warm')) continue;
    if (m.pinned) pinned.push(m);
    else if (m.serving > 0) serving.push(m);
    else {
      freeable += m.footprintBytes;
      const to: Tier = m.footprintBytes <= swapRoom ? 'swap' : 'cold';
      const score = options.now === undefined ? m.usageScore : decayedScore(m.usageScore, m.lastUsedAt, options.now, halfLifeMs);
      const p = useProbability(score, horizonMs, halfLifeMs);
      const reloadMs = predictor(m, to, 'hot').ms;
      const expectedCostMs = p * reloadMs;
      heap.push({ model: m, to, useProbability: p, reloadMs, expectedCostMs, group: m.tier === 'warm' ? 0 : 1, perByte: expectedCostMs / Math.max(1, m.footprintBytes), dropped: false });
    }
  }
  if (freeable < needed) return blocked(tm, needed, freeable, pinned, serving, reserved);

  // Greedy in victimOrder — popped from a heap, since few victims are usually needed — then drop
  // victims that turn out unneeded (costliest first).
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i, heap.length);
  const victims: Candidate[] = [];
  let freed = 0;
  for (let n = heap.length; freed < needed && n > 0; n--) {
    const c = heap[0]!;
    heap[0] = heap[n - 1]!;
    siftDown(heap, 0, n - 1);
    victims.push(c);
    freed += c.model.footprintBytes;
  }
  const byCostDesc = victims.slice().sort((a, b) => b.expectedCostMs - a.expectedCostMs || b.model.footprintBytes - a.model.footprintBytes);
  for (const c of byCostDesc) {
    if (freed - c.model.footprintBytes >= needed) {
      freed -= c.model.footprintBytes;
      c.dropped = true;
    }
  }

  // Swap room goes to the victims whose reload it saves most; the rest go cold.
  let room = swapRoom;
  for (const c of byCostDesc) {
    if (c.dropped) continue;
    if (c.to === 'swap' && c.model.footprintBytes <= room) room -= c.model.footprintBytes;
    else if (c.to === 'swap') {
      c.to = 'cold';
      c.reloadMs = predictor(c.model, 'cold', 'hot').ms;
    }
  }

  const moves: Move[] = [];
  let count = 0;
  for (const c of victims) {
    if (c.dropped) continue;
    count++;
    moves.push({
      model: c.model.name,
      from: c.model.tier,
      to: c.to,
      bytes: c.model.footprintBytes,
      reason:
        `Frees ${formatBytes(c.model.footprintBytes)} of RAM for ${tm.name}: ${c.model.tier}, ` +
        `${Math.round(c.useProbability * 100)} % likely to be used within ${formatMs(horizonMs)}, ${formatMs(c.reloadMs)} to wake from ${c.to}.`,
    });
  }
  moves.push(wake(`${tm.name} is woken from ${tm.tier} after ${count} eviction${count === 1 ? '' : 's'} freed ${formatBytes(freed)}.`));
  return { ok: true, moves };
}

interface Candidate extends VictimCost {
  /** 0 for warm, 1 for hot: warm victims go first. */
  group: number;
  perByte: number;
  dropped: boolean;
}

/** Restores the heap property below index i in heap[0..n) (a min-heap in victimOrder). */
function siftDown(heap: Candidate[], i: number, n: number): void {
  const x = heap[i]!;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && victimOrder(heap[c + 1]!, heap[c]!) < 0) c++;
    if (victimOrder(heap[c]!, x) >= 0) break;
    heap[i] = heap[c]!;
    i = c;
  }
  heap[i] = x;
}

/** Warm (idle) victims before hot ones; then lower expected cost per byte; then least recently used; then name. */
function victimOrder(a: Candidate, b: Candidate): number {
  return a.group - b.group || a.perByte - b.perByte || a.model.lastUsedAt - b.model.lastUsedAt || (a.model.name < b.model.name ? -1 : a.model.name > b.model.name ? 1 : 0);
}

/** The failure when pinned or serving models (or moves in flight) hold memory that cannot be freed. */
function blocked(t: ModelState, needed: number, freeable: number, pinned: ModelState[], serving: ModelState[], reserved: number): Plan {
  const servingBytes = serving.reduce((s, m) => s + m.footprintBytes, 0);
  // Pins stay until a person changes them; requests finish and moves complete.
  const pinsBlock = freeable + servingBytes + reserved < needed;
  const holders = [
    ...(pinned.length ? [`pinned ${joinWords(pinned.map((m) => m.name))}`] : []),
    ...(serving.length ? [`${joinWords(serving.map((m) => m.name))} serving requests`] : []),
    ...(reserved > 0 ? [`${formatBytes(reserved)} promised to moves in flight`] : []),
  ];
  return {
    ok: false,
    moves: [],
    canNeverFit: pinsBlock,
    blockedBy: [...pinned, ...serving].map((m) => m.name),
    reason:
      `${t.name} needs ${formatBytes(needed)} more of the RAM budget, but only ${formatBytes(freeable)} can be freed: ` +
      `the rest is held by ${joinWords(holders)}` +
      (pinsBlock ? '; it cannot fit until a pin is removed or the budget raised.' : '; try again when they finish.'),
  };
}
