// Reading an admission decision for display: its colour, each figure in its unit, and the refusal an
// ADMISSION_REJECTED error carries. Shapes: src-shared/contract/admission.ts.
import type { AdmissionCheck, AdmissionDecision, AdmissionMode, AdmissionUnit } from '@shared/contract';
import { isAppError } from '@shared/errors';
import { formatBytes } from '@shared/units';

/** green: every check passes. amber: admitted, but a check failed or is unknown (audit, dry run, a warning). red: refused. */
export type Tone = 'green' | 'amber' | 'red';

export function decisionTone(d: AdmissionDecision): Tone {
  if (!d.admitted) return 'red';
  return d.checks.every((c) => c.status === 'pass') ? 'green' : 'amber';
}

/** The decision's headline: what the launch would get (a preview) or got (a recorded decision), and under which mode. */
export function toneText(d: AdmissionDecision, preview = true): string {
  const tone = decisionTone(d);
  const [admitted, refused] = preview ? ['Would be admitted', 'Would be refused'] : ['Admitted', 'Refused'];
  if (tone === 'red') return refused;
  if (tone === 'green') return admitted;
  if (d.wouldReject) return d.mode === 'dry_run' ? `${admitted} (dry run: enforce would refuse it)` : `${admitted} (audit: the violation is recorded)`;
  return `${admitted}, with warnings`;
}

export const MODE_TEXT: Record<AdmissionMode, string> = { enforce: 'enforce', dry_run: 'dry run', audit: 'audit' };

/** One figure of a check in its unit; null (a figure the machine did not give) reads "unknown". */
export function formatCheckValue(v: number | null, unit: AdmissionUnit): string {
  if (v === null || !Number.isFinite(v)) return 'unknown';
  switch (unit) {
    case 'percent':
      return `${v.toFixed(1)} %`;
    case 'bytes':
      return formatBytes(v);
    case 'cpus':
      return `${+v.toFixed(2)} ${v === 1 ? 'CPU' : 'CPUs'}`;
    case 'load':
      return v.toFixed(2);
    case 'gpus':
      return `${v} ${v === 1 ? 'GPU' : 'GPUs'}`;
    case 'containers':
      return `${v} ${v === 1 ? 'container' : 'containers'}`;
  }
}

/** The checks that stand in the way (failed or unknown), in the decision's order: can-never-fit first. */
export const blockingChecks = (d: AdmissionDecision): AdmissionCheck[] => d.checks.filter((c) => c.status !== 'pass');

/** The decision an ADMISSION_REJECTED error carries in its details; undefined for any other error. */
export function rejectedDecision(e: unknown): AdmissionDecision | undefined {
  if (!isAppError(e) || e.code !== 'ADMISSION_REJECTED') return undefined;
  const d = (e.details as { decision?: AdmissionDecision } | undefined)?.decision;
  return d && Array.isArray(d.checks) ? d : undefined;
}

/** What the launch was counted at when it set no memory limit (the policy's default, never zero); null when it set one. */
export function defaultMemoryNote(d: AdmissionDecision): string | null {
  return d.request.memoryBytes === null ? `No memory limit given: counted at ${formatBytes(d.request.memoryCountedBytes)}.` : null;
}
