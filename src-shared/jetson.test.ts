import { describe, expect, it } from 'vitest';
import { formatJetsonCores, formatTotalPower } from './jetson';

describe('Jetson wording', () => {
  it('says whether the board total is an input rail or a sum of rails', () => {
    expect(formatTotalPower({ totalPowerMw: 87426, totalPowerSource: 'input-rail', totalPowerRail: 'VIN' })).toBe('87426 mW (input rail VIN)');
    expect(formatTotalPower({ totalPowerMw: 7632, totalPowerSource: 'sum-of-rails', totalPowerRail: null })).toBe('7632 mW (sum of rails)');
    expect(formatTotalPower({ totalPowerMw: null, totalPowerSource: null, totalPowerRail: null })).toBe('—');
  });

  it('shows cores that are off as off, never 0 %', () => {
    expect(formatJetsonCores([{ percent: 12, mhz: 1479 }, { percent: null, mhz: null }, { percent: 0, mhz: 1479 }])).toEqual(['12 %', 'off', '0 %']);
  });
});
