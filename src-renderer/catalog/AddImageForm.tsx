import { useState, type FormEvent } from 'react';
import { checkImageRef } from '@shared/launch';
import { api } from '../api';
import { errorText } from '../docker/format';
import { FormActions } from '../components/FormActions';
import { imageHref } from './format';

const EMPTY = { reference: '', displayName: '', description: '', category: '', jupyterLab: false, framework: false };

/** Adds an image on any registry (a local one included) to the catalog; its tags come from the registry's v2 API. */
export function AddImageForm({ onClose }: { onClose: () => void }) {
  const [f, setF] = useState(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  let refError: string | undefined;
  try {
    if (f.reference.trim()) checkImageRef(f.reference.trim());
  } catch (e) {
    refError = errorText(e);
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const added = await api.call('catalog.add', {
        reference: f.reference.trim(),
        ...(f.displayName.trim() ? { displayName: f.displayName.trim() } : {}),
        description: f.description,
        ...(f.category.trim() ? { category: f.category.trim() } : {}),
        jupyterLab: f.jupyterLab,
        framework: f.framework,
      });
      onClose();
      location.hash = imageHref(added.repository);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const text = (k: 'reference' | 'displayName' | 'category', label: string, placeholder: string) => (
    <label className="field">
      <span>{label}</span>
      <input value={f[k]} placeholder={placeholder} maxLength={k === 'reference' ? 512 : 200} onChange={(e) => setF({ ...f, [k]: e.target.value })} data-testid={`add-image-${k}`} aria-invalid={k === 'reference' && refError ? true : undefined} />
      {k === 'reference' && refError && <small className="field-error">{refError}</small>}
    </label>
  );
  return (
    <form className="card add-image" onSubmit={(e) => void submit(e)} data-testid="add-image-form" aria-label="Add a custom image">
      <h3>Add an image</h3>
      <div className="launch-grid">
        {text('reference', 'Image', 'registry.local:5000/team/app:1.2 or python:3.12')}
        {text('displayName', 'Name', 'optional: shown on its card')}
        {text('category', 'Category', 'optional: Training, Inference…')}
      </div>
      <label className="field">
        <span>Description (Markdown)</span>
        <textarea rows={3} maxLength={20_000} value={f.description} onChange={(e) => setF({ ...f, description: e.target.value })} data-testid="add-image-description" />
      </label>
      <label className="consent">
        <input type="checkbox" checked={f.jupyterLab} onChange={(e) => setF({ ...f, jupyterLab: e.target.checked })} />
        <span>Ships JupyterLab (Launch starts it on a free port on 127.0.0.1)</span>
      </label>
      <label className="consent">
        <input type="checkbox" checked={f.framework} onChange={(e) => setF({ ...f, framework: e.target.checked })} />
        <span>An NVIDIA framework image (Launch adds --ipc=host and the recommended ulimits)</span>
      </label>
      <FormActions
        testId="add-image-submit"
        label={busy ? 'Adding…' : 'Add to catalog'}
        disabled={busy || !f.reference.trim() || !!refError}
        note={
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        }
        error={error}
      />
    </form>
  );
}
