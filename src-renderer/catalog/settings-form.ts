// Settings → Catalog: the `catalog` settings → form strings and back to a `settings.update` patch of
// what changed, validated by the contract's own schema (its sentences: "a registry such as …").
import type { CatalogSettings, SettingsPatch } from '@shared/contract';
import { catalogSettingsSchema } from '@shared/contract/settings';

export type CatalogField = 'ngcApiUrl' | 'registry' | 'registryMirror' | 'cacheTtlHours' | 'requestTimeoutMs';
export type CatalogForm = Record<CatalogField, string>;
export type CatalogPatch = NonNullable<SettingsPatch['catalog']>;

/** The stored `catalog` settings → the form (no mirror shows blank). */
export function catalogForm(c: CatalogSettings): CatalogForm {
  return {
    ngcApiUrl: c.ngcApiUrl,
    registry: c.registry,
    registryMirror: c.registryMirror ?? '',
    cacheTtlHours: String(c.cacheTtlHours),
    requestTimeoutMs: String(c.requestTimeoutMs),
  };
}

/**
 * The form → the `catalog` patch of the fields changed from `initial` (the form as loaded): texts
 * trimmed, a blank mirror as null (none), hours as a decimal number, the timeout in whole ms;
 * one sentence per field refused.
 */
export function catalogPatch(form: CatalogForm, initial: CatalogForm): { patch: CatalogPatch; errors: Partial<Record<CatalogField, string>> } {
  const errors: Partial<Record<CatalogField, string>> = {};
  const patch: Record<string, unknown> = {};
  const changed = (k: CatalogField) => form[k].trim() !== initial[k].trim();
  for (const k of ['ngcApiUrl', 'registry'] as const) if (changed(k)) patch[k] = form[k].trim();
  if (changed('registryMirror')) patch.registryMirror = form.registryMirror.trim() || null;
  if (changed('cacheTtlHours')) {
    const t = form.cacheTtlHours.trim();
    if (/^\d+(\.\d+)?$/.test(t)) patch.cacheTtlHours = Number(t);
    else errors.cacheTtlHours = `"${t}" is not a number of hours`;
  }
  if (changed('requestTimeoutMs')) {
    const t = form.requestTimeoutMs.trim();
    if (/^\d+$/.test(t)) patch.requestTimeoutMs = Number(t);
    else errors.requestTimeoutMs = `"${t}" is not a whole number of milliseconds`;
  }
  const r = catalogSettingsSchema.partial().strict().safeParse(patch);
  if (!r.success) {
    for (const i of r.error.issues) {
      const k = String(i.path[0]) as CatalogField;
      if (!errors[k]) errors[k] = i.message;
    }
  }
  return { patch: patch as CatalogPatch, errors };
}
