// Move-time predictor: for each model and tier transition, time = start-up + size ÷ rate, i.e. a line
// ms = a + b × GiB fitted online from measured moves with exponential forgetting (an EWMA of the
// sufficient statistics, so both the start-up `a` and the per-GiB cost `b` follow drift). A band of
// ± k × EWMA(|residual|) comes with every prediction, and the relative error of each prediction
// against the measured move is kept as a figure. The state is plain JSON (the manager stores it in
// SQLite); every function here is pure and returns a new state.
//
// A model's footprint barely changes between its moves, so its own samples cannot separate start-up
// from rate: the slope is pulled toward a prior (ridge on b) — the slope pooled over every model for
// that transition, or the defaults below before any measurement — and the intercept absorbs the rest.
import { z } from 'zod';
import { TIERS, type ModelState, type PredictFn, type Prediction, type Tier } from './types';

/** A tier transition, e.g. 'cold>hot'. */
export type Transition = `${Tier}>${Tier}`;

const GIB = 2 ** 30;

/** The line before any measurement: ms = startupMs + msPerGiB × GiB. */
export interface TransitionDefault {
  startupMs: number;
  msPerGiB: number;
}

/**
 * Defaults from the issue's figures (GB read as GiB): loads of 0.1 s/GB from RAM (a cold start's
 * weights from the page cache, after the container's start-up and readiness probe, ~1.5 s), 0.5 s/GB
 * from swap, moves into swap of 0.2–0.3 s/GB; a freezer pause or thaw (hot ⇄ warm) is milliseconds
 * whatever the size; a stop releases memory in a few hundred milliseconds.
 */
export const DEFAULT_TRANSITIONS: Readonly<Record<Transition, TransitionDefault>> = (() => {
  const d: Partial<Record<Transition, TransitionDefault>> = {
    'warm>hot': { startupMs: 10, msPerGiB: 1 },
    'hot>warm': { startupMs: 10, msPerGiB: 1 },
    'swap>hot': { startupMs: 50, msPerGiB: 500 },
    'swap>warm': { startupMs: 50, msPerGiB: 500 },
    'hot>swap': { startupMs: 30, msPerGiB: 250 },
    'warm>swap': { startupMs: 20, msPerGiB: 250 },
    'cold>hot': { startupMs: 1500, msPerGiB: 100 },
    'cold>warm': { startupMs: 1510, msPerGiB: 101 },
    'cold>swap': { startupMs: 1540, msPerGiB: 351 },
  };
  for (const from of TIERS) if (from !== 'cold') d[`${from}>cold`] = { startupMs: 300, msPerGiB: 10 };
  for (const from of TIERS) d[`${from}>${from}`] = { startupMs: 0, msPerGiB: 0 };
  return d as Record<Transition, TransitionDefault>;
})();

/** Online weighted-least-squares state of one line (x in GiB, y in ms). */
export interface FitState {
  /** Measured moves seen. */
  n: number;
  /** Sum of the decayed weights. */
  w: number;
  /** Weighted means of x (GiB) and y (ms). */
  mx: number;
  my: number;
  /** Weighted centred sums Σw(x−mx)² and Σw(x−mx)(y−my). */
  sxx: number;
  sxy: number;
  /** EWMA of |actual − predicted| in ms (prediction made before the sample was learnt). */
  absResidualMs: number;
  /** EWMA of |actual − predicted| ÷ actual, as a fraction. */
  relError: number;
}

export interface PredictorOptions {
  /** Weight of the newest sample in every EWMA, 0 < alpha ≤ 1 (default 0.2). */
  alpha: number;
  /** Band half-width in multiples of the EWMA of absolute residuals (default 2). */
  bandK: number;
  /** Ridge strength pulling a slope toward its prior, in sample·GiB² (default 1). */
  priorStrength: number;
  /** Relative band half-width before any measurement (default 0.5 = ±50 %). */
  defaultBand: number;
}

export const DEFAULT_PREDICTOR_OPTIONS: Readonly<PredictorOptions> = { alpha: 0.2, bandK: 2, priorStrength: 1, defaultBand: 0.5 };

/** The predictor's whole state: plain JSON. */
export interface PredictorState {
  version: 1;
  options: PredictorOptions;
  /** Per model name, per transition. */
  models: Record<string, Partial<Record<Transition, FitState>>>;
  /** Per transition, over every model (what a model without its own samples gets). */
  pooled: Partial<Record<Transition, FitState>>;
  /** Prediction error over every measured move: count, EWMA and running mean of |pred − actual| ÷ actual, in %. */
  error: { samples: number; ewmaPct: number; meanPct: number };
}

/** A fresh predictor (defaults only). */
export function createPredictorState(options: Partial<PredictorOptions> = {}): PredictorState {
  return { version: 1, options: { ...DEFAULT_PREDICTOR_OPTIONS, ...options }, models: {}, pooled: {}, error: { samples: 0, ewmaPct: 0, meanPct: 0 } };
}

interface Line {
  a: number;
  b: number;
}

/** A line ready to evaluate: ms = a + b × GiB, band half-width = max(relK × ms, absK). */
interface Compiled {
  a: number;
  b: number;
  relK: number;
  absK: number;
  samples: number;
}

/** The fitted line of `fit`, its slope pulled toward `priorB` (ms per GiB) with strength kappa. */
function lineOf(fit: FitState, priorB: number, kappa: number): Line {
  let b = (fit.sxy + kappa * priorB) / (fit.sxx + kappa);
  if (!(b >= 0)) b = 0;
  let a = fit.my - b * fit.mx;
  if (a < 0) {
    // A negative start-up is not physical: keep the line through the origin and the mean instead.
    a = 0;
    b = fit.mx > 0 ? fit.my / fit.mx : b;
  }
  return { a, b };
}

const TIER_INDEX: Record<Tier, number> = { hot: 0, warm: 1, swap: 2, cold: 3 };
const TRANSITION_KEYS: Transition[] = TIERS.flatMap((f) => TIERS.map((t) => `${f}>${t}` as Transition));

function pooledCompiled(state: PredictorState, t: Transition): Compiled {
  const d = DEFAULT_TRANSITIONS[t];
  const p = state.pooled[t];
  const { bandK, priorStrength, defaultBand } = state.options;
  if (!p || p.n === 0) return { a: d.startupMs, b: d.msPerGiB, relK: defaultBand, absK: 0, samples: 0 };
  const l = lineOf(p, d.msPerGiB, priorStrength);
  // Pooled residuals in ms come from models of other sizes: the band scales with the relative error too.
  return { a: l.a, b: l.b, relK: bandK * p.relError, absK: bandK * 0.5 * p.absResidualMs, samples: p.n };
}

function compile(state: PredictorState, name: string, t: Transition, pooled: Compiled): Compiled {
  const own = state.models[name]?.[t];
  if (!own || own.n === 0) return pooled;
  const l = lineOf(own, pooled.b, state.options.priorStrength);
  return { a: l.a, b: l.b, relK: 0, absK: state.options.bandK * own.absResidualMs, samples: own.n };
}

function evaluate(c: Compiled, footprintBytes: number): Prediction {
  const ms = Math.max(0, c.a + (c.b * Math.max(0, footprintBytes)) / GIB);
  const half = Math.max(c.relK * ms, c.absK);
  return { ms, lowMs: Math.max(0, ms - half), highMs: ms + half, samples: c.samples };
}

const ZERO: Prediction = Object.freeze({ ms: 0, lowMs: 0, highMs: 0, samples: 0 }) as Prediction;

/**
 * Predicted time for `model` to move from → to, in ms, with its band.
 * Uses the model's own fit when it has measured moves for that transition (its slope pulled toward
 * the pooled one), else the fit pooled over every model, else DEFAULT_TRANSITIONS. `samples` is the
 * number of measured moves behind the fit used. from === to predicts 0.
 */
export function predict(state: PredictorState, model: Pick<ModelState, 'name' | 'footprintBytes'>, from: Tier, to: Tier): Prediction {
  if (from === to) return { ...ZERO };
  const t = TRANSITION_KEYS[TIER_INDEX[from] * 4 + TIER_INDEX[to]]!;
  return evaluate(compile(state, model.name, t, pooledCompiled(state, t)), model.footprintBytes);
}

/**
 * A PredictFn over a state snapshot, for planEnsure / select / planOptimise. It caches each fitted
 * line on first use (the state is never mutated, so the cache stays right for this snapshot).
 */
export function predictorFor(state: PredictorState): PredictFn {
  const pooled: (Compiled | undefined)[] = new Array(16);
  const perModel = new Map<string, (Compiled | undefined)[]>();
  return (model, from, to) => {
    if (from === to) return { ...ZERO };
    const i = TIER_INDEX[from] * 4 + TIER_INDEX[to];
    let lines = perModel.get(model.name);
    if (!lines) perModel.set(model.name, (lines = new Array(16)));
    let c = lines[i];
    if (!c) {
      const t = TRANSITION_KEYS[i]!;
      const p = pooled[i] ?? (pooled[i] = pooledCompiled(state, t));
      c = lines[i] = compile(state, model.name, t, p);
    }
    return evaluate(c, model.footprintBytes);
  };
}

/** One measured move. */
export interface MoveSample {
  model: string;
  from: Tier;
  to: Tier;
  /** The model's footprint at the move, bytes. */
  bytes: number;
  /** The measured duration, ms (> 0). */
  ms: number;
}

/** What observe() returns: the new state, what had been predicted for this move, and its relative error. */
export interface Observation {
  state: PredictorState;
  predicted: Prediction;
  /** |predicted − actual| ÷ actual × 100. */
  errorPct: number;
}

/** The fit after one more sample (weight 1; older weights decay by 1 − alpha). */
function learn(fit: FitState | undefined, x: number, y: number, predictedMs: number, alpha: number): FitState {
  const residual = Math.abs(y - predictedMs);
  const rel = residual / y;
  if (!fit || fit.n === 0) return { n: 1, w: 1, mx: x, my: y, sxx: 0, sxy: 0, absResidualMs: residual, relError: rel };
  const keep = 1 - alpha;
  const w = fit.w * keep + 1;
  const dx = x - fit.mx;
  const mx = fit.mx + dx / w;
  const my = fit.my + (y - fit.my) / w;
  return {
    n: fit.n + 1,
    w,
    mx,
    my,
    // West's weighted update: S' = S·keep + dx·(x − mx'), the same for the cross term.
    sxx: fit.sxx * keep + dx * (x - mx),
    sxy: fit.sxy * keep + dx * (y - my),
    absResidualMs: keep * fit.absResidualMs + alpha * residual,
    relError: keep * fit.relError + alpha * rel,
  };
}

/**
 * Learns one measured move: compares it with what was predicted (the error figure), then updates
 * the model's fit and the pooled fit for that transition. Returns a new state; the input is unchanged.
 * A sample with from === to, a non-positive or non-finite duration or a negative size is ignored
 * (the state comes back as is, with errorPct NaN).
 */
export function observe(state: PredictorState, sample: MoveSample): Observation {
  const predicted = predict(state, { name: sample.model, footprintBytes: sample.bytes }, sample.from, sample.to);
  if (sample.from === sample.to || !(sample.ms > 0) || !Number.isFinite(sample.ms) || !(sample.bytes >= 0)) {
    return { state, predicted, errorPct: NaN };
  }
  const t = TRANSITION_KEYS[TIER_INDEX[sample.from] * 4 + TIER_INDEX[sample.to]]!;
  const x = sample.bytes / GIB;
  const { alpha } = state.options;
  const pooledBefore = predict({ ...state, models: {} }, { name: sample.model, footprintBytes: sample.bytes }, sample.from, sample.to);
  const errorPct = (Math.abs(predicted.ms - sample.ms) / sample.ms) * 100;
  const e = state.error;
  const samples = e.samples + 1;
  return {
    state: {
      ...state,
      models: { ...state.models, [sample.model]: { ...state.models[sample.model], [t]: learn(state.models[sample.model]?.[t], x, sample.ms, predicted.ms, alpha) } },
      pooled: { ...state.pooled, [t]: learn(state.pooled[t], x, sample.ms, pooledBefore.ms, alpha) },
      error: {
        samples,
        ewmaPct: e.samples === 0 ? errorPct : (1 - alpha) * e.ewmaPct + alpha * errorPct,
        meanPct: e.meanPct + (errorPct - e.meanPct) / samples,
      },
    },
    predicted,
    errorPct,
  };
}

/** The predictor's error figure: EWMA of |predicted − actual| ÷ actual over every measured move, in % (NaN before any). */
export function predictorErrorPct(state: PredictorState): number {
  return state.error.samples === 0 ? NaN : state.error.ewmaPct;
}

/** The state without `model`'s fits (when the model is removed from the library). */
export function forgetModel(state: PredictorState, model: string): PredictorState {
  if (!(model in state.models)) return state;
  const models = { ...state.models };
  delete models[model];
  return { ...state, models };
}

const num = z.number().finite();
const fitSchema = z.object({
  n: z.number().int().min(0),
  w: num.min(0),
  mx: num,
  my: num,
  sxx: num,
  sxy: num,
  absResidualMs: num.min(0),
  relError: num.min(0),
});
const fitsSchema = z.partialRecord(z.enum(TRANSITION_KEYS as [Transition, ...Transition[]]), fitSchema);
const stateSchema = z.object({
  version: z.literal(1),
  options: z.object({
    alpha: num.gt(0).max(1),
    bandK: num.min(0).max(100),
    priorStrength: num.min(0),
    defaultBand: num.min(0).max(100),
  }),
  models: z.record(z.string().max(256), fitsSchema),
  pooled: fitsSchema,
  error: z.object({ samples: z.number().int().min(0), ewmaPct: num.min(0), meanPct: num.min(0) }),
});

/** Error thrown by restorePredictorState on a stored state it cannot read. */
export class PredictorStateError extends Error {}

/**
 * Reads a stored state back (the value JSON.parse gave). Throws PredictorStateError with one
 * sentence when it is not a version-1 predictor state.
 */
export function restorePredictorState(value: unknown): PredictorState {
  const r = stateSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new PredictorStateError(`The stored predictor state cannot be read: ${issue ? `${issue.path.join('.') || 'value'}: ${issue.message}` : 'unknown shape'}.`);
  }
  return r.data as PredictorState;
}
