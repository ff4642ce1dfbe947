// The Settings form of the admission policy: the stored policy → form strings, and the strings back
// to an `admission.setPolicy` patch of what changed, validated by the contract's own schema.
import { ADMISSION_CHECK_IDS, type AdmissionCheckId, type AdmissionMode, type AdmissionPolicyPatch, type AdmissionPolicySettings, type AdmissionThresholds } from '@shared/contract';
import { admissionPolicyPatchSchema } from '@shared/contract/admission';
import { parseBytes } from '@shared/units';
import { errorText } from '../docker/format';

export type ThresholdKey = keyof AdmissionThresholds;
/** How a threshold is typed: a plain number, or a size such as 4g (bytes). */
type Kind = 'number' | 'bytes';

/** Every threshold, in the order the form shows them, with its label. */
export const THRESHOLD_FIELDS: readonly (readonly [ThresholdKey, string, Kind])[] = [
  ['memoryMaxPercent', 'Memory in use after a launch at most (%)', 'number'],
  ['memoryMinFreeBytes', 'Memory free after a launch at least (e.g. 4g)', 'bytes'],
  ['cpuMaxPercent', 'CPU busy at most (%)', 'number'],
  ['cpuWindowSeconds', 'CPU averaged over (s)', 'number'],
  ['loadMaxPerCore', 'Load average at most (× cores)', 'number'],
  ['gpuMemoryMarginMiB', 'Free GPU memory at least (MiB)', 'number'],
  ['diskMarginBytes', 'Free disk after a pull at least (e.g. 5g)', 'bytes'],
  ['defaultMemoryBytes', 'A launch without a memory limit counts as (e.g. 2g)', 'bytes'],
  ['reservationTtlSeconds', 'A reservation not settled expires after (s)', 'number'],
];

export interface PolicyForm {
  mode: AdmissionMode;
  unknown: AdmissionPolicySettings['unknown'];
  /** '' = the policy's mode. */
  checks: Record<AdmissionCheckId, '' | AdmissionMode>;
  thresholds: Record<ThresholdKey, string>;
}

const UNITS: [number, string][] = [
  [1024 ** 4, 't'],
  [1024 ** 3, 'g'],
  [1024 ** 2, 'm'],
  [1024, 'k'],
];
/** Bytes as the launch form writes sizes, exactly: 4294967296 → "4g", 1536 MiB → "1536m", 0 → "0". */
export function sizeText(bytes: number): string {
  for (const [n, u] of UNITS) if (bytes >= n && bytes % n === 0) return `${bytes / n}${u}`;
  return String(bytes);
}

export function policyForm(p: AdmissionPolicySettings): PolicyForm {
  return {
    mode: p.mode,
    unknown: p.unknown,
    checks: Object.fromEntries(ADMISSION_CHECK_IDS.map((id) => [id, p.checks[id] ?? ''])) as PolicyForm['checks'],
    thresholds: Object.fromEntries(THRESHOLD_FIELDS.map(([k, , kind]) => [k, kind === 'bytes' ? sizeText(p.thresholds[k]) : String(p.thresholds[k])])) as PolicyForm['thresholds'],
  };
}

/** A typed threshold → its number, or the reason it is not one. */
function readThreshold(text: string, kind: Kind): number | string {
  const t = text.trim();
  if (kind === 'bytes') {
    if (/^0+$/.test(t)) return 0; // a margin of nothing is allowed; parseBytes refuses zero sizes
    try {
      return parseBytes(t);
    } catch (e) {
      return errorText(e);
    }
  }
  const n = t === '' ? NaN : Number(t);
  return Number.isFinite(n) ? n : `"${text}" is not a number`;
}

/**
 * The form → the patch of what differs from `current` (modes, the unknown rule, per-check modes — ''
 * drops an override — and thresholds), with one message per field the contract's schema refuses.
 */
export function policyPatch(form: PolicyForm, current: AdmissionPolicySettings): { patch: AdmissionPolicyPatch; errors: Partial<Record<string, string>> } {
  const errors: Partial<Record<string, string>> = {};
  const patch: AdmissionPolicyPatch = {};
  if (form.mode !== current.mode) patch.mode = form.mode;
  if (form.unknown !== current.unknown) patch.unknown = form.unknown;
  const checks: NonNullable<AdmissionPolicyPatch['checks']> = {};
  for (const id of ADMISSION_CHECK_IDS) {
    const want = form.checks[id] || undefined;
    if (want !== current.checks[id]) checks[id] = want ?? null;
  }
  if (Object.keys(checks).length) patch.checks = checks;
  const thresholds: Partial<AdmissionThresholds> = {};
  for (const [k, , kind] of THRESHOLD_FIELDS) {
    const v = readThreshold(form.thresholds[k], kind);
    if (typeof v === 'string') errors[k] = v;
    else if (v !== current.thresholds[k]) thresholds[k] = v;
  }
  if (Object.keys(thresholds).length) patch.thresholds = thresholds;
  const r = admissionPolicyPatchSchema.safeParse(patch);
  if (!r.success) {
    for (const i of r.error.issues) {
      const k = String(i.path.at(-1));
      if (!errors[k]) errors[k] = i.message;
    }
  }
  return { patch, errors };
}
