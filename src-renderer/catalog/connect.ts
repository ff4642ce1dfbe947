// The catalog store's link to the core: debounced searches (the newest wins), the status line and
// categories kept by `catalog.status` / `catalog.changed` while a catalog view is shown.
import { api } from '../api';
import { changedQuery, searchAnswered, searchFailed, searchSent, useCatalogStore, type CatalogQuery } from '../store/catalog';

/** Typing pauses this long before a search goes out (each keystroke restarts it). */
export const SEARCH_DEBOUNCE_MS = 150;
/** Results shown at once; the page says how many more matched. */
export const SEARCH_LIMIT = 60;

let timer: ReturnType<typeof setTimeout> | undefined;

/** Sends the current query now; an answer that arrives after a newer search was sent is dropped. */
export async function searchNow(): Promise<void> {
  clearTimeout(timer);
  const { state, seq } = searchSent(useCatalogStore.getState());
  useCatalogStore.setState(state, true);
  const { text, category, architecture } = state.query;
  try {
    const result = await api.call('catalog.search', { text, limit: SEARCH_LIMIT, ...(category ? { category } : {}), ...(architecture ? { architecture } : {}) });
    useCatalogStore.setState((s) => searchAnswered(s, seq, result), true);
  } catch (e) {
    useCatalogStore.setState((s) => searchFailed(s, seq, e), true);
  }
}

/** Changes the query at once (the input shows it) and searches once typing pauses. */
export function setCatalogQuery(patch: Partial<CatalogQuery>): void {
  useCatalogStore.setState((s) => changedQuery(s, patch), true);
  clearTimeout(timer);
  timer = setTimeout(() => void searchNow(), SEARCH_DEBOUNCE_MS);
}

/** Reads the status line and the categories again. */
export async function reloadCatalogFacts(): Promise<void> {
  const [status, categories] = await Promise.all([api.call('catalog.status', {}).catch(() => undefined), api.call('catalog.categories', {}).catch(() => undefined)]);
  useCatalogStore.setState((s) => ({ ...s, ...(status ? { status } : {}), ...(categories ? { categories } : {}) }), true);
}

/** Starts a background refresh from NGC; its progress arrives as `catalog.status` events. */
export async function refreshCatalog(): Promise<void> {
  const status = await api.call('catalog.refresh', {});
  useCatalogStore.setState((s) => ({ ...s, status }), true);
}

/**
 * Keeps the catalog store while a catalog view is mounted: follows `catalog.status` (the refresh's
 * progress, offline/online) and `catalog.changed` (search again), loads the facts and runs the
 * current query, and does both again after a reconnect. Returns the way to stop.
 */
export function connectCatalog(): () => void {
  const reload = () => void Promise.all([reloadCatalogFacts(), searchNow()]);
  const offs = [
    api.on('catalog.status', (status) => useCatalogStore.setState((s) => ({ ...s, status }), true)),
    api.on('catalog.changed', reload),
    api.onReconnect(reload),
  ];
  queueMicrotask(reload); // after the client's subscribe, so no change between the two is missed
  return () => offs.forEach((off) => off());
}
