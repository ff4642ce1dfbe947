import { describe, expect, it } from 'vitest';
import { applyMoves, GIB, model, ramOf, syntheticLibrary } from '../../../test-support/tiers-models';
import { planEnsure } from './evictions';
import { planOptimise, type OptimiseOptions } from './optimiser';
import { createPredictorState, predictorFor } from './predictor';
import type { Limits, ModelState } from './types';
import { recordUse } from './usage';

const predictor = predictorFor(createPredictorState());
const HL = 30 * 60_000;
const NOW = 1_700_000_000_000;
const LONG_AGO = NOW - 24 * 3_600_000;
/** Room for two 4 GiB models. */
const limits: Limits = { ramBudgetBytes: 9 * GIB, swapBudgetBytes: 0, safetyMarginBytes: GIB, swapSupported: false };
const opts = (over: Partial<OptimiseOptions> = {}): OptimiseOptions => ({ now: NOW, halfLifeMs: HL, ...over });
const m4 = (name: string, over: Partial<ModelState> = {}) => model(name, { footprintBytes: 4 * GIB, enteredTierAt: LONG_AGO, ...over });
const step = (p: { moves: { model: string; from: string; to: string }[] }) => p.moves.map((m) => `${m.model}:${m.from}>${m.to}`);

describe('planOptimise: placement', () => {
  it('keeps the most-used models in the RAM tier and the rest cold, demotions first', () => {
    const lib = [
      m4('a', { tier: 'cold', usageScore: 5, lastUsedAt: NOW }),
      m4('b', { tier: 'hot', usageScore: 0.6, lastUsedAt: NOW }),
      m4('c', { tier: 'hot', usageScore: 3, lastUsedAt: NOW }),
    ];
    const p = planOptimise(lib, limits, opts());
    expect(step(p)).toEqual(['b:hot>cold', 'a:cold>hot']);
    expect(p.wanted).toEqual({ a: 'hot', b: 'cold', c: 'hot' });
    expect(p.moves[1]!.reason).toBe('a is promoted to hot: decayed usage 5.00 (half-life 30.0 min).');
    expect(p.moves[0]!.reason).toBe('b is demoted to cold: more-used models fill the RAM tier; decayed usage 0.60 (half-life 30.0 min).');
  });

  it('pauses an idle hot model (warm) and stops one unused for long (cold) while room is left', () => {
    const lib = [
      m4('quiet', { tier: 'hot', usageScore: 1, lastUsedAt: NOW - 2 * HL }), // 0.25 now: below the hot score
      m4('gone', { tier: 'warm', usageScore: 1, lastUsedAt: NOW - 6 * HL }), // 0.016: below the keep score
    ];
    const p = planOptimise(lib, limits, opts());
    // Demotions into cold run first: they need no room anywhere.
    expect(step(p)).toEqual(['gone:warm>cold', 'quiet:hot>warm']);
    expect(p.moves[0]!.reason).toMatch(/^gone is demoted to cold: idle/);
    expect(p.moves[1]!.reason).toMatch(/^quiet is paused: idle/);
  });

  it('does not start a model nobody has asked for lately, even with room', () => {
    const p = planOptimise([m4('x', { tier: 'cold', usageScore: 0.3, lastUsedAt: NOW })], limits, opts());
    expect(p.moves).toEqual([]);
    expect(p.reason).toBe('The placement already matches usage.');
  });

  it('never moves a pinned model or one serving a request, and counts their memory', () => {
    const lib = [
      m4('pin', { tier: 'hot', pinned: true }),
      m4('busy', { tier: 'hot', serving: 3 }),
      m4('wanted', { tier: 'cold', usageScore: 50, lastUsedAt: NOW }),
    ];
    const p = planOptimise(lib, limits, opts());
    expect(p.moves).toEqual([]);
    expect(p.wanted).toEqual({ pin: 'hot', busy: 'hot', wanted: 'cold' });
  });

  it('leaves a model alone inside its minimum residency', () => {
    const lib = [m4('a', { tier: 'hot', enteredTierAt: NOW - 60_000 }), m4('b', { tier: 'cold', usageScore: 9, lastUsedAt: NOW }), m4('c', { tier: 'hot', usageScore: 9, lastUsedAt: NOW })];
    expect(planOptimise(lib, limits, opts({ minResidencyMs: 5 * 60_000 })).moves).toEqual([]);
    expect(step(planOptimise(lib, limits, opts({ minResidencyMs: 30_000 })))).toEqual(['a:hot>cold', 'b:cold>hot']);
  });

  it('plans nothing during the cool-down after a move', () => {
    const lib = [m4('b', { tier: 'cold', usageScore: 9, lastUsedAt: NOW })];
    const p = planOptimise(lib, limits, opts({ lastMoveAt: NOW - 10_000, cooldownMs: 60_000 }));
    expect(p.moves).toEqual([]);
    expect(p.reason).toBe('In the cool-down: the last move was 10.0 s ago, under 1.0 min.');
    expect(step(planOptimise(lib, limits, opts({ lastMoveAt: NOW - 61_000, cooldownMs: 60_000 })))).toEqual(['b:cold>hot']);
  });

  it('keeps a challenger out until its usage beats the incumbent by the hysteresis factor', () => {
    const lib = (challenger: number) => [
      m4('inc', { tier: 'hot', usageScore: 2, lastUsedAt: NOW }),
      m4('top', { tier: 'hot', usageScore: 10, lastUsedAt: NOW }),
      m4('new', { tier: 'cold', usageScore: challenger, lastUsedAt: NOW }),
    ];
    expect(planOptimise(lib(2.9), limits, opts({ hysteresis: 0.5 })).moves).toEqual([]);
    expect(step(planOptimise(lib(3.1), limits, opts({ hysteresis: 0.5 })))).toEqual(['inc:hot>cold', 'new:cold>hot']);
  });

  it('uses swap for what does not fit in RAM when the host supports it', () => {
    const withSwap = { ...limits, swapBudgetBytes: 4 * GIB, swapSupported: true };
    const lib = [m4('a', { tier: 'hot', usageScore: 9, lastUsedAt: NOW }), m4('b', { tier: 'hot', usageScore: 8, lastUsedAt: NOW }), m4('c', { tier: 'hot', usageScore: 1, lastUsedAt: NOW })];
    expect(step(planOptimise(lib, withSwap, opts()))).toEqual(['c:hot>swap']);
    expect(step(planOptimise(lib, limits, opts()))).toEqual(['c:hot>cold']);
  });

  it('brings a model out of swap hot, never warm: paused, its pages would stay out (they come back only as it runs)', () => {
    const withSwap = { ...limits, swapBudgetBytes: 8 * GIB, swapSupported: true };
    // Usage 0.6: enough to come back into RAM (promoteScore 0.5), not enough to be hot (hotScore 0.8) — warm from cold.
    expect(step(planOptimise([m4('s', { tier: 'swap', usageScore: 0.6, lastUsedAt: NOW })], withSwap, opts()))).toEqual(['s:swap>hot']);
    expect(step(planOptimise([m4('c', { tier: 'cold', usageScore: 0.6, lastUsedAt: NOW })], withSwap, opts()))).toEqual(['c:cold>warm']);
    expect(step(planOptimise([m4('p', { tier: 'swap', preferredTier: 'warm' })], withSwap, opts()))).toEqual(['p:swap>hot']);
    expect(step(planOptimise([m4('p', { tier: 'cold', preferredTier: 'warm' })], withSwap, opts()))).toEqual(['p:cold>warm']);
  });

  it("places a model in its preferred tier first when it fits", () => {
    const lib = [m4('fav', { tier: 'cold', preferredTier: 'warm' }), m4('a', { tier: 'hot', usageScore: 9, lastUsedAt: NOW }), m4('b', { tier: 'hot', usageScore: 8, lastUsedAt: NOW })];
    expect(step(planOptimise(lib, limits, opts()))).toEqual(['b:hot>cold', 'fav:cold>warm']);
  });
});

describe('planOptimise: no thrashing', () => {
  /**
   * A timeline: every `stepMs` one request for the next model of `pattern`; a request for a model
   * that is not hot goes through planEnsure (as the proxy does), then the optimiser runs. Counts moves.
   */
  function simulate(pattern: string, stepMs: number, steps: number, optimiser: Partial<OptimiseOptions> | null, ensure = true) {
    let lib: ModelState[] = ['A', 'B', 'C'].map((n) => model(n, { footprintBytes: 4 * GIB }));
    let now = NOW;
    let lastMoveAt: number | undefined;
    let ensureMoves = 0;
    let optimiserMoves = 0;
    let maxRam = 0;
    for (let i = 0; i < steps; i++) {
      now += stepMs;
      const name = pattern[i % pattern.length]!;
      lib = lib.map((m) => (m.name === name ? { ...m, ...recordUse(m, now, HL) } : m));
      if (ensure) {
        const p = planEnsure(name, lib, limits, predictor, { now, halfLifeMs: HL });
        expect(p.ok).toBe(true);
        if (p.moves.length) {
          lib = applyMoves(lib, p.moves, now);
          ensureMoves += p.moves.length;
          lastMoveAt = now;
        }
      }
      if (optimiser) {
        const o = planOptimise(lib, limits, { now, halfLifeMs: HL, lastMoveAt, ...optimiser });
        if (o.moves.length) {
          lib = applyMoves(lib, o.moves, now);
          optimiserMoves += o.moves.length;
          lastMoveAt = now;
        }
      }
      maxRam = Math.max(maxRam, ramOf(lib));
    }
    return { ensureMoves, optimiserMoves, maxRam };
  }
  const noHysteresis = { minResidencyMs: 0, cooldownMs: 0, hysteresis: 0 };

  it('the optimiser alone settles under round-robin use of three models with a budget for two', () => {
    for (const stepMs of [5_000, 30_000, 120_000]) {
      const on = simulate('ABC', stepMs, 360, {}, false);
      expect(on.optimiserMoves).toBeLessThanOrEqual(2); // bringing two models in, then nothing
      expect(on.maxRam + limits.safetyMarginBytes).toBeLessThanOrEqual(limits.ramBudgetBytes);
      // Without hysteresis the same timeline thrashes: the check above can fail.
      expect(simulate('ABC', stepMs, 360, noHysteresis, false).optimiserMoves).toBeGreaterThan(300);
    }
  });

  it('with ensure() serving the requests, the optimiser adds no moves to those the demand forces', () => {
    for (const pattern of ['ABC', 'ABAC', 'ABABAC', 'ABBBC']) {
      for (const stepMs of [5_000, 30_000, 120_000]) {
        const demandOnly = simulate(pattern, stepMs, 360, null);
        const withOptimiser = simulate(pattern, stepMs, 360, {});
        expect(withOptimiser.optimiserMoves).toBeLessThanOrEqual(2);
        expect(withOptimiser.ensureMoves + withOptimiser.optimiserMoves).toBeLessThanOrEqual(demandOnly.ensureMoves + 2);
        expect(withOptimiser.maxRam + limits.safetyMarginBytes).toBeLessThanOrEqual(limits.ramBudgetBytes);
      }
    }
    // Without hysteresis it fights ensure() under this pattern, moving back what ensure() just moved.
    expect(simulate('ABABAC', 30_000, 360, noHysteresis).optimiserMoves).toBeGreaterThan(100);
  });

  it('still follows a real shift in use', () => {
    let lib: ModelState[] = [m4('A', { tier: 'hot', usageScore: 3, lastUsedAt: NOW }), m4('B', { tier: 'hot', usageScore: 3, lastUsedAt: NOW }), m4('C', { tier: 'cold' })];
    let now = NOW;
    let lastMoveAt: number | undefined;
    const use = (name: string) => (lib = lib.map((m) => (m.name === name ? { ...m, ...recordUse(m, now, HL) } : m)));
    const optimise = () => {
      const o = planOptimise(lib, limits, { now, halfLifeMs: HL, lastMoveAt });
      if (o.moves.length) {
        lib = applyMoves(lib, o.moves, now);
        lastMoveAt = now;
      }
      return o.moves.length;
    };
    let moves = 0;
    for (let i = 0; i < 120; i++, now += 30_000) {
      use(i % 2 ? 'A' : 'B');
      moves += optimise();
    }
    expect(moves).toBe(0);
    // From now on A is no longer asked for; B and C are (C through another route, e.g. a batch job's usage import).
    for (let i = 0; i < 240; i++, now += 30_000) {
      use(i % 2 ? 'C' : 'B');
      moves += optimise();
    }
    expect(Object.fromEntries(lib.map((m) => [m.name, m.tier]))).toEqual({ A: 'cold', B: 'hot', C: 'hot' });
    expect(moves).toBe(2);
  });
});

describe('planOptimise over 200 models', () => {
  it('respects the budgets and never moves a pinned or serving model', () => {
    const budget: Limits = { ramBudgetBytes: 64 * GIB, swapBudgetBytes: 16 * GIB, safetyMarginBytes: GIB, swapSupported: true };
    for (const seed of [1, 2, 3, 4, 5]) {
      const lib = syntheticLibrary(200, seed, NOW, 60 * GIB);
      const residency = 10 * 60_000;
      const p = planOptimise(lib, budget, { now: NOW, halfLifeMs: HL, minResidencyMs: residency });
      const after = applyMoves(lib, p.moves, NOW);
      // Models that may not move keep their memory even where the budget has since shrunk below it.
      const frozen = lib.filter((m) => m.pinned || m.serving > 0 || NOW - m.enteredTierAt < residency);
      const bytesIn = (ms: ModelState[], tiers: string[]) => ms.filter((m) => tiers.includes(m.tier)).reduce((s, m) => s + m.footprintBytes, 0);
      expect(ramOf(after) + budget.safetyMarginBytes).toBeLessThanOrEqual(Math.max(budget.ramBudgetBytes, bytesIn(frozen, ['hot', 'warm']) + budget.safetyMarginBytes));
      expect(bytesIn(after, ['swap'])).toBeLessThanOrEqual(Math.max(budget.swapBudgetBytes, bytesIn(frozen, ['swap'])));
      for (const mv of p.moves) {
        const before = lib.find((m) => m.name === mv.model)!;
        expect(before.pinned || before.serving > 0).toBe(false);
        expect(NOW - before.enteredTierAt).toBeGreaterThanOrEqual(10 * 60_000);
      }
      expect(p.moves.length).toBeGreaterThan(0);
      // The wanted placement is a fixed point: with no residency holding anything back, planning again after applying it asks for nothing more.
      const free = planOptimise(lib, budget, { now: NOW, halfLifeMs: HL, minResidencyMs: 0 });
      expect(planOptimise(applyMoves(lib, free.moves, NOW), budget, { now: NOW, halfLifeMs: HL, minResidencyMs: 0 }).moves).toEqual([]);
    }
  });
});
