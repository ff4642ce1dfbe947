import { describe, expect, it } from 'vitest';
import { DEFAULT_ADMISSION_POLICY } from '@shared/contract';
import { policyForm, policyPatch, sizeText } from './policy-form';

const GiB = 1024 ** 3;

describe('admission policy form', () => {
  it('writes sizes exactly, in the largest unit that divides them', () => {
    expect(sizeText(4 * GiB)).toBe('4g');
    expect(sizeText(1536 * 1024 ** 2)).toBe('1536m');
    expect(sizeText(2 * 1024 ** 4)).toBe('2t');
    expect(sizeText(1000)).toBe('1000');
    expect(sizeText(0)).toBe('0');
  });

  it('round-trips the stored policy: an untouched form patches nothing', () => {
    const form = policyForm(DEFAULT_ADMISSION_POLICY);
    expect(form.thresholds.memoryMinFreeBytes).toBe('4g');
    expect(form.thresholds.memoryMaxPercent).toBe('85');
    expect(form.checks.memory_percent).toBe('');
    expect(policyPatch(form, DEFAULT_ADMISSION_POLICY)).toEqual({ patch: {}, errors: {} });
  });

  it('patches only what changed: mode, a check’s own mode, thresholds typed as sizes', () => {
    const form = policyForm(DEFAULT_ADMISSION_POLICY);
    form.mode = 'dry_run';
    form.checks.load = 'audit';
    form.thresholds.memoryMaxPercent = '90';
    form.thresholds.memoryMinFreeBytes = '6GiB';
    form.thresholds.diskMarginBytes = '0';
    expect(policyPatch(form, DEFAULT_ADMISSION_POLICY)).toEqual({
      patch: { mode: 'dry_run', checks: { load: 'audit' }, thresholds: { memoryMaxPercent: 90, memoryMinFreeBytes: 6 * GiB, diskMarginBytes: 0 } },
      errors: {},
    });
  });

  it('drops a check’s override when set back to the policy’s mode', () => {
    const current = { ...DEFAULT_ADMISSION_POLICY, checks: { gpu_memory: 'audit' as const } };
    const form = policyForm(current);
    expect(form.checks.gpu_memory).toBe('audit');
    form.checks.gpu_memory = '';
    expect(policyPatch(form, current).patch).toEqual({ checks: { gpu_memory: null } });
  });

  it('refuses thresholds out of range or not numbers, in one sentence each', () => {
    const form = policyForm(DEFAULT_ADMISSION_POLICY);
    form.thresholds.memoryMaxPercent = '150';
    form.thresholds.cpuMaxPercent = 'high';
    form.thresholds.memoryMinFreeBytes = 'lots';
    form.thresholds.cpuWindowSeconds = '0';
    const { errors } = policyPatch(form, DEFAULT_ADMISSION_POLICY);
    expect(Object.keys(errors).sort()).toEqual(['cpuMaxPercent', 'cpuWindowSeconds', 'memoryMaxPercent', 'memoryMinFreeBytes']);
    expect(errors.cpuMaxPercent).toBe('"high" is not a number');
    expect(errors.memoryMinFreeBytes).toContain('"lots" is not a size');
    expect(errors.memoryMaxPercent).toMatch(/100/);
  });
});
