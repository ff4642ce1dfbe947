import type { FormEvent } from 'react';
import { useCatalogStore } from '../store/catalog';
import { setCatalogQuery } from './connect';

/** The catalog's search box on the first screen: what is typed becomes the catalog's query, Enter opens the Catalog page with it. */
export function CatalogSearchBox() {
  const text = useCatalogStore((s) => s.query.text);
  const open = (e: FormEvent) => {
    e.preventDefault();
    location.hash = '#/catalog';
  };
  return (
    <form className="card catalog-search-box" role="search" onSubmit={open} data-testid="dashboard-catalog-search">
      <h3>Start something</h3>
      <div className="toolbar">
        <input
          className="search"
          type="search"
          aria-label="Search the image catalog"
          placeholder="Search the catalog: pytorch, triton, nemo…"
          value={text}
          maxLength={200}
          onChange={(e) => setCatalogQuery({ text: e.target.value })}
          data-testid="dashboard-catalog-input"
        />
        <button type="submit">Search the catalog</button>
      </div>
    </form>
  );
}
