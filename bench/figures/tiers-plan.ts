// The tier planner's pure core over a 200-model library: selection (auto, every priority and a mix
// of tasks), the eviction plan behind ensure(), and the optimiser. Each call is timed on its own
// (process.hrtime), after a warm-up; the predictor has been fitted from synthetic measured moves so
// predictions go through per-model fits as they do in the app. Baseline for selection, same run:
// the naive way — score every model, filter by capability, sort them all and take the first.
import { gaussian, GIB, mulberry32, syntheticLibrary } from '../../src-main/test-support/tiers-models';
import { planEnsure } from '../../src-main/core/tiers/plan/evictions';
import { planOptimise } from '../../src-main/core/tiers/plan/optimiser';
import { createPredictorState, observe, predictorFor } from '../../src-main/core/tiers/plan/predictor';
import { makeScorer, select, type Priority, type SelectionRequest } from '../../src-main/core/tiers/plan/selection';
import type { Limits, ModelState, Tier } from '../../src-main/core/tiers/plan/types';
import { compare, percentile, round, type BenchContext, type Figures } from '../report';

const MODELS = 200;
const NOW = 1_700_000_000_000;
const HL = 30 * 60_000;
const LIMITS: Limits = { ramBudgetBytes: 64 * GIB, swapBudgetBytes: 16 * GIB, safetyMarginBytes: GIB, swapSupported: true };
const TASKS = [['text-generation'], ['embedding'], ['asr'], ['text-generation', 'vision'], []];
const PRIORITIES: Priority[] = ['speed', 'quality', 'balanced'];

/** Microseconds each call of fn(i) takes, for i in 0..n−1, after `warm` untimed calls. */
function timeEach(n: number, warm: number, fn: (i: number) => unknown): number[] {
  let sink = 0;
  for (let i = 0; i < warm; i++) sink += fn(i) ? 1 : 0;
  const us: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const r = fn(i);
    us[i] = Number(process.hrtime.bigint() - t0) / 1000;
    sink += r ? 1 : 0;
  }
  if (sink < 0) throw new Error('unreachable');
  return us;
}

function fittedPredictor(models: ModelState[]) {
  const rng = mulberry32(99);
  let state = createPredictorState();
  const transitions: [Tier, Tier][] = [
    ['cold', 'hot'],
    ['swap', 'hot'],
    ['warm', 'hot'],
  ];
  for (let i = 0; i < 3 * MODELS; i++) {
    const m = models[i % MODELS]!;
    const [from, to] = transitions[i % 3]!;
    const gib = m.footprintBytes / GIB;
    const truth = from === 'cold' ? 2000 + 300 * gib : from === 'swap' ? 80 + 450 * gib : 8;
    state = observe(state, { model: m.name, from, to, bytes: m.footprintBytes, ms: truth * (1 + 0.05 * Math.abs(gaussian(rng))) }).state;
  }
  return predictorFor(state);
}

export async function tiersPlanFigures(ctx: BenchContext): Promise<Figures> {
  const n = ctx.quick ? 2_000 : 20_000;
  const warm = ctx.quick ? 500 : 5_000;
  const models = syntheticLibrary(MODELS, 7, NOW, 60 * GIB);
  const predictor = fittedPredictor(models);

  const requests: SelectionRequest[] = [];
  for (let i = 0; i < 60; i++) requests.push({ mode: i % 4 === 3 ? 'hybrid' : 'auto', model: models[(i * 37) % MODELS]!.name, capabilities: TASKS[i % TASKS.length]!, priority: PRIORITIES[i % 3]! });
  const selectUs = timeEach(n, warm, (i) => select(requests[i % requests.length]!, models, LIMITS, predictor).model);

  // Naive selection over the same requests (auto semantics): score all, filter, sort all.
  const scorers = Object.fromEntries(PRIORITIES.map((p) => [p, makeScorer(p, predictor)])) as Record<Priority, ReturnType<typeof makeScorer>>;
  const naiveUs = timeEach(n, warm, (i) => {
    const r = requests[i % requests.length]!;
    const caps = r.capabilities ?? [];
    return models
      .map((m) => ({ m, s: scorers[r.priority ?? 'balanced'](m) }))
      .filter(({ m }) => m.footprintBytes + LIMITS.safetyMarginBytes <= LIMITS.ramBudgetBytes && caps.every((c) => m.capabilities.includes(c)))
      .sort((a, b) => b.s.total - a.s.total)[0]?.m.name;
  });

  const targets = models.filter((m) => m.tier === 'cold' || m.tier === 'swap');
  let evicting = 0;
  for (const t of targets) if (planEnsure(t.name, models, LIMITS, predictor, { now: NOW, halfLifeMs: HL }).moves.length > 1) evicting++;
  const planUs = timeEach(n, warm, (i) => planEnsure(targets[i % targets.length]!.name, models, LIMITS, predictor, { now: NOW, halfLifeMs: HL }).ok);

  const optimiseUs = timeEach(Math.round(n / 4), Math.round(warm / 4), (i) => planOptimise(models, LIMITS, { now: NOW + i * 1000, halfLifeMs: HL }).moves.length);

  const goal = { text: '<= 100', met: (_r: number, v: number) => v <= 100 };
  const lib = `${MODELS} models (${targets.length} cold or in swap), RAM budget 64 GiB nearly full, swap 16 GiB`;
  return {
    'tiers.select_us_p99': {
      ...compare(percentile(selectUs, 99), percentile(naiveUs, 99), 'µs', goal),
      note: `${n} selections (auto and hybrid, 5 tasks × 3 priorities) over ${lib}; baseline: score all, filter, sort all`,
    },
    'tiers.select_us_p50': { ...compare(percentile(selectUs, 50), percentile(naiveUs, 50), 'µs'), note: 'the same runs' },
    'tiers.plan_us_p99': {
      value: round(percentile(planUs, 99)),
      unit: 'µs',
      goal: goal.text,
      met: percentile(planUs, 99) <= 100,
      note: `${n} ensure() plans over ${lib}; ${evicting} of the ${targets.length} targets need evictions`,
    },
    'tiers.plan_us_p50': { value: round(percentile(planUs, 50)), unit: 'µs', note: 'the same runs' },
    'tiers.optimise_us_p99': { value: round(percentile(optimiseUs, 99)), unit: 'µs', note: `${optimiseUs.length} optimiser passes over ${lib}` },
    'tiers.optimise_us_p50': { value: round(percentile(optimiseUs, 50)), unit: 'µs', note: 'the same runs' },
  };
}
