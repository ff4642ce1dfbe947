import { describe, expect, it } from 'vitest';
import { model } from './test-fixtures';
import { footprintText, formatDuration, formatPrediction, moveTargets, wakeText } from './format';

const noSwap = { supported: false, method: null, reason: 'this host has cgroup v1 and no swap space' };
const swap = { supported: true, method: 'memory.reclaim' as const, reason: 'cgroup v2 memory.reclaim' };

describe('tiers page words', () => {
  it('writes durations as people read them', () => {
    expect(formatDuration(40)).toBe('40 ms');
    expect(formatDuration(2500)).toBe('2.5 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
  });

  it('gives a prediction with its band, and says when no move has been measured yet', () => {
    expect(formatPrediction({ ms: 2500, lowMs: 1900, highMs: 3400, samples: 4 })).toBe('≈ 2.5 s (1.9 s–3.4 s)');
    expect(formatPrediction({ ms: 300, lowMs: 300, highMs: 300, samples: 0 })).toBe('≈ 300 ms, estimated before any measured move');
    expect(wakeText(model('m', { tier: 'hot' }))).toBe('ready now');
    expect(wakeText(model('m', { tier: 'warm', predictedWake: { ms: 12, lowMs: 8, highMs: 20, samples: 3 } }))).toBe('wakes in ≈ 12 ms (8 ms–20 ms)');
  });

  it('says whether a footprint was measured or only declared', () => {
    expect(footprintText(model('m'))).toBe('1.0 GiB declared');
    expect(footprintText(model('m', { measuredBytes: 1.5 * 1024 ** 3 }))).toBe('1.5 GiB measured');
  });

  it('offers every other tier, swap closed with the host’s reason where it cannot swap, nothing while a move is under way', () => {
    expect(moveTargets(model('m', { tier: 'hot' }), swap)).toEqual([{ tier: 'warm' }, { tier: 'swap' }, { tier: 'cold' }]);
    expect(moveTargets(model('m'), noSwap)).toEqual([
      { tier: 'hot' },
      { tier: 'warm' },
      { tier: 'swap', blocked: 'unsupported here: this host has cgroup v1 and no swap space' },
    ]);
    expect(moveTargets(model('m', { movingJobId: 'j1' }), swap).every((t) => t.blocked === 'a move of this model is under way')).toBe(true);
  });
});
