import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingsPatchSchema } from '@shared/contract';
import { catalogForm, catalogPatch } from './settings-form';

const initial = catalogForm(DEFAULT_SETTINGS.catalog);

describe('catalog settings form', () => {
  it('shows the stored settings (no mirror: blank) and patches nothing when untouched', () => {
    expect(initial).toEqual({ ngcApiUrl: 'https://api.ngc.nvidia.com', registry: 'nvcr.io', registryMirror: '', cacheTtlHours: '24', requestTimeoutMs: '15000' });
    expect(catalogPatch(initial, initial)).toEqual({ patch: {}, errors: {} });
  });

  it('sets and clears the registry mirror of an air-gapped site', () => {
    const set = catalogPatch({ ...initial, registryMirror: ' mirror.local:5000 ' }, initial);
    expect(set).toEqual({ patch: { registryMirror: 'mirror.local:5000' }, errors: {} });
    expect(settingsPatchSchema.safeParse({ catalog: set.patch }).success).toBe(true);
    expect(catalogPatch({ ...initial, registryMirror: 'http://127.0.0.1:5000' }, initial).patch).toEqual({ registryMirror: 'http://127.0.0.1:5000' });
    const withMirror = catalogForm({ ...DEFAULT_SETTINGS.catalog, registryMirror: 'mirror.local:5000' });
    expect(catalogPatch({ ...withMirror, registryMirror: '  ' }, withMirror).patch).toEqual({ registryMirror: null });
  });

  it('patches numbers: hours may be fractional or 0, the timeout in whole ms', () => {
    expect(catalogPatch({ ...initial, cacheTtlHours: '0.5', requestTimeoutMs: '30000' }, initial)).toEqual({ patch: { cacheTtlHours: 0.5, requestTimeoutMs: 30000 }, errors: {} });
    expect(catalogPatch({ ...initial, cacheTtlHours: '0' }, initial).patch).toEqual({ cacheTtlHours: 0 });
  });

  it("refuses what the contract refuses, in the schema's own sentences", () => {
    const { errors } = catalogPatch({ ...initial, registryMirror: 'mirror.local/path/deep', ngcApiUrl: 'ftp://x', registry: 'nv cr.io' }, initial);
    expect(errors.registryMirror).toBe('a registry such as mirror.local:5000 or http://127.0.0.1:5000');
    expect(errors.ngcApiUrl).toBe('an http(s) URL such as https://api.ngc.nvidia.com');
    expect(errors.registry).toBe('a registry host such as nvcr.io');
    expect(catalogPatch({ ...initial, cacheTtlHours: 'a day' }, initial).errors.cacheTtlHours).toBe('"a day" is not a number of hours');
    expect(catalogPatch({ ...initial, requestTimeoutMs: '1.5' }, initial).errors.requestTimeoutMs).toBe('"1.5" is not a whole number of milliseconds');
    expect(catalogPatch({ ...initial, requestTimeoutMs: '100' }, initial).errors.requestTimeoutMs).toMatch(/500/);
    expect(catalogPatch({ ...initial, registry: '' }, initial).errors.registry).toBeDefined();
  });
});
