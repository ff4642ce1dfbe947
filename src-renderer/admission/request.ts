// What the launch form (or a one-click launch) asks admission to preview: the parts of a launch
// request that admission counts, taken from the same request the launch would send.
import type { LaunchInput, RequestInput } from '@shared/contract';

/** The input of `admission.check` (src-shared/contract/admission.ts). */
export type CheckInput = RequestInput<'admission.check'>;

/** Launch fields admission counts; a field the form marks invalid is left out (the check would refuse the whole request). */
const COUNTED = ['memory', 'cpus', 'gpus', 'image'] as const;

/** What a caller knows of a launch's pull (a catalog plan: `pulled`, and the compressed download size); absent: unknown. */
export interface PullKnown {
  imagePresent: boolean;
  /** Compressed bytes the pull downloads; null or absent when unknown. */
  pullBytes?: number | null;
}

/**
 * A launch request → the `admission.check` input previewing it: engine, project, memory, CPUs,
 * GPUs and image as the launch would send them (strings as typed: "16g", "500m", "all"), and what
 * the caller knows of the pull (a catalog plan: the image present, or its download size in whole
 * bytes). `invalid` names the fields the form currently refuses: they are left out, so the preview
 * follows the rest; an invalid project falls back to "default".
 */
export function checkFromLaunch(input: LaunchInput, invalid: ReadonlySet<string> = new Set(), pull?: PullKnown): CheckInput {
  const out: CheckInput = { project: !invalid.has('project') && input.project ? input.project : 'default' };
  if (input.engine) out.engine = input.engine;
  for (const k of COUNTED) {
    const v = input[k];
    if (typeof v === 'string' && v.trim() && !invalid.has(k)) out[k] = v.trim();
  }
  if (pull) {
    out.imagePresent = pull.imagePresent;
    const n = pull.pullBytes;
    if (!pull.imagePresent && typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) out.pullBytes = n;
  }
  return out;
}

/** One string per distinct check input (key order fixed), so an unchanged request is not checked again. */
export function checkKey(c: CheckInput): string {
  return JSON.stringify(Object.keys(c).sort().map((k) => [k, c[k as keyof CheckInput]]));
}
