// The Settings form of one project's quota: strings as typed (blank = no limit) → `admission.setQuota`'s
// input, validated by the contract's own schema.
import type { z } from 'zod';
import type { ProjectQuota } from '@shared/contract';
import { setQuotaSchema } from '@shared/contract/admission';
import { sizeText } from './policy-form';

export type QuotaField = 'project' | 'containers' | 'memory' | 'cpus' | 'gpus';
export type QuotaForm = Record<QuotaField, string>;
export type QuotaInput = z.input<typeof setQuotaSchema>;

export const EMPTY_QUOTA: QuotaForm = { project: '', containers: '', memory: '', cpus: '', gpus: '' };

/** A stored quota → the form (a ceiling of null shows blank). */
export function quotaForm(q: ProjectQuota): QuotaForm {
  const text = (v: number | null, f: (n: number) => string = String) => (v === null ? '' : f(v));
  return { project: q.project, containers: text(q.containers), memory: text(q.memoryBytes, sizeText), cpus: text(q.cpus), gpus: text(q.gpus) };
}

/** A whole number as typed, blank = null (no limit); anything else is kept as typed for the schema to refuse. */
const count = (s: string): number | null => (s.trim() === '' ? null : /^\d+$/.test(s.trim()) ? Number(s.trim()) : NaN);

/**
 * The form → `admission.setQuota`'s input: every ceiling set (blank = no limit, so clearing a field
 * removes that ceiling), memory as a size ("16g") and CPUs as the launch form reads them ("4", "500m");
 * one message per field the schema refuses.
 */
export function quotaInput(f: QuotaForm): { input: QuotaInput; errors: Partial<Record<QuotaField, string>> } {
  const errors: Partial<Record<QuotaField, string>> = {};
  const containers = count(f.containers);
  const gpus = count(f.gpus);
  if (Number.isNaN(containers)) errors.containers = `"${f.containers}" is not a whole number of containers`;
  if (Number.isNaN(gpus)) errors.gpus = `"${f.gpus}" is not a whole number of GPUs`;
  const input: QuotaInput = {
    project: f.project.trim(),
    containers: Number.isNaN(containers) ? null : containers,
    memory: f.memory.trim() || null,
    cpus: f.cpus.trim() || null,
    gpus: Number.isNaN(gpus) ? null : gpus,
  };
  const r = setQuotaSchema.safeParse(input);
  if (!r.success) {
    for (const i of r.error.issues) {
      const k = String(i.path[0]) as QuotaField;
      if (!errors[k]) errors[k] = i.message;
    }
  }
  return { input, errors };
}
