// The tier limits editor: the limits → form strings, and back to a `tiers.setLimits` patch of what
// changed, validated by the contract's own schema (sizes as the launch form writes them: 8g, 512m).
import type { z } from 'zod';
import type { TierLimits } from '@shared/contract';
import { limitsPatchSchema } from '@shared/contract/tiers';
import { parseBytes } from '@shared/units';
import { sizeText } from '../admission/policy-form';
import { errorText } from '../docker/format';

export type LimitsField = 'ramBudgetBytes' | 'swapBudgetBytes' | 'safetyMarginBytes' | 'idleDemoteSeconds';
export type LimitsForm = Record<LimitsField, string>;
export type LimitsPatch = z.input<typeof limitsPatchSchema>;

const SIZES = ['ramBudgetBytes', 'swapBudgetBytes', 'safetyMarginBytes'] as const;

/** Limits → the form: sizes exact ("8g"), the idle time in seconds, blank for "never demote". */
export function limitsForm(l: TierLimits): LimitsForm {
  return {
    ramBudgetBytes: sizeText(l.ramBudgetBytes),
    swapBudgetBytes: sizeText(l.swapBudgetBytes),
    safetyMarginBytes: sizeText(l.safetyMarginBytes),
    idleDemoteSeconds: l.idleDemoteSeconds === null ? '' : String(l.idleDemoteSeconds),
  };
}

/**
 * The form → the patch of the fields changed from `initial` (the form as it was loaded): sizes in
 * bytes, read by the shared size parser ("0" allowed: a budget of nothing), the idle time
 * as a whole number of seconds or null when blank; one message per field the schema refuses.
 */
export function limitsPatch(form: LimitsForm, initial: LimitsForm): { patch: LimitsPatch; errors: Partial<Record<LimitsField, string>> } {
  const errors: Partial<Record<LimitsField, string>> = {};
  const patch: LimitsPatch = {};
  for (const k of SIZES) {
    const t = form[k].trim();
    if (t === initial[k].trim()) continue;
    // Parsed here by the same parser: the schema's number-or-text union would only say "Invalid input".
    if (/^0+$/.test(t)) patch[k] = 0;
    else
      try {
        patch[k] = parseBytes(t);
      } catch (e) {
        errors[k] = errorText(e);
      }
  }
  const idle = form.idleDemoteSeconds.trim();
  if (idle !== initial.idleDemoteSeconds.trim()) {
    if (idle === '') patch.idleDemoteSeconds = null;
    else if (/^\d+$/.test(idle)) patch.idleDemoteSeconds = Number(idle);
    else errors.idleDemoteSeconds = `"${idle}" is not a whole number of seconds`;
  }
  const r = limitsPatchSchema.safeParse(patch);
  if (!r.success) {
    for (const i of r.error.issues) {
      const k = String(i.path[0]) as LimitsField;
      if (!errors[k]) errors[k] = i.message;
    }
  }
  return { patch, errors };
}
