import { describe, expect, it } from 'vitest';
import { GIB, model, syntheticLibrary } from '../../../test-support/tiers-models';
import { createPredictorState, predictorFor } from './predictor';
import { makeScorer, select } from './selection';
import type { Limits } from './types';

const predictor = predictorFor(createPredictorState());
const limits: Limits = { ramBudgetBytes: 9 * GIB, swapBudgetBytes: 0, safetyMarginBytes: GIB, swapSupported: false };

const lib = [
  model('fast-llm', { tier: 'hot', capabilities: ['text-generation'], quality: 0.4, speed: 0.95, footprintBytes: 2 * GIB }),
  model('smart-llm', { tier: 'hot', capabilities: ['text-generation', 'vision'], quality: 0.95, speed: 0.3, footprintBytes: 6 * GIB }),
  model('embedder', { tier: 'warm', capabilities: ['embedding'], quality: 0.7, speed: 0.9 }),
  model('whisper', { tier: 'cold', capabilities: ['asr'], quality: 0.8, speed: 0.6 }),
  model('giant', { tier: 'cold', capabilities: ['text-generation', 'vision'], quality: 1, speed: 1, footprintBytes: 20 * GIB }),
];

describe('auto selection', () => {
  it('follows the priority', () => {
    expect(select({ mode: 'auto', capabilities: ['text-generation'], priority: 'speed' }, lib, limits, predictor).model).toBe('fast-llm');
    expect(select({ mode: 'auto', capabilities: ['text-generation'], priority: 'quality' }, lib, limits, predictor).model).toBe('smart-llm');
  });

  it('requires every requested capability (case-insensitive) and skips models that can never fit', () => {
    const s = select({ mode: 'auto', capabilities: ['Text-Generation', 'vision'], priority: 'speed' }, lib, limits, predictor);
    expect(s.model).toBe('smart-llm'); // giant scores higher but can never fit a 9 GiB budget
    expect(s.candidates).toBe(1);
    expect(s.scores.map((x) => x.model)).toEqual(['smart-llm']);
  });

  it('says so when nothing offers the task', () => {
    expect(select({ mode: 'auto', capabilities: ['translation'] }, lib, limits, predictor)).toEqual({
      ok: false,
      reason: 'No model that can fit the RAM budget offers translation.',
      scores: [],
      candidates: 0,
    });
  });

  it('prefers a hot model to an equal cold one, and penalises the predicted wake time', () => {
    const twins = [model('cold-twin', { tier: 'cold', quality: 0.8, speed: 0.8 }), model('hot-twin', { tier: 'hot', quality: 0.8, speed: 0.8 })];
    const s = select({ mode: 'auto', capabilities: ['text-generation'] }, twins, limits, predictor);
    expect(s.model).toBe('hot-twin');
    const [hot, cold] = s.scores;
    expect(hot!.hotBonus).toBeGreaterThan(0);
    expect(cold!.wakeMs).toBeGreaterThan(1000);
    expect(cold!.wakePenalty).toBeGreaterThan(0);
    // A cold model good enough beats a weak hot one under quality, not under speed (the wake counts more there).
    const pair = [model('hot-weak', { tier: 'hot', quality: 0.5, speed: 0.5 }), model('cold-strong', { tier: 'cold', quality: 0.9, speed: 0.6, footprintBytes: 4 * GIB })];
    expect(select({ mode: 'auto', priority: 'quality' }, pair, limits, predictor).model).toBe('cold-strong');
    expect(select({ mode: 'auto', priority: 'speed' }, pair, limits, predictor).model).toBe('hot-weak');
  });

  it('returns the breakdown, each total = base + hot bonus − wake penalty, best first', () => {
    const s = select({ mode: 'auto', capabilities: ['text-generation'], priority: 'balanced' }, lib, limits, predictor);
    expect(s.scores.length).toBe(2);
    for (const b of s.scores) expect(b.total).toBeCloseTo(b.base + b.hotBonus - b.wakePenalty, 12);
    expect(s.scores[0]!.total).toBeGreaterThanOrEqual(s.scores[1]!.total);
    expect(s.reason).toMatch(/^\S+ scores best for text-generation with priority balanced: [\d.]+ = [\d.]+ \(quality [\d.]+, speed [\d.]+\) \+ [\d.]+ hot − [\d.]+ wake; it is hot\.$/);
    expect(s.wake).toEqual({ ms: 0, lowMs: 0, highMs: 0, samples: 0 });
  });
});

describe('manual selection', () => {
  it('takes the named model, noting a capability it does not list', () => {
    const s = select({ mode: 'manual', model: 'whisper', capabilities: ['text-generation'] }, lib, limits, predictor);
    expect(s.ok).toBe(true);
    expect(s.model).toBe('whisper');
    expect(s.reason).toMatch(/^whisper was chosen by name \(it does not list text-generation\); it is cold, about 1\.6 s from ready\.$/);
    expect(s.wake!.ms).toBeGreaterThan(1000);
  });
  it('refuses an unknown name and a model that can never fit', () => {
    expect(select({ mode: 'manual', model: 'nope' }, lib, limits, predictor)).toMatchObject({ ok: false, reason: 'No model named "nope" is in the library.' });
    const g = select({ mode: 'manual', model: 'giant' }, lib, limits, predictor);
    expect(g).toMatchObject({ ok: false, canNeverFit: true });
    expect(g.reason).toMatch(/^giant can never fit/);
  });
});

describe('hybrid selection', () => {
  it("keeps the user's pick when it can serve", () => {
    const s = select({ mode: 'hybrid', model: 'smart-llm', capabilities: ['text-generation'], priority: 'speed' }, lib, limits, predictor);
    expect(s.model).toBe('smart-llm');
    expect(s.fallbackFrom).toBeUndefined();
    expect(s.scores[0]!.model).toBe('smart-llm');
  });
  it('falls back to the best alternative, with the reason, when the pick lacks the capability', () => {
    const s = select({ mode: 'hybrid', model: 'whisper', capabilities: ['text-generation'], priority: 'speed' }, lib, limits, predictor);
    expect(s.ok).toBe(true);
    expect(s.model).toBe('fast-llm');
    expect(s.fallbackFrom).toBe('whisper');
    expect(s.reason).toMatch(/^The pick cannot serve \(whisper does not offer text-generation\); instead fast-llm scores best for text-generation/);
  });
  it('falls back when the pick can never fit, or is unknown', () => {
    const g = select({ mode: 'hybrid', model: 'giant', capabilities: ['vision'] }, lib, limits, predictor);
    expect(g.model).toBe('smart-llm');
    expect(g.reason).toMatch(/^The pick cannot serve \(giant can never fit: .+ even with every other model evicted\); instead smart-llm/);
    const u = select({ mode: 'hybrid', model: 'nope', capabilities: ['asr'] }, lib, limits, predictor);
    expect(u.model).toBe('whisper');
    expect(u.reason).toMatch(/^The pick cannot serve \(no model named "nope" is in the library\); instead whisper/);
  });
  it('is auto when nothing was picked', () => {
    const s = select({ mode: 'hybrid', capabilities: ['embedding'] }, lib, limits, predictor);
    expect(s).toMatchObject({ ok: true, model: 'embedder' });
    expect(s.fallbackFrom).toBeUndefined();
    expect(s.reason).toMatch(/^embedder scores best for embedding/);
  });
  it('says why when neither the pick nor any alternative can serve', () => {
    const s = select({ mode: 'hybrid', model: 'whisper', capabilities: ['translation'] }, lib, limits, predictor);
    expect(s).toMatchObject({ ok: false, fallbackFrom: 'whisper' });
    expect(s.reason).toBe('The pick cannot serve (whisper does not offer translation), and no model that can fit the RAM budget offers translation.');
  });
});

describe('selection over 200 models', () => {
  it('agrees with an exhaustive search', () => {
    const big: Limits = { ramBudgetBytes: 64 * GIB, swapBudgetBytes: 0, safetyMarginBytes: GIB, swapSupported: false };
    for (const seed of [1, 2, 3, 4]) {
      const models = syntheticLibrary(200, seed, 1_700_000_000_000, 60 * GIB);
      for (const priority of ['speed', 'quality', 'balanced'] as const) {
        for (const caps of [['text-generation'], ['embedding', 'asr'], []]) {
          const s = select({ mode: 'auto', capabilities: caps, priority }, models, big, predictor);
          const score = makeScorer(priority, predictor);
          const all = models
            .filter((m) => caps.every((c) => m.capabilities.includes(c)))
            .map(score)
            .sort((a, b) => b.total - a.total);
          expect(s.candidates).toBe(all.length);
          expect(s.model).toBe(all[0]?.model);
          expect(s.scores.map((x) => x.total)).toEqual(all.slice(0, 5).map((x) => x.total));
        }
      }
    }
  });
});
