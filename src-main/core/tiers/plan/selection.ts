// Model selection: manual (by name), auto (the best model whose capabilities cover the task) and
// hybrid (the user's pick unless it cannot serve, then the best alternative, saying why).
// Pure; one pass over the models, keeping only the best few score breakdowns.
import { neverFitsReason } from './budget';
import type { Limits, ModelState, PredictFn, Prediction, Tier } from './types';
import { formatMs, joinWords } from './words';

export type SelectionMode = 'manual' | 'auto' | 'hybrid';
export type Priority = 'speed' | 'quality' | 'balanced';

export interface SelectionRequest {
  mode: SelectionMode;
  /** The user's pick (manual and hybrid). */
  model?: string;
  /** The task's capabilities, e.g. ['text-generation']; a model must offer all of them (auto, hybrid). */
  capabilities?: readonly string[];
  /** What auto and hybrid weigh most (default 'balanced'). */
  priority?: Priority;
}

/** How one candidate scored; every part is unitless on a 0–1 scale except wakeMs. */
export interface ScoreBreakdown {
  model: string;
  tier: Tier;
  quality: number;
  speed: number;
  /** weights.quality × quality + weights.speed × speed. */
  base: number;
  /** Bonus for being hot already. */
  hotBonus: number;
  /** Predicted time to hot, ms (0 when hot). */
  wakeMs: number;
  /** weights.wake × (1 − e^(−wakeMs ÷ wakeScaleMs)). */
  wakePenalty: number;
  /** base + hotBonus − wakePenalty. */
  total: number;
}

export interface Selection {
  ok: boolean;
  /** The chosen model, when ok. */
  model?: string;
  /** One sentence: why this model, or why none. */
  reason: string;
  /** The best candidates' breakdowns, best first (at most topK). */
  scores: ScoreBreakdown[];
  /** How many models could serve the request (auto and hybrid alternatives). */
  candidates: number;
  /** Predicted wake time of the chosen model. */
  wake?: Prediction;
  /** Hybrid: the user's pick, when it could not serve and another was chosen. */
  fallbackFrom?: string;
  /** The chosen (or picked) model can never fit the RAM budget. */
  canNeverFit?: boolean;
}

export interface PriorityWeights {
  quality: number;
  speed: number;
  /** Largest penalty for a long wake. */
  wake: number;
}

export interface SelectionOptions {
  /** Weights per priority (defaults in PRIORITY_WEIGHTS). */
  weights?: Partial<Record<Priority, PriorityWeights>>;
  /** Bonus for a hot model (default 0.05). */
  hotBonus?: number;
  /** Wake time at which the penalty reaches 63 % of weights.wake, ms (default 5 s). */
  wakeScaleMs?: number;
  /** How many breakdowns to return (default 5). */
  topK?: number;
}

export const PRIORITY_WEIGHTS: Readonly<Record<Priority, PriorityWeights>> = {
  speed: { quality: 0.2, speed: 0.8, wake: 0.4 },
  quality: { quality: 0.8, speed: 0.2, wake: 0.1 },
  balanced: { quality: 0.5, speed: 0.5, wake: 0.25 },
};

/**
 * Chooses the model to answer a request.
 * - manual: the named model; fails when it is unknown or can never fit the RAM budget.
 * - auto: among models whose capabilities include every requested one and that can fit the budget,
 *   the highest total score (see ScoreBreakdown) for the priority; ties go to the hotter, then by name.
 * - hybrid: the user's pick when it exists, offers the capabilities and can fit; otherwise the auto
 *   choice with a reason naming why the pick could not serve.
 *   (Without a pick, hybrid is auto.)
 * Never throws; a request nothing can serve gets ok false with the reason.
 */
export function select(request: SelectionRequest, models: readonly ModelState[], limits: Limits, predictor: PredictFn, options: SelectionOptions = {}): Selection {
  const priority = request.priority ?? 'balanced';
  const caps = (request.capabilities ?? []).map((c) => c.trim().toLowerCase()).filter((c) => c.length > 0);
  const scorer = makeScorer(priority, predictor, options);

  if (request.mode === 'manual') {
    const m = request.model === undefined ? undefined : models.find((x) => x.name === request.model);
    if (!m) return none(request.model === undefined ? 'Manual selection needs a model name.' : `No model named "${request.model}" is in the library.`, 0);
    const never = neverFitsReason(m, limits);
    const s = scorer(m);
    if (never) return { ok: false, reason: never, scores: [s], candidates: 0, canNeverFit: true };
    const missing = missingCapabilities(m, caps);
    return {
      ok: true,
      model: m.name,
      reason: `${m.name} was chosen by name${missing.length ? ` (it does not list ${joinWords(missing)})` : ''}; ${wakeWords(m.tier, s.wakeMs)}.`,
      scores: [s],
      candidates: 1,
      wake: predictor(m, m.tier, 'hot'),
    };
  }

  // auto, and hybrid's alternatives: one pass keeping the best topK. base + hot bonus bounds the
  // total from above (the wake penalty is ≥ 0), so a model that cannot enter the top K is counted
  // without asking the predictor or allocating its breakdown.
  const topK = Math.max(1, options.topK ?? 5);
  const best: ScoreBreakdown[] = [];
  const bestModels: ModelState[] = [];
  let candidates = 0;
  const pickName = request.mode === 'hybrid' ? request.model : undefined;
  let pick: ModelState | undefined;
  const roomBytes = limits.ramBudgetBytes - limits.safetyMarginBytes;
  for (let k = 0; k < models.length; k++) {
    const m = models[k]!;
    if (m.name === pickName) pick = m;
    if (m.footprintBytes > roomBytes || !covers(m, caps)) continue;
    candidates++;
    if (best.length === topK && scorer.upperBound(m) < best[topK - 1]!.total) continue;
    const s = scorer(m);
    // Insertion into the sorted top K (K is small).
    let i = best.length < topK ? best.length : topK - 1;
    if (i === topK - 1 && best.length === topK && !better(s, best[i]!)) continue;
    while (i > 0 && better(s, best[i - 1]!)) {
      best[i] = best[i - 1]!;
      bestModels[i] = bestModels[i - 1]!;
      i--;
    }
    best[i] = s;
    bestModels[i] = m;
  }
  const task = caps.length ? joinWords(caps) : 'any task';

  let why: string | undefined;
  // Hybrid without a pick is auto.
  if (request.mode === 'hybrid' && pickName !== undefined) {
    if (!pick) why = `no model named "${pickName}" is in the library`;
    else {
      const missing = missingCapabilities(pick, caps);
      const never = neverFitsReason(pick, limits);
      if (missing.length) why = `${pick.name} does not offer ${joinWords(missing)}`;
      else if (never) why = never.replace(/\.$/, '');
      else {
        const s = scorer(pick);
        return {
          ok: true,
          model: pick.name,
          reason: `${pick.name} was picked and can serve ${task}; ${wakeWords(pick.tier, s.wakeMs)}.`,
          scores: [s, ...best.filter((b) => b.model !== pick!.name)].slice(0, topK),
          candidates,
          wake: predictor(pick, pick.tier, 'hot'),
        };
      }
    }
  }

  const top = best[0];
  const topModel = bestModels[0];
  if (!top || !topModel) {
    const base = `no model that can fit the RAM budget offers ${task}.`;
    return none(why ? `The pick cannot serve (${why}), and ${base}` : `N${base.slice(1)}`, 0, pickName);
  }
  const choice =
    `${top.model} scores best for ${task} with priority ${priority}: ${top.total.toFixed(3)} = ` +
    `${top.base.toFixed(3)} (quality ${top.quality.toFixed(2)}, speed ${top.speed.toFixed(2)}) + ${top.hotBonus.toFixed(3)} hot − ${top.wakePenalty.toFixed(3)} wake; ` +
    `${wakeWords(top.tier, top.wakeMs)}`;
  return {
    ok: true,
    model: top.model,
    reason: why ? `The pick cannot serve (${why}); instead ${choice}.` : `${choice}.`,
    scores: best,
    candidates,
    wake: predictor(topModel, topModel.tier, 'hot'),
    ...(why && pickName !== undefined ? { fallbackFrom: pickName } : {}),
  };
}

/** A scorer: the breakdown of one model, and an upper bound of its total that needs no prediction. */
export interface Scorer {
  (m: ModelState): ScoreBreakdown;
  upperBound(m: ModelState): number;
}

/** Scores one model for a priority (exported for the UI's selection tester). */
export function makeScorer(priority: Priority, predictor: PredictFn, options: SelectionOptions = {}): Scorer {
  const w = options.weights?.[priority] ?? PRIORITY_WEIGHTS[priority];
  const hot = options.hotBonus ?? 0.05;
  const scale = Math.max(1, options.wakeScaleMs ?? 5_000);
  const score = ((m: ModelState): ScoreBreakdown => {
    const quality = clamp01(m.quality);
    const speed = clamp01(m.speed);
    const base = w.quality * quality + w.speed * speed;
    const hotBonus = m.tier === 'hot' ? hot : 0;
    const wakeMs = m.tier === 'hot' ? 0 : predictor(m, m.tier, 'hot').ms;
    const wakePenalty = w.wake * (1 - Math.exp(-wakeMs / scale));
    return { model: m.name, tier: m.tier, quality, speed, base, hotBonus, wakeMs, wakePenalty, total: base + hotBonus - wakePenalty };
  }) as Scorer;
  score.upperBound = (m) => w.quality * clamp01(m.quality) + w.speed * clamp01(m.speed) + (m.tier === 'hot' ? hot : 0);
  return score;
}

/** Whether the model lists every requested capability (requested ones are lower-case). */
function covers(m: ModelState, caps: readonly string[]): boolean {
  const owns = m.capabilities;
  for (let i = 0; i < caps.length; i++) {
    const c = caps[i]!;
    let found = false;
    for (let j = 0; j < owns.length; j++) {
      const own = owns[j]!;
      // The length test spares a lower-cased copy for most non-matching names.
      if (own === c || (own.length === c.length && own.toLowerCase() === c)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

/** The requested capabilities (lower-case) the model does not list. */
function missingCapabilities(m: ModelState, caps: readonly string[]): string[] {
  if (caps.length === 0) return [];
  const missing: string[] = [];
  for (const c of caps) {
    let found = false;
    for (const own of m.capabilities) {
      if (own === c || (own.length === c.length && own.toLowerCase() === c)) {
        found = true;
        break;
      }
    }
    if (!found) missing.push(c);
  }
  return missing;
}

function better(a: ScoreBreakdown, b: ScoreBreakdown): boolean {
  if (a.total !== b.total) return a.total > b.total;
  if (a.wakeMs !== b.wakeMs) return a.wakeMs < b.wakeMs;
  return a.model < b.model;
}

function wakeWords(tier: Tier, wakeMs: number): string {
  return tier === 'hot' ? 'it is hot' : `it is ${tier}, about ${formatMs(wakeMs)} from ready`;
}

function none(reason: string, candidates: number, fallbackFrom?: string): Selection {
  return { ok: false, reason, scores: [], candidates, ...(fallbackFrom !== undefined ? { fallbackFrom } : {}) };
}

const clamp01 = (x: number) => (x > 1 ? 1 : x > 0 ? x : 0);
