import { useState, type FormEvent } from 'react';
import { checkImageRef } from '@shared/launch';
import { formatBytes } from '@shared/units';
import { api } from '../api';
import { percentOf, ProgressBar } from '../components/ProgressBar';
import { errorText, shortId } from '../docker/format';
import { hidePullProgress, notePull, reloadImages } from '../store/connect';
import { failedImages, useImagesStore } from '../store/images';


export function Images() {
  // The list and the pulls' progress live in the shared store (kept by `pull.progress`, see store/connect.ts).
  const images = useImagesStore((s) => s.images);
  const error = useImagesStore((s) => s.error);
  const pulls = useImagesStore((s) => s.pulls);
  const [ref, setRef] = useState('');
  const [pullError, setPullError] = useState<string>();
  const [confirm, setConfirm] = useState<string>();

  let refError: string | undefined;
  try {
    if (ref.trim()) checkImageRef(ref);
  } catch (e) {
    refError = errorText(e);
  }
  const pull = async (e: FormEvent) => {
    e.preventDefault();
    setPullError(undefined);
    try {
      notePull(await api.call('images.pull', { ref: ref.trim() }));
      setRef('');
    } catch (err) {
      setPullError(errorText(err));
    }
  };
  const remove = async (tag: string, force: boolean) => {
    try {
      await api.call('images.remove', { ref: tag, force });
      setConfirm(undefined);
      await reloadImages();
    } catch (err) {
      useImagesStore.setState((s) => failedImages(s, err));
    }
  };

  return (
    <div className="images" data-testid="images-page">
      <form className="card pull-form" onSubmit={(e) => void pull(e)}>
        <h3>Pull an image</h3>
        <div className="toolbar">
          <input value={ref} onChange={(e) => setRef(e.target.value)} placeholder="nvcr.io/nvidia/pytorch:25.12-py3" data-testid="pull-ref" aria-invalid={refError ? true : undefined} />
          <button type="submit" disabled={!ref.trim() || !!refError} data-testid="pull-submit">
            Pull
          </button>
        </div>
        {refError && <small className="field-error">{refError}</small>}
        {pullError && (
          <p className="inline-error" role="alert">
            {pullError}
          </p>
        )}
        {Object.values(pulls).map((p) => (
          <div key={p.ref} className="pull" data-testid="pull-progress">
            <div className="toolbar">
              <strong className="mono">{p.ref}</strong>
              <span className="muted">
                {p.error ? `failed: ${p.error}` : p.done ? 'done' : 'pulling'} · {formatBytes(p.current)} of {formatBytes(p.total)}
              </span>
              {p.done && <button type="button" onClick={() => hidePullProgress(p.ref)}>Hide</button>}
            </div>
            {p.warning && (
              <p className="muted" data-testid="pull-warning">
                {p.warning}
              </p>
            )}
            <ProgressBar value={percentOf(p.current, p.total)} label="total" testId="pull-total" />
            {p.layers.map((l) => (
              <div key={l.id} className="layer">
                <span className="mono">{l.id}</span> <span className="muted">{l.status}</span>
                <ProgressBar value={l.total ? percentOf(l.current, l.total) : /complete|exists/i.test(l.status) ? 100 : 0} label={l.status} />
              </div>
            ))}
          </div>
        ))}
      </form>
      {error && (
        <div className="banner error inline" role="alert">
          {error}
        </div>
      )}
      <section className="card">
        <h3>Images</h3>
        {!images && !error && <p className="muted">Loading images…</p>}
        {images?.length === 0 && <p className="empty">No images on this engine.</p>}
        {images && images.length > 0 && (
          <table className="table" data-testid="images-table">
            <thead>
              <tr>
                <th>Tags</th>
                <th>ID</th>
                <th>Size</th>
                <th>Created</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {images.map((i) => {
                const tag = i.tags[0] ?? i.id;
                return (
                  <tr key={i.id}>
                    <td className="mono">{i.tags.join(', ') || '<untagged>'}</td>
                    <td className="mono">{shortId(i.id.replace('sha256:', ''))}</td>
                    <td>{formatBytes(i.size)}</td>
                    <td>{new Date(i.created).toLocaleDateString()}</td>
                    <td>
                      {confirm === i.id ? (
                        <span className="actions confirm">
                          Remove {tag}?
                          <button className="danger" onClick={() => void remove(tag, false)}>
                            Remove
                          </button>
                          <button onClick={() => setConfirm(undefined)}>Cancel</button>
                        </span>
                      ) : (
                        <button className="danger" onClick={() => setConfirm(i.id)}>
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
