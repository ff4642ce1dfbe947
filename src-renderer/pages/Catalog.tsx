import { useEffect, useState } from 'react';
import { AddImageForm } from '../catalog/AddImageForm';
import { CatalogFilters } from '../catalog/CatalogFilters';
import { CatalogResults } from '../catalog/CatalogResults';
import { CatalogStatusLine } from '../catalog/CatalogStatusLine';
import { CatalogTransfer } from '../catalog/CatalogTransfer';
import { connectCatalog } from '../catalog/connect';
import { catalogRoute } from '../catalog/format';
import { useHostArchitecture } from '../catalog/useHostArchitecture';
import { CatalogImage } from './CatalogImage';

/** #/catalog: search and cards; #/catalog/<repository>: one image's page (see catalog/format.ts for the addresses). */
export function Catalog() {
  const [route, setRoute] = useState(() => catalogRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(catalogRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  // The catalog's events and facts, while any catalog view shows.
  useEffect(() => connectCatalog(), []);
  return route.repository ? <CatalogImage key={route.repository} repository={route.repository} customise={route.customise} /> : <CatalogList />;
}

function CatalogList() {
  const host = useHostArchitecture();
  const [adding, setAdding] = useState(false);
  return (
    <div className="catalog" data-testid="catalog-page">
      <section className="card">
        <CatalogStatusLine />
        <CatalogFilters host={host} />
      </section>
      <CatalogResults host={host} />
      {adding ? (
        <AddImageForm onClose={() => setAdding(false)} />
      ) : (
        <section className="card toolbar">
          <button type="button" onClick={() => setAdding(true)} data-testid="add-image">
            Add an image…
          </button>
          <CatalogTransfer />
        </section>
      )}
    </div>
  );
}
