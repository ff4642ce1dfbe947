import type { Architecture } from '@shared/contract';
import { searching, useCatalogStore } from '../store/catalog';
import { CatalogCard } from './CatalogCard';

/** The newest search's cards, with what to do when there are none and how many more matched. */
export function CatalogResults({ host }: { host: Architecture | undefined }) {
  const result = useCatalogStore((s) => s.result);
  const error = useCatalogStore((s) => s.error);
  const busy = useCatalogStore(searching);
  const text = useCatalogStore((s) => s.query.text);
  return (
    <section aria-label="Catalog images" data-testid="catalog-results" aria-busy={busy}>
      {error && (
        <div className="banner error inline" role="alert">
          {error}
        </div>
      )}
      {!result && !error && <p className="muted">Searching…</p>}
      {result?.hits.length === 0 && <p className="empty">{text.trim() ? `Nothing in the catalog matches “${text.trim()}”.` : 'The catalog is empty.'}</p>}
      <div className="catalog-grid">
        {result?.hits.map((hit) => (
          <CatalogCard key={hit.repository} hit={hit} host={host} />
        ))}
      </div>
      {result && result.total > result.hits.length && (
        <p className="muted">
          {result.total - result.hits.length} more match: type more to narrow the search.
        </p>
      )}
    </section>
  );
}
