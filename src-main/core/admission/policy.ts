// The admission policy: the stored row read back through the contract's schema (an unreadable row is
// told once and the defaults stand, as with settings), a patch merged into it, and the sentence that
// journals what a change did to the modes.
import { ADMISSION_CHECK_IDS, admissionPolicySchema, DEFAULT_ADMISSION_POLICY, type AdmissionPolicy, type AdmissionPolicyPatch, type AdmissionPolicySettings } from '@shared/contract';
import type { StoredPolicy } from '../store/admission';

/** The policy a stored row holds; `problem` says why the defaults stand instead (the row is kept until saved again). */
export function readPolicy(row: StoredPolicy | undefined): { policy: AdmissionPolicy; problem: string | null } {
  if (!row) return { policy: { ...DEFAULT_ADMISSION_POLICY, updatedAt: null, updatedBy: null }, problem: null };
  let problem: string;
  try {
    const parsed = admissionPolicySchema.safeParse(JSON.parse(row.policy));
    if (parsed.success) return { policy: { ...parsed.data, updatedAt: row.updatedAt, updatedBy: row.updatedBy }, problem: null };
    problem = parsed.error.issues.map((i) => `${i.path.join('.') || 'policy'}: ${i.message}`).join('; ');
  } catch (e) {
    problem = `not valid JSON (${(e as Error).message})`;
  }
  return { policy: { ...DEFAULT_ADMISSION_POLICY, updatedAt: null, updatedBy: null }, problem };
}

/** `current` with `patch` applied (a check's mode set to null drops its override). */
export function applyPatch(current: AdmissionPolicySettings, patch: AdmissionPolicyPatch): AdmissionPolicySettings {
  const checks = { ...current.checks };
  for (const [id, mode] of Object.entries(patch.checks ?? {}) as [keyof typeof checks, AdmissionPolicySettings['mode'] | null][]) {
    if (mode === null) delete checks[id];
    else checks[id] = mode;
  }
  return admissionPolicySchema.parse({
    mode: patch.mode ?? current.mode,
    checks,
    unknown: patch.unknown ?? current.unknown,
    thresholds: { ...current.thresholds, ...patch.thresholds },
  });
}

/** The mode changes from `before` to `after` in words ("mode enforce → audit; gpu_memory: (policy) → dry_run"); empty when none. */
export function modeChanges(before: AdmissionPolicySettings, after: AdmissionPolicySettings): string[] {
  const out: string[] = [];
  if (before.mode !== after.mode) out.push(`mode ${before.mode} → ${after.mode}`);
  for (const id of ADMISSION_CHECK_IDS) {
    const a = before.checks[id];
    const b = after.checks[id];
    if (a !== b) out.push(`${id}: ${a ?? '(policy)'} → ${b ?? '(policy)'}`);
  }
  if (before.unknown !== after.unknown) out.push(`unknown figures: ${before.unknown} → ${after.unknown}`);
  return out;
}

/** The policy without its bookkeeping, as stored and as decide() reads it. */
export const settingsOf = (p: AdmissionPolicy): AdmissionPolicySettings => ({ mode: p.mode, checks: p.checks, unknown: p.unknown, thresholds: p.thresholds });
