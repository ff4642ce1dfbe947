import { describe, expect, it } from 'vitest';
import { limitsForm, limitsPatch } from './limits-form';

const GiB = 1024 ** 3;
const limits = { ramBudgetBytes: 16 * GiB, swapBudgetBytes: 0, safetyMarginBytes: GiB, idleDemoteSeconds: 600, maxRamBudgetBytes: 28 * GiB };

describe('tier limits form', () => {
  it('shows sizes exactly and patches nothing when untouched', () => {
    const f = limitsForm(limits);
    expect(f).toEqual({ ramBudgetBytes: '16g', swapBudgetBytes: '0', safetyMarginBytes: '1g', idleDemoteSeconds: '600' });
    expect(limitsPatch(f, f)).toEqual({ patch: {}, errors: {} });
  });

  it('patches the fields changed: sizes in bytes, zero allowed, blank idle time as never', () => {
    const initial = limitsForm(limits);
    expect(limitsPatch({ ...initial, ramBudgetBytes: '12g', safetyMarginBytes: '0', idleDemoteSeconds: '' }, initial)).toEqual({
      patch: { ramBudgetBytes: 12 * GiB, safetyMarginBytes: 0, idleDemoteSeconds: null },
      errors: {},
    });
  });

  it('refuses sizes that are not sizes and idle times out of range', () => {
    const initial = limitsForm(limits);
    const { errors } = limitsPatch({ ...initial, swapBudgetBytes: 'lots', idleDemoteSeconds: '5' }, initial);
    expect(errors.swapBudgetBytes).toContain('"lots" is not a size');
    expect(errors.idleDemoteSeconds).toMatch(/10/);
    expect(limitsPatch({ ...initial, idleDemoteSeconds: 'soon' }, initial).errors.idleDemoteSeconds).toBe('"soon" is not a whole number of seconds');
  });
});
