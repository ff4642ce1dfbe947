import { describe, expect, it } from 'vitest';
import { gaussian, GIB, mulberry32 } from '../../../test-support/tiers-models';
import {
  createPredictorState,
  forgetModel,
  observe,
  predict,
  predictorErrorPct,
  predictorFor,
  PredictorStateError,
  restorePredictorState,
  type PredictorState,
} from './predictor';

const m = (name: string, gib: number) => ({ name, footprintBytes: gib * GIB });

/** Feeds `n` measured cold→hot moves from a true line (startup + perGiB × GiB) with relative noise. */
function feed(state: PredictorState, rng: () => number, n: number, models: { name: string; gib: number }[], startup: number, perGiB: number, noise: number) {
  const errors: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = models[i % models.length]!;
    const truth = startup + perGiB * x.gib;
    const ms = truth * (1 + noise * gaussian(rng));
    const r = observe(state, { model: x.name, from: 'cold', to: 'hot', bytes: x.gib * GIB, ms });
    state = r.state;
    errors.push(r.errorPct);
  }
  return { state, errors };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('predictor defaults (before any measurement)', () => {
  const s = createPredictorState();
  it('uses the issue figures: start-up plus 0.1 s/GiB for a cold start, 0.5 s/GiB from swap, milliseconds for an unpause', () => {
    expect(predict(s, m('a', 4), 'cold', 'hot').ms).toBeCloseTo(1500 + 400, 6);
    expect(predict(s, m('a', 4), 'swap', 'hot').ms).toBeCloseTo(50 + 2000, 6);
    expect(predict(s, m('a', 4), 'warm', 'hot').ms).toBeLessThan(20);
    expect(predict(s, m('a', 4), 'hot', 'hot')).toEqual({ ms: 0, lowMs: 0, highMs: 0, samples: 0 });
  });
  it('gives a ±50 % band and 0 samples', () => {
    const p = predict(s, m('a', 4), 'cold', 'hot');
    expect(p.samples).toBe(0);
    expect(p.lowMs).toBeCloseTo(p.ms * 0.5, 6);
    expect(p.highMs).toBeCloseTo(p.ms * 1.5, 6);
  });
});

describe('predictor fitting', () => {
  it('converges on measured wake times: the error shrinks below the noise level', () => {
    const rng = mulberry32(42);
    const models = [
      { name: 'small', gib: 1 },
      { name: 'mid', gib: 4 },
      { name: 'large', gib: 12 },
    ];
    // The truth is far from the defaults (a slow disk: 3 s start-up, 0.8 s/GiB).
    const { state, errors } = feed(createPredictorState(), rng, 90, models, 3000, 800, 0.05);
    const first = mean(errors.slice(0, 3));
    const last = mean(errors.slice(-30));
    expect(first).toBeGreaterThan(30);
    expect(last).toBeLessThan(10);
    for (const x of models) {
      const p = predict(state, m(x.name, x.gib), 'cold', 'hot');
      const truth = 3000 + 800 * x.gib;
      expect(Math.abs(p.ms - truth) / truth).toBeLessThan(0.08);
      expect(p.lowMs).toBeLessThan(truth);
      expect(p.highMs).toBeGreaterThan(truth);
      expect(p.samples).toBe(30);
    }
    expect(predictorErrorPct(state)).toBeLessThan(10);
    expect(state.error.samples).toBe(90);
  });

  it('the band covers most fresh measurements once fitted', () => {
    const rng = mulberry32(7);
    const models = [{ name: 'a', gib: 2 }];
    let { state } = feed(createPredictorState(), rng, 40, models, 1000, 300, 0.05);
    let inside = 0;
    for (let i = 0; i < 200; i++) {
      const p = predict(state, m('a', 2), 'cold', 'hot');
      const ms = 1600 * (1 + 0.05 * gaussian(rng));
      if (ms >= p.lowMs && ms <= p.highMs) inside++;
      state = observe(state, { model: 'a', from: 'cold', to: 'hot', bytes: 2 * GIB, ms }).state;
    }
    expect(inside / 200).toBeGreaterThan(0.85);
  });

  it('gives a model without its own measurements the fit pooled over the others', () => {
    const rng = mulberry32(3);
    const { state } = feed(createPredictorState(), rng, 60, [{ name: 'a', gib: 1 }, { name: 'b', gib: 6 }], 2000, 500, 0.02);
    const p = predict(state, m('newcomer', 3), 'cold', 'hot');
    const truth = 2000 + 500 * 3;
    expect(p.samples).toBe(60);
    expect(Math.abs(p.ms - truth) / truth).toBeLessThan(0.1);
    // The defaults would have said 1.8 s: much further off.
    expect(Math.abs(predict(createPredictorState(), m('newcomer', 3), 'cold', 'hot').ms - truth) / truth).toBeGreaterThan(0.4);
  });

  it('follows a drift in the wake time (exponential forgetting)', () => {
    const rng = mulberry32(11);
    const models = [{ name: 'a', gib: 4 }];
    let { state } = feed(createPredictorState(), rng, 30, models, 1000, 250, 0.02); // 2 s
    ({ state } = feed(state, rng, 30, models, 3000, 500, 0.02)); // then 5 s
    expect(predict(state, m('a', 4), 'cold', 'hot').ms).toBeGreaterThan(4700);
    expect(predict(state, m('a', 4), 'cold', 'hot').ms).toBeLessThan(5300);
  });

  it('keeps transitions apart', () => {
    const { state } = feed(createPredictorState(), mulberry32(5), 20, [{ name: 'a', gib: 2 }], 5000, 1000, 0);
    expect(predict(state, m('a', 2), 'cold', 'hot').ms).toBeCloseTo(7000, 0);
    expect(predict(state, m('a', 2), 'swap', 'hot').ms).toBeCloseTo(1050, 6);
  });

  it('reports the prediction it is compared with, and its error', () => {
    const s = createPredictorState();
    const r = observe(s, { model: 'a', from: 'cold', to: 'hot', bytes: 4 * GIB, ms: 3800 });
    expect(r.predicted.ms).toBeCloseTo(1900, 6);
    expect(r.errorPct).toBeCloseTo(50, 6);
    expect(s.error.samples).toBe(0); // the input state is not changed
  });

  it('ignores samples it cannot learn from', () => {
    const s = createPredictorState();
    for (const bad of [
      { model: 'a', from: 'hot' as const, to: 'hot' as const, bytes: GIB, ms: 10 },
      { model: 'a', from: 'cold' as const, to: 'hot' as const, bytes: GIB, ms: 0 },
      { model: 'a', from: 'cold' as const, to: 'hot' as const, bytes: GIB, ms: Number.NaN },
      { model: 'a', from: 'cold' as const, to: 'hot' as const, bytes: -1, ms: 100 },
    ]) {
      const r = observe(s, bad);
      expect(r.state).toBe(s);
      expect(r.errorPct).toBeNaN();
    }
  });

  it('never predicts a negative time, even from measurements below the default start-up', () => {
    const { state } = feed(createPredictorState(), mulberry32(9), 10, [{ name: 'a', gib: 8 }], 0, 10, 0);
    const p = predict(state, m('a', 8), 'cold', 'hot');
    expect(p.ms).toBeCloseTo(80, 0);
    expect(predict(state, m('a', 0), 'cold', 'hot').ms).toBeGreaterThanOrEqual(0);
  });
});

describe('predictor state', () => {
  it('survives a JSON round trip with the same predictions', () => {
    const { state } = feed(createPredictorState(), mulberry32(1), 25, [{ name: 'a', gib: 2 }, { name: 'b', gib: 5 }], 1200, 400, 0.05);
    const back = restorePredictorState(JSON.parse(JSON.stringify(state)));
    for (const x of [m('a', 2), m('b', 5), m('c', 3)]) expect(predict(back, x, 'cold', 'hot')).toEqual(predict(state, x, 'cold', 'hot'));
    expect(predictorFor(back)(m('a', 2), 'cold', 'hot')).toEqual(predict(state, m('a', 2), 'cold', 'hot'));
  });

  it('predictorFor (cached lines) agrees with predict for every model and transition', () => {
    const { state } = feed(createPredictorState(), mulberry32(4), 40, [{ name: 'a', gib: 2 }, { name: 'b', gib: 5 }], 1200, 400, 0.05);
    const s2 = observe(state, { model: 'a', from: 'swap', to: 'hot', bytes: 2 * GIB, ms: 700 }).state;
    const fn = predictorFor(s2);
    const tiers = ['hot', 'warm', 'swap', 'cold'] as const;
    for (const x of [m('a', 2), m('b', 5), m('c', 3), m('a', 9)])
      for (const from of tiers) for (const to of tiers) {
        expect(fn(x, from, to)).toEqual(predict(s2, x, from, to));
        expect(fn(x, from, to)).toEqual(predict(s2, x, from, to)); // second call from the cache
      }
  });

  it('refuses a stored state it cannot read with one sentence', () => {
    expect(() => restorePredictorState({ version: 2 })).toThrow(PredictorStateError);
    expect(() => restorePredictorState(null)).toThrow(/^The stored predictor state cannot be read: .+\.$/);
    const s = JSON.parse(JSON.stringify(observe(createPredictorState(), { model: 'a', from: 'cold', to: 'hot', bytes: GIB, ms: 900 }).state));
    s.models.a['cold>hot'].n = -1;
    expect(() => restorePredictorState(s)).toThrow(/models\.a\.cold>hot\.n/);
    s.models.a = { 'cold>lukewarm': s.pooled['cold>hot'] };
    expect(() => restorePredictorState(s)).toThrow(PredictorStateError);
  });

  it('forgets a removed model', () => {
    const { state } = feed(createPredictorState(), mulberry32(2), 5, [{ name: 'a', gib: 2 }], 9000, 0, 0);
    const s2 = forgetModel(state, 'a');
    expect(s2.models.a).toBeUndefined();
    expect(state.models.a).toBeDefined();
    expect(forgetModel(s2, 'a')).toBe(s2);
  });
});
