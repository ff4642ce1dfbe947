import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api } from '../api';
import { FormActions } from '../components/FormActions';
import { errorText } from '../docker/format';
import { useLive } from '../store/live';
import { catalogForm, catalogPatch, type CatalogField, type CatalogForm } from './settings-form';
import { useNgcKeyForm } from './useNgcKeyForm';

const FIELDS: [CatalogField, string, string, string?][] = [
  ['registryMirror', 'Registry mirror', 'none', 'Serves the same repositories as the registry (an air-gapped site): tag lists and pulls of NGC images go there.'],
  ['registry', 'Registry', 'nvcr.io'],
  ['ngcApiUrl', 'NGC catalog API', 'https://api.ngc.nvidia.com'],
  ['cacheTtlHours', 'Reuse NGC answers for (hours)', '24'],
  ['requestTimeoutMs', 'Request timeout (ms)', '15000'],
];

/** Settings → Catalog: where the catalog reads NGC and its registry (settings `catalog`), the mirror first. */
export function CatalogSettings() {
  const catalog = useLive((s) => s.settings?.catalog);
  const initial = useMemo(() => (catalog ? catalogForm(catalog) : undefined), [catalog]);
  const [form, setForm] = useState<CatalogForm>();
  const [errors, setErrors] = useState<Partial<Record<CatalogField, string>>>({});
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  useEffect(() => {
    if (initial) setForm(initial);
  }, [initial]);
  if (!form || !initial) return <p className="muted">Loading settings…</p>;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const { patch, errors: errs } = catalogPatch(form, initial);
    setErrors(errs);
    if (Object.keys(errs).length) return setState({ kind: 'idle' });
    setState({ kind: 'saving' });
    try {
      await api.call('settings.update', { patch: { catalog: patch } });
      setState({ kind: 'saved' });
    } catch (err) {
      setState({ kind: 'error', message: errorText(err) });
    }
  };
  return (
    <section className="card" data-testid="catalog-settings">
      <h3>Catalog</h3>
      <form className="settings-form" onSubmit={(e) => void save(e)}>
        {FIELDS.map(([k, label, placeholder, hint]) => (
          <label key={k}>
            {label}
            <span>
              <input value={form[k]} placeholder={placeholder} onChange={(e) => setForm({ ...form, [k]: e.target.value })} aria-invalid={errors[k] ? true : undefined} data-testid={`catalog-${k}`} />
              {errors[k] ? <small className="field-error">{errors[k]}</small> : hint && <small className="muted field-hint">{hint}</small>}
            </span>
          </label>
        ))}
        <FormActions label="Save" disabled={state.kind === 'saving'} testId="catalog-settings-save" note={state.kind === 'saved' && <span className="muted">Saved</span>} error={state.kind === 'error' ? state.message : undefined} />
      </form>
      <NgcApiKey registry={catalog?.registry ?? 'nvcr.io'} />
    </section>
  );
}

/**
 * The NGC API key for gated repositories: stored for the catalog and as the registry's login
 * ($oauthtoken), kept like registry secrets and never shown again; "Remove" forgets the catalog's copy.
 */
function NgcApiKey({ registry }: { registry: string }) {
  const [set, setSet] = useState<boolean>();
  const { key, setKey, state, setState, save } = useNgcKeyForm(registry, () => setSet(true));
  useEffect(() => {
    api.call('catalog.status', {}).then((s) => setSet(s.apiKeySet), () => undefined);
    return api.on('catalog.status', (s) => setSet(s.apiKeySet));
  }, []);
  const remove = async () => {
    try {
      await api.call('catalog.clearApiKey', {});
      setSet(false);
      setState({ kind: 'removed' });
    } catch (err) {
      setState({ kind: 'error', message: errorText(err) });
    }
  };
  const note = state.kind === 'saved' ? 'Saved.' : state.kind === 'removed' ? `Removed from the catalog; the ${registry} login stays under Registry credentials until you remove it there.` : undefined;
  return (
    <form className="settings-form" onSubmit={(e) => void save(e)} data-testid="ngc-api-key">
      <label>
        <span>
          NGC API key <small className="muted field-hint">{set === undefined ? '' : set ? 'A key is stored.' : 'None stored: gated repositories say “NGC sign-in required”.'}</small>
        </span>
        <input type="password" autoComplete="off" placeholder="nvapi-…" value={key} maxLength={8192} onChange={(e) => setKey(e.target.value)} aria-label="NGC API key" />
      </label>
      <small className="muted">Stored for the catalog and as the {registry} login (user $oauthtoken), like every registry secret; never shown again.</small>
      <FormActions label={state.kind === 'saving' ? 'Saving…' : 'Save key'} disabled={!key.trim() || state.kind === 'saving'} note={note && <span className="muted">{note}</span>} error={state.kind === 'error' ? state.message : undefined} />
      {set && (
        <div className="form-actions">
          <button type="button" onClick={() => void remove()} data-testid="ngc-api-key-remove">
            Remove the key
          </button>
        </div>
      )}
    </form>
  );
}
