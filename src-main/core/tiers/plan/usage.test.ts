import { describe, expect, it } from 'vitest';
import { decayedScore, recordUse, useProbability, usageNow } from './usage';

const HL = 60_000;

describe('decayed usage', () => {
  it('halves every half-life', () => {
    expect(decayedScore(8, 1000, 1000 + HL, HL)).toBeCloseTo(4, 12);
    expect(decayedScore(8, 1000, 1000 + 3 * HL, HL)).toBeCloseTo(1, 12);
    expect(decayedScore(8, 1000, 1000, HL)).toBe(8);
  });

  it('does not grow when the clock goes backwards, and an empty score stays 0', () => {
    expect(decayedScore(3, 5000, 4000, HL)).toBe(3);
    expect(decayedScore(0, 0, 1e12, HL)).toBe(0);
  });

  it('adds one per request on top of the decayed score', () => {
    let u = { usageScore: 0, lastUsedAt: 0 };
    u = recordUse(u, 1_000_000, HL);
    expect(u).toEqual({ usageScore: 1, lastUsedAt: 1_000_000 });
    u = recordUse(u, 1_000_000 + HL, HL);
    expect(u.usageScore).toBeCloseTo(1.5, 12);
    expect(usageNow(u, 1_000_000 + 2 * HL, HL)).toBeCloseTo(0.75, 12);
  });

  it('counts a late request at its own time without moving lastUsedAt back', () => {
    const u = recordUse({ usageScore: 1, lastUsedAt: 2 * HL }, HL, HL);
    expect(u.lastUsedAt).toBe(2 * HL);
    expect(u.usageScore).toBeCloseTo(1.5, 12);
  });

  it('converges to rate × half-life ÷ ln 2 under a steady rate, which useProbability turns back into the rate', () => {
    let u = { usageScore: 0, lastUsedAt: 0 };
    const every = 6_000; // 10 requests per half-life
    for (let t = every; t <= 50 * HL; t += every) u = recordUse(u, t, HL);
    const expected = (1 / every) * (HL / Math.LN2);
    expect(u.usageScore).toBeGreaterThan(expected * 0.95);
    expect(u.usageScore).toBeLessThan(expected * 1.1);
    // P(≥ 1 request within one interval) for a Poisson process at that rate is 1 − 1/e.
    expect(useProbability(u.usageScore, every, HL)).toBeCloseTo(1 - Math.exp(-1), 1);
  });

  it('gives a probability that rises with the score and the horizon and stays in [0, 1]', () => {
    expect(useProbability(0, 60_000, HL)).toBe(0);
    expect(useProbability(1, 60_000, HL)).toBeLessThan(useProbability(2, 60_000, HL));
    expect(useProbability(1, 60_000, HL)).toBeLessThan(useProbability(1, 120_000, HL));
    expect(useProbability(1e9, 60_000, HL)).toBeLessThanOrEqual(1);
  });
});
