// The image catalog: searched from SQLite (seeded from the shipped file at first start), refreshed in
// the background from the NGC catalog API, tags read from NGC or the image's registry (nvcr.io, its
// mirror, or any registry a custom image lives on). Whatever NGC or a registry answers wrong —
// unreachable, timed out, an HTML page, a 401 for a gated repository, a 429, a body cut short — is one
// sentence: journaled, shown as "offline — catalog from <date>", and the stored catalog stays as it was.
import type {
  Architecture,
  CatalogCategory,
  CatalogChanged,
  CatalogDocument,
  CatalogImage,
  CatalogImportResult,
  CatalogRefreshProgress,
  CatalogSearchResult,
  CatalogSettings,
  CatalogStatus,
  CatalogTags,
  JournalActor,
} from '@shared/contract';
import type { catalogAddSchema, catalogSearchSchema } from '@shared/contract/catalog';
import { AppError } from '@shared/errors';
import type { z } from 'zod';
import type { Bus } from '../bus';
import type { SecretStore } from '../docker/secrets';
import type { CatalogRepository, StoredCatalogImage } from '../store/catalog';
import type { EventLog } from '../store/events';
import type { RegistryLoginRepository } from '../store/registry-logins';
import type { SettingsSlice } from '../store/settings';
import { createAnswerCache } from './api-cache';
import { catalogDocument, parseCatalogDocument } from './document';
import { CatalogFetchError, type HttpOptions } from './http';
import { createNgcClient, type NgcResource } from './ngc-client';
import { imageFromSearch, repositoryOf, sizeFor, sortVersions, versionsFromNgcImages, withDetail, withVersions } from './normalize';
import { isLoopbackHost, mirrorTarget, parseImageLocation, registryBaseUrl } from './reference';
import { createRegistryClient, type RegistryTarget } from './registry-client';
import { ftsMatch } from './search-text';
import { SEED_AS_OF, SEED_ENTRIES, SEED_VERSION, seedImage } from './seed';
import { compareTagsNewestFirst, hostArchitecture, isJetsonImage, offerableTags } from './traits';

/** The SecretStore key of the NGC API key. */
export const NGC_API_KEY_SECRET = 'ngc:api-key';
/** Search pages read per refresh at most (100 images a page). */
const MAX_PAGES = 30;
const PAGE_SIZE = 100;
/** Tags whose manifests are read for sizes and dates when a registry (not NGC's API) gives the tag list. */
const DETAILED_TAGS = 10;

const META = { seedVersion: 'seed_version', lastRefreshAt: 'last_refresh_at', failure: 'last_failure', retryNotBefore: 'retry_not_before' } as const;

interface Failure {
  reason: string;
  at: number;
}

export interface CatalogServiceDeps {
  repository: CatalogRepository;
  events: Pick<EventLog, 'record'>;
  bus: Bus;
  secrets: SecretStore;
  logins: RegistryLoginRepository;
  settings: SettingsSlice<CatalogSettings>;
  /** A read-only core: nothing is seeded, fetched into the store or journaled. */
  readOnly?: boolean;
  /**
   * For a read-only core: a catalog repository of its own in memory (an empty database of the schema),
   * taken on first use when `repository` has no catalog rows (a data folder whose catalog was never
   * seeded), so that the shipped catalog is read from there and nothing is written to `repository`.
   */
  scratch?: () => CatalogRepository;
  /** ms since epoch (tests pass their own). */
  now?: () => number;
  /** This host's architecture (OCI name); default from process.arch. */
  hostArchitecture?: Architecture | null;
}

type SearchInput = z.output<typeof catalogSearchSchema>;
type AddInput = z.output<typeof catalogAddSchema>;

export function createCatalogService(deps: CatalogServiceDeps) {
  const { bus } = deps;
  /** The stored catalog; for a read-only core over a catalog never seeded, the shipped one in `deps.scratch` (ensureSeeded). */
  let repo = deps.repository;
  const now = deps.now ?? Date.now;
  const readOnly = deps.readOnly === true;
  const host = deps.hostArchitecture === undefined ? hostArchitecture() : deps.hostArchitecture;
  const abort = new AbortController();
  const settings = () => deps.settings.get();
  const ttlMs = () => settings().cacheTtlHours * 3_600_000;
  const http: HttpOptions = {
    get timeoutMs() {
      return settings().requestTimeoutMs;
    },
    signal: abort.signal,
    now,
  };
  const cache = createAnswerCache(repo.cache, now, readOnly);
  const apiKey = () => deps.secrets.get(NGC_API_KEY_SECRET) || undefined;
  const ngc = createNgcClient({ baseUrl: () => settings().ngcApiUrl, http, cache, ttlMs, apiKey });
  const registry = createRegistryClient({ http, cache, ttlMs });

  let progress: CatalogRefreshProgress | null = null;
  let running: Promise<void> | null = null;

  const meta = {
    number: (key: string): number | null => {
      const v = repo.meta.get(key);
      return v === undefined ? null : Number(v);
    },
    failure: (): Failure | null => {
      const v = repo.meta.get(META.failure);
      return v === undefined ? null : (JSON.parse(v) as Failure);
    },
  };

  let seeded = false;
  /**
   * The first use after a first start (or a new shipped catalog) writes the seed rows; rows NGC or the
   * user wrote are left alone. On first use, not when the core is built: building a core writes nothing.
   * A read-only core writes no seed: where the stored catalog has no rows at all it reads the shipped
   * one from its scratch repository (in memory) instead; stored rows, even of an older seed, are read as they are.
   */
  function ensureSeeded(): void {
    if (seeded) return;
    seeded = true;
    if (readOnly) {
      if (!deps.scratch || repo.count() > 0) return;
      repo = deps.scratch();
    } else if (repo.meta.get(META.seedVersion) === SEED_VERSION) return;
    const t = now();
    repo.write(() => {
      repo.put([...SEED_ENTRIES.values()].filter((e) => (repo.get(e.resourceId)?.source ?? 'seed') === 'seed').map((e) => seedImage(e, t)));
      repo.meta.set(META.seedVersion, SEED_VERSION);
    });
  }

  function status(): CatalogStatus {
    ensureSeeded();
    const lastRefreshAt = meta.number(META.lastRefreshAt);
    const failure = meta.failure();
    const retryNotBefore = meta.number(META.retryNotBefore);
    return {
      dataSource: lastRefreshAt === null ? 'seed' : failure ? 'cache' : 'live',
      lastRefreshAt,
      offline: failure !== null,
      offlineReason: failure?.reason ?? null,
      offlineSince: failure?.at ?? null,
      dataAsOf: lastRefreshAt ?? SEED_AS_OF,
      stale: lastRefreshAt === null || now() - lastRefreshAt >= ttlMs(),
      retryNotBefore: retryNotBefore !== null && retryNotBefore > now() ? retryNotBefore : null,
      refresh: progress,
      images: repo.count(),
      apiKeySet: apiKey() !== undefined,
    };
  }
  const emitStatus = () => bus.emit('catalog.status', status());
  const changed = (reason: CatalogChanged['reason'], repositories: string[] = []) => bus.emit('catalog.changed', { reason, repositories });

  /** The NGC registry's images are pulled from the mirror when one is set. */
  const isNgcRegistry = (image: Pick<StoredCatalogImage, 'registry' | 'source'>) => image.registry === settings().registry;
  /** The repository path on its registry (the key without a registry host). */
  const pathOf = (image: Pick<StoredCatalogImage, 'repository' | 'registry'>) =>
    image.repository.startsWith(`${image.registry}/`) ? image.repository.slice(image.registry.length + 1) : image.repository;

  function pullName(image: Pick<StoredCatalogImage, 'repository' | 'registry' | 'source'>): string {
    const mirror = settings().registryMirror;
    const path = pathOf(image);
    if (mirror && isNgcRegistry(image)) return `${mirrorTarget(mirror).host}/${path}`;
    return `${image.registry}/${path}`;
  }
  const toContract = ({ tagsFetchedAt: _t, detailFetchedAt: _d, ...image }: StoredCatalogImage): CatalogImage => ({ ...image, pullName: pullName(image) });

  function mustGet(repository: string): StoredCatalogImage {
    ensureSeeded();
    const image = repo.get(repository);
    if (!image) throw new AppError('NOT_FOUND', `${repository} is not in the catalog; search for it with catalog search, or add it as a custom image.`);
    return image;
  }
  const refuseReadOnly = (what: string) => {
    if (readOnly) throw new AppError('UNSUPPORTED', `${what} needs the app's own core; this one only reads.`);
  };

  /** Where an image's registry API answers, and with whose sign-in (a stored registry login, or the NGC API key for nvcr.io). */
  function registryTarget(image: StoredCatalogImage): RegistryTarget {
    const s = settings();
    const login = (h: string) => {
      const row = deps.logins.get(h);
      const password = row ? deps.secrets.get(`registry:${h}`) : undefined;
      return row && password ? { username: row.username, password } : null;
    };
    if (isNgcRegistry(image) && s.registryMirror) {
      const m = mirrorTarget(s.registryMirror);
      return { host: m.host, baseUrl: m.baseUrl, credentials: login(m.host) };
    }
    if (isNgcRegistry(image)) {
      const key = apiKey();
      return { host: image.registry, baseUrl: registryBaseUrl(image.registry), credentials: login(image.registry) ?? (key ? { username: '$oauthtoken', password: key } : null) };
    }
    return { host: image.registry, baseUrl: registryBaseUrl(image.registry), credentials: login(image.registry) };
  }

  /** A failure in the words the user acts on: a refused sign-in says where to put the key or the login. */
  function explain(e: unknown, image?: StoredCatalogImage): string {
    if (e instanceof CatalogFetchError && e.kind === 'auth' && image) {
      if (isNgcRegistry(image) && !settings().registryMirror) {
        return `NGC sign-in required for ${image.repository}: store your NGC API key (nvapi-…) in Settings → Catalog, or run \`mlenv catalog api-key\`${apiKey() ? ' (the stored key was refused)' : ''}.`;
      }
      const t = registryTarget(image);
      return `Registry ${t.host} requires a sign-in for ${pathOf(image)}: add a login for ${t.host} in Settings → Registry credentials${t.credentials ? ' (the stored login was refused)' : ''}.`;
    }
    if (e instanceof CatalogFetchError) return e.message;
    return `the catalog could not be read: ${(e as Error)?.message ?? String(e)}`;
  }

  /** Tags from a registry: offerable tags, newest-looking first; the newest few with sizes per architecture and dates from their manifests. */
  async function versionsFromRegistry(image: StoredCatalogImage, force = false) {
    const t = registryTarget(image);
    const path = pathOf(image);
    const tags = offerableTags(await registry.tags(t, path, force), image.framework).sort(compareTagsNewestFirst);
    const versions = [];
    for (const [i, tag] of tags.entries()) {
      let detail: Awaited<ReturnType<typeof registry.tag>> | null = null;
      if (i < DETAILED_TAGS) {
        try {
          detail = await registry.tag(t, path, tag, { prefer: host, force });
        } catch (e) {
          // A tag deleted between the list and its manifest is left without detail; anything else fails the read.
          if (!(e instanceof CatalogFetchError && e.kind === 'not-found')) throw e;
        }
      }
      const variants = detail?.variants ?? [];
      versions.push({
        tag,
        compressedSize: sizeFor(variants, host, null),
        sizeEstimated: false,
        updatedAt: detail?.createdAt ?? null,
        updatedAtEstimated: false,
        architectures: variants.map((v) => v.architecture),
        variants,
        signed: null,
      });
    }
    return sortVersions(versions);
  }

  /**
   * The image's tags from their source: NGC's tag list for an NGC image (nvcr.io with the API key when
   * NGC hides the repository from guests), the mirror for an NGC image when one is set, the image's own
   * registry for a custom one.
   */
  async function fetchVersions(image: StoredCatalogImage, force = false) {
    if (!isNgcRegistry(image) || settings().registryMirror) return versionsFromRegistry(image, force);
    try {
      return versionsFromNgcImages(await ngc.images(image.repository, force), image.framework, host);
    } catch (e) {
      if (e instanceof CatalogFetchError && (e.kind === 'auth' || e.kind === 'not-found') && apiKey()) return versionsFromRegistry(image, force);
      if (e instanceof CatalogFetchError && e.kind === 'not-found') throw new CatalogFetchError('auth', e.message, null, 404); // NGC hides gated repositories from guests
      throw e;
    }
  }

  const journalFailure = (type: string, error: string, details: Record<string, unknown>, actor: JournalActor = 'app') => {
    if (!readOnly) deps.events.record({ type, ts: now(), actor, outcome: 'error', error, details });
  };

  /** The whole refresh: every search page, then the tags of the shipped images; written in one transaction or not at all. */
  async function runRefresh(force: boolean, actor: JournalActor): Promise<void> {
    const startedAt = now();
    const step = (phase: string, done: number, total: number) => {
      progress = { phase, done, total, startedAt };
      emitStatus();
    };
    try {
      step('searching NGC', 0, 0);
      const resources = new Map<string, NgcResource>();
      let skipped = 0;
      const first = await ngc.searchPage(0, PAGE_SIZE, force);
      const pages = Math.min(first.pages, MAX_PAGES);
      const featured = [...SEED_ENTRIES.keys()].filter((r) => {
        const image = repo.get(r);
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
        const existing = repo.get(key);
        if (existing?.source === 'custom') continue; // the user's entry stays theirs
        images.set(key, imageFromSearch(r, key, { registry: settings().registry, now: t, host, existing, seed: SEED_ENTRIES.get(key) }));
      }
      for (const [i, key] of featured.entries()) {
        step(`reading the tags of ${key}`, pages + i, total);
        const image = images.get(key) ?? repo.get(key)!;
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
      repo.write(() => {
        repo.put([...images.values()]);
        repo.meta.set(META.lastRefreshAt, String(t));
        repo.meta.delete(META.failure);
        repo.meta.delete(META.retryNotBefore);
        repo.cache.prune(t);
      });
      deps.events.record({ type: 'catalog.refresh', ts: now(), actor, details: { found: resources.size, written: images.size, pages, skipped } });
      changed('refresh');
    } catch (e) {
      if (abort.signal.aborted) return;
      const reason = explain(e);
      const t = now();
      repo.write(() => {
        repo.meta.set(META.failure, JSON.stringify({ reason, at: t } satisfies Failure));
        if (e instanceof CatalogFetchError && e.retryAfterMs !== null) repo.meta.set(META.retryNotBefore, String(t + e.retryAfterMs));
      });
      journalFailure('catalog.refresh', reason, { kind: e instanceof CatalogFetchError ? e.kind : 'internal', api: settings().ngcApiUrl }, actor);
    } finally {
      progress = null;
      if (!abort.signal.aborted) emitStatus();
    }
  }

  return {
    status,
    pullName,

    /** Ranked search of the stored catalog (never the network), for results as the user types. */
    search(q: SearchInput): CatalogSearchResult {
      ensureSeeded();
      const { hits, total } = repo.search({ text: q.text.trim(), match: ftsMatch(q.text), category: q.category, architecture: q.architecture, source: q.source, limit: q.limit, offset: q.offset });
      return { hits: hits.map((h) => ({ ...h, pullName: pullName(h) })), total };
    },

    /** One entry; with `live`, an NGC entry's detail is read first when older than the TTL (a failure leaves the entry as stored, journaled). */
    async get(repository: string, live = false): Promise<CatalogImage> {
      const image = mustGet(repository);
      const old = image.detailFetchedAt === null || now() - image.detailFetchedAt >= ttlMs();
      if (!live || readOnly || !old || !isNgcRegistry(image) || image.source === 'custom') return toContract(image);
      try {
        const next = withDetail(image, await ngc.repository(repository), now());
        repo.put([next]);
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
        repo.put([next]);
        changed('tags', [repository]);
        return { repository, versions: next.versions, source: 'live', fetchedAt: next.tagsFetchedAt, warning: null };
      } catch (e) {
        if (e instanceof CatalogFetchError && e.kind === 'cancelled') throw new AppError('UNSUPPORTED', 'the app is shutting down');
        const warning = explain(e, image);
        journalFailure('catalog.tags', warning, { repository, kind: e instanceof CatalogFetchError ? e.kind : 'internal' });
        return stored(warning);
      }
    },

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

    categories(): CatalogCategory[] {
      ensureSeeded();
      return repo.categories();
    },

    /** Adds (or replaces) a custom image: any registry, tagged or not. */
    add(input: AddInput, actor: JournalActor = 'user'): CatalogImage {
      refuseReadOnly('adding an image');
      ensureSeeded();
      let loc;
      try {
        loc = parseImageLocation(input.reference);
      } catch (e) {
        throw new AppError('INVALID_INPUT', (e as Error).message);
      }
      const repository = loc.registry === settings().registry ? loc.path : `${loc.registry}/${loc.path}`;
      const existing = repo.get(repository);
      if (existing && existing.source !== 'custom') {
        throw new AppError('CONFLICT', `${repository} is already in the catalog (from ${existing.source === 'seed' ? 'the shipped catalog' : 'NGC'}).`);
      }
      const categories = input.category ? [input.category] : [];
      const description = input.description.trim();
      const tag = loc.tag && offerableTags([loc.tag], input.framework).length ? loc.tag : null; // never `latest` for a framework image
      const t = now();
      const image: StoredCatalogImage = {
        repository,
        registry: loc.registry,
        name: loc.path.split('/').at(-1)!,
        displayName: input.displayName ?? loc.path.split('/').at(-1)!,
        summary: (description.split(/\n\s*\n/)[0] ?? '').replace(/\s+/g, ' ').slice(0, 300),
        description,
        publisher: null,
        org: null,
        team: null,
        categories,
        labels: [],
        source: 'custom',
        gated: false,
        jupyterLab: input.jupyterLab,
        framework: input.framework,
        jetson: isJetsonImage(repository, categories),
        latestTag: tag,
        compressedSize: null,
        sizeEstimated: false,
        updatedAt: null,
        updatedAtEstimated: false,
        architectures: [],
        popularity: 0,
        logo: null,
        webUrl: null,
        versions: tag ? [{ tag, compressedSize: null, sizeEstimated: false, updatedAt: null, updatedAtEstimated: false, architectures: [], variants: [], signed: null }] : [],
        fetchedAt: t,
        tagsFetchedAt: null,
        detailFetchedAt: null,
      };
      repo.put([image]);
      deps.events.record({ type: 'catalog.add', ts: now(), actor, image: `${loc.registry}/${loc.path}`, details: { repository, insecure: isLoopbackHost(loc.registry) } });
      changed('add', [repository]);
      return toContract(image);
    },

    /** Removes a custom image; entries from the shipped catalog or NGC are refused (they would come back). */
    remove(repository: string, actor: JournalActor = 'user'): { removed: boolean } {
      refuseReadOnly('removing an image');
      ensureSeeded();
      const image = repo.get(repository);
      if (!image) return { removed: false };
      if (image.source !== 'custom') throw new AppError('CONFLICT', `only images you added can be removed; ${repository} comes from ${image.source === 'seed' ? 'the shipped catalog' : 'NGC'}.`);
      const removed = repo.remove(repository);
      deps.events.record({ type: 'catalog.remove', ts: now(), actor, details: { repository } });
      changed('remove', [repository]);
      return { removed };
    },

    exportDocument(): CatalogDocument {
      ensureSeeded();
      return catalogDocument(repo.all().map(toContract), now());
    },

    /** Imports a catalog file whole, or refuses it whole with the location of its first error (journaled). */
    importDocument(json: string, mode: 'merge' | 'replace', actor: JournalActor = 'user'): CatalogImportResult {
      refuseReadOnly('importing a catalog');
      ensureSeeded();
      let images: CatalogImage[];
      try {
        images = parseCatalogDocument(json);
      } catch (e) {
        journalFailure('catalog.import', (e as Error).message, { mode, location: (e as AppError).details }, actor);
        throw e;
      }
      const result = repo.importAll(
        images.map(({ pullName: _p, ...image }) => ({ ...image, tagsFetchedAt: null, detailFetchedAt: image.description ? image.fetchedAt : null })),
        mode,
      );
      deps.events.record({ type: 'catalog.import', ts: now(), actor, details: { mode, ...result } });
      changed('import');
      return result;
    },

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

    /** Cancels requests in flight and waits for a refresh under way to end (nothing half-written: it writes in one transaction). */
    async stop(): Promise<void> {
      abort.abort();
      await running;
    },
  };
}
export type CatalogService = ReturnType<typeof createCatalogService>;
