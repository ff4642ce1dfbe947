import { describe, expect, it } from 'vitest';
import type { CatalogSearchResult } from '@shared/contract';
import { changedQuery, INITIAL_CATALOG, searchAnswered, searchFailed, searching, searchSent } from './catalog';

const result = (repository: string): CatalogSearchResult => ({ total: 1, hits: [{ repository } as CatalogSearchResult['hits'][number]] });

describe('catalog search, newest wins', () => {
  it('drops an older answer that arrives after a newer one was sent, in either order', () => {
    let s = changedQuery(INITIAL_CATALOG, { text: 'py' });
    const first = searchSent(s);
    s = changedQuery(first.state, { text: 'pytorch' });
    const second = searchSent(s);
    s = second.state;
    expect(searching(s)).toBe(true);
    // The slow first answer ("py") comes last: it must not replace "pytorch".
    s = searchAnswered(s, second.seq, result('nvidia/pytorch'));
    s = searchAnswered(s, first.seq, result('nvidia/pyg'));
    expect(s.result?.hits[0]?.repository).toBe('nvidia/pytorch');
    expect(searching(s)).toBe(false);
    // An older search's failure says nothing either.
    expect(searchFailed(s, first.seq, new Error('late'))).toBe(s);
  });

  it('shows nothing until the newest answers, and keeps the last result when the newest fails', () => {
    const a = searchSent(INITIAL_CATALOG);
    let s = searchAnswered(a.state, a.seq, result('nvidia/pytorch'));
    const b = searchSent(s);
    const c = searchSent(b.state);
    s = searchAnswered(c.state, b.seq, result('nvidia/tritonserver'));
    expect(s.result?.hits[0]?.repository).toBe('nvidia/pytorch');
    expect(searching(s)).toBe(true);
    s = searchFailed(s, c.seq, new Error('the catalog store is busy'));
    expect(s).toMatchObject({ error: 'the catalog store is busy', result: { hits: [{ repository: 'nvidia/pytorch' }] } });
    expect(searching(s)).toBe(false);
  });
});

describe('changedQuery', () => {
  it('removes an emptied filter instead of sending ""', () => {
    const s = changedQuery(changedQuery(INITIAL_CATALOG, { category: 'Training', architecture: 'arm64' }), { category: '' });
    expect(s.query).toEqual({ text: '', architecture: 'arm64' });
  });
});
