import { create } from 'zustand';
import type { Architecture, CatalogCategory, CatalogSearchResult, CatalogStatus } from '@shared/contract';
import { errorText } from '../docker/format';

/** What the user asks the catalog: the text as typed and the filters. */
export interface CatalogQuery {
  text: string;
  category?: string;
  architecture?: Architecture;
}

/** The catalog as the renderer shows it: the query, its newest answer, the status line and the categories. */
export interface CatalogState {
  query: CatalogQuery;
  /** The answer to the newest search sent; undefined until one answers. */
  result?: CatalogSearchResult;
  /** Numbers each search sent; only the answer to `sent` is shown, so a slow older answer never overwrites a newer one. */
  sent: number;
  /** The number of the search whose answer (or failure) is shown. */
  shown: number;
  /** The newest search failed, in words (the last result stays shown). */
  error?: string;
  status?: CatalogStatus;
  categories?: CatalogCategory[];
}

export const INITIAL_CATALOG: CatalogState = { query: { text: '' }, sent: 0, shown: 0 };
export const useCatalogStore = create<CatalogState>(() => INITIAL_CATALOG);

/** The query with some fields changed (an emptied filter is removed, not kept as ""). */
export function changedQuery(state: CatalogState, patch: Partial<CatalogQuery>): CatalogState {
  const query = { ...state.query, ...patch };
  if (!query.category) delete query.category;
  if (!query.architecture) delete query.architecture;
  return { ...state, query };
}

/** A search is being sent: it gets the next number, and only its answer will be shown. */
export function searchSent(state: CatalogState): { state: CatalogState; seq: number } {
  const seq = state.sent + 1;
  return { state: { ...state, sent: seq }, seq };
}

/** The answer to search `seq`: shown when it is the newest sent, dropped when a newer one was sent since. */
export function searchAnswered(state: CatalogState, seq: number, result: CatalogSearchResult): CatalogState {
  return seq === state.sent ? { ...state, result, shown: seq, error: undefined } : state;
}

/** Search `seq` failed: said when it is the newest sent. */
export function searchFailed(state: CatalogState, seq: number, e: unknown): CatalogState {
  return seq === state.sent ? { ...state, shown: seq, error: errorText(e) } : state;
}

/** Whether the shown results are older than the query typed (a search is on its way). */
export const searching = (state: CatalogState) => state.shown !== state.sent;
