import { describe, expect, it } from 'vitest';
import { GIB, model } from '../../../test-support/tiers-models';
import { neverFitsReason, ramUsedBytes, swapUsedBytes } from './budget';

describe('memory accounting', () => {
  const lib = [
    model('h', { tier: 'hot', footprintBytes: 3 * GIB }),
    model('w', { tier: 'warm', footprintBytes: 2 * GIB }),
    model('s', { tier: 'swap', footprintBytes: 5 * GIB }),
    model('c', { tier: 'cold', footprintBytes: 7 * GIB }),
  ];
  it('counts hot and warm in the RAM tier, swap in the swap tier, cold nowhere', () => {
    expect(ramUsedBytes(lib)).toBe(5 * GIB);
    expect(swapUsedBytes(lib)).toBe(5 * GIB);
  });
  it('says when a footprint plus the margin exceeds the RAM budget, and says nothing at the boundary', () => {
    const limits = { ramBudgetBytes: 8 * GIB, swapBudgetBytes: 0, safetyMarginBytes: GIB, swapSupported: false };
    expect(neverFitsReason(model('x', { footprintBytes: 7 * GIB }), limits)).toBeNull();
    expect(neverFitsReason(model('x', { footprintBytes: 7 * GIB + 1, measured: false }), limits)).toBe(
      'x can never fit: its declared footprint of 7.0 GiB plus the 1.0 GiB safety margin exceeds the RAM budget of 8.0 GiB, even with every other model evicted.',
    );
  });
});
