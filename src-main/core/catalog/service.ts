// The image catalog: searched from SQLite (seeded from the shipped file at first start), refreshed in
// the background from the NGC catalog API, tags read from NGC or the image's registry (nvcr.io, its
// mirror, or any registry a custom image lives on). Whatever NGC or a registry answers wrong —
// unreachable, timed out, an HTML page, a 401 for a gated repository, a 429, a body cut short — is one
// sentence: journaled, shown as "offline — catalog from <date>", and the stored catalog stays as it was.
import type { CatalogCategory, CatalogImage, CatalogSearchResult, CatalogTags, JournalActor } from '@shared/contract';
import type { catalogSearchSchema } from '@shared/contract/catalog';
import { AppError } from '@shared/errors';
import type { z } from 'zod';
import { createCustomImages } from './custom-images';
import { CatalogFetchError } from './http';
import { withDetail, withVersions } from './normalize';
import { createCatalogRefresh } from './refresh';
import { ftsMatch } from './search-text';
import { type CatalogServiceDeps, createCatalogContext, NGC_API_KEY_SECRET } from './service-context';
import { createVersionFetcher } from './versions';

export { type CatalogServiceDeps, NGC_API_KEY_SECRET } from './service-context';

type SearchInput = z.output<typeof catalogSearchSchema>;

export function createCatalogService(deps: CatalogServiceDeps) {
  const ctx = createCatalogContext(deps);
  const { now, readOnly, ttlMs, ngc, ensureSeeded, status, emitStatus, changed, pullName, toContract, mustGet, refuseReadOnly, explain, journalFailure, isNgcRegistry } = ctx;
  const fetchVersions = createVersionFetcher(ctx);
  const refresher = createCatalogRefresh(ctx, fetchVersions);
  const custom = createCustomImages(ctx);

  return {
    status,
    pullName,

    /** Ranked search of the stored catalog (never the network), for results as the user types. */
    search(q: SearchInput): CatalogSearchResult {
      ensureSeeded();
      const { hits, total } = ctx.repo.search({ text: q.text.trim(), match: ftsMatch(q.text), category: q.category, architecture: q.architecture, source: q.source, limit: q.limit, offset: q.offset });
      return { hits: hits.map((h) => ({ ...h, pullName: pullName(h) })), total };
    },

    /** One entry; with `live`, an NGC entry's detail is read first when older than the TTL (a failure leaves the entry as stored, journaled). */
    async get(repository: string, live = false): Promise<CatalogImage> {
      const image = mustGet(repository);
      const old = image.detailFetchedAt === null || now() - image.detailFetchedAt >= ttlMs();
      if (!live || readOnly || !old || !isNgcRegistry(image) || image.source === 'custom') return toContract(image);
      try {
        const next = withDetail(image, await ngc.repository(repository), now());
        ctx.repo.put([next]);
        changed('tags', [repository]);
        return toContract(next);
      } catch (e) {
        if (e instanceof CatalogFetchError && e.kind === 'cancelled') throw new AppError('UNSUPPORTED', 'the app is shutting down');
        journalFailure('catalog.detail', explain(e, image), { repository });
        return toContract(image);
      }
    },

    /**
     * Known tags; with `live`, read again from the source first unless read within the TTL. A failed
     * read answers what was stored with the failure as `warning` (journaled); nothing is written then.
     */
    async tags(repository: string, live = false): Promise<CatalogTags> {
      const image = mustGet(repository);
      const stored = (warning: string | null): CatalogTags => ({
        repository,
        versions: image.versions,
        source: image.tagsFetchedAt === null ? 'catalog' : 'cache',
        fetchedAt: image.tagsFetchedAt,
        warning,
      });
      const fresh = image.tagsFetchedAt !== null && now() - image.tagsFetchedAt < ttlMs();
      if (!live || readOnly || fresh) return stored(null);
      try {
        const next = withVersions(image, await fetchVersions(image), now());
        ctx.repo.put([next]);
        changed('tags', [repository]);
        return { repository, versions: next.versions, source: 'live', fetchedAt: next.tagsFetchedAt, warning: null };
      } catch (e) {
        if (e instanceof CatalogFetchError && e.kind === 'cancelled') throw new AppError('UNSUPPORTED', 'the app is shutting down');
        const warning = explain(e, image);
        journalFailure('catalog.tags', warning, { repository, kind: e instanceof CatalogFetchError ? e.kind : 'internal' });
        return stored(warning);
      }
    },

    refresh: refresher.refresh,
    settled: refresher.settled,

    categories(): CatalogCategory[] {
      ensureSeeded();
      return ctx.repo.categories();
    },
    add: custom.add,
    remove: custom.remove,
    exportDocument: custom.exportDocument,
    importDocument: custom.importDocument,

    /** Keeps the NGC API key in the SecretStore (never the database, the journal or an answer). */
    setApiKey(key: string, actor: JournalActor = 'user'): { set: true } {
      refuseReadOnly('storing the NGC API key');
      deps.secrets.set(NGC_API_KEY_SECRET, key.trim());
      deps.events.record({ type: 'catalog.api_key', ts: now(), actor, details: { action: 'set', store: deps.secrets.kind } });
      emitStatus();
      return { set: true };
    },
    clearApiKey(actor: JournalActor = 'user'): { removed: boolean } {
      refuseReadOnly('removing the NGC API key');
      const removed = deps.secrets.delete(NGC_API_KEY_SECRET);
      if (removed) deps.events.record({ type: 'catalog.api_key', ts: now(), actor, details: { action: 'clear' } });
      emitStatus();
      return { removed };
    },
    stop: refresher.stop,
  };
}
export type CatalogService = ReturnType<typeof createCatalogService>;
