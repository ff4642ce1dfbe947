import { useState } from 'react';
import { ProgressBar } from '../components/ProgressBar';
import { errorText } from '../docker/format';
import { useCatalogStore } from '../store/catalog';
import { refreshCatalog } from './connect';
import { refreshPercent, statusText } from './format';

/** Where the catalog comes from ("offline — catalog from <date>" when NGC did not answer), and Refresh with its progress. */
export function CatalogStatusLine() {
  const status = useCatalogStore((s) => s.status);
  const [error, setError] = useState<string>();
  if (!status) return <p className="muted">Reading the catalog…</p>;
  const r = status.refresh;
  const percent = r ? refreshPercent(r) : null;
  const refresh = () => {
    setError(undefined);
    refreshCatalog().catch((e) => setError(errorText(e)));
  };
  return (
    <div className={`catalog-status${status.offline ? ' offline' : ''}`} data-testid="catalog-status" data-offline={status.offline}>
      <div className="toolbar">
        <span data-testid="catalog-status-text" title={status.offlineReason ?? undefined}>
          {statusText(status)}
        </span>
        {status.offline && status.offlineReason && <span className="muted">{status.offlineReason}</span>}
        <span className="spacer" />
        <button type="button" onClick={refresh} disabled={!!r} data-testid="catalog-refresh">
          {r ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {r && (
        <div data-testid="catalog-refresh-progress">
          <small className="muted">
            {r.phase}
            {r.total > 0 ? ` · ${r.done} of ${r.total}` : ''}
          </small>
          <ProgressBar value={percent ?? 0} label={r.phase} testId="catalog-refresh-bar" />
        </div>
      )}
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
