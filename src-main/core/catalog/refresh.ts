// The background refresh from NGC: every search page, then the tags of the shipped images, written in
// one transaction or not at all; a failure is journaled and shown as offline, the stored catalog unchanged.
import type { CatalogStatus, JournalActor } from '@shared/contract';
import type { StoredCatalogImage } from '../store/catalog';
import { CatalogFetchError } from './http';
import type { NgcResource } from './ngc-client';
import { imageFromSearch, repositoryOf, withVersions } from './normalize';
import { type CatalogContext, type Failure, META } from './service-context';
import { SEED_ENTRIES } from './seed';
import type { createVersionFetcher } from './versions';

/** Search pages read per refresh at most (100 images a page). */
const MAX_PAGES = 30;
const PAGE_SIZE = 100;

/** refresh, settled and stop of the catalog service (see createCatalogService). */
export function createCatalogRefresh(ctx: CatalogContext, fetchVersions: ReturnType<typeof createVersionFetcher>) {
  const { deps, now, abort, ngc, settings, host, setProgress, emitStatus, changed, explain, journalFailure, isNgcRegistry, status, refuseReadOnly } = ctx;
  let running: Promise<void> | null = null;

  /** The whole refresh: every search page, then the tags of the shipped images; written in one transaction or not at all. */
  async function runRefresh(force: boolean, actor: JournalActor): Promise<void> {
    const startedAt = now();
    const step = (phase: string, done: number, total: number) => {
      setProgress({ phase, done, total, startedAt });
      emitStatus();
    };
    try {
      step('searching NGC', 0, 0);
      const resources = new Map<string, NgcResource>();
      let skipped = 0;
      const first = await ngc.searchPage(0, PAGE_SIZE, force);
      const pages = Math.min(first.pages, MAX_PAGES);
      const featured = [...SEED_ENTRIES.keys()].filter((r) => {
        const image = ctx.repo.get(r);
        return image && isNgcRegistry(image);
      });
      const total = pages + featured.length;
      const take = (page: typeof first) => {
        skipped += page.skipped;
        for (const r of page.resources) {
          const key = repositoryOf(r);
          if (key && !resources.has(key)) resources.set(key, r); // de-duplicated by resourceId
          else if (!key) skipped++;
        }
      };
      take(first);
      step('searching NGC', 1, total);
      for (let p = 1; p < pages; p++) {
        take(await ngc.searchPage(p, PAGE_SIZE, force));
        step('searching NGC', p + 1, total);
      }
      const t = now();
      const images = new Map<string, StoredCatalogImage>();
      for (const [key, r] of resources) {
        const existing = ctx.repo.get(key);
        if (existing?.source === 'custom') continue; // the user's entry stays theirs
        images.set(key, imageFromSearch(r, key, { registry: settings().registry, now: t, host, existing, seed: SEED_ENTRIES.get(key) }));
      }
      for (const [i, key] of featured.entries()) {
        step(`reading the tags of ${key}`, pages + i, total);
        const image = images.get(key) ?? ctx.repo.get(key)!;
        try {
          images.set(key, withVersions(image, await fetchVersions(image, force), t));
        } catch (e) {
          // Refused (NGC hides gated repositories from guests): gated, and the refresh goes on. Not on the
          // mirror: its tags stay as they were. Any other failure stops the refresh.
          if (!(e instanceof CatalogFetchError && (e.kind === 'auth' || e.kind === 'not-found'))) throw e;
          if (e.kind === 'auth') images.set(key, { ...image, gated: true });
        }
      }
      if (abort.signal.aborted) return;
      ctx.repo.write(() => {
        ctx.repo.put([...images.values()]);
        ctx.repo.meta.set(META.lastRefreshAt, String(t));
        ctx.repo.meta.delete(META.failure);
        ctx.repo.meta.delete(META.retryNotBefore);
        ctx.repo.cache.prune(t);
      });
      deps.events.record({ type: 'catalog.refresh', ts: now(), actor, details: { found: resources.size, written: images.size, pages, skipped } });
      changed('refresh');
    } catch (e) {
      if (abort.signal.aborted) return;
      const reason = explain(e);
      const t = now();
      ctx.repo.write(() => {
        ctx.repo.meta.set(META.failure, JSON.stringify({ reason, at: t } satisfies Failure));
        if (e instanceof CatalogFetchError && e.retryAfterMs !== null) ctx.repo.meta.set(META.retryNotBefore, String(t + e.retryAfterMs));
      });
      journalFailure('catalog.refresh', reason, { kind: e instanceof CatalogFetchError ? e.kind : 'internal', api: settings().ngcApiUrl }, actor);
    } finally {
      setProgress(null);
      if (!abort.signal.aborted) emitStatus();
    }
  }

  return {
    /**
     * Starts a background refresh from NGC unless one runs, NGC asked us to wait (429), or — with
     * `ifStale` — the data is still fresh. `force` (the default for a refresh asked for) reads past the
     * response cache. Answers the status at once; progress and outcome come as catalog.status events.
     */
    refresh(o: { ifStale?: boolean; actor?: JournalActor } = {}): CatalogStatus {
      refuseReadOnly('refreshing the catalog');
      const s = status();
      if (running || s.retryNotBefore !== null || (o.ifStale && !s.stale)) return s;
      running = runRefresh(!o.ifStale, o.actor ?? 'user').finally(() => {
        running = null;
      });
      return status();
    },
    /** Resolves when the refresh under way (if any) has finished. */
    settled: (): Promise<void> => running ?? Promise.resolve(),

    /** Cancels requests in flight and waits for a refresh under way to end (nothing half-written: it writes in one transaction). */
    async stop(): Promise<void> {
      abort.abort();
      await running;
    },
  };
}
