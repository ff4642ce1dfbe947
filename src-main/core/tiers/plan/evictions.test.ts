import { describe, expect, it } from 'vitest';
import { applyMoves, GIB, model, ramOf, syntheticLibrary } from '../../../test-support/tiers-models';
import { planEnsure } from './evictions';
import { createPredictorState, predictorFor } from './predictor';
import type { Limits, ModelState } from './types';

const predictor = predictorFor(createPredictorState());
const NOW = 1_700_000_000_000;
const HL = 30 * 60_000;
/** Room for 8 GiB of models: 9 GiB budget, 1 GiB margin. */
const limits: Limits = { ramBudgetBytes: 9 * GIB, swapBudgetBytes: 0, safetyMarginBytes: GIB, swapSupported: false };
const used = (score: number, over: Partial<ModelState> = {}) => ({ usageScore: score, lastUsedAt: NOW, ...over });
const names = (p: { moves: { model: string }[] }) => p.moves.map((m) => m.model);

describe('planEnsure: trivial cases', () => {
  const lib = [model('a', { tier: 'hot', footprintBytes: 4 * GIB }), model('w', { tier: 'warm', footprintBytes: 4 * GIB }), model('c')];
  it('does nothing for a model that is already hot', () => {
    expect(planEnsure('a', lib, limits, predictor)).toEqual({ ok: true, moves: [], reason: 'a is already hot.' });
  });
  it('only unpauses a warm model, whose memory is already in the RAM tier', () => {
    const p = planEnsure('w', lib, limits, predictor);
    expect(p.ok).toBe(true);
    expect(p.moves).toEqual([expect.objectContaining({ model: 'w', from: 'warm', to: 'hot', bytes: 4 * GIB })]);
  });
  it('refuses an unknown model with a sentence', () => {
    expect(planEnsure('nope', lib, limits, predictor)).toEqual({ ok: false, moves: [], reason: 'No model named "nope" is in the library.' });
  });
  it('wakes a model that fits without evicting anything', () => {
    const p = planEnsure('c', [model('a', { tier: 'hot', footprintBytes: 4 * GIB }), model('c', { footprintBytes: 2 * GIB })], limits, predictor);
    expect(p.moves).toEqual([expect.objectContaining({ model: 'c', from: 'cold', to: 'hot' })]);
  });
});

describe('planEnsure: choosing victims', () => {
  it('evicts the model least likely to be used soon', () => {
    const lib = [
      model('busy', { tier: 'hot', footprintBytes: 4 * GIB, ...used(20) }),
      model('idle', { tier: 'hot', footprintBytes: 4 * GIB, ...used(0.2, { lastUsedAt: NOW - HL }) }),
      model('t', { footprintBytes: 4 * GIB }),
    ];
    const p = planEnsure('t', lib, limits, predictor, { now: NOW, halfLifeMs: HL });
    expect(p.ok).toBe(true);
    expect(p.moves.map((m) => [m.model, m.from, m.to])).toEqual([
      ['idle', 'hot', 'cold'],
      ['t', 'cold', 'hot'],
    ]);
    expect(p.moves[0]!.reason).toMatch(/^Frees 4\.0 GiB of RAM for t: hot, \d+ % likely to be used within 10\.0 min, .+ to wake from cold\.$/);
  });

  it('weighs cost against size: one large victim beats several small ones when its cost per byte is lower', () => {
    const small = (n: string) => model(n, { tier: 'hot', footprintBytes: GIB, ...used(1) });
    const lib = [small('s1'), small('s2'), small('s3'), model('big', { tier: 'hot', footprintBytes: 3 * GIB, ...used(1) }), model('t', { footprintBytes: 3 * GIB })];
    // 6 GiB used + 3 for t + 1 margin − a 7 GiB budget = 3 GiB to free: s1+s2+s3 or big alone.
    const tight = { ...limits, ramBudgetBytes: 7 * GIB };
    const p = planEnsure('t', lib, tight, predictor, { now: NOW, halfLifeMs: HL });
    expect(names(p)).toEqual(['big', 't']);
    // When the big one is in heavy use, the three small ones go instead.
    const lib2 = lib.map((m) => (m.name === 'big' ? { ...m, usageScore: 50 } : m));
    expect(names(planEnsure('t', lib2, tight, predictor, { now: NOW, halfLifeMs: HL })).sort()).toEqual(['s1', 's2', 's3', 't']);
  });

  it('takes warm (paused) models before hot ones', () => {
    const lib = [
      model('paused', { tier: 'warm', footprintBytes: 4 * GIB, ...used(3) }),
      model('running', { tier: 'hot', footprintBytes: 4 * GIB, ...used(1) }),
      model('t', { footprintBytes: 4 * GIB }),
    ];
    const p = planEnsure('t', lib, limits, predictor, { now: NOW, halfLifeMs: HL });
    expect(p.moves.map((m) => [m.model, m.from, m.to])).toEqual([
      ['paused', 'warm', 'cold'],
      ['t', 'cold', 'hot'],
    ]);
  });

  it('evicts no more than needed: a victim made unnecessary by a later, larger one is kept', () => {
    const lib = [
      model('w', { tier: 'warm', footprintBytes: GIB, ...used(0.1) }),
      model('h', { tier: 'hot', footprintBytes: 6 * GIB, ...used(0.1) }),
      model('t', { footprintBytes: 5 * GIB }),
    ];
    // 7 + 5 + 1 − 9 = 4 GiB needed: w alone frees 1, so h must go, and then w need not.
    expect(names(planEnsure('t', lib, limits, predictor, { now: NOW, halfLifeMs: HL }))).toEqual(['h', 't']);
  });

  it('never moves a pinned model, nor one serving a request', () => {
    const lib = [
      model('pin', { tier: 'hot', footprintBytes: 4 * GIB, pinned: true }),
      model('srv', { tier: 'hot', footprintBytes: 2 * GIB, serving: 2 }),
      model('other', { tier: 'hot', footprintBytes: 2 * GIB, ...used(40) }),
      model('t', { footprintBytes: 2 * GIB }),
    ];
    const p = planEnsure('t', lib, limits, predictor, { now: NOW, halfLifeMs: HL });
    expect(names(p)).toEqual(['other', 't']);
  });

  it('sends victims to swap when the host supports it and the swap budget has room, the costliest first', () => {
    const lib = [
      model('a', { tier: 'hot', footprintBytes: 3 * GIB, ...used(2) }),
      model('b', { tier: 'hot', footprintBytes: 3 * GIB, ...used(0.5) }),
      model('t', { footprintBytes: 7 * GIB }),
    ];
    const withSwap = { ...limits, swapBudgetBytes: 4 * GIB, swapSupported: true };
    const p = planEnsure('t', lib, withSwap, predictor, { now: NOW, halfLifeMs: HL });
    // 6 + 7 + 1 − 9 = 5 GiB needed: both go; only one fits in 4 GiB of swap — the one more likely to be used.
    const to = Object.fromEntries(p.moves.map((m) => [m.model, m.to]));
    expect(to).toEqual({ a: 'swap', b: 'cold', t: 'hot' });
    // Unsupported swap: every victim goes cold.
    const p2 = planEnsure('t', lib, { ...withSwap, swapSupported: false }, predictor, { now: NOW, halfLifeMs: HL });
    expect(p2.moves.filter((m) => m.model !== 't').every((m) => m.to === 'cold')).toBe(true);
  });

  it('counts memory promised to moves in flight, so two ensures do not double-book', () => {
    const lib = [model('a', { tier: 'hot', footprintBytes: 2 * GIB }), model('t', { footprintBytes: 4 * GIB })];
    expect(names(planEnsure('t', lib, limits, predictor))).toEqual(['t']);
    expect(names(planEnsure('t', lib, limits, predictor, { reservedBytes: 3 * GIB }))).toEqual(['a', 't']);
  });
});

describe('planEnsure: failing fast', () => {
  it('says a model can never fit when its footprint and the margin exceed the RAM budget', () => {
    const lib = [model('huge', { footprintBytes: 8.5 * GIB, measured: true }), model('a', { tier: 'hot' })];
    const p = planEnsure('huge', lib, limits, predictor);
    expect(p).toEqual({
      ok: false,
      moves: [],
      canNeverFit: true,
      reason:
        'huge can never fit: its measured footprint of 8.5 GiB plus the 1.0 GiB safety margin exceeds the RAM budget of 9.0 GiB, even with every other model evicted.',
    });
  });

  it('says which pinned models stand in the way, and that waiting will not help', () => {
    const lib = [
      model('p1', { tier: 'hot', footprintBytes: 3 * GIB, pinned: true }),
      model('p2', { tier: 'warm', footprintBytes: 3 * GIB, pinned: true }),
      model('free', { tier: 'hot', footprintBytes: GIB }),
      model('t', { footprintBytes: 4 * GIB }),
    ];
    const p = planEnsure('t', lib, limits, predictor);
    expect(p.ok).toBe(false);
    expect(p.canNeverFit).toBe(true);
    expect(p.moves).toEqual([]);
    expect(p.blockedBy).toEqual(['p1', 'p2']);
    expect(p.reason).toBe('t needs 3.0 GiB more of the RAM budget, but only 1.0 GiB can be freed: the rest is held by pinned p1 and p2; it cannot fit until a pin is removed or the budget raised.');
  });

  it('fails without canNeverFit when models serving requests hold the memory', () => {
    const lib = [model('s', { tier: 'hot', footprintBytes: 6 * GIB, serving: 1 }), model('t', { footprintBytes: 4 * GIB })];
    const p = planEnsure('t', lib, limits, predictor);
    expect(p.ok).toBe(false);
    expect(p.canNeverFit).toBe(false);
    expect(p.blockedBy).toEqual(['s']);
    expect(p.reason).toMatch(/held by s serving requests; try again when they finish\.$/);
  });
});

describe('planEnsure over 200 models', () => {
  it('always returns a plan within budget that moves no pinned or serving model, or a reason', () => {
    const budget: Limits = { ramBudgetBytes: 64 * GIB, swapBudgetBytes: 16 * GIB, safetyMarginBytes: GIB, swapSupported: true };
    let ok = 0;
    let failed = 0;
    for (const seed of [1, 2, 3]) {
      const lib = syntheticLibrary(200, seed, NOW, 60 * GIB);
      for (const t of lib.filter((m) => m.tier === 'cold' || m.tier === 'swap').slice(0, 40)) {
        const p = planEnsure(t.name, lib, budget, predictor, { now: NOW, halfLifeMs: HL });
        if (!p.ok) {
          failed++;
          expect(p.moves).toEqual([]);
          expect(p.reason).toMatch(/\.$/);
          continue;
        }
        ok++;
        const after = applyMoves(lib, p.moves, NOW);
        expect(after.find((m) => m.name === t.name)!.tier).toBe('hot');
        expect(ramOf(after) + budget.safetyMarginBytes).toBeLessThanOrEqual(budget.ramBudgetBytes);
        const swapAfter = after.filter((m) => m.tier === 'swap').reduce((s, m) => s + m.footprintBytes, 0);
        const swapBefore = lib.filter((m) => m.tier === 'swap').reduce((s, m) => s + m.footprintBytes, 0);
        expect(swapAfter).toBeLessThanOrEqual(Math.max(budget.swapBudgetBytes, swapBefore));
        for (const mv of p.moves) {
          const before = lib.find((m) => m.name === mv.model)!;
          if (mv.model !== t.name) {
            expect(before.pinned).toBe(false);
            expect(before.serving).toBe(0);
          }
        }
      }
    }
    expect(ok).toBeGreaterThan(50);
    expect(failed + ok).toBe(120);
  });
});
