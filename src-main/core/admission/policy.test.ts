import { describe, expect, it } from 'vitest';
import { DEFAULT_ADMISSION_POLICY } from '@shared/contract';
import { admissionPolicyPatchSchema } from '@shared/contract/admission';
import { applyPatch, modeChanges, readPolicy } from './policy';

describe('the admission policy', () => {
  it('reads the defaults when nothing is stored, and says why when the stored row is unreadable', () => {
    expect(readPolicy(undefined)).toEqual({ policy: { ...DEFAULT_ADMISSION_POLICY, updatedAt: null, updatedBy: null }, problem: null });
    const bad = readPolicy({ policy: JSON.stringify({ ...DEFAULT_ADMISSION_POLICY, mode: 'yolo' }), updatedAt: 5, updatedBy: 'user' });
    expect(bad.policy.mode).toBe('enforce');
    expect(bad.problem).toMatch(/^mode: /);
    expect(readPolicy({ policy: '{', updatedAt: 5, updatedBy: 'cli' }).problem).toMatch(/^not valid JSON/);
    const good = readPolicy({ policy: JSON.stringify({ ...DEFAULT_ADMISSION_POLICY, mode: 'audit' }), updatedAt: 5, updatedBy: 'cli' });
    expect(good).toEqual({ policy: { ...DEFAULT_ADMISSION_POLICY, mode: 'audit', updatedAt: 5, updatedBy: 'cli' }, problem: null });
  });

  it('applies a patch: modes, per-check overrides (null drops one), thresholds', () => {
    const a = applyPatch(DEFAULT_ADMISSION_POLICY, { mode: 'dry_run', checks: { gpu_memory: 'audit', load: 'audit' }, thresholds: { memoryMaxPercent: 80 } });
    expect(a).toMatchObject({ mode: 'dry_run', checks: { gpu_memory: 'audit', load: 'audit' }, thresholds: { memoryMaxPercent: 80, cpuMaxPercent: 90 } });
    const b = applyPatch(a, { checks: { load: null } });
    expect(b.checks).toEqual({ gpu_memory: 'audit' });
    expect(modeChanges(DEFAULT_ADMISSION_POLICY, a)).toEqual(['mode enforce → dry_run', 'load: (policy) → audit', 'gpu_memory: (policy) → audit']);
    expect(modeChanges(a, a)).toEqual([]);
  });

  it('refuses thresholds outside their bounds at the boundary, with the field named', () => {
    const cases: [unknown, string][] = [
      [{ thresholds: { memoryMaxPercent: 101 } }, 'thresholds.memoryMaxPercent'],
      [{ thresholds: { cpuMaxPercent: -1 } }, 'thresholds.cpuMaxPercent'],
      [{ thresholds: { defaultMemoryBytes: 0 } }, 'thresholds.defaultMemoryBytes'],
      [{ thresholds: { reservationTtlSeconds: 5 } }, 'thresholds.reservationTtlSeconds'],
      [{ mode: 'off' }, 'mode'],
      [{ checks: { nope: 'audit' } }, 'checks'],
    ];
    for (const [patch, field] of cases) {
      const r = admissionPolicyPatchSchema.safeParse(patch);
      expect(r.success, JSON.stringify(patch)).toBe(false);
      expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(field);
    }
    expect(admissionPolicyPatchSchema.safeParse({ thresholds: { memoryMaxPercent: 0 } }).success).toBe(true);
  });
});
