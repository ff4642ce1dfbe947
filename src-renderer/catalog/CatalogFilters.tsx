import { ARCHITECTURES, type Architecture } from '@shared/contract';
import { useCatalogStore } from '../store/catalog';
import { setCatalogQuery } from './connect';

/** The search box (results as you type) and the category and architecture filters. */
export function CatalogFilters({ host }: { host: Architecture | undefined }) {
  const query = useCatalogStore((s) => s.query);
  const categories = useCatalogStore((s) => s.categories);
  return (
    <div className="toolbar catalog-filters" role="search">
      <input
        className="search"
        type="search"
        autoFocus
        aria-label="Search the image catalog"
        placeholder="pytorch, triton, nemo, your own images…"
        value={query.text}
        maxLength={200}
        onChange={(e) => setCatalogQuery({ text: e.target.value })}
        data-testid="catalog-search"
      />
      <select aria-label="Category" value={query.category ?? ''} onChange={(e) => setCatalogQuery({ category: e.target.value })} data-testid="catalog-category">
        <option value="">All categories</option>
        {categories?.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name} ({c.count})
          </option>
        ))}
      </select>
      <select
        aria-label="Architecture"
        value={query.architecture ?? ''}
        onChange={(e) => setCatalogQuery({ architecture: (e.target.value || undefined) as Architecture | undefined })}
        data-testid="catalog-architecture"
      >
        <option value="">Any architecture</option>
        {ARCHITECTURES.map((a) => (
          <option key={a} value={a}>
            {a}
            {a === host ? ' (this host)' : ''}
          </option>
        ))}
      </select>
    </div>
  );
}
